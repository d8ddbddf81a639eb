"""From a committed entry to its receipt: kind, amounts, balance, mark and mask come from what was committed."""

from __future__ import annotations

import dataclasses
import time
from datetime import UTC, date, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from pos_app.domain import errors
from pos_app.domain.cards import GiftCard
from pos_app.domain.ledger import Entry, EntryKind, EntryStatus
from pos_app.domain.money import Money
from pos_app.domain.shop_time import expiry_end_of_day
from pos_app.printing.receipt import Receipt, ReceiptKind, receipt_for
from tests.printing.receipts import AT, CODE, context, sold_card


def receipt(entry: Entry, card: GiftCard, **kw: Any) -> Receipt:
    return receipt_for(entry, card, shop_name="Café Zoë", **kw)


def test_selling_a_card_is_a_sale_with_its_value_as_the_balance() -> None:
    card = GiftCard(id="v-1", code=CODE, currency="EUR")
    entry = card.activate(Money(5000, "EUR"), context())
    r = receipt(entry, card, cashier="Alice", footer=("Thanks",))
    assert (r.kind, r.amount, r.balance) == (ReceiptKind.SALE, Money(5000, "EUR"), Money(5000, "EUR"))
    assert (r.till_id, r.cashier, r.at, r.entry_id, r.footer) == ("till-1", "Alice", AT, str(entry.id), ("Thanks",))


def test_a_top_up_later_is_a_top_up_even_from_an_empty_card() -> None:
    card = sold_card(5000)
    card.redeem(Money(5000, "EUR"), context(at=AT + timedelta(minutes=1)))
    entry = card.top_up(Money(2000, "EUR"), context(at=AT + timedelta(minutes=2)))
    assert receipt(entry, card).kind is ReceiptKind.TOP_UP
    assert receipt(entry, card).balance == Money(2000, "EUR")


def test_a_redemption_shows_what_it_took_as_a_positive_amount_and_what_is_left() -> None:
    card = sold_card(5000)
    entry = card.redeem(Money(1250, "EUR"), context(order_ref="ORD-7"))
    r = receipt(entry, card)
    assert (r.kind, r.amount, r.balance, r.order_ref) == (
        ReceiptKind.REDEMPTION, Money(1250, "EUR"), Money(3750, "EUR"), "ORD-7")


def test_a_refund_gives_back_what_the_redemption_took() -> None:
    card = sold_card(5000)
    redemption = card.redeem(Money(1250, "EUR"), context())
    entry = card.refund(redemption, context(reason="changed mind"))
    r = receipt(entry, card)
    assert (r.kind, r.amount, r.balance, r.reason) == (
        ReceiptKind.REFUND, Money(1250, "EUR"), Money(5000, "EUR"), "changed mind")


def test_a_correction_keeps_its_sign() -> None:
    card = sold_card(5000)
    down = card.correct(Money(-700, card.currency), context(reason="miscount"))
    assert down.kind is EntryKind.CREDITS_REMOVAL
    r = receipt(down, card)
    assert (r.kind, r.amount, r.balance) == (ReceiptKind.CORRECTION, Money(-700, "EUR"), Money(4300, "EUR"))
    up = card.correct(Money(300, card.currency), context(at=AT + timedelta(minutes=1), reason="miscount"))
    r = receipt(up, card, kind=ReceiptKind.CORRECTION)  # an addition: only the caller knows it is a correction
    assert (r.kind, r.amount, r.balance) == (ReceiptKind.CORRECTION, Money(300, "EUR"), Money(4600, "EUR"))


def test_the_code_is_masked_and_an_offline_entry_is_provisional() -> None:
    card = sold_card(5000)
    entry = dataclasses.replace(card.redeem(Money(100, "EUR"), context()), status=EntryStatus.PROVISIONAL)
    r = receipt(entry, card)
    assert r.provisional
    assert r.masked_code == "•••• JKMN"
    assert CODE not in repr(r)
    assert r.lookup_payload == str(entry.id)
    assert not receipt(dataclasses.replace(entry, status=EntryStatus.CONFIRMED), card).provisional


def test_without_a_cashier_name_the_operator_is_named() -> None:
    card = sold_card()
    assert receipt(card.redeem(Money(100, "EUR"), context()), card).cashier == "u-alice"


def test_the_last_valid_day_is_shown_not_the_midnight_after_it() -> None:
    card = sold_card()
    card.expiration_date = expiry_end_of_day(AT.date() + timedelta(days=365), UTC)
    assert receipt(card.redeem(Money(100, "EUR"), context()), card).expires == AT.date() + timedelta(days=365)


def test_a_failed_attempt_has_no_receipt() -> None:
    card = sold_card(500)
    failed = card.failed_attempt(EntryKind.CREDITS_REDEMPTION, -900, errors.GiftAmountExceeded("too much"),
                                 context())
    with pytest.raises(ValueError, match="refused attempt"):
        receipt(failed, card)


def test_an_entry_of_another_card_has_no_receipt_on_this_one() -> None:
    card, other = sold_card(), GiftCard(id="v-2", code="GC-OTHER", currency="EUR")
    with pytest.raises(ValueError, match="not an entry of card"):
        receipt(card.redeem(Money(100, "EUR"), context()), other)


@pytest.mark.parametrize(("last", "zone"), [("2027-06-30", "America/New_York"), ("2027-12-31", "America/New_York"),
                                            ("2027-12-31", "Asia/Tokyo")])
def test_the_last_valid_day_and_the_time_are_the_shops_whatever_the_machines(
        last: str, zone: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TZ", "Pacific/Kiritimati")  # the machine printing, UTC+14: east of every shop
    time.tzset()
    try:
        shop = ZoneInfo(zone)
        card = sold_card()
        card.expiration_date = expiry_end_of_day(date.fromisoformat(last), shop)
        r = receipt(card.redeem(Money(100, "EUR"), context()), card, zone=shop)
        assert r.expires == date.fromisoformat(last)
        assert r.at == AT and r.at.tzinfo == shop  # printed as the shop's clock showed it
    finally:
        monkeypatch.undo()
        time.tzset()
