"""The plain-text receipt: every field, at every width from 24 to 48 columns, in the customer's locale."""

from __future__ import annotations

import time
from collections.abc import Iterator
from datetime import date
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pos_app.domain.money import Money
from pos_app.printing.receipt import ReceiptKind
from pos_app.printing.text import LABELS, cells, clean, render_text
from tests.printing.receipts import AT, ENTRY_ID, sample

WIDTHS = range(24, 49)


def lines(text: str) -> list[str]:
    return text.split("\n")


@pytest.fixture
def machine_in_new_york() -> Iterator[None]:
    """The machine's own zone, which a receipt must not follow: it prints the shop's."""
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("TZ", "America/New_York")
        time.tzset()
        yield
    time.tzset()


@pytest.mark.parametrize("columns", WIDTHS)
def test_no_line_is_wider_than_the_paper_and_the_balance_is_there(columns: int) -> None:
    text = render_text(sample(shop_name="Boulangerie-Pâtisserie du Marché Saint-Honoré", cashier="Marie-Christine",
                              reason="A long reason " * 6, footer=("Gift cards are valid three years. " * 3,)),
                       columns)
    assert max(cells(line) for line in lines(text)) <= columns
    assert "Remaining balance" in text
    assert "€37.50" in text and "€12.50" in text


@pytest.mark.parametrize("columns", [24, 32, 48])
def test_amount_and_balance_are_flush_right(columns: int) -> None:
    text = lines(render_text(sample(), columns))
    assert any(line.startswith("Amount paid") and line.endswith("€12.50") and len(line) == columns for line in text)
    assert any(line.endswith("€37.50") and len(line) == columns for line in text)


def test_a_long_shop_name_wraps_centred_and_loses_nothing() -> None:
    name = "Boulangerie-Pâtisserie du Marché Saint-Honoré et Fils"
    head = lines(render_text(sample(shop_name=name), 24))[:4]
    assert all(cells(line) <= 24 for line in head)
    assert head[0].startswith(" ")  # centred
    assert "".join(head).replace(" ", "").startswith(name.replace(" ", ""))


def test_the_entry_id_is_shown_short_and_whole() -> None:
    text = render_text(sample(), 24)
    assert "Entry" in text and ENTRY_ID[:8] in text
    assert ENTRY_ID in text.replace("\n", "")
    assert "3f2a9c1e-1234-4abc-9def-\n0123456789ab" in text  # broken between its groups


def test_provisional_mark_only_on_offline_receipts() -> None:
    assert "PROVISIONAL — offline, to be confirmed" in render_text(sample(provisional=True), 48)
    assert "PROVISIONAL" not in render_text(sample(), 48)


@pytest.mark.parametrize(("locale", "amount", "balance"), [
    ("en_GB", "€12.50", "€37.50"),
    ("de_DE", "12,50 €", "37,50 €"),
    ("fr_FR", "12,50 €", "37,50 €"),
])
def test_amounts_in_the_customers_locale(locale: str, amount: str, balance: str) -> None:
    text = render_text(sample(locale=locale), 32)
    assert amount in text and balance in text


def test_large_amounts_group_thousands_by_locale() -> None:
    text = render_text(sample(locale="fr_FR", balance=Money(123456789, "EUR")), 32)
    assert "1 234 567,89 €" in text  # Babel's narrow no-break spaces shown as spaces


def test_date_in_the_shops_time_for_the_locale(machine_in_new_york: None) -> None:
    in_berlin = AT.astimezone(ZoneInfo("Europe/Berlin"))  # as ``receipt_for`` gives it, in the shop's zone
    assert "12 Mar 2026, 14:05:09" in render_text(sample(at=in_berlin), 32)
    assert "12.03.2026, 14:05:09" in render_text(sample(at=in_berlin, locale="de_DE"), 32)


def test_optional_lines_appear_only_when_given() -> None:
    text = render_text(sample(order_ref="ORD-7", reason="wrong amount", expires=date(2027, 12, 31)), 48)
    assert "Order" in text and "ORD-7" in text and "Reason: wrong amount" in text
    assert "Valid until" in text and "31 Dec 2027" in text
    bare = render_text(sample(cashier=None), 48)
    assert "Order" not in bare and "Reason" not in bare and "Cashier" not in bare and "Valid until" not in bare


@pytest.mark.parametrize(("kind", "title", "label", "amount"), [
    (ReceiptKind.SALE, "GIFT CARD SOLD", "Card value", "€12.50"),
    (ReceiptKind.TOP_UP, "GIFT CARD TOP-UP", "Amount added", "€12.50"),
    (ReceiptKind.REFUND, "REFUND TO GIFT CARD", "Amount refunded", "€12.50"),
    (ReceiptKind.CORRECTION, "BALANCE CORRECTION", "Correction", "+€12.50"),
])
def test_each_kind_says_what_happened(kind: ReceiptKind, title: str, label: str, amount: str) -> None:
    text = render_text(sample(kind=kind), 32)
    assert title in text
    assert any(line.startswith(label) and line.endswith(amount) for line in lines(text))


def test_a_correction_down_shows_its_minus_sign_and_a_balance_check_no_amount() -> None:
    assert "-€12.50" in render_text(sample(kind=ReceiptKind.CORRECTION, amount=Money(-1250, "EUR")), 32)
    check = render_text(sample(kind=ReceiptKind.BALANCE, amount=Money(0, "EUR")), 32)
    assert "€0.00" not in check and "€37.50" in check


def test_labels_can_be_translated_in_one_place() -> None:
    text = render_text(sample(locale="de_DE"), 32, labels={"balance": "Restguthaben", "amount.redemption": "Bezahlt"})
    assert any(line.startswith("Restguthaben") and line.endswith("37,50 €") for line in lines(text))
    assert "Remaining balance" not in text
    assert set(LABELS) >= {"balance", "provisional", "entry"}


def test_fewer_than_24_columns_is_refused() -> None:
    with pytest.raises(ValueError, match="24 columns"):
        render_text(sample(), 23)


def test_wide_characters_count_twice() -> None:
    text = render_text(sample(shop_name="東京ギフトカード専門店 本店"), 24)
    assert all(cells(line) <= 24 for line in lines(text))
    assert "東京" in text


odd_text = st.text(st.characters(codec="utf-8", exclude_categories=["Cs"]), max_size=200)


@settings(max_examples=150, deadline=None)
@given(name=odd_text, footer=st.lists(odd_text, max_size=3), reason=st.none() | odd_text,
       columns=st.integers(24, 48))
def test_odd_names_and_footers_never_overflow_and_are_never_cut(name: str, footer: list[str], reason: str | None,
                                                              columns: int) -> None:
    text = render_text(sample(shop_name=name, footer=tuple(footer), reason=reason), columns)
    assert all(cells(line) <= columns for line in lines(text))
    flat = text.replace(" ", "").replace("\n", "")
    for part in (name, *footer):
        assert clean(part).replace(" ", "") in flat
