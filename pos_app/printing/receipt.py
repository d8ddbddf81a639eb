"""The receipt: what a customer takes home, built only from what was committed (DESIGN.md §9).

A plain frozen model; every renderer (text, ESC/POS, Qt/PDF) draws the same fields, and each must show the
remaining balance. Amounts are :class:`~pos_app.domain.money.Money` (integer minor units); they are formatted
for ``locale`` by the renderer, at the edge. The code is masked: a receipt never carries a whole code.

:func:`receipt_for` is the one way from a committed :class:`~pos_app.domain.ledger.Entry` to a receipt, so that
the text, ESC/POS and PDF receipts of one operation cannot disagree about what it was.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, tzinfo
from enum import StrEnum

from pos_app.domain.cards import GiftCard
from pos_app.domain.codes import mask
from pos_app.domain.ledger import Addition, Entry, EntryKind, EntryStatus, PaymentMethod, addition_kind
from pos_app.domain.money import Money
from pos_app.domain.shop_time import last_day, local


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
    ``balance`` is what is left on the card after it; a sale's also says what the customer paid (``price``) and
    how (``payment``). ``provisional``: an offline redemption not yet confirmed by the central server (the receipt
    says so). ``at`` is timezone-aware, in the shop's time zone (renderers show it as it is); ``expires`` is the
    last day the card may be used, in the shop's time zone."""

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
    price: Money | None = None  # a sale's: what the customer paid for the card (``amount`` is its value)
    payment: PaymentMethod | None = None  # a sale's: how

    @property
    def lookup_payload(self) -> str:
        """What the receipt's QR code holds: the entry id, which is what a refund asks for — never the card code."""
        return self.entry_id


def receipt_for(
    entry: Entry,
    card: GiftCard,
    *,
    shop_name: str,
    shop_lines: Sequence[str] = (),
    cashier: str | None = None,
    footer: Sequence[str] = (),
    locale: str = "en_GB",
    kind: ReceiptKind | None = None,
    zone: tzinfo = UTC,
    code_tail: str = "",
) -> Receipt:
    """The receipt of a committed ``entry`` on ``card`` (the card as it stands after the entry).

    ``code_tail``: what every code of the card's campaign ends with (``Campaign.code_tail``); the masked code
    shows the characters before it, which tell one card from another.

    The kind follows the entry: a redemption, a refund, a removal (a correction down). A ``CREDITS_ADDITION`` is
    the sale when it records how it was paid (``payment``; an online sale's entry is dated by the till's clock
    and the card activated by the server's, so the times do not tell), or when it is the card's activation —
    :meth:`GiftCard.activate` stamps ``activated_at`` with the time of its entry — and a top-up otherwise. A
    correction *up* is also a ``CREDITS_ADDITION`` and nothing on a receipt's entry tells it from a top-up of
    the days before prices were kept, so the correction screen passes ``kind=ReceiptKind.CORRECTION``.
    ``cashier`` is the name to print; without it the operator id is shown.
    ``zone``: the shop's time zone, in which the time and the card's last day are printed.

    A failed attempt moved no money and gets no receipt (``ValueError``), nor does an entry of another card.
    """
    if not entry.succeeded:
        raise ValueError(f"entry {entry.id} is a refused attempt ({entry.error_key}): it has no receipt")
    if entry.card_id != card.id or entry.currency != card.currency:
        raise ValueError(f"entry {entry.id} is not an entry of card {card.masked}")
    kind = kind or _kind(entry, card)
    minor = entry.amount if kind is ReceiptKind.CORRECTION else abs(entry.amount)
    expires = None if card.expiration_date is None else last_day(card.expiration_date, zone)
    return Receipt(
        shop_name=shop_name,
        shop_lines=tuple(shop_lines),
        till_id=entry.device_id,
        cashier=cashier if cashier is not None else entry.operator_id,
        at=local(entry.created_at, zone),
        entry_id=str(entry.id),
        masked_code=mask(entry.code, tail=code_tail),
        kind=kind,
        amount=Money(minor, entry.currency),
        balance=Money(entry.balance_after, entry.currency),
        expires=expires,
        order_ref=entry.order_ref,
        reason=entry.reason,
        provisional=entry.status is EntryStatus.PROVISIONAL,
        footer=tuple(footer),
        locale=locale,
        price=None if entry.price is None else Money(entry.price, entry.currency),
        payment=entry.payment,
    )


def _kind(entry: Entry, card: GiftCard) -> ReceiptKind:
    if entry.kind is EntryKind.CREDITS_REDEMPTION:
        return ReceiptKind.REDEMPTION
    if entry.kind is EntryKind.CREDITS_REFUND:
        return ReceiptKind.REFUND
    if entry.kind is EntryKind.CREDITS_REMOVAL:
        return ReceiptKind.CORRECTION
    if addition_kind(price=entry.price, payment=entry.payment, reason=None) is Addition.SALE:
        return ReceiptKind.SALE  # (a sale authorised online: the server's clock activated the card, the till's
    if card.activated_at is not None and card.activated_at == entry.created_at:  # dated the entry)
        return ReceiptKind.SALE
    return ReceiptKind.TOP_UP
