"""The gift card and its rules. Every value change goes through a method here that returns the Entry to write.

State: ``inactive`` until sold and paid, ``active``, ``disabled`` (lost, or by a manager), ``frozen`` after an
overdraft found at sync. The cached figures ``loaded``, ``balance``, ``redeemed`` and ``refunded`` are only ever
changed together with an entry (see :meth:`GiftCard.apply`), so that for every card
``loaded − redeemed + refunded = balance`` holds and can be recomputed from the entries.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from datetime import UTC, datetime, time, tzinfo
from enum import StrEnum
from typing import Any

from pos_app.domain import errors
from pos_app.domain.codes import fixed_tail, mask
from pos_app.domain.ledger import Entry, EntryKind, EntryResult
from pos_app.domain.money import Money, max_minor, require_positive
from pos_app.domain.shop_time import first_day, last_day
from pos_app.domain.validation_rules import Facts, Order, ValidationRule, check_rules


class CardStatus(StrEnum):
    INACTIVE = "inactive"
    ACTIVE = "active"
    DISABLED = "disabled"
    FROZEN = "frozen"


@dataclass(frozen=True, slots=True)
class Validity:
    """When a card may be used besides its start and expiry dates: days of week (0 = Monday) and local hours."""

    days: frozenset[int] | None = None
    start: time | None = None
    end: time | None = None

    def allows(self, at: datetime) -> bool:
        """Whether ``at`` (the shop's local time) is inside the card's days and hours.

        Hours: from ``start`` (inclusive) to ``end`` (exclusive); only a start means "from then on", only an
        end "until then"; ``start == end`` means the whole day; an end before the start spans midnight, and
        the hours after midnight still belong to the day the window opened on.
        """
        clock = at.time().replace(tzinfo=None)
        day = at.weekday()
        start, end = self.start, self.end
        if start is not None and end is not None and end < start:  # spans midnight
            if clock < end:
                day = (day - 1) % 7  # after midnight: the window opened the day before
            elif clock < start:
                return False
        elif start != end and (
            (start is not None and clock < start) or (end is not None and clock >= end)
        ):
            return False
        return self.days is None or day in self.days


@dataclass(slots=True, kw_only=True)
class GiftCard:
    id: str
    code: str
    currency: str
    campaign_id: str | None = None
    campaign_enabled: bool = True  # False: head office has disabled its campaign (filled by whoever loads the card)
    status: CardStatus = CardStatus.INACTIVE
    loaded: int = 0
    balance: int = 0
    redeemed: int = 0
    refunded: int = 0
    redemption_count: int = 0
    redemption_limit: int | None = None
    initial_amount: int | None = None  # the value it is sold with, from its campaign
    start_date: datetime | None = None
    expiration_date: datetime | None = None
    validity: Validity = field(default_factory=Validity)
    min_order_amount: int | None = None
    customer_id: str | None = None
    category: str | None = None
    metadata: dict[str, Any] = field(default_factory=dict)
    activated_at: datetime | None = None
    created_at: datetime | None = None
    version: int = 0
    #: The validation rules assigned to the card or its campaign, filled by whoever loads the card (the till's
    #: store, the server's); not part of the card's own state (``version``).
    rules: tuple[ValidationRule, ...] = ()

    # ---- queries -------------------------------------------------------------------------------------------

    @property
    def money_balance(self) -> Money:
        return Money(self.balance, self.currency)

    def is_expired(self, at: datetime) -> bool:
        return self.expiration_date is not None and at >= self.expiration_date

    def check_usable(self, at: datetime, zone: tzinfo) -> None:
        """Raise the reason this card cannot be redeemed at ``at`` (status, dates, validity), if any. ``zone``:
        the shop's time zone, in which its days, hours and dates are read (``OperationContext.zone``)."""
        if self.status is CardStatus.DISABLED:
            raise errors.VoucherDisabled(f"card {self.masked} is disabled")
        if self.status is CardStatus.FROZEN:
            raise errors.VoucherFrozen(f"card {self.masked} is frozen")
        if self.status is CardStatus.INACTIVE:
            raise errors.VoucherNotActive(f"card {self.masked} has not been sold and activated")
        self.check_campaign_enabled()
        self.check_not_expired(at, zone)
        if self.start_date is not None and at < self.start_date:
            raise errors.VoucherNotActive(f"card {self.masked} is valid from {first_day(self.start_date, zone)}")
        if not self.validity.allows(at.astimezone(zone)):  # days and hours are the shop's local time
            raise errors.VoucherNotActiveNow(f"card {self.masked} cannot be used at this day or hour")

    def check_campaign_enabled(self) -> None:
        """A card of a campaign head office has disabled is neither sold nor redeemed until it is enabled again."""
        if not self.campaign_enabled:
            raise errors.VoucherDisabled(f"the campaign of card {self.masked} is disabled")

    def check_not_expired(self, at: datetime, zone: tzinfo) -> None:
        if self.expiration_date is not None and self.is_expired(at):
            raise errors.VoucherExpired(
                f"card {self.masked} was valid until {last_day(self.expiration_date, zone)}")

    @property
    def masked(self) -> str:
        return mask(self.code)

    # ---- commands: each returns the entry that records it ---------------------------------------------------

    def _entry(self, kind: EntryKind, amount: int, ctx: OperationContext, **extra: Any) -> Entry:
        return Entry(
            card_id=self.id, code=self.code, kind=kind, amount=amount, currency=self.currency,
            balance_after=self.balance + amount, created_at=ctx.at, device_id=ctx.device_id,
            operator_id=ctx.operator_id, order_ref=ctx.order_ref, reason=ctx.reason, **extra,
        )

    def _same_currency(self, amount: Money) -> int:
        if amount.currency != self.currency:
            raise errors.CurrencyMismatch(f"card {self.masked} is in {self.currency}, not {amount.currency}")
        return require_positive(amount).minor

    def _check_ceiling(self, minor: int) -> None:
        if self.balance + minor > max_minor(self.currency):
            raise errors.InvalidAmount("that would put more on the card than any gift card may hold")

    def activate(self, amount: Money, ctx: OperationContext) -> Entry:
        """Sell the card: inactive → active with its initial value (a CREDITS_ADDITION)."""
        minor = self._same_currency(amount)
        if self.status is CardStatus.ACTIVE:
            raise errors.AlreadyActive(f"card {self.masked} is already active")
        if self.status is not CardStatus.INACTIVE:
            self.check_usable(ctx.at, ctx.zone)  # disabled or frozen: say why
        self.check_campaign_enabled()
        self.check_not_expired(ctx.at, ctx.zone)
        self._check_ceiling(minor)
        entry = self._entry(EntryKind.CREDITS_ADDITION, minor, ctx)
        self.status = CardStatus.ACTIVE
        self.activated_at = ctx.at
        return self.apply(entry)

    def top_up(self, amount: Money, ctx: OperationContext) -> Entry:
        minor = self._same_currency(amount)
        self.check_can_add()
        self.check_not_expired(ctx.at, ctx.zone)
        self._check_ceiling(minor)
        return self.apply(self._entry(EntryKind.CREDITS_ADDITION, minor, ctx))

    def check_can_add(self) -> None:
        """Nothing is added to a disabled or frozen card; only a sale makes an inactive card active."""
        if self.status is CardStatus.INACTIVE:
            raise errors.VoucherNotActive(f"card {self.masked} must be sold before value is added to it")
        if self.status is CardStatus.DISABLED:
            raise errors.VoucherDisabled(f"card {self.masked} is disabled")
        if self.status is CardStatus.FROZEN:
            raise errors.VoucherFrozen(f"card {self.masked} is frozen: resolve its conflict first")

    def correct(self, delta: Money, ctx: OperationContext) -> Entry:
        """A manager's correction of the balance by a signed amount (``delta.minor`` < 0 removes), with a reason."""
        if not (ctx.reason or "").strip():
            raise errors.InvalidAddBalanceParams("a correction needs a reason")
        if delta.minor == 0:
            raise errors.InvalidAmount("a correction of zero changes nothing")
        if self.status is CardStatus.INACTIVE:
            raise errors.VoucherNotActive(f"card {self.masked} has not been sold; sell it with its value instead")
        if delta.minor > 0:
            minor = self._same_currency(delta)
            self._check_ceiling(minor)
            return self.apply(self._entry(EntryKind.CREDITS_ADDITION, minor, ctx))
        removed = -delta
        minor = self._same_currency(removed)
        if minor > self.balance:
            raise errors.GiftAmountExceeded(f"cannot remove {removed} from a balance of {self.money_balance}")
        return self.apply(self._entry(EntryKind.CREDITS_REMOVAL, -minor, ctx))

    def available(self, held: int = 0) -> int:
        """What may be redeemed now: the balance less ``held``, the credits that validation sessions of others
        hold on the card (Voucherify's LOCK sessions: reserved until redeemed, released or expired)."""
        return self.balance - max(0, held)

    def check_redeem(self, amount: Money, at: datetime, zone: tzinfo, order_amount: int | None = None, *,
                     order: Order | None = None, held: int = 0) -> int:
        """Every rule of a redemption at ``at`` in the shop's ``zone``, without changing anything; returns the
        amount in minor units. ``order``: the facts the card's validation rules read (``validation_rules``);
        ``held``: what others' validation sessions hold (see :meth:`available`)."""
        minor = self._same_currency(amount)
        self.check_usable(at, zone)
        if self.redemption_limit is not None and self.redemption_count >= self.redemption_limit:
            raise errors.QuantityExceeded(f"card {self.masked} has been used {self.redemption_count} times")
        total = minor if order_amount is None else order_amount  # an order of 0 is an order of 0
        if self.min_order_amount is not None and total < self.min_order_amount:
            raise errors.OrderRulesViolated(
                f"the order must be at least {Money(self.min_order_amount, self.currency)}"
            )
        if self.rules:
            facts = order or Order()
            check_rules(self.rules, Facts(
                amount=facts.amount if facts.amount is not None else total, order_metadata=facts.metadata,
                customer_metadata=facts.customer_metadata, per_customer=self.redemption_count + 1,
                local=at.astimezone(zone)))
        if minor > self.available(held):
            if held > 0:
                raise errors.GiftAmountExceeded(
                    f"{amount} is more than the {Money(self.available(held), self.currency)} available: "
                    f"{Money(held, self.currency)} of the balance of {self.money_balance} is held by a validation"
                )
            raise errors.GiftAmountExceeded(
                f"{amount} is more than the balance of {self.money_balance}"
            )
        return minor

    def redeem(self, amount: Money, ctx: OperationContext, order_amount: int | None = None, *,
               order: Order | None = None, held: int = 0) -> Entry:
        minor = self.check_redeem(amount, ctx.at, ctx.zone, order_amount, order=order, held=held)
        return self.apply(self._entry(EntryKind.CREDITS_REDEMPTION, -minor, ctx))

    def failed_attempt(self, kind: EntryKind, amount: int, error: errors.GiftCardError, ctx: OperationContext) -> Entry:
        """The record of a refused attempt: result FAILURE with the error key; changes nothing."""
        return Entry(
            card_id=self.id, code=self.code, kind=kind, amount=amount, currency=self.currency,
            balance_after=self.balance, created_at=ctx.at, device_id=ctx.device_id,
            operator_id=ctx.operator_id, order_ref=ctx.order_ref, reason=ctx.reason,
            result=EntryResult.FAILURE, error_key=error.key,
        )

    def refund(self, redemption: Entry, ctx: OperationContext, amount: Money | None = None,
               refunded: int = 0) -> Entry:
        """Give back part or all of a redemption (all that is left of it when no amount is given).

        ``refunded``: what successful refunds of it gave back so far. A redemption may be refunded several times
        (several returned items), but together its refunds never give back more than it took."""
        if redemption.card_id != self.id or redemption.kind is not EntryKind.CREDITS_REDEMPTION:
            raise errors.NotFound("that entry is not a redemption of this card")
        if not redemption.succeeded:
            raise errors.InvalidPayload("a failed redemption took nothing and cannot be refunded")
        took = -redemption.amount
        left = took - max(0, refunded)
        if left <= 0:
            raise errors.AlreadyRolledBack(f"redemption {redemption.id} has been refunded in full already")
        minor = left if amount is None else self._same_currency(amount)
        if minor > left:
            raise errors.RefundExceeded(
                f"a refund can give back at most the {Money(left, self.currency)} left of the "
                f"{Money(took, self.currency)} the redemption took"
            )
        return self.apply(self._entry(EntryKind.CREDITS_REFUND, minor, ctx, refund_of=redemption.id))

    def disable(self) -> None:
        if self.status is CardStatus.DISABLED:
            raise errors.VoucherDisabled(f"card {self.masked} is already disabled")
        if self.status is CardStatus.FROZEN:  # enabling would skip the conflict review
            raise errors.VoucherFrozen(f"card {self.masked} is frozen: resolve its conflict first")
        self.status = CardStatus.DISABLED
        self.version += 1

    def enable(self) -> None:
        if self.status is not CardStatus.DISABLED:
            raise errors.InvalidPayload(f"card {self.masked} is not disabled")
        self.status = CardStatus.ACTIVE if self.activated_at is not None else CardStatus.INACTIVE
        self.version += 1

    def publish(self, customer_id: str) -> None:
        """Give the card to a customer; a card belongs to one customer only."""
        if self.customer_id is not None and self.customer_id != customer_id:
            raise errors.AlreadyPublished(f"card {self.masked} was given to another customer")
        self.customer_id = customer_id
        self.version += 1

    def apply(self, entry: Entry) -> Entry:
        """Move the cached figures by a successful entry (the one place that changes them)."""
        if not entry.succeeded:
            return entry
        self.move(entry)
        self.version += 1
        return entry

    def move(self, entry: Entry, sign: int = 1) -> None:
        """Move the cached figures by what a successful entry did (``sign`` -1: take it back), leaving the
        version alone: for a till's copy of the server's state, with its own entries the server lacks yet."""
        if not entry.succeeded:
            return
        amount = sign * entry.amount
        if entry.kind is EntryKind.CREDITS_REDEMPTION:
            self.redeemed += -amount
            self.redemption_count += sign
        elif entry.kind is EntryKind.CREDITS_REFUND:
            self.refunded += amount
        else:
            self.loaded += amount
        self.balance += amount

    def invariant_holds(self) -> bool:
        return self.loaded - self.redeemed + self.refunded == self.balance and self.balance >= 0


@dataclass(frozen=True, slots=True, kw_only=True)
class OperationContext:
    """Who, where and when: recorded on every entry. ``zone``: the shop's time zone, in which the card's dates,
    days and hours are read (the till's and the server's store settings), whatever the machine's own zone."""

    at: datetime
    zone: tzinfo
    device_id: str
    operator_id: str | None
    order_ref: str | None = None
    reason: str | None = None


@dataclass(slots=True, kw_only=True)
class Campaign:
    id: str
    name: str
    currency: str
    amount: int  # initial value of each card, minor units
    code_config: dict[str, Any]
    vouchers_count: int = 0
    start_date: datetime | None = None
    expiration_date: datetime | None = None
    redemption_limit: int | None = None
    min_order_amount: int | None = None
    category: str | None = None
    active: bool = True
    created_at: datetime | None = None

    @property
    def code_tail(self) -> str:
        """What all its codes end with (``codes.fixed_tail``): a mask shows what comes before."""
        return fixed_tail(self.code_config)

    def mask(self, code: str) -> str:
        """``code`` (one of this campaign's) masked so that the part that differs between cards shows."""
        return mask(code, tail=self.code_tail)


#: The dates a card may carry: none before 2000, none from 2102 on (an expiry on the last day of 2100 ends at
#: the next midnight in the shop's zone; no gift card lasts longer). The wire takes dates from 2000 to 2200, so
#: whatever a card carries, every till can pull it.
FIRST_DATE = datetime(2000, 1, 1, tzinfo=UTC)
TOO_LATE = datetime(2102, 1, 1, tzinfo=UTC)
#: The most a card's metadata may take, as JSON (the wire refuses more).
MAX_METADATA_BYTES = 4096


def check_date(when: datetime | None, what: str) -> datetime | None:
    """``when`` if a card may carry it (see :data:`FIRST_DATE`, :data:`TOO_LATE`), else ``invalid_payload``."""
    if when is not None and not FIRST_DATE <= when < TOO_LATE:
        raise errors.InvalidPayload(f"{what} {when:%Y-%m-%d} is not from {FIRST_DATE:%Y} to {TOO_LATE.year - 2}")
    return when


#: ``\\u0000`` written by ``json.dumps`` for a NUL character (not a backslash of the text followed by ``u0000``).
_NUL_ESCAPE = re.compile(r"(?:^|[^\\])(?:\\\\)*\\u0000")


def check_metadata(metadata: dict[str, Any]) -> dict[str, Any]:
    """``metadata`` if it fits :data:`MAX_METADATA_BYTES` as JSON that every till and the server can hold — no
    number that is not finite (JSON has none), no NUL character (PostgreSQL holds none), no unpaired surrogate
    (no Unicode) —, else ``invalid_payload``."""
    try:
        text = json.dumps(metadata, ensure_ascii=False, allow_nan=False, default=str)
        size = len(text.encode())
    except ValueError:  # NaN or an infinity; UnicodeEncodeError: an unpaired surrogate
        raise errors.InvalidPayload("metadata holds a number that is not finite or text that is not Unicode") from None
    if _NUL_ESCAPE.search(text):
        raise errors.InvalidPayload("metadata may not hold the NUL character")
    if size > MAX_METADATA_BYTES:
        raise errors.InvalidPayload(f"metadata takes {size:,} bytes; at most {MAX_METADATA_BYTES:,}")
    return metadata


def check_deletable(card: GiftCard, *, force: bool) -> None:
    """Whether ``card`` may be deleted (Voucherify's ``delete_voucher``, which disables it and hides it: the card
    and its entries are kept as every ledger line is): one that still holds money only when the caller insists
    (``force``); a frozen one not until its conflict is resolved."""
    if card.status is CardStatus.FROZEN:
        raise errors.VoucherFrozen(f"card {card.masked} is frozen: resolve its conflict first")
    if card.balance > 0 and not force:
        raise errors.InvalidPayload(f"card {card.masked} still holds {card.money_balance}: delete it with force=true")
