"""The receipt: what a customer takes home, built only from what was committed (DESIGN.md §9).

A plain frozen model; every renderer (text, ESC/POS, Qt/PDF) draws the same fields, and each must show the
remaining balance. Amounts are :class:`~pos_app.domain.money.Money` (integer minor units); they are formatted
for ``locale`` by the renderer, at the edge. The code is masked: a receipt never carries a whole code.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum

from pos_app.domain.money import Money


class ReceiptKind(StrEnum):
    SALE = "sale"  # a card sold and activated
    REDEMPTION = "redemption"
    TOP_UP = "top_up"
    REFUND = "refund"  # a redemption rolled back
    CORRECTION = "correction"  # a manager's balance correction (signed amount)
    BALANCE = "balance"  # a balance check: no money moved


@dataclass(frozen=True, slots=True, kw_only=True)
class Receipt:
    """One receipt. ``amount`` is what this operation moved (positive, except a correction's signed amount);
    ``balance`` is what is left on the card after it. ``provisional``: an offline redemption not yet confirmed
    by the central server (the receipt says so). ``at`` is timezone-aware; renderers show it in local time."""

    shop_name: str
    shop_lines: tuple[str, ...] = ()  # address, phone, VAT number: as the shop's settings give them
    till_id: str
    cashier: str | None
    at: datetime
    entry_id: str
    masked_code: str
    kind: ReceiptKind
    amount: Money
    balance: Money
    expires: date | None = None
    order_ref: str | None = None
    reason: str | None = None
    provisional: bool = False
    footer: tuple[str, ...] = ()
    locale: str = "en_GB"
