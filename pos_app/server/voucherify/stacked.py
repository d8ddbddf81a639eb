"""What validations and redemptions share: Voucherify's stacked request (``redeemables``, ``order``, ``session``)
read at the edge, and the cards it names found, locked and counted.

A gift voucher's redeemable takes ``gift.credits`` off the card; without them, the order's ``amount`` (as the
legacy ``POST /v1/vouchers/{code}/redemption`` with ``{"order": {"amount": …}}`` does). Neither: ``missing_amount``.
More than the card has available is refused (``gift_amount_exceeded``), never cut down to what is there. A request
names each voucher once, and at most :data:`MAX_REDEEMABLES` of them (Voucherify's ``redeemables_limit``).
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, Literal

from pydantic import Field
from sqlalchemy import Connection, select

from pos_app.domain import errors
from pos_app.domain.cards import GiftCard
from pos_app.domain.codes import mask
from pos_app.domain.validation_rules import Order
from pos_app.server import lookups
from pos_app.server.db.models import campaigns
from pos_app.server.ledger import lock_cards
from pos_app.server.rules import with_rules
from pos_app.server.voucherify.fields import Amount, Lenient, Metadata, Name, Text
from pos_app.server.voucherify.sessions import SessionBody
from pos_app.server.voucherify.validation_rules import order_facts

MAX_REDEEMABLES = 30
#: How this server stacks: all of a request's redeemables apply, or none (``redeemables_application_mode`` ALL).
STACKING_RULES = {"redeemables_limit": MAX_REDEEMABLES, "redeemables_application_mode": "ALL",
                  "redeemables_sorting_rule": "REQUESTED_ORDER"}
OrderStatus = Literal["CREATED", "PAID", "CANCELED", "FULFILLED"]


class CustomerRef(Lenient):
    id: Name | None = None
    source_id: Name | None = None
    metadata: Metadata | None = None


class OrderBody(Lenient):
    id: Name | None = None
    source_id: Name | None = None
    status: OrderStatus | None = None
    amount: Amount | None = None
    metadata: Metadata | None = None
    customer: CustomerRef | None = None


class Credits(Lenient):
    credits: Amount | None = None


class Redeemable(Lenient):
    object: Literal["voucher"] = "voucher"
    id: Text
    gift: Credits | None = None


class StackedBody(Lenient):
    """``validate_stacked_discounts``' and ``redeem_stacked_discounts``' body (gift vouchers only)."""

    redeemables: Annotated[list[Redeemable], Field(min_length=1, max_length=MAX_REDEEMABLES)]
    order: OrderBody | None = None
    customer: CustomerRef | None = None
    session: SessionBody | None = None
    tracking_id: Name | None = None
    metadata: Metadata | None = None

    def codes(self) -> list[str]:
        """The codes named, in order; a code named twice is refused."""
        codes = [r.id for r in self.redeemables]
        if len(set(codes)) != len(codes):
            raise errors.InvalidPayload("a request names each voucher once")
        return codes


def order_of(body: StackedBody) -> Order:
    """What the card's validation rules read of the request's order and customer (``validation_rules``)."""
    return order_facts(None if body.order is None else body.order.model_dump(exclude_none=True),
                       None if body.customer is None else body.customer.model_dump(exclude_none=True))


def credits(redeemable: Redeemable, order: OrderBody | None) -> int:
    """What the redeemable takes off its card (minor units): its ``gift.credits``, else the order's amount."""
    if redeemable.gift is not None and redeemable.gift.credits is not None:
        return redeemable.gift.credits
    if order is not None and order.amount is not None:
        return order.amount
    raise errors.MissingAmount(f"say how much to take off {mask(redeemable.id)}: gift.credits or order.amount")


def find_locked(conn: Connection, key_id: str, codes: list[str], at: datetime
                ) -> tuple[dict[str, tuple[GiftCard, str | None]], list[str]]:
    """The cards with these codes (exactly), locked for this transaction, with their campaigns' names; and the
    codes of no card, each recorded against the key as a failed lookup (which waits, 429, past the limit)."""
    lookups.check(conn, key_id, at)
    found = {card.code: card for card in lock_cards(conn, [], codes) if with_rules(conn, card)}
    names = _campaign_names(conn, {c.campaign_id for c in found.values() if c.campaign_id})
    missing = [code for code in codes if code not in found]
    for code in missing:
        lookups.record(conn, key_id, code, at, channel="api")
    return {code: (card, names.get(card.campaign_id or "")) for code, card in found.items()}, missing


def _campaign_names(conn: Connection, ids: set[str]) -> dict[str, str]:
    if not ids:
        return {}
    rows = conn.execute(select(campaigns.c.id, campaigns.c.name).where(campaigns.c.id.in_(sorted(ids))))
    return {r.id: r.name for r in rows}


def not_found(code: str) -> errors.NotFound:
    return errors.NotFound(f"no voucher with code {mask(code)}")


def order_answer(order: OrderBody | dict[str, Any] | None, taken: int) -> dict[str, Any] | None:
    """The order as Voucherify answers it: its amount, and ``total_amount`` what is left to pay once ``taken``
    came off gift cards."""
    if order is None:
        return None
    given = order if isinstance(order, dict) else order.model_dump(exclude_none=True)
    amount = given.get("amount")
    return {
        "id": given.get("id"), "source_id": given.get("source_id"), "object": "order",
        "status": given.get("status") or "PAID", "amount": amount,
        "total_amount": None if amount is None else max(0, amount - taken),
        "metadata": given.get("metadata") or {},
    }
