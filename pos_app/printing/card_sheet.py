"""Printable gift cards: what one card shows (the layout of sheets is added beside it)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from pos_app.domain.money import Money


@dataclass(frozen=True, slots=True, kw_only=True)
class CardFace:
    """One printable card: its whole code (as QR and Code128, and in text), amount, expiry and the shop's name.
    Card sheets are the one place a whole code is printed: they are the cards themselves."""

    code: str
    amount: Money
    expires: date | None
    shop_name: str
    campaign: str
