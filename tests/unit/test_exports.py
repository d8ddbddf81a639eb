"""CSV exports: vouchers (round trip through the import), transactions and redemptions."""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime, timedelta

import pytest

from pos_app.domain import errors
from pos_app.domain.money import Money
from pos_app.domain.people import Role
from pos_app.services import auth, campaigns, cards, setup
from pos_app.services.context import Caller
from pos_app.services.exports import export_redemptions, export_transactions, export_vouchers
from pos_app.services.imports import import_cards
from tests.unit.fakes import FakeUnitOfWork
from tests.unit.fakes import FixedClock as Clock

NOW = datetime(2026, 3, 1, 10, 0, tzinfo=UTC)


def new_store() -> tuple[FakeUnitOfWork, Caller]:
    uow = FakeUnitOfWork()
    profile = setup.init_store(uow, store_name="Shop", currency="EUR", manager_pin="9876")
    return uow, Caller(auth.login(uow, "9876"), profile.device_id, Clock(NOW))


def rows(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text)))


def vouchers_csv(uow: FakeUnitOfWork, caller: Caller) -> str:
    out = io.StringIO()
    export_vouchers(uow, caller, out)
    return out.getvalue()


@pytest.fixture
def busy_store() -> tuple[FakeUnitOfWork, Caller, list[str]]:
    """A campaign of four cards: one sold and partly spent, one sold and disabled, one sold then corrected to
    a smaller value, one unsold; and a card imported with a code of mixed case and odd characters."""
    uow, manager = new_store()
    campaigns.create_campaign(uow, manager, campaigns.CreateCampaign(
        name="Spring", amount=Money(5000, "EUR"), count=4, category="promo",
        start_date=NOW - timedelta(days=1), expiration_date=datetime(2027, 12, 31, 23, 0, tzinfo=UTC),
        redemption_limit=5))
    codes = [c.code for c in uow.cards.iter_all()]
    for code in codes[:3]:
        cards.sell(uow, manager, code)
    cards.redeem(uow, manager, codes[0], Money(1250, "EUR"))
    cards.set_enabled(uow, manager, codes[1], enabled=False)
    cards.correct(uow, manager, codes[2], Money(-2000, "EUR"), reason="sold at the wrong value")
    import_cards(uow, manager, 'code,value,gift_balance,metadata\nOld/Card ä,3000,100,"{""from"": ""paper""}"\n',
                 fmt="csv")
    return uow, manager, [*codes, "Old/Card ä"]


def test_a_voucher_export_imported_into_a_fresh_store_gives_the_same_cards(
    busy_store: tuple[FakeUnitOfWork, Caller, list[str]],
) -> None:
    uow, manager, codes = busy_store
    exported = vouchers_csv(uow, manager)
    fresh, fresh_manager = new_store()

    result = import_cards(fresh, fresh_manager, exported, fmt="csv")

    assert result.cards == 5
    kept = ("code", "value", "initial_amount", "campaign", "category", "start_date", "expiration_date",
            "gift_balance", "redemption_quantity", "redemption_count", "active", "status", "currency", "metadata")
    before = [{k: r[k] for k in kept} for r in rows(exported)]
    after = [{k: r[k] for k in kept} for r in rows(vouchers_csv(fresh, fresh_manager))]
    assert after == before
    assert [r["code"] for r in after] == codes
    for card in fresh.cards.iter_all():
        assert card.invariant_holds()


def test_the_voucher_export_has_voucherify_columns_in_minor_units(
    busy_store: tuple[FakeUnitOfWork, Caller, list[str]],
) -> None:
    uow, manager, _ = busy_store
    out = io.StringIO()

    assert export_vouchers(uow, manager, out) == 5

    spent, disabled, corrected, unsold, imported = rows(out.getvalue())
    assert spent["voucher_type"] == "GIFT_VOUCHER"
    assert (spent["value"], spent["gift_balance"], spent["redemption_count"]) == ("5000", "3750", "1")
    assert (spent["campaign"], spent["redemption_quantity"], spent["active"]) == ("Spring", "5", "true")
    assert spent["expiration_date"] == "2027-12-31T23:00:00Z"
    assert (disabled["active"], disabled["status"]) == ("false", "disabled")
    assert (corrected["value"], corrected["gift_balance"]) == ("3000", "3000")
    assert (unsold["value"], unsold["status"], unsold["initial_amount"]) == ("0", "inactive", "5000")
    assert (imported["campaign"], imported["redemption_quantity"]) == ("", "")


def test_the_voucher_export_of_one_campaign(busy_store: tuple[FakeUnitOfWork, Caller, list[str]]) -> None:
    uow, manager, _ = busy_store
    campaign = uow.campaigns.get_by_name("Spring")
    assert campaign is not None
    assert export_vouchers(uow, manager, io.StringIO(), campaign_id=campaign.id) == 4
    with pytest.raises(errors.NotFound):
        export_vouchers(uow, manager, io.StringIO(), campaign_id="camp_nope")


def test_a_refunded_redemption_is_exported_as_rolled_back_and_a_refused_one_as_failed() -> None:
    uow, manager = new_store()
    import_cards(uow, manager, "code,value\nR-1,5000\n", fmt="csv")
    refunded = cards.redeem(uow, manager, "R-1", Money(1000, "EUR"), order_ref="order-7")
    cards.refund(uow, manager, refunded.id)
    kept = cards.redeem(uow, manager, "R-1", Money(500, "EUR"))
    with pytest.raises(errors.GiftAmountExceeded):
        cards.redeem(uow, manager, "R-1", Money(99_999, "EUR"))
    out = io.StringIO()

    written = export_redemptions(uow, manager, out)

    by_id = {r["id"]: r for r in rows(out.getvalue())}
    assert written == len(by_id) == 3
    first = by_id[str(refunded.id)]
    assert (first["amount"], first["result"], first["status"], first["refunded_amount"]) == (
        "1000", "SUCCESS", "ROLLED_BACK", "1000")
    assert first["order_ref"] == "order-7"
    assert by_id[str(kept.id)]["status"] == "SUCCEEDED"
    failed = next(r for r in by_id.values() if r["result"] == "FAILURE")
    assert (failed["amount"], failed["status"], failed["failure_code"]) == ("99999", "FAILED", "gift_amount_exceeded")


def test_transactions_are_the_money_movements_with_signed_amounts() -> None:
    uow, manager = new_store()
    campaigns.create_campaign(uow, manager, campaigns.CreateCampaign(
        name="Spring", amount=Money(5000, "EUR"), count=1))
    code = next(uow.cards.iter_all()).code
    cards.sell(uow, manager, code)
    clock = manager.clock
    assert isinstance(clock, Clock)
    clock.at = NOW + timedelta(days=1)
    redemption = cards.redeem(uow, manager, code, Money(1200, "EUR"))
    refund = cards.refund(uow, manager, redemption.id, Money(200, "EUR"))
    with pytest.raises(errors.GiftAmountExceeded):
        cards.redeem(uow, manager, code, Money(99_999, "EUR"))  # refused: not a transaction
    out = io.StringIO()

    assert export_transactions(uow, manager, out) == 3

    addition, redeemed, refunded = rows(out.getvalue())
    assert (addition["type"], addition["amount"], addition["balance_after"]) == ("CREDITS_ADDITION", "5000", "5000")
    assert (redeemed["type"], redeemed["amount"], redeemed["balance_after"]) == ("CREDITS_REDEMPTION", "-1200", "3800")
    assert (refunded["type"], refunded["amount"], refunded["related_redemption_id"]) == (
        "CREDITS_REFUND", "200", str(redemption.id))
    assert refunded["id"] == str(refund.id) and refunded["campaign"] == "Spring"
    assert redeemed["created_at"] == "2026-03-02T10:00:00Z" and redeemed["status"] == "local"
    assert redeemed["device_id"] == manager.device_id and redeemed["operator_id"] == manager.actor.user_id
    since_second_day = io.StringIO()
    assert export_transactions(uow, manager, since_second_day, since=NOW + timedelta(hours=12)) == 2


@pytest.mark.parametrize("export", [export_vouchers, export_transactions, export_redemptions])
def test_a_cashier_is_refused_exports(export: object) -> None:
    uow, manager = new_store()
    auth.add_user(uow, manager, "Cathy", Role.CASHIER, "1234")
    cashier = Caller(auth.login(uow, "1234"), manager.device_id, manager.clock)
    out = io.StringIO()

    with pytest.raises(errors.Forbidden) as refused:
        export(uow, cashier, out)  # type: ignore[operator]

    assert refused.value.key == "forbidden" and out.getvalue() == ""
