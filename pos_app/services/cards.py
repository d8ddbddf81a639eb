"""Card use cases: sell, check, redeem, top up, correct, refund, disable/enable (publish: ``customers``).

Each is one transaction. A refused redemption of an existing card is recorded as a FAILURE entry (committed)
before the error is raised, so the ledger shows every attempt. Input that cannot even be an attempt (an unknown
code, a malformed amount) records nothing.

Value changes take an ``authoriser`` on an enrolled till: the server decides them, and the till stands in for it
offline (see ``enrolled``). Without one (a standalone shop), the store here is the authority, as it always was.
"""

from __future__ import annotations

import dataclasses
import uuid
from dataclasses import dataclass

from pos_app.domain import errors
from pos_app.domain.cards import GiftCard, OperationContext
from pos_app.domain.ledger import Entry, EntryKind, PaymentMethod, running_balances
from pos_app.domain.money import Money, require_positive
from pos_app.domain.operations import (
    Correct,
    Operation,
    Policy,
    Redeem,
    Refund,
    Sell,
    TopUp,
    check_allowed,
    decide,
)
from pos_app.domain.people import Actor, Permission
from pos_app.domain.validation_rules import Order
from pos_app.services.context import Caller
from pos_app.services.enrolled import (
    Change,
    LocalChange,
    Stamp,
    StandIn,
    as_is,
    authorised_change,
    offline_stand_in,
    unknown_card_offline,
)
from pos_app.services.enrolment import head_office_policy, save_policy
from pos_app.services.lookup import find_card, masked
from pos_app.services.modes import require_standalone
from pos_app.services.online import Authoriser
from pos_app.services.ports import CardsUnitOfWork, UnitOfWork


@dataclass(frozen=True, slots=True)
class CardView:
    """A card and its latest entries, newest first in ledger order (``EntryRepository.for_card``)."""

    card: GiftCard
    recent: list[Entry]
    masked_code: str = ""  # the code as screens show it (``lookup.masked``: past its campaign's fixed tail)

    @property
    def masked(self) -> str:
        return self.masked_code or self.card.masked

    @property
    def balances(self) -> list[int]:
        """The balance after each of ``recent``, worked back from the card's (``ledger.running_balances``)."""
        return running_balances(self.card.balance, self.recent)


def check_balance(uow: UnitOfWork, caller: Caller, code: str, *, recent: int = 10) -> CardView:
    caller.require(Permission.CHECK_BALANCE)
    with uow:
        card = find_card(uow, code)
        return CardView(card=card, recent=uow.entries.for_card(card.id, limit=recent), masked_code=masked(uow, card))


def _record_failure(uow: CardsUnitOfWork, card: GiftCard, kind: EntryKind, amount: int, error: errors.GiftCardError,
                    ctx: OperationContext, stamp: Stamp = as_is) -> None:
    """Commit the refused attempt in the open transaction; the rules run before any write, so it holds none."""
    uow.entries.add(stamp(card.failed_attempt(kind, amount, error, ctx)))
    uow.commit()


def redeem(uow: CardsUnitOfWork, caller: Caller, code: str, amount: Money, *, order_ref: str | None = None,
           order_amount: int | None = None, order: Order | None = None, authoriser: Authoriser | None = None,
           override: Actor | None = None, held: int = 0) -> Entry:
    """Take ``amount`` off the card (partial redemption). Over the balance (less ``held``, what others'
    validation sessions hold on the card, read under its lock: the server's API): ``gift_amount_exceeded``.
    ``order``: what the card's validation rules read of the purchase (its metadata, the customer's).

    ``authoriser`` (an enrolled till): the server decides; offline, the till stands in within the offline limits,
    and ``override`` (a manager) accepts what those limits refuse.
    """
    caller.allow(Redeem(amount, order_amount, order=order))
    if override is not None:
        override.require(Permission.OVERRIDE_OFFLINE_LIMITS)
    if authoriser is None:
        with uow:
            return _redeem_here(uow, caller, find_card(uow, code), amount, order_ref, order_amount, order=order,
                                held=held)
    require_positive(amount)
    stand_in = offline_stand_in(override)

    def local(uow: CardsUnitOfWork, card: GiftCard, stamp: Stamp) -> Entry:
        return _redeem_here(uow, caller, card, amount, order_ref, order_amount, stamp, stand_in, order=order)

    change = Change(op="redeem", code=code, amount=amount.minor, currency=amount.currency, order_ref=order_ref,
                    order_amount=order_amount)
    return authorised_change(uow, caller, authoriser, change, local, unknown_offline=unknown_card_offline)


def _redeem_here(uow: CardsUnitOfWork, caller: Caller, card: GiftCard, amount: Money, order_ref: str | None,
                 order_amount: int | None, stamp: Stamp = as_is, stand_in: StandIn | None = None, *,
                 order: Order | None = None, held: int = 0) -> Entry:
    ctx = caller.context(order_ref=order_ref)
    op = Redeem(amount, order_amount, order=order, held=held)
    try:
        if stand_in is None:
            entry = decide(card, op, ctx)
        else:  # the card's own rules first: no override accepts those
            card.check_redeem(amount, ctx.at, ctx.zone, order_amount, order=order, held=held)
            overridden_by = stand_in(uow, card, amount, ctx.at)
            entry = dataclasses.replace(decide(card, op, ctx), override_by=overridden_by)
    except errors.GiftCardError as exc:
        if isinstance(exc, errors.CurrencyMismatch | errors.InvalidAmount):
            raise
        _record_failure(uow, card, EntryKind.CREDITS_REDEMPTION, -amount.minor, exc, ctx, stamp)
        raise
    entry = uow.entries.add(stamp(entry))
    uow.cards.save(card)
    uow.commit()
    return entry


def _decide_and_write(uow: CardsUnitOfWork, card: GiftCard, op: Operation, ctx: OperationContext,
                      stamp: Stamp) -> Entry:
    """The domain's decision on ``op`` (head office's maxima included), written in the open transaction."""
    entry = uow.entries.add(stamp(decide(card, op, ctx, policy=head_office_policy(uow.settings))))
    uow.cards.save(card)
    uow.commit()
    return entry


def _standalone(uow: CardsUnitOfWork, code: str, local: LocalChange) -> Entry:
    """``local`` on the store's own card, in one transaction: the store is the authority."""
    with uow:
        return local(uow, find_card(uow, code), as_is)


def sell(uow: CardsUnitOfWork, caller: Caller, code: str, amount: Money | None = None, *,
         price: Money | None = None, payment: PaymentMethod | None = None, order_ref: str | None = None,
         authoriser: Authoriser | None = None) -> Entry:
    """Activate a card that has been paid for, with its campaign's value unless another amount is given.

    ``price``: what the customer paid (default: the value; less for a promotion); ``payment``: cash, card or
    other. Both are kept on the entry, for the day's takings. A manager may sell; a cashier only where the
    shop's rules (head office's, on an enrolled till) let cashiers sell."""
    op = Sell(amount, price, payment)
    with uow:
        policy = head_office_policy(uow.settings)
    caller.allow(op, policy)

    def local(uow: CardsUnitOfWork, card: GiftCard, stamp: Stamp) -> Entry:
        return _decide_and_write(uow, card, op, caller.context(order_ref=order_ref), stamp)

    if authoriser is None:
        return _standalone(uow, code, local)
    change = Change(op="sell", code=code, amount=None if amount is None else require_positive(amount).minor,
                    currency=None if amount is None else amount.currency, order_ref=order_ref,
                    price=None if price is None else price.minor, payment=payment)
    return authorised_change(uow, caller, authoriser, change, local)


def set_cashiers_sell(uow: UnitOfWork, caller: Caller, *, allowed: bool) -> Policy:
    """A standalone shop's rule: whether its cashiers may sell cards (a manager's decision; on an enrolled till
    it is head office's, set with ``pos-server policy set --cashiers-sell``)."""
    caller.require(Permission.MANAGE_USERS)
    with uow:
        require_standalone(uow, "letting cashiers sell", "pos-server policy set --cashiers-sell yes|no")
        policy = dataclasses.replace(head_office_policy(uow.settings), cashiers_sell=allowed)
        save_policy(uow.settings, policy)
        uow.commit()
    return policy


def top_up(uow: CardsUnitOfWork, caller: Caller, code: str, amount: Money, *, reason: str | None = None,
           order_ref: str | None = None, authoriser: Authoriser | None = None) -> Entry:
    op = TopUp(amount)
    caller.allow(op)

    def local(uow: CardsUnitOfWork, card: GiftCard, stamp: Stamp) -> Entry:
        return _decide_and_write(uow, card, op, caller.context(order_ref=order_ref, reason=reason), stamp)

    if authoriser is None:
        return _standalone(uow, code, local)
    change = Change(op="top_up", code=code, amount=require_positive(amount).minor, currency=amount.currency,
                    reason=reason, order_ref=order_ref)
    return authorised_change(uow, caller, authoriser, change, local)


def correct(uow: CardsUnitOfWork, caller: Caller, code: str, delta: Money, *, reason: str,
            authoriser: Authoriser | None = None) -> Entry:
    """A manager's correction by a signed amount (``delta.minor`` < 0 removes), always with a reason."""
    op = Correct(delta)
    caller.allow(op)

    def local(uow: CardsUnitOfWork, card: GiftCard, stamp: Stamp) -> Entry:
        return _decide_and_write(uow, card, op, caller.context(reason=reason), stamp)

    if authoriser is None:
        return _standalone(uow, code, local)
    if not (reason or "").strip():  # not worth a round trip
        raise errors.InvalidAddBalanceParams("a correction needs a reason")
    change = Change(op="correct", code=code, amount=delta.minor, currency=delta.currency, reason=reason)
    return authorised_change(uow, caller, authoriser, change, local)


def refund(uow: CardsUnitOfWork, caller: Caller, entry_id: uuid.UUID | str, amount: Money | None = None, *,
           reason: str | None = None, authoriser: Authoriser | None = None) -> Entry:
    """Give back part or all of a redemption (all that is left of it when no amount is given); a redemption may
    be refunded several times (several returned items), its refunds together never more than it took. A cashier
    may refund only their own redemption made on this till in the last minutes ("Refund last"); anything else
    needs a manager."""
    try:
        redemption_id = entry_id if isinstance(entry_id, uuid.UUID) else uuid.UUID(str(entry_id).strip())
    except ValueError as exc:
        raise errors.InvalidPayload(f"{str(entry_id)[:40]!r} is not an entry id") from exc

    def local(uow: CardsUnitOfWork, card: GiftCard | None, stamp: Stamp) -> Entry:
        redemption, ctx = _refundable(uow, caller, redemption_id, reason)
        card = uow.cards.get(redemption.card_id)
        if card is None:  # pragma: no cover - entries reference cards by foreign key
            raise errors.NotFound("the card of that redemption is gone")
        refunded = uow.entries.refunded(redemption.id)  # in the write transaction: the card cannot move meanwhile
        return _decide_and_write(uow, card, Refund(redemption, amount, refunded), ctx, stamp)

    if authoriser is None:
        with uow:
            return local(uow, None, as_is)
    with uow:
        redemption, _ = _refundable(uow, caller, redemption_id, reason)
    change = Change(op="refund", code=redemption.code, amount=None if amount is None else amount.minor,
                    currency=redemption.currency, reason=reason, refund_of=redemption.id,
                    order_ref=redemption.order_ref)
    return authorised_change(uow, caller, authoriser, change, local)


def _refundable(uow: CardsUnitOfWork, caller: Caller, redemption_id: uuid.UUID, reason: str | None
                ) -> tuple[Entry, OperationContext]:
    """The redemption to refund, once the caller may refund it, and the refund's context."""
    redemption = uow.entries.get(redemption_id)
    if redemption is None or redemption.kind is not EntryKind.CREDITS_REDEMPTION:
        raise errors.NotFound(f"no redemption with id {redemption_id}")
    ctx = caller.context(reason=reason, order_ref=redemption.order_ref)
    check_allowed(caller.actor, Refund(redemption), ctx)
    return redemption, ctx


def set_enabled(uow: CardsUnitOfWork, caller: Caller, code: str, *, enabled: bool) -> GiftCard:
    """Disable a lost card, or enable it again (to active if it had been sold, else inactive)."""
    caller.require(Permission.DISABLE)
    with uow:
        require_standalone(uow, "disabling or enabling a card", "pos-server card disable|enable CODE")
        card = find_card(uow, code)
        if enabled:
            card.enable()
        else:
            card.disable()
        uow.cards.save(card)
        uow.commit()
        return card

