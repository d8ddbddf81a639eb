"""One decision per value change: who may do it (:func:`required_permission`) and what it makes of a card
(:func:`decide`). The till's use cases, the central server (online and for pushed offline entries) and the test
fakes all call these two, so that a sale, a top-up, a correction, a redemption or a refund is decided by the same
rules wherever it happens. Entry points only convert their input into an :data:`Operation`.

Head office's maxima (:class:`Policy`) bound what an operation may put on a card; ``None`` is no maximum beyond
the ceiling of :func:`pos_app.domain.money.max_minor`. The per-till daily cap counts value created (sales,
top-ups, corrections up) by one till in one day: the caller says how much it has created so far.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from pos_app.domain import errors
from pos_app.domain.cards import GiftCard, OperationContext
from pos_app.domain.ledger import Entry, EntryKind, PaymentMethod
from pos_app.domain.money import Money, require_positive
from pos_app.domain.people import OWN_REFUND_WINDOW, Actor, Permission, Role
from pos_app.domain.validation_rules import Order


@dataclass(frozen=True, slots=True)
class Sell:
    """Activate a card that has been paid for: its campaign's value unless ``amount`` says otherwise.

    ``price``: what the customer paid (None: the value sold; less for a promotion, never more than the value);
    ``payment``: how (None: not recorded, e.g. a sale by head office). Both are kept on the sale's entry."""

    amount: Money | None = None
    price: Money | None = None
    payment: PaymentMethod | None = None


@dataclass(frozen=True, slots=True)
class Redeem:
    """Take ``amount`` off a card; ``order_amount`` and ``order``: the purchase it pays for, as the card's
    minimum order and its validation rules read it (``validation_rules``); ``held``: what others' validation
    sessions hold on it (``GiftCard.available``), read under the card's lock by whoever decides."""

    amount: Money
    order_amount: int | None = None
    order: Order | None = None
    held: int = 0


@dataclass(frozen=True, slots=True)
class TopUp:
    amount: Money


@dataclass(frozen=True, slots=True)
class Correct:
    """A manager's correction by a signed amount (negative removes), with the context's reason."""

    delta: Money


@dataclass(frozen=True, slots=True)
class Refund:
    """Give back part or all of ``redemption`` (all that is left of it unless ``amount`` says less);
    ``refunded``: what its successful refunds gave back so far, read under the card's lock by whoever decides."""

    redemption: Entry
    amount: Money | None = None
    refunded: int = 0


Operation = Sell | Redeem | TopUp | Correct | Refund


@dataclass(frozen=True, slots=True, kw_only=True)
class Policy:
    """Head office's maxima, in minor units of the store's currency (None: only the ceiling of any card)."""

    max_balance: int | None = None
    max_per_operation: int | None = None
    daily_created_per_till: int | None = None
    #: Cashiers may sell cards at the counter (head office's rule, synced to tills; a standalone shop's own).
    cashiers_sell: bool = False

    def granted(self, role: Role) -> frozenset[Permission]:
        """What this policy lets ``role`` do beyond what the role itself allows."""
        if role is Role.CASHIER and self.cashiers_sell:
            return frozenset({Permission.SELL})
        return frozenset()


#: No maxima but the ceiling of any card.
NO_POLICY = Policy()


def required_permission(op: Operation, ctx: OperationContext) -> Permission:
    """What the operator must be allowed to do ``op``. A refund of one's own redemption made on this till in the
    last minutes ("Refund last") is a cashier's; any other refund is a manager's."""
    if isinstance(op, Sell):
        return Permission.SELL
    if isinstance(op, Redeem):
        return Permission.REDEEM
    if isinstance(op, TopUp):
        return Permission.TOP_UP
    if isinstance(op, Correct):
        return Permission.CORRECT
    return Permission.REFUND_OWN_RECENT if own_recent(op.redemption, ctx) else Permission.REFUND


def own_recent(redemption: Entry, ctx: OperationContext) -> bool:
    """Whether ``ctx``'s operator made ``redemption`` on this device within :data:`OWN_REFUND_WINDOW`."""
    return (
        ctx.operator_id is not None and redemption.operator_id == ctx.operator_id
        and redemption.device_id == ctx.device_id
        and ctx.at - redemption.created_at <= OWN_REFUND_WINDOW
    )


def check_allowed(actor: Actor, op: Operation, ctx: OperationContext, policy: Policy = NO_POLICY) -> None:
    """Raise ``forbidden`` unless ``actor`` may do ``op`` (``ctx`` names the device and time), by their role and
    what ``policy`` grants it (cashiers may sell where head office, or a standalone shop, says so); a correction
    by more than the actor's own limit is ``correction_limit_exceeded``."""
    actor.require(required_permission(op, ctx), granted=policy.granted(actor.role))
    if isinstance(op, Correct):
        check_correction_limit(actor, op.delta)


def check_correction_limit(actor: Actor, delta: Money) -> None:
    """Raise ``correction_limit_exceeded`` when ``delta`` (up or down) is more than ``actor`` may correct by."""
    most = actor.max_correction
    if most is not None and abs(delta.minor) > most:
        raise errors.CorrectionLimitExceeded(
            f"{actor.name} may correct a card by at most {Money(most, delta.currency)}, not {delta}", limit=most)


def decide(card: GiftCard, op: Operation, ctx: OperationContext, *, policy: Policy = NO_POLICY,
           created_today: int = 0) -> Entry:
    """Apply ``op`` to ``card`` by its rules and head office's ``policy``; returns the entry that records it, or
    raises the refusal (the card is unchanged then). ``created_today``: value this till created today so far."""
    if isinstance(op, Redeem):
        return card.redeem(op.amount, ctx, op.order_amount, order=op.order, held=op.held)
    if isinstance(op, Refund):
        return card.refund(op.redemption, ctx, op.amount, refunded=op.refunded)
    if isinstance(op, Correct | TopUp):
        _check_input(card, op)
    created = _created(card, op)
    if created > 0:
        check_policy(card, created, policy, created_today)
    if isinstance(op, Sell):
        value = _sale_value(card, op)
        price = sale_price(value, op.price)
        return replace(card.activate(value, ctx), price=price.minor, payment=op.payment)
    if isinstance(op, TopUp):  # the customer pays what is put on the card (a correction records no price)
        return replace(card.top_up(op.amount, ctx), price=op.amount.minor)
    if op.delta.minor > 0:  # (a conflict's resolution corrects a frozen card: it calls ``GiftCard.correct``)
        card.check_can_add()
    return card.correct(op.delta, ctx)


def _check_input(card: GiftCard, op: Correct | TopUp) -> None:
    """The amount given, before the card's state and the maxima (as ``GiftCard.top_up`` and ``redeem`` check
    it): a top-up of 0 is ``invalid_amount`` whatever the card, as an enrolled till says without asking."""
    amount = op.delta if isinstance(op, Correct) else op.amount
    if amount.currency != card.currency:
        raise errors.CurrencyMismatch(f"card {card.masked} is in {card.currency}, not {amount.currency}")
    if isinstance(op, TopUp):
        require_positive(amount)


def _sale_value(card: GiftCard, op: Sell) -> Money:
    if op.amount is not None:
        return op.amount
    if card.initial_amount is None:
        raise errors.MissingAmount(f"card {card.masked} has no preset value; give the amount sold")
    return Money(card.initial_amount, card.currency)


def sale_price(value: Money, price: Money | None) -> Money:
    """What the customer pays for a card of ``value``: the value itself unless ``price`` says less (a promotion;
    0 for a card given away). More than the value is refused: a card is never sold above what it holds."""
    if price is None:
        return value
    if price.currency != value.currency:
        raise errors.CurrencyMismatch(f"the card is sold in {value.currency}, not {price.currency}")
    if price.minor < 0:
        raise errors.InvalidAmount("a price cannot be negative")
    if price.minor > value.minor:
        raise errors.InvalidAmount(f"a card worth {value} cannot be sold for more ({price})")
    return price


def _created(card: GiftCard, op: Operation) -> int:
    """The value ``op`` would put on the card (0 for what takes value off)."""
    if isinstance(op, Sell):
        value = op.amount.minor if op.amount is not None else card.initial_amount
        return max(0, value or 0)
    if isinstance(op, TopUp):
        return max(0, op.amount.minor)
    if isinstance(op, Correct):
        return max(0, op.delta.minor)
    return 0


def check_policy(card: GiftCard, created: int, policy: Policy, created_today: int = 0) -> None:
    """Raise the maximum of ``policy`` that putting ``created`` on ``card`` would pass."""
    def money(minor: int) -> Money:
        return Money(minor, card.currency)

    if policy.max_per_operation is not None and created > policy.max_per_operation:
        raise errors.OperationLimitExceeded(
            f"one operation may put at most {money(policy.max_per_operation)} on a card")
    if policy.max_balance is not None and card.balance + created > policy.max_balance:
        raise errors.BalanceLimitExceeded(f"a card may hold at most {money(policy.max_balance)}")
    cap = policy.daily_created_per_till
    if cap is not None and created_today + created > cap:
        raise errors.DailyCapExceeded(
            f"this till may create {money(max(0, cap - created_today))} more today (its cap is {money(cap)})")


def named(name: str, *, card: GiftCard, amount: int | None, currency: str, order_amount: int | None = None,
          redemption: Entry | None = None, refunded: int = 0, price: int | None = None,
          payment: str | None = None, held: int = 0) -> Operation:
    """The operation a till or a client names (``redeem``, ``sell``, ``top_up``, ``correct``, ``refund``) with its
    amount in minor units (signed for ``correct``; None: a sale's preset value, a refund of all that is left); a
    sale also with its ``price`` and ``payment`` method (``cash``, ``card``, ``other``); a redemption with what
    others' validation sessions ``held`` on the card."""
    def money(what: str) -> Money:
        if amount is None:
            raise errors.MissingAmount(f"{what} needs an amount")
        return Money(amount, currency)

    if name == "redeem":
        return Redeem(money("a redemption"), order_amount, held=held)
    if name == "sell":
        return Sell(None if amount is None else Money(amount, currency),
                    None if price is None else Money(price, currency), payment_method(payment))
    if name == "top_up":
        return TopUp(money("a top-up"))
    if name == "correct":
        return Correct(money("a correction"))
    if name == "refund":
        if redemption is None or redemption.card_id != card.id:
            raise errors.NotFound("no redemption of this card with that id")
        return Refund(redemption, None if amount is None else Money(amount, currency), refunded)
    raise errors.InvalidPayload(f"no operation {name!r}")


def payment_method(name: str | None) -> PaymentMethod | None:
    """The payment method called ``name`` (None: not recorded); ``invalid_payload`` for another word."""
    if name is None:
        return None
    try:
        return PaymentMethod(name.strip().lower())
    except ValueError:
        choices = ", ".join(m.value for m in PaymentMethod)
        raise errors.InvalidPayload(f"a payment is {choices}, not {name[:20]!r}") from None


def kind_named(name: str, amount: int | None) -> EntryKind:
    """The kind of entry the operation ``name`` makes, known before its input is checked (for a refused
    attempt's record)."""
    if name == "redeem":
        return EntryKind.CREDITS_REDEMPTION
    if name == "refund":
        return EntryKind.CREDITS_REFUND
    if name == "correct" and (amount or 0) < 0:
        return EntryKind.CREDITS_REMOVAL
    return EntryKind.CREDITS_ADDITION
