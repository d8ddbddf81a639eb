"""Ledger entries: every change of a card's value is one immutable entry (Voucherify's transaction types)."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum


class EntryKind(StrEnum):
    CREDITS_ADDITION = "CREDITS_ADDITION"  # activation with the initial value, top-up, correction up
    CREDITS_REMOVAL = "CREDITS_REMOVAL"  # manager correction down (reason required)
    CREDITS_REDEMPTION = "CREDITS_REDEMPTION"  # a payment with the card
    CREDITS_REFUND = "CREDITS_REFUND"  # rollback of a redemption


class PaymentMethod(StrEnum):
    """How the customer paid for a card sold at the counter."""

    CASH = "cash"
    CARD = "card"
    OTHER = "other"


class EntryResult(StrEnum):
    SUCCESS = "SUCCESS"
    FAILURE = "FAILURE"


class EntryStatus(StrEnum):
    """Where the entry stands with the central server. Standalone tills keep ``local`` forever."""

    LOCAL = "local"  # not yet acknowledged by a server (or no server)
    CONFIRMED = "confirmed"
    PROVISIONAL = "provisional"  # made offline, within the offline limits
    CONFLICT = "conflict"


#: Which kinds move the loaded amount (gift.amount) besides the balance.
LOADING_KINDS = frozenset({EntryKind.CREDITS_ADDITION, EntryKind.CREDITS_REMOVAL})


#: The reason of the ``CREDITS_REDEMPTION`` that an import writes for the balance a card had already used in
#: another system, so that loaded - redeemed + refunded = balance holds. It is no payment made at a till: the
#: redemption reports leave it out (it stays in the card's redeemed total, the liability and the ledger exports).
USED_BEFORE_IMPORT = "import: redeemed before import"


def new_entry_id() -> uuid.UUID:
    return uuid.uuid4()


@dataclass(frozen=True, slots=True, kw_only=True)
class Entry:
    """One line of a card's ledger.

    ``amount`` is signed minor units (redemptions and removals negative); a FAILURE entry records an attempt
    that changed nothing (its ``amount`` is what was attempted, ``balance_after`` the unchanged balance).
    ``id`` is made where the entry happened and is the idempotency key end to end.
    A sale (the card's activation) records what the customer paid, ``price`` (minor units of the entry's
    currency; it may be below the value put on the card, e.g. a promotion) and how, ``payment``; a top-up records
    its price (the amount put on the card) without a payment. Every other entry has neither, and so have sales
    and top-ups recorded before tills kept them. (That is how a day's report tells a top-up from a correction
    up, both ``CREDITS_ADDITION``: see :func:`addition_kind`.)
    """

    id: uuid.UUID = field(default_factory=new_entry_id)
    card_id: str
    code: str
    kind: EntryKind
    amount: int
    currency: str
    balance_after: int
    created_at: datetime
    device_id: str
    operator_id: str | None
    device_seq: int = 0  # assigned by the store, in the transaction that writes the entry
    result: EntryResult = EntryResult.SUCCESS
    error_key: str | None = None
    order_ref: str | None = None
    reason: str | None = None
    refund_of: uuid.UUID | None = None
    override_by: str | None = None
    status: EntryStatus = EntryStatus.LOCAL
    server_seq: int | None = None
    price: int | None = None
    payment: PaymentMethod | None = None

    @property
    def succeeded(self) -> bool:
        return self.result is EntryResult.SUCCESS

    @property
    def is_used_before_import(self) -> bool:
        """The stand-in for balance an imported card had used elsewhere (see :data:`USED_BEFORE_IMPORT`)."""
        return self.kind is EntryKind.CREDITS_REDEMPTION and self.reason == USED_BEFORE_IMPORT

    @property
    def loaded_delta(self) -> int:
        """How much this entry changed the loaded amount (``gift.amount``)."""
        return self.amount if self.succeeded and self.kind in LOADING_KINDS else 0

    @property
    def balance_delta(self) -> int:
        return self.amount if self.succeeded else 0


def running_balances(balance: int, newest_first: list[Entry]) -> list[int]:
    """The card's balance after each of ``newest_first`` (a card's latest entries in ledger order, newest first)
    when it now holds ``balance``: so that the newest row agrees with the card.

    An entry's own ``balance_after`` is the balance *as seen where it happened*: an offline till saw the card
    without the other tills' entries, and the server orders them otherwise (``server_seq``). A history shows
    these running figures instead, worked back from the card."""
    out: list[int] = []
    for entry in newest_first:
        out.append(balance)
        balance -= entry.balance_delta
    return out


class Addition(StrEnum):
    """What a ``CREDITS_ADDITION`` was, for a day's report."""

    SALE = "sale"
    TOP_UP = "top_up"
    CORRECTION = "correction"


def addition_kind(*, price: int | None, payment: PaymentMethod | str | None, reason: str | None) -> Addition:
    """A sale records its payment; a top-up its price but no payment; a correction up neither, and always a
    reason. Entries from before prices were kept: without a reason, a sale or a top-up (reported as a top-up);
    with one, a correction (a top-up with a reason of those days is reported as one too)."""
    if payment is not None:
        return Addition.SALE
    if price is not None or not reason:
        return Addition.TOP_UP
    return Addition.CORRECTION
