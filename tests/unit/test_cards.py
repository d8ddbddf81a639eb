"""The gift card's rules: every refusal with its Voucherify key, and every value change as an entry."""

from __future__ import annotations

import os
import time as clock_time
from collections.abc import Iterator
from datetime import UTC, date, datetime, time, timedelta, timezone, tzinfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from pos_app.domain.cards import CardStatus, GiftCard, OperationContext, Validity
from pos_app.domain.errors import GiftCardError
from pos_app.domain.ledger import Entry, EntryKind, EntryResult
from pos_app.domain.money import Money, max_minor
from pos_app.domain.shop_time import expiry_end_of_day, shop_zone

#: Days and hours of validity are the shop's local time; the shop of these tests is in UTC unless one says.
WEDNESDAY = datetime(2025, 6, 4, 10, 0, tzinfo=UTC)
MONDAY, THURSDAY = 0, 3


def ctx(at: datetime = WEDNESDAY, reason: str | None = None, zone: tzinfo = UTC) -> OperationContext:
    return OperationContext(at=at, zone=zone, device_id="till_1", operator_id="u_1", reason=reason)


def eur(minor: int) -> Money:
    return Money(minor, "EUR")


def new_card(**fields: object) -> GiftCard:
    return GiftCard(id="v_1", code="GC-TEST-CARD-0000-7XZP", currency="EUR", **fields)  # type: ignore[arg-type]


def sold(value: int = 5000, **fields: object) -> GiftCard:
    card = new_card(**fields)
    card.activate(eur(value), ctx())
    return card


def refused(call, *args, **kwargs) -> str:  # type: ignore[no-untyped-def]
    with pytest.raises(GiftCardError) as caught:
        call(*args, **kwargs)
    return caught.value.key


def figures(card: GiftCard) -> tuple[int, int, int, int, int]:
    return card.loaded, card.balance, card.redeemed, card.refunded, card.redemption_count


# ---- when a card may be used ----------------------------------------------------------------------------------

@pytest.mark.parametrize(
    ("fields", "key"),
    [
        ({"status": CardStatus.INACTIVE}, "voucher_not_active"),
        ({"status": CardStatus.DISABLED}, "voucher_disabled"),
        ({"status": CardStatus.FROZEN}, "voucher_frozen"),
        ({"expiration_date": WEDNESDAY}, "voucher_expired"),  # expiry is the first moment it no longer works
        ({"expiration_date": WEDNESDAY - timedelta(days=1)}, "voucher_expired"),
        ({"start_date": WEDNESDAY + timedelta(seconds=1)}, "voucher_not_active"),
        ({"validity": Validity(days=frozenset({MONDAY, THURSDAY}))}, "voucher_not_active_now"),
        ({"validity": Validity(start=time(12), end=time(18))}, "voucher_not_active_now"),
    ],
)
def test_a_card_that_may_not_be_used_now_says_why(fields: dict[str, object], key: str) -> None:
    card = new_card(balance=5000, loaded=5000, **{"status": CardStatus.ACTIVE, **fields})
    before = figures(card)
    assert refused(card.check_usable, WEDNESDAY, UTC) == key
    assert refused(card.redeem, eur(100), ctx()) == key
    assert figures(card) == before


def test_a_card_is_usable_from_its_start_until_just_before_its_expiry() -> None:
    card = sold(start_date=WEDNESDAY, expiration_date=WEDNESDAY + timedelta(days=30))
    card.check_usable(WEDNESDAY, UTC)
    card.check_usable(WEDNESDAY + timedelta(days=30, microseconds=-1), UTC)


@pytest.mark.parametrize(
    ("start", "end", "clock", "allowed"),
    [
        (time(9), time(17), time(8, 59), False),
        (time(9), time(17), time(9), True),
        (time(9), time(17), time(16, 59), True),
        (time(9), time(17), time(17), False),
        (time(22), time(2), time(21, 59), False),  # a window across midnight
        (time(22), time(2), time(22), True),
        (time(22), time(2), time(23, 59), True),
        (time(22), time(2), time(0), True),
        (time(22), time(2), time(1, 59), True),
        (time(22), time(2), time(2), False),
        (time(22), time(2), time(12), False),
    ],
)
def test_validity_hours(start: time, end: time, clock: time, allowed: bool) -> None:
    at = datetime.combine(WEDNESDAY.date(), clock, tzinfo=UTC)
    assert Validity(start=start, end=end).allows(at) is allowed


def test_validity_days_of_week() -> None:
    weekdays = Validity(days=frozenset(range(5)))
    assert weekdays.allows(WEDNESDAY)
    assert not weekdays.allows(WEDNESDAY + timedelta(days=3))  # Saturday
    assert Validity().allows(WEDNESDAY + timedelta(days=3))


def test_validity_is_judged_on_the_local_clock_of_the_time_given() -> None:
    evening_only = Validity(start=time(18), end=time(23))
    at_utc = datetime(2025, 6, 4, 17, 30, tzinfo=UTC)
    assert not evening_only.allows(at_utc)
    assert evening_only.allows(at_utc.astimezone(timezone(timedelta(hours=2))))  # 19:30 in the shop


@pytest.fixture
def till_in_tokyo() -> Iterator[None]:
    """The till's own time zone set to UTC+9 (a POSIX TZ string: no tz database needed)."""
    old = os.environ.get("TZ")
    os.environ["TZ"] = "JST-9"
    clock_time.tzset()
    yield
    if old is None:
        del os.environ["TZ"]
    else:
        os.environ["TZ"] = old
    clock_time.tzset()


@pytest.mark.usefixtures("till_in_tokyo")
def test_a_card_judges_days_and_hours_in_the_shops_time_zone_not_the_machines() -> None:
    berlin = shop_zone("Europe/Berlin")  # the shop; the machine deciding is in Tokyo (the fixture)
    card = sold(validity=Validity(days=frozenset({THURSDAY}), start=time(18), end=time(23)))
    # Thursday 17:00 UTC is Thursday 19:00 in Berlin (summer time), already Friday 02:00 in Tokyo
    card.check_usable(datetime(2025, 6, 5, 17, 0, tzinfo=UTC), berlin)
    card.redeem(eur(100), ctx(at=datetime(2025, 6, 5, 17, 0, tzinfo=UTC), zone=berlin))
    # Thursday 10:00 UTC is 12:00 in Berlin, before the evening window (19:00 in Tokyo, inside it there)
    assert refused(card.check_usable, datetime(2025, 6, 5, 10, 0, tzinfo=UTC), berlin) == "voucher_not_active_now"
    # 21:30 UTC is 23:30 in Berlin: the window has closed
    assert refused(card.check_usable, datetime(2025, 6, 5, 21, 30, tzinfo=UTC), berlin) == "voucher_not_active_now"
    # in winter Berlin is UTC+1: Thursday 2025-12-04 17:30 UTC is 18:30 there
    card.check_usable(datetime(2025, 12, 4, 17, 30, tzinfo=UTC), berlin)


# ---- redemption rules -----------------------------------------------------------------------------------------

def test_a_partial_redemption_takes_the_amount_and_records_it() -> None:
    card = sold(5000)
    entry = card.redeem(eur(1250), ctx())
    assert (entry.kind, entry.amount, entry.balance_after, entry.result) == (
        EntryKind.CREDITS_REDEMPTION, -1250, 3750, EntryResult.SUCCESS)
    assert figures(card) == (5000, 3750, 1250, 0, 1)


def test_the_whole_balance_can_be_redeemed_but_not_a_cent_more() -> None:
    card = sold(5000)
    assert refused(card.redeem, eur(5001), ctx()) == "gift_amount_exceeded"
    assert card.balance == 5000
    card.redeem(eur(5000), ctx())
    assert card.balance == 0
    assert refused(card.redeem, eur(1), ctx()) == "gift_amount_exceeded"


def test_a_redemption_in_another_currency_is_refused() -> None:
    card = sold(5000)
    assert refused(card.redeem, Money(100, "USD"), ctx()) == "currency_mismatch"
    assert card.balance == 5000


@pytest.mark.parametrize("minor", [0, -100])
def test_a_redemption_of_nothing_or_less_is_refused(minor: int) -> None:
    assert refused(sold().redeem, eur(minor), ctx()) == "invalid_amount"


def test_the_redemption_limit_counts_successful_redemptions() -> None:
    card = sold(5000, redemption_limit=2)
    card.redeem(eur(100), ctx())
    assert refused(card.redeem, eur(9999), ctx()) == "gift_amount_exceeded"  # a refusal does not count
    card.redeem(eur(100), ctx())
    assert refused(card.redeem, eur(100), ctx()) == "quantity_exceeded"
    assert card.balance == 4800


def test_the_minimum_order_is_checked_against_the_order_amount() -> None:
    card = sold(5000, min_order_amount=2000)
    assert refused(card.redeem, eur(500), ctx(), order_amount=1999) == "order_rules_violated"
    assert refused(card.redeem, eur(2500), ctx(), order_amount=0) == "order_rules_violated"  # 0 is an amount
    card.redeem(eur(500), ctx(), order_amount=2000)
    assert card.balance == 4500


def test_without_an_order_amount_the_redemption_itself_must_reach_the_minimum() -> None:
    card = sold(5000, min_order_amount=2000)
    assert refused(card.redeem, eur(1999), ctx()) == "order_rules_violated"
    card.redeem(eur(2000), ctx())


def test_a_failed_attempt_records_the_error_and_changes_nothing() -> None:
    card = sold(5000)
    before = figures(card)
    with pytest.raises(GiftCardError) as caught:
        card.redeem(eur(6000), ctx())
    entry = card.failed_attempt(EntryKind.CREDITS_REDEMPTION, -6000, caught.value, ctx())
    assert (entry.result, entry.error_key, entry.amount, entry.balance_after) == (
        EntryResult.FAILURE, "gift_amount_exceeded", -6000, 5000)
    assert card.apply(entry) is entry
    assert figures(card) == before
    assert entry.balance_delta == entry.loaded_delta == 0


# ---- selling, topping up, correcting --------------------------------------------------------------------------

def test_selling_activates_the_card_with_its_value() -> None:
    card = new_card()
    entry = card.activate(eur(5000), ctx())
    assert card.status is CardStatus.ACTIVE and card.activated_at == WEDNESDAY
    assert (entry.kind, entry.amount, entry.balance_after) == (EntryKind.CREDITS_ADDITION, 5000, 5000)
    assert figures(card) == (5000, 5000, 0, 0, 0)


def test_a_card_is_sold_only_once() -> None:
    card = sold(5000)
    assert refused(card.activate, eur(5000), ctx()) == "voucher_already_active"
    assert card.balance == 5000


@pytest.mark.parametrize(
    ("fields", "key"),
    [
        ({"status": CardStatus.DISABLED}, "voucher_disabled"),
        ({"status": CardStatus.FROZEN}, "voucher_frozen"),
        ({"expiration_date": WEDNESDAY}, "voucher_expired"),
    ],
)
def test_a_card_that_cannot_be_used_cannot_be_sold(fields: dict[str, object], key: str) -> None:
    card = new_card(**fields)
    assert refused(card.activate, eur(5000), ctx()) == key
    assert card.balance == 0 and card.status is not CardStatus.ACTIVE


def test_a_card_may_be_sold_before_its_start_date() -> None:
    card = new_card(start_date=WEDNESDAY + timedelta(days=7))
    card.activate(eur(5000), ctx())
    assert refused(card.redeem, eur(100), ctx()) == "voucher_not_active"


def test_top_up_adds_to_loaded_and_balance() -> None:
    card = sold(5000)
    entry = card.top_up(eur(2500), ctx())
    assert (entry.kind, entry.amount, entry.balance_after) == (EntryKind.CREDITS_ADDITION, 2500, 7500)
    assert figures(card) == (7500, 7500, 0, 0, 0)


@pytest.mark.parametrize(
    ("fields", "key"),
    [
        ({"status": CardStatus.INACTIVE}, "voucher_not_active"),
        ({"status": CardStatus.DISABLED}, "voucher_disabled"),
        ({"status": CardStatus.ACTIVE, "expiration_date": WEDNESDAY}, "voucher_expired"),
    ],
)
def test_top_up_refusals(fields: dict[str, object], key: str) -> None:
    card = new_card(**fields)
    assert refused(card.top_up, eur(1000), ctx()) == key
    assert card.balance == 0


def test_no_card_holds_more_than_the_maximum() -> None:
    card = sold(max_minor("EUR") - 100)
    assert refused(card.top_up, eur(101), ctx()) == "invalid_amount"
    assert refused(card.correct, eur(101), ctx(reason="typo")) == "invalid_amount"
    card.top_up(eur(100), ctx())
    assert card.balance == max_minor("EUR")


@pytest.mark.parametrize("reason", [None, "", "   "])
def test_a_correction_needs_a_reason(reason: str | None) -> None:
    card = sold(5000)
    assert refused(card.correct, eur(-100), ctx(reason=reason)) == "invalid_add_balance_params"
    assert card.balance == 5000


def test_a_correction_down_removes_from_loaded_and_balance() -> None:
    card = sold(5000)
    entry = card.correct(eur(-1500), ctx(reason="sold at the wrong value"))
    assert (entry.kind, entry.amount, entry.balance_after, entry.reason) == (
        EntryKind.CREDITS_REMOVAL, -1500, 3500, "sold at the wrong value")
    assert figures(card) == (3500, 3500, 0, 0, 0)


def test_a_correction_up_adds_to_loaded_and_balance() -> None:
    card = sold(5000)
    entry = card.correct(eur(700), ctx(reason="goodwill"))
    assert (entry.kind, entry.amount) == (EntryKind.CREDITS_ADDITION, 700)
    assert figures(card) == (5700, 5700, 0, 0, 0)


def test_a_correction_cannot_take_the_balance_below_zero() -> None:
    card = sold(5000)
    card.redeem(eur(4000), ctx())
    assert refused(card.correct, eur(-1001), ctx(reason="x")) == "gift_amount_exceeded"
    card.correct(eur(-1000), ctx(reason="x"))
    assert card.balance == 0 and card.invariant_holds()


@pytest.mark.parametrize("minor", [100, -100])
def test_a_correction_in_another_currency_is_refused(minor: int) -> None:
    card = sold(5000)
    assert refused(card.correct, Money(minor, "USD"), ctx(reason="x")) == "currency_mismatch"
    assert card.balance == 5000


def test_a_correction_of_zero_is_refused() -> None:
    assert refused(sold().correct, eur(0), ctx(reason="nothing")) == "invalid_amount"


# ---- refunds --------------------------------------------------------------------------------------------------

def redeemed(card: GiftCard, minor: int) -> Entry:
    return card.redeem(eur(minor), ctx())


def test_a_refund_gives_back_all_the_redemption_took() -> None:
    card = sold(5000)
    redemption = redeemed(card, 1200)
    entry = card.refund(redemption, ctx())
    assert (entry.kind, entry.amount, entry.balance_after, entry.refund_of) == (
        EntryKind.CREDITS_REFUND, 1200, 5000, redemption.id)
    assert figures(card) == (5000, 5000, 1200, 1200, 1)
    assert card.invariant_holds()


def test_a_partial_refund_gives_back_part() -> None:
    card = sold(5000)
    redemption = redeemed(card, 1200)
    card.refund(redemption, ctx(), eur(200))
    assert figures(card)[:4] == (5000, 4000, 1200, 200)


def test_a_refund_gives_back_at_most_what_the_redemption_took() -> None:
    card = sold(5000)
    redemption = redeemed(card, 1200)
    assert refused(card.refund, redemption, ctx(), eur(1201)) == "gift_amount_exceeded"
    assert card.balance == 3800


def test_a_redemption_refunded_in_full_cannot_be_refunded_again() -> None:
    card = sold(5000)
    redemption = redeemed(card, 1200)
    assert refused(card.refund, redemption, ctx(), refunded=1200) == "already_rolled_back"
    assert refused(card.refund, redemption, ctx(), eur(1), refunded=1200) == "already_rolled_back"
    assert card.balance == 3800


def test_a_redemption_is_refunded_in_parts_up_to_what_it_took() -> None:
    card = sold(5000)
    redemption = redeemed(card, 1200)
    first = card.refund(redemption, ctx(), eur(500))
    second = card.refund(redemption, ctx(), eur(300), refunded=500)
    assert (first.amount, second.amount, second.refund_of) == (500, 300, redemption.id)
    assert refused(card.refund, redemption, ctx(), eur(401), refunded=800) == "gift_amount_exceeded"
    rest = card.refund(redemption, ctx(), refunded=800)  # no amount: all that is left
    assert rest.amount == 400
    assert figures(card) == (5000, 5000, 1200, 1200, 1)
    assert card.invariant_holds()


@given(took=st.integers(1, 100_000), asked=st.lists(st.none() | st.integers(1, 120_000), max_size=12))
def test_part_refunds_never_give_back_more_than_the_redemption_took(took: int, asked: list[int | None]) -> None:
    """Whatever parts are asked for, in whatever order, the successful refunds of a redemption add up to at most
    what it took; each refusal is ``already_rolled_back`` (nothing left) or ``gift_amount_exceeded``."""
    card = sold(100_000)
    redemption = redeemed(card, took)
    given_back = 0
    for amount in asked:
        left = took - given_back
        try:
            entry = card.refund(redemption, ctx(), None if amount is None else eur(amount), refunded=given_back)
        except GiftCardError as exc:
            assert exc.key == ("already_rolled_back" if left == 0 else "gift_amount_exceeded")
            assert amount is not None or left == 0
            continue
        assert 0 < entry.amount <= left and (amount is None or entry.amount == amount)
        given_back += entry.amount
        assert given_back <= took
    assert card.refunded == given_back <= took and card.invariant_holds()


def test_only_a_successful_redemption_of_this_card_can_be_refunded() -> None:
    card = sold(5000)
    other = sold(5000)
    other.id = "v_2"
    assert refused(card.refund, redeemed(other, 100), ctx()) == "not_found"
    assert refused(card.refund, card.top_up(eur(100), ctx()), ctx()) == "not_found"
    failure = card.failed_attempt(EntryKind.CREDITS_REDEMPTION, -9999,
                                  GiftCardError(), ctx())
    assert refused(card.refund, failure, ctx()) == "invalid_payload"
    assert card.balance == 5100


# ---- disabling and enabling -----------------------------------------------------------------------------------

def test_enabling_a_sold_card_makes_it_active_again() -> None:
    card = sold(5000)
    card.disable()
    assert card.status is CardStatus.DISABLED
    card.enable()
    assert card.status is CardStatus.ACTIVE
    card.redeem(eur(100), ctx())


def test_enabling_an_unsold_card_leaves_it_waiting_to_be_sold() -> None:
    card = new_card()
    card.disable()
    card.enable()
    assert card.status is CardStatus.INACTIVE
    assert refused(card.redeem, eur(100), ctx()) == "voucher_not_active"


def test_disabling_twice_or_enabling_an_enabled_card_is_refused() -> None:
    card = sold()
    assert refused(card.enable) == "invalid_payload"
    card.disable()
    assert refused(card.disable) == "voucher_disabled"


def test_a_card_belongs_to_one_customer() -> None:
    card = sold()
    card.publish("cust_1")
    card.publish("cust_1")
    assert refused(card.publish, "cust_2") == "voucher_already_published"
    assert card.customer_id == "cust_1"


def test_a_card_expiring_on_a_day_is_usable_all_that_day() -> None:
    shop = timezone(timedelta(hours=2))
    expiry = expiry_end_of_day(date(2027, 12, 31), shop)
    card = sold(expiration_date=expiry)
    card.check_usable(datetime(2027, 12, 31, 23, 59, 59, tzinfo=shop), shop)
    assert refused(card.check_usable, datetime(2028, 1, 1, 0, 0, tzinfo=shop), shop) == "voucher_expired"


def test_a_card_of_a_disabled_campaign_is_neither_sold_nor_redeemed_until_it_is_enabled() -> None:
    card = sold(5000, campaign_id="camp_1")
    card.campaign_enabled = False
    assert refused(card.redeem, eur(100), ctx()) == "voucher_disabled"
    assert figures(card) == figures(sold(5000, campaign_id="camp_1"))
    unsold = new_card(campaign_id="camp_1", campaign_enabled=False)
    assert refused(unsold.activate, eur(5000), ctx()) == "voucher_disabled"
    card.campaign_enabled = True
    assert card.redeem(eur(100), ctx()).balance_after == 4900
