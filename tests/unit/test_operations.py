"""One decision per operation (``domain.operations``): who may do it, what it makes of a card, head office's
maxima, and the same rules through the till's use cases."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from pos_app.domain import errors
from pos_app.domain.cards import CardStatus, GiftCard, OperationContext
from pos_app.domain.ledger import EntryKind
from pos_app.domain.money import Money
from pos_app.domain.operations import (
    Correct,
    Policy,
    Redeem,
    Refund,
    Sell,
    TopUp,
    check_allowed,
    decide,
    kind_named,
    named,
    required_permission,
)
from pos_app.domain.people import Actor, Permission, Role
from pos_app.services import cards
from pos_app.services.context import Caller
from pos_app.services.enrolment import save_policy
from tests.unit.conftest import Store

AT = datetime(2026, 12, 7, 12, 0, tzinfo=UTC)
CASHIER = Actor(user_id="u_c", name="Carl", role=Role.CASHIER)
MANAGER = Actor(user_id="u_m", name="Mia", role=Role.MANAGER)


def eur(minor: int) -> Money:
    return Money(minor, "EUR")


def ctx(operator: str = "u_m", device: str = "till-1", at: datetime = AT, reason: str | None = None
        ) -> OperationContext:
    return OperationContext(at=at, zone=UTC, device_id=device, operator_id=operator, reason=reason)


def card(status: CardStatus = CardStatus.ACTIVE, balance: int = 5000) -> GiftCard:
    return GiftCard(id="v_1", code="GC-TEST", currency="EUR", status=status, loaded=balance, balance=balance,
                    initial_amount=5000, activated_at=AT if status is not CardStatus.INACTIVE else None)


def test_what_each_operation_needs() -> None:
    assert required_permission(Sell(), ctx()) is Permission.SELL
    assert required_permission(TopUp(eur(1)), ctx()) is Permission.TOP_UP
    assert required_permission(Correct(eur(-1)), ctx()) is Permission.CORRECT
    assert required_permission(Redeem(eur(1)), ctx()) is Permission.REDEEM
    spent = decide(card(), Redeem(eur(100)), ctx("u_c"))
    assert required_permission(Refund(spent), ctx("u_c")) is Permission.REFUND_OWN_RECENT
    for other in (ctx("u_other"), ctx("u_c", device="till-2"), ctx("u_c", at=AT + timedelta(hours=1))):
        assert required_permission(Refund(spent), other) is Permission.REFUND
    check_allowed(CASHIER, Refund(spent), ctx("u_c"))
    with pytest.raises(errors.Forbidden):
        check_allowed(CASHIER, Refund(spent), ctx("u_c", device="till-2"))
    with pytest.raises(errors.Forbidden):
        check_allowed(CASHIER, Sell(), ctx("u_c"))
    check_allowed(MANAGER, Sell(), ctx())


@pytest.mark.parametrize("status,key", [(CardStatus.DISABLED, "voucher_disabled"),
                                        (CardStatus.FROZEN, "voucher_frozen"),
                                        (CardStatus.INACTIVE, "voucher_not_active")])
def test_nothing_is_added_to_a_card_that_is_not_active(status: CardStatus, key: str) -> None:
    for op in (TopUp(eur(100)), Correct(eur(100))):
        with pytest.raises(errors.GiftCardError) as caught:
            decide(card(status), op, ctx(reason="why"))
        assert caught.value.key == key


def test_only_a_sale_activates() -> None:
    sold = card(CardStatus.INACTIVE, 0)
    entry = decide(sold, Sell(), ctx())
    assert (sold.status, entry.amount, entry.kind) == (CardStatus.ACTIVE, 5000, EntryKind.CREDITS_ADDITION)


def test_head_office_s_maxima() -> None:
    policy = Policy(max_balance=10_000, max_per_operation=3_000, daily_created_per_till=8_000)
    with pytest.raises(errors.OperationLimitExceeded):
        decide(card(), TopUp(eur(3_001)), ctx(), policy=policy)
    with pytest.raises(errors.BalanceLimitExceeded):
        decide(card(balance=8_000), TopUp(eur(2_001)), ctx(), policy=policy)
    with pytest.raises(errors.DailyCapExceeded):
        decide(card(), TopUp(eur(1_000)), ctx(), policy=policy, created_today=7_500)
    assert decide(card(), TopUp(eur(3_000)), ctx(), policy=policy, created_today=5_000).amount == 3_000
    assert decide(card(), Redeem(eur(5_000)), ctx(), policy=Policy(max_per_operation=1)).amount == -5_000
    assert decide(card(), Correct(eur(-4_000)), ctx(reason="r"), policy=Policy(max_per_operation=1)).amount == -4000


def test_an_operation_named_by_a_till() -> None:
    assert named("redeem", card=card(), amount=100, currency="EUR") == Redeem(eur(100))
    assert named("sell", card=card(), amount=None, currency="EUR") == Sell()
    assert named("correct", card=card(), amount=-5, currency="EUR") == Correct(eur(-5))
    with pytest.raises(errors.MissingAmount):
        named("top_up", card=card(), amount=None, currency="EUR")
    with pytest.raises(errors.NotFound):
        named("refund", card=card(), amount=None, currency="EUR", redemption=None)
    assert kind_named("correct", -5) is EntryKind.CREDITS_REMOVAL
    assert kind_named("refund", None) is EntryKind.CREDITS_REFUND


def test_the_till_applies_head_office_s_maxima_too(store: Store) -> None:
    sold = store.sold_card(5000)
    with store.uow:
        save_policy(store.uow.settings, Policy(max_balance=6_000, max_per_operation=2_000))
        store.uow.commit()
    with pytest.raises(errors.OperationLimitExceeded):
        cards.sell(store.uow, store.manager, store.add_card().code, eur(2_500))
    with pytest.raises(errors.BalanceLimitExceeded):
        cards.top_up(store.uow, store.manager, sold.code, eur(1_500))
    with pytest.raises(errors.OperationLimitExceeded):
        cards.correct(store.uow, store.manager, sold.code, eur(2_500), reason="typo")
    assert cards.top_up(store.uow, store.manager, sold.code, eur(1_000)).balance_after == 6_000


def test_a_person_with_a_correction_limit_corrects_within_it_either_way() -> None:
    support = Actor(user_id="console:7", name="sam@example.com", role=Role.MANAGER, max_correction=2000)
    for delta in (eur(2000), eur(-2000), eur(1)):
        check_allowed(support, Correct(delta), ctx("console:7"))
    for delta in (eur(2001), eur(-2001)):
        with pytest.raises(errors.CorrectionLimitExceeded) as caught:
            check_allowed(support, Correct(delta), ctx("console:7"))
        assert caught.value.key == "correction_limit_exceeded" and caught.value.code == 403
        assert "20.00 EUR" in caught.value.details
    check_allowed(support, TopUp(eur(100_000)), ctx("console:7"))  # the limit is on corrections only
    check_allowed(MANAGER, Correct(eur(-100_000)), ctx())  # no limit of their own: as much as the role may


def test_the_correction_limit_holds_through_the_use_case(store: Store) -> None:
    sold = store.sold_card(5000)
    support = Caller(actor=Actor(user_id="console:7", name="sam@example.com", role=Role.MANAGER,
                                 max_correction=1000), device_id="server",
                     clock=store.clock)
    with pytest.raises(errors.CorrectionLimitExceeded):
        cards.correct(store.uow, support, sold.code, eur(-1001), reason="typed twice")
    assert store.card(sold.code).balance == 5000
    done = cards.correct(store.uow, support, sold.code, eur(-1000), reason="typed twice")
    assert (done.amount, done.balance_after, done.operator_id) == (-1000, 4000, "console:7")
