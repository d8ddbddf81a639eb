"""Receipts for the printing tests: one made the way the till makes them (a card's operation → its entry →
:func:`receipt_for`), and :func:`sample` for a receipt with any field changed."""

from __future__ import annotations

import dataclasses
from datetime import UTC, datetime
from typing import Any

from pos_app.domain.cards import GiftCard, OperationContext
from pos_app.domain.money import Money
from pos_app.printing.receipt import Receipt, ReceiptKind

CODE = "GC-7XZP-ABCD-EFGH-JKMN"
ENTRY_ID = "3f2a9c1e-1234-4abc-9def-0123456789ab"
AT = datetime(2026, 3, 12, 13, 5, 9, tzinfo=UTC)


def context(**changes: Any) -> OperationContext:
    return OperationContext(**{"at": AT, "zone": UTC, "device_id": "till-1", "operator_id": "u-alice", **changes})


def sold_card(value: int = 5000, currency: str = "EUR") -> GiftCard:
    card = GiftCard(id="v-1", code=CODE, currency=currency)
    card.activate(Money(value, currency), context())
    return card


def sample(**changes: Any) -> Receipt:
    """A redemption of 12.50 EUR leaving 37.50 EUR, at a shop with an accented name."""
    base = Receipt(
        shop_name="Café Zoë", shop_lines=("12 Rue de la Paix", "75002 Paris"), till_id="till-1", cashier="Alice",
        at=AT, entry_id=ENTRY_ID, masked_code="•••• JKMN", kind=ReceiptKind.REDEMPTION,
        amount=Money(1250, "EUR"), balance=Money(3750, "EUR"), footer=("Thank you!",), locale="en_GB",
    )
    return dataclasses.replace(base, **changes)
