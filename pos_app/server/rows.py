"""Rows of the server's tables ↔ the domain's objects (cards, entries), converted explicitly.

The statements run through SQLAlchemy Core on the model's tables, so the column types do the datetime work;
what is left here is the shape: validity as text, ``metadata`` under its column name, UUIDs as text.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from datetime import datetime, time
from typing import Any

from pos_app.domain.cards import CardStatus, GiftCard, Validity
from pos_app.domain.ledger import Entry, EntryKind, EntryResult, EntryStatus, PaymentMethod
from pos_app.server.db.models import cards
from pos_app.sync.convert import days_text, time_text

#: What an update of a card writes: everything but what never changes.
CARD_MUTABLE = tuple(c.key for c in cards.c if c.key not in {"id", "code", "campaign_id", "currency", "created_at"})


def card_to_row(card: GiftCard) -> dict[str, Any]:
    """The card's columns."""
    v = card.validity
    return {
        "id": card.id, "code": card.code, "currency": card.currency, "campaign_id": card.campaign_id,
        "status": card.status.value, "loaded": card.loaded, "balance": card.balance, "redeemed": card.redeemed,
        "refunded": card.refunded, "redemption_count": card.redemption_count,
        "redemption_limit": card.redemption_limit, "initial_amount": card.initial_amount,
        "start_date": card.start_date, "expiration_date": card.expiration_date,
        "validity_days": days_text(v.days), "validity_start": time_text(v.start), "validity_end": time_text(v.end),
        "min_order_amount": card.min_order_amount, "customer_id": card.customer_id, "category": card.category,
        "metadata": card.metadata, "activated_at": card.activated_at, "created_at": card.created_at,
        "version": card.version,
    }


def card_from_row(r: Mapping[Any, Any]) -> GiftCard:
    days, start, end = r["validity_days"], r["validity_start"], r["validity_end"]
    return GiftCard(
        id=r["id"], code=r["code"], currency=r["currency"], campaign_id=r["campaign_id"],
        status=CardStatus(r["status"]), loaded=r["loaded"], balance=r["balance"], redeemed=r["redeemed"],
        refunded=r["refunded"], redemption_count=r["redemption_count"], redemption_limit=r["redemption_limit"],
        initial_amount=r["initial_amount"], start_date=r["start_date"], expiration_date=r["expiration_date"],
        validity=Validity(
            days=None if days is None else frozenset(int(d) for d in days),
            start=None if start is None else time.fromisoformat(start),
            end=None if end is None else time.fromisoformat(end),
        ),
        min_order_amount=r["min_order_amount"], customer_id=r["customer_id"], category=r["category"],
        metadata=dict(r["metadata"] or {}), activated_at=r["activated_at"], created_at=r["created_at"],
        version=r["version"],
    )


def card_update(card: GiftCard) -> dict[str, Any]:
    """Parameters of ``UPDATE cards SET <mutable> WHERE id = :b_id``."""
    row = card_to_row(card)
    values = {name: row[name] for name in CARD_MUTABLE}
    values["b_id"] = card.id
    return values


def entry_to_row(entry: Entry, *, received_at: datetime, origin: str, till_balance_after: int | None = None,
                 conflict_id: str | None = None, answer: str | None = None) -> dict[str, Any]:
    return {
        "id": str(entry.id), "card_id": entry.card_id, "code": entry.code, "kind": entry.kind.value,
        "amount": entry.amount, "currency": entry.currency, "balance_after": entry.balance_after,
        "till_balance_after": till_balance_after, "result": entry.result.value, "error_key": entry.error_key,
        "device_id": entry.device_id, "device_seq": entry.device_seq, "operator_id": entry.operator_id,
        "created_at": entry.created_at, "received_at": received_at, "order_ref": entry.order_ref,
        "reason": entry.reason, "refund_of": None if entry.refund_of is None else str(entry.refund_of),
        "override_by": entry.override_by, "status": entry.status.value, "server_seq": entry.server_seq,
        "origin": origin, "conflict_id": conflict_id, "answer": answer, "price": entry.price,
        "payment": None if entry.payment is None else entry.payment.value,
    }


def entry_from_row(r: Mapping[Any, Any]) -> Entry:
    return Entry(
        id=uuid.UUID(r["id"]), card_id=r["card_id"], code=r["code"], kind=EntryKind(r["kind"]),
        amount=r["amount"], currency=r["currency"], balance_after=r["balance_after"], created_at=r["created_at"],
        device_id=r["device_id"], operator_id=r["operator_id"], device_seq=r["device_seq"],
        result=EntryResult(r["result"]), error_key=r["error_key"], order_ref=r["order_ref"], reason=r["reason"],
        refund_of=None if r["refund_of"] is None else uuid.UUID(r["refund_of"]), override_by=r["override_by"],
        status=EntryStatus(r["status"]), server_seq=r["server_seq"], price=r["price"],
        payment=None if r["payment"] is None else PaymentMethod(r["payment"]),
    )
