"""Card use cases: sell, check, redeem, top up, correct, refund, disable/enable, publish.

Each is one transaction. A refused value change of an existing card is recorded as a FAILURE entry (committed)
before the error is raised, so the ledger shows every attempt. Input that cannot even be an attempt (an unknown
code, a malformed amount) records nothing.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from pos_app.domain import errors
from pos_app.domain.cards import GiftCard
from pos_app.domain.ledger import Entry, EntryKind
from pos_app.domain.money import Money
from pos_app.domain.people import OWN_REFUND_WINDOW, Permission
from pos_app.services.context import Caller
from pos_app.services.lookup import find_card
from pos_app.services.ports import UnitOfWork


@dataclass(frozen=True, slots=True)
class CardView:
    card: GiftCard
    recent: list[Entry]


def check_balance(uow: UnitOfWork, caller: Caller, code: str, *, recent: int = 10) -> CardView:
    caller.require(Permission.CHECK_BALANCE)
    with uow:
        card = find_card(uow, code)
        return CardView(card=card, recent=uow.entries.for_card(card.id, limit=recent))


def _record_failure(uow: UnitOfWork, card: GiftCard, kind: EntryKind, amount: int, error: errors.GiftCardError,
                    caller: Caller, order_ref: str | None, reason: str | None = None) -> None:
    """Commit the refused attempt in the open transaction; the rules run before any write, so it holds none."""
    uow.entries.add(card.failed_attempt(kind, amount, error, caller.context(order_ref=order_ref, reason=reason)))
    uow.commit()


def redeem(uow: UnitOfWork, caller: Caller, code: str, amount: Money, *, order_ref: str | None = None,
           order_amount: int | None = None) -> Entry:
    """Take ``amount`` off the card (partial redemption). Over the balance: ``gift_amount_exceeded``."""
    caller.require(Permission.REDEEM)
    with uow:
        card = find_card(uow, code)
        try:
            entry = card.redeem(amount, caller.context(order_ref=order_ref), order_amount)
        except errors.GiftCardError as exc:
            if isinstance(exc, errors.CurrencyMismatch | errors.InvalidAmount):
                raise
            _record_failure(uow, card, EntryKind.CREDITS_REDEMPTION, -amount.minor, exc, caller, order_ref)
            raise
        entry = uow.entries.add(entry)
        uow.cards.save(card)
        uow.commit()
        return entry


def sell(uow: UnitOfWork, caller: Caller, code: str, amount: Money | None = None, *,
         order_ref: str | None = None) -> Entry:
    """Activate a card that has been paid for, with its campaign's value unless another amount is given."""
    caller.require(Permission.SELL)
    with uow:
        card = find_card(uow, code)
        if amount is None:
            if card.initial_amount is None:
                raise errors.MissingAmount(f"card {card.masked} has no preset value; give the amount sold")
            amount = Money(card.initial_amount, card.currency)
        entry = uow.entries.add(card.activate(amount, caller.context(order_ref=order_ref)))
        uow.cards.save(card)
        uow.commit()
        return entry


def top_up(uow: UnitOfWork, caller: Caller, code: str, amount: Money, *, reason: str | None = None,
           order_ref: str | None = None) -> Entry:
    caller.require(Permission.TOP_UP)
    with uow:
        card = find_card(uow, code)
        entry = uow.entries.add(card.top_up(amount, caller.context(order_ref=order_ref, reason=reason)))
        uow.cards.save(card)
        uow.commit()
        return entry


def correct(uow: UnitOfWork, caller: Caller, code: str, delta: Money, *, reason: str) -> Entry:
    """A manager's correction by a signed amount (``delta.minor`` < 0 removes), always with a reason."""
    caller.require(Permission.CORRECT)
    with uow:
        card = find_card(uow, code)
        if delta.currency != card.currency:
            raise errors.CurrencyMismatch(f"card {card.masked} is in {card.currency}, not {delta.currency}")
        entry = uow.entries.add(card.correct(delta.minor, caller.context(reason=reason)))
        uow.cards.save(card)
        uow.commit()
        return entry


def refund(uow: UnitOfWork, caller: Caller, entry_id: uuid.UUID | str, amount: Money | None = None, *,
           reason: str | None = None) -> Entry:
    """Roll back a redemption, once, by at most what it took. A cashier may refund only their own redemption
    made on this till in the last minutes ("Refund last"); anything else needs a manager."""
    try:
        redemption_id = entry_id if isinstance(entry_id, uuid.UUID) else uuid.UUID(str(entry_id).strip())
    except ValueError as exc:
        raise errors.InvalidPayload(f"{str(entry_id)[:40]!r} is not an entry id") from exc
    with uow:
        redemption = uow.entries.get(redemption_id)
        if redemption is None or redemption.kind is not EntryKind.CREDITS_REDEMPTION:
            raise errors.NotFound(f"no redemption with id {redemption_id}")
        ctx = caller.context(reason=reason, order_ref=redemption.order_ref)
        own_recent = (
            redemption.operator_id == caller.actor.user_id and redemption.device_id == caller.device_id
            and ctx.at - redemption.created_at <= OWN_REFUND_WINDOW
        )
        caller.require(Permission.REFUND_OWN_RECENT if own_recent else Permission.REFUND)
        card = uow.cards.get(redemption.card_id)
        if card is None:  # pragma: no cover - entries reference cards by foreign key
            raise errors.NotFound("the card of that redemption is gone")
        already = uow.entries.refund_of(redemption.id) is not None
        entry = uow.entries.add(card.refund(redemption, ctx, amount, already_refunded=already))
        uow.cards.save(card)
        uow.commit()
        return entry


def set_enabled(uow: UnitOfWork, caller: Caller, code: str, *, enabled: bool) -> GiftCard:
    """Disable a lost card, or enable it again (to active if it had been sold, else inactive)."""
    caller.require(Permission.DISABLE)
    with uow:
        card = find_card(uow, code)
        if enabled:
            card.enable()
        else:
            card.disable()
        uow.cards.save(card)
        uow.commit()
        return card


def publish(uow: UnitOfWork, caller: Caller, code: str, customer_id: str) -> GiftCard:
    caller.require(Permission.PUBLISH)
    with uow:
        card = find_card(uow, code)
        if uow.customers.get(customer_id) is None:
            raise errors.NotFound(f"no customer {customer_id}")
        card.publish(customer_id)
        uow.cards.save(card)
        uow.commit()
        return card

