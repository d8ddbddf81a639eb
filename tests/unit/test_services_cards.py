"""Card use cases over the in-memory store: what is written, what is refused, and what a refusal leaves behind."""

from __future__ import annotations

import uuid

import pytest

from pos_app.domain.cards import CardStatus
from pos_app.domain.codes import READABLE_ALPHABET
from pos_app.domain.errors import GiftCardError
from pos_app.domain.ledger import Entry, EntryKind, EntryResult
from pos_app.domain.money import Money
from pos_app.domain.people import OWN_REFUND_WINDOW
from pos_app.services import cards, customers
from pos_app.services.context import Caller
from tests.unit.conftest import Store


def eur(minor: int) -> Money:
    return Money(minor, "EUR")


def refused(call, *args, **kwargs) -> str:  # type: ignore[no-untyped-def]
    with pytest.raises(GiftCardError) as caught:
        call(*args, **kwargs)
    return caught.value.key


def entries_of(store: Store, code: str) -> list[Entry]:
    """Oldest first."""
    return store.uow.entries.for_card(store.card(code).id)[::-1]


# ---- the till's day -------------------------------------------------------------------------------------------

def test_sell_then_redeem_until_spent_then_over_balance_is_refused_and_recorded(store: Store) -> None:
    card = store.add_card(initial_amount=5000)
    sale = cards.sell(store.uow, store.manager, card.code)
    assert (sale.kind, sale.amount, sale.balance_after) == (EntryKind.CREDITS_ADDITION, 5000, 5000)

    for amount, left in [(1250, 3750), (3000, 750), (750, 0)]:
        entry = cards.redeem(store.uow, store.cashier, card.code, eur(amount))
        assert (entry.amount, entry.balance_after) == (-amount, left)
        assert store.card(card.code).balance == left

    assert refused(cards.redeem, store.uow, store.cashier, card.code, eur(1)) == "gift_amount_exceeded"
    after = store.card(card.code)
    assert (after.balance, after.redeemed, after.redemption_count) == (0, 5000, 3)
    failure = entries_of(store, card.code)[-1]
    assert (failure.kind, failure.result, failure.error_key, failure.amount, failure.balance_after) == (
        EntryKind.CREDITS_REDEMPTION, EntryResult.FAILURE, "gift_amount_exceeded", -1, 0)
    assert failure.operator_id == store.cashier.actor.user_id
    assert [e.result for e in entries_of(store, card.code)] == ["SUCCESS"] * 4 + ["FAILURE"]


def test_an_over_balance_attempt_leaves_the_balance_as_it_was(store: Store) -> None:
    card = store.sold_card(2000)
    assert refused(cards.redeem, store.uow, store.cashier, card.code, eur(2001)) == "gift_amount_exceeded"
    assert store.card(card.code).balance == 2000
    assert store.card(card.code).invariant_holds()


@pytest.mark.parametrize(
    ("change", "key"),
    [
        ({"status": CardStatus.INACTIVE}, "voucher_not_active"),
        ({"status": CardStatus.DISABLED}, "voucher_disabled"),
        ({"status": CardStatus.FROZEN}, "voucher_frozen"),
        ({"expiration_date": "now"}, "voucher_expired"),
        ({"redemption_limit": 0}, "quantity_exceeded"),
    ],
)
def test_every_refused_redemption_of_a_card_is_recorded_with_its_key(
        store: Store, change: dict[str, object], key: str) -> None:
    card = store.sold_card(5000)
    stored = store.uow.state.cards[card.id]
    for name, value in change.items():
        setattr(stored, name, store.clock() if value == "now" else value)
    before = store.entries()
    assert refused(cards.redeem, store.uow, store.cashier, card.code, eur(100)) == key
    assert store.entries() == before + 1
    assert entries_of(store, card.code)[-1].error_key == key
    assert store.card(card.code).balance == 5000


@pytest.mark.parametrize(("amount", "key"), [(Money(100, "USD"), "currency_mismatch"), (eur(0), "invalid_amount")])
def test_an_amount_that_cannot_be_an_attempt_records_nothing(store: Store, amount: Money, key: str) -> None:
    card = store.sold_card(5000)
    before = store.entries()
    assert refused(cards.redeem, store.uow, store.cashier, card.code, amount) == key
    assert store.entries() == before


def test_entries_carry_who_where_and_a_growing_sequence(store: Store) -> None:
    card = store.sold_card(5000)
    cards.redeem(store.uow, store.cashier, card.code, eur(100), order_ref="R-17")
    sale, redemption = entries_of(store, card.code)
    assert sale.operator_id == store.manager.actor.user_id
    assert redemption.operator_id == store.cashier.actor.user_id
    assert redemption.device_id == store.profile.device_id
    assert redemption.created_at == store.clock()
    assert redemption.order_ref == "R-17"
    assert redemption.device_seq == sale.device_seq + 1
    assert store.uow.entries.outbox_count() == 2


def test_check_balance_shows_the_card_and_its_latest_entries_first(store: Store) -> None:
    card = store.sold_card(5000)
    for _ in range(3):
        cards.redeem(store.uow, store.cashier, card.code, eur(100))
    view = cards.check_balance(store.uow, store.cashier, card.code, recent=2)
    assert view.card.balance == 4700
    assert [e.balance_after for e in view.recent] == [4700, 4800]


# ---- finding the card -----------------------------------------------------------------------------------------

def test_an_unknown_code_is_not_found_and_nothing_is_recorded(store: Store) -> None:
    store.sold_card(5000)
    before = store.entries()
    assert refused(cards.redeem, store.uow, store.cashier, "NO-SUCH-CARD", eur(100)) == "not_found"
    assert store.entries() == before  # only the failed lookup is counted (test_lookup_limit)
    assert len(store.uow.settings.get("lookup_failures")) == 1


def test_a_readable_code_is_found_however_it_was_typed(store: Store) -> None:
    card = store.sold_card(5000)
    typed = "  " + card.code.lower().replace("-", " ") + " "
    assert cards.redeem(store.uow, store.cashier, typed, eur(100)).card_id == card.id


def test_a_mistyped_readable_code_is_invalid_not_unknown(store: Store) -> None:
    card = store.sold_card(5000)
    i = 5
    wrong = READABLE_ALPHABET[(READABLE_ALPHABET.index(card.code[i]) + 1) % len(READABLE_ALPHABET)]
    typo = card.code[:i] + wrong + card.code[i + 1 :]
    before = (store.entries(), store.uow.commits)
    assert refused(cards.redeem, store.uow, store.cashier, typo, eur(100)) == "invalid_code"
    assert refused(cards.check_balance, store.uow, store.cashier, typo) == "invalid_code"
    assert (store.entries(), store.uow.commits) == before


def test_imported_codes_are_matched_exactly_case_included(store: Store) -> None:
    card = store.add_card(code="Summer-abc-42")
    cards.sell(store.uow, store.manager, card.code, eur(1000))
    assert cards.check_balance(store.uow, store.cashier, "Summer-abc-42").card.id == card.id
    assert refused(cards.check_balance, store.uow, store.cashier, "SUMMER-ABC-42") == "not_found"


@pytest.mark.parametrize(
    ("code", "key"),
    [
        ("", "invalid_code"),
        ("   ", "invalid_code"),
        ("A" * 10_000, "invalid_code"),
        ("GC-" + "7" * 10_000, "invalid_code"),
        ("GC-ABCD\x00-EFGH", "invalid_code"),
        ("GC-ABCD\x1b[2J", "invalid_code"),
        ("abc\u200bdef", "invalid_code"),
        ("line\nbreak", "invalid_code"),
        ("' OR '1'='1", "not_found"),
        ("x'; DROP TABLE cards; --", "not_found"),
        ("%", "not_found"),
        ("../../etc/passwd", "not_found"),
    ],
)
def test_hostile_codes_are_refused_and_leave_no_trace(store: Store, code: str, key: str) -> None:
    store.sold_card(5000)
    before = store.entries()
    assert refused(cards.redeem, store.uow, store.cashier, code, eur(100)) == key
    assert refused(cards.check_balance, store.uow, store.manager, code) == key
    assert refused(cards.sell, store.uow, store.manager, code, eur(100)) == key
    assert store.entries() == before  # a code looked up and not found is counted, nothing more
    assert len(store.uow.settings.get("lookup_failures") or ()) == (3 if key == "not_found" else 0)


# ---- manager operations ---------------------------------------------------------------------------------------

def test_sell_takes_the_campaign_value_unless_told_otherwise(store: Store) -> None:
    preset = store.add_card(initial_amount=2500)
    assert cards.sell(store.uow, store.manager, preset.code).amount == 2500
    free = store.add_card()
    assert refused(cards.sell, store.uow, store.manager, free.code) == "missing_amount"
    assert cards.sell(store.uow, store.manager, free.code, eur(4000)).amount == 4000


def test_a_card_is_sold_once(store: Store) -> None:
    card = store.sold_card(5000)
    assert refused(cards.sell, store.uow, store.manager, card.code, eur(5000)) == "voucher_already_active"
    assert store.card(card.code).balance == 5000


def test_top_up_and_corrections(store: Store) -> None:
    card = store.sold_card(5000)
    cards.top_up(store.uow, store.manager, card.code, eur(1000), reason="birthday")
    down = cards.correct(store.uow, store.manager, card.code, eur(-2500), reason="sold at the wrong value")
    assert (down.kind, down.amount, down.reason) == (EntryKind.CREDITS_REMOVAL, -2500, "sold at the wrong value")
    assert refused(cards.correct, store.uow, store.manager, card.code, eur(-3501), reason="x") \
        == "gift_amount_exceeded"
    assert refused(cards.correct, store.uow, store.manager, card.code, eur(-100), reason=" ") \
        == "invalid_add_balance_params"
    assert refused(cards.correct, store.uow, store.manager, card.code, Money(-100, "USD"), reason="x") \
        == "currency_mismatch"
    after = store.card(card.code)
    assert (after.loaded, after.balance) == (3500, 3500)


def test_a_disabled_card_is_refused_until_enabled(store: Store) -> None:
    card = store.sold_card(5000)
    assert cards.set_enabled(store.uow, store.manager, card.code, enabled=False).status is CardStatus.DISABLED
    assert refused(cards.redeem, store.uow, store.cashier, card.code, eur(100)) == "voucher_disabled"
    assert refused(cards.top_up, store.uow, store.manager, card.code, eur(100)) == "voucher_disabled"
    assert cards.set_enabled(store.uow, store.manager, card.code, enabled=True).status is CardStatus.ACTIVE
    assert cards.redeem(store.uow, store.cashier, card.code, eur(100)).balance_after == 4900


# ---- refunds --------------------------------------------------------------------------------------------------

def test_a_refund_gives_the_redemption_back_once(store: Store) -> None:
    card = store.sold_card(5000)
    redemption = cards.redeem(store.uow, store.cashier, card.code, eur(1200))
    refund = cards.refund(store.uow, store.manager, redemption.id)
    assert (refund.kind, refund.amount, refund.refund_of, refund.balance_after) == (
        EntryKind.CREDITS_REFUND, 1200, redemption.id, 5000)
    assert refused(cards.refund, store.uow, store.manager, redemption.id) == "already_rolled_back"
    assert refused(cards.refund, store.uow, store.manager, str(redemption.id), eur(1)) == "already_rolled_back"
    after = store.card(card.code)
    assert (after.balance, after.redeemed, after.refunded) == (5000, 1200, 1200)


def test_a_partial_refund_and_its_ceiling(store: Store) -> None:
    card = store.sold_card(5000)
    redemption = cards.redeem(store.uow, store.cashier, card.code, eur(1200))
    assert refused(cards.refund, store.uow, store.manager, redemption.id, eur(1201)) == "gift_amount_exceeded"
    cards.refund(store.uow, store.manager, f"  {redemption.id}  ", eur(200))
    assert store.card(card.code).balance == 4000


def test_only_a_redemption_can_be_refunded(store: Store) -> None:
    card = store.sold_card(5000)
    sale = entries_of(store, card.code)[0]
    assert refused(cards.refund, store.uow, store.manager, sale.id) == "not_found"
    assert refused(cards.refund, store.uow, store.manager, uuid.uuid4()) == "not_found"
    assert refused(cards.refund, store.uow, store.manager, "not-an-id") == "invalid_payload"
    assert refused(cards.refund, store.uow, store.manager, "x" * 10_000) == "invalid_payload"
    refused(cards.redeem, store.uow, store.cashier, card.code, eur(9999))
    failure = entries_of(store, card.code)[-1]
    assert refused(cards.refund, store.uow, store.manager, failure.id) == "invalid_payload"
    assert store.card(card.code).balance == 5000


# ---- what a cashier may do ------------------------------------------------------------------------------------

@pytest.mark.parametrize(
    "operation",
    [
        lambda s, code: cards.sell(s.uow, s.cashier, code, eur(100)),
        lambda s, code: cards.top_up(s.uow, s.cashier, code, eur(100)),
        lambda s, code: cards.correct(s.uow, s.cashier, code, eur(100), reason="x"),
        lambda s, code: cards.correct(s.uow, s.cashier, code, eur(-100), reason="x"),
        lambda s, code: cards.set_enabled(s.uow, s.cashier, code, enabled=False),
        lambda s, code: customers.publish_to(s.uow, s.cashier, code, "cust_1"),
    ],
    ids=["sell", "top_up", "correct_up", "correct_down", "disable", "publish"],
)
def test_a_cashier_may_not_do_manager_operations(store: Store, operation) -> None:  # type: ignore[no-untyped-def]
    sold = store.sold_card(5000)
    unsold = store.add_card(initial_amount=5000)
    before = (store.entries(), store.card(sold.code), store.card(unsold.code))
    for code in (sold.code, unsold.code):
        with pytest.raises(GiftCardError) as caught:
            operation(store, code)
        assert caught.value.key == "forbidden"
    assert (store.entries(), store.card(sold.code), store.card(unsold.code)) == before


def test_a_cashier_may_refund_their_own_redemption_within_fifteen_minutes(store: Store) -> None:
    card = store.sold_card(5000)
    redemption = cards.redeem(store.uow, store.cashier, card.code, eur(1200))
    store.clock.advance(seconds=OWN_REFUND_WINDOW.total_seconds())  # the last moment it is allowed
    refund = cards.refund(store.uow, store.cashier, redemption.id)
    assert refund.operator_id == store.cashier.actor.user_id
    assert store.card(card.code).balance == 5000


def test_a_cashier_may_not_refund_their_own_redemption_after_fifteen_minutes(store: Store) -> None:
    card = store.sold_card(5000)
    redemption = cards.redeem(store.uow, store.cashier, card.code, eur(1200))
    store.clock.advance(minutes=15, seconds=1)
    assert refused(cards.refund, store.uow, store.cashier, redemption.id) == "forbidden"
    assert store.card(card.code).balance == 3800
    cards.refund(store.uow, store.manager, redemption.id)  # a manager still may
    assert store.card(card.code).balance == 5000


def test_a_cashier_may_not_refund_someone_elses_redemption(store: Store, other_cashier: Caller) -> None:
    card = store.sold_card(5000)
    theirs = cards.redeem(store.uow, other_cashier, card.code, eur(1200))
    managers = cards.redeem(store.uow, store.manager, card.code, eur(300))
    before = store.entries()
    assert refused(cards.refund, store.uow, store.cashier, theirs.id) == "forbidden"
    assert refused(cards.refund, store.uow, store.cashier, managers.id) == "forbidden"
    assert store.entries() == before
    assert store.card(card.code).balance == 3500


def test_a_cashier_may_not_refund_their_own_redemption_made_on_another_till(store: Store) -> None:
    card = store.sold_card(5000)
    elsewhere = Caller(store.cashier.actor, "till_other", store.clock)
    redemption = cards.redeem(store.uow, elsewhere, card.code, eur(1200))
    assert refused(cards.refund, store.uow, store.cashier, redemption.id) == "forbidden"
    assert store.card(card.code).balance == 3800

