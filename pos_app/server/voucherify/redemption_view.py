"""Redemptions and rollbacks as Voucherify shows them, read from the ledger.

A redemption is a ``CREDITS_REDEMPTION`` entry, whoever made it (a till, the console, the API), its id ``r_`` and
the entry's UUID in hex; a rollback is a ``CREDITS_REFUND`` entry, ``rr_`` and its UUID. A till's entry id (the
UUID itself) names it too. A redemption asked through the API also has its ``api_redemptions`` row: the stacked
request it was part of (its parent's id is ``r_`` and the request's own UUID), the order and the session.
``status`` is ``ROLLED_BACK`` once its refunds gave back all it took, ``FAILED`` for a refused attempt.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Connection, select

from pos_app.domain import errors
from pos_app.domain.cards import GiftCard
from pos_app.domain.ledger import Entry, EntryKind
from pos_app.server.db.models import api_redemptions, campaigns, cards, entries
from pos_app.server.rows import card_from_row, entry_from_row
from pos_app.server.voucherify import shapes
from pos_app.server.voucherify.stacked import order_answer


@dataclass(frozen=True, slots=True)
class Asked:
    """What the API kept of the request that made a redemption."""

    parent_id: str | None
    key_id: str
    session_key: str | None
    tracking_id: str | None
    order: dict[str, Any]


@dataclass(slots=True)
class Viewed:
    entry: Entry
    card: GiftCard
    campaign: str | None
    asked: Asked | None
    rollbacks: list[Entry] = field(default_factory=list)  # a redemption's successful refunds, oldest first


def rid(entry_id: uuid.UUID | str, prefix: str = "r_") -> str:
    return prefix + uuid.UUID(str(entry_id)).hex


def uuid_of(text: str) -> uuid.UUID:
    """The UUID an id names (``r_<hex>``, ``rr_<hex>`` or a till's entry id); ``not_found`` otherwise."""
    bare = text.strip().removeprefix("rr_").removeprefix("r_")
    try:
        return uuid.UUID(bare)
    except ValueError:
        raise errors.NotFound(f"no redemption with id {text[:60]!r}") from None


def read_entries(conn: Connection, where: Any, *, order: Any = None, limit: int | None = None,
                 offset: int = 0) -> list[Viewed]:
    """The entries ``where`` selects, each with its card, campaign, request and (a redemption's) refunds."""
    stmt = select(entries).where(where).order_by(*(order if order is not None else [entries.c.server_seq]))
    found = [entry_from_row(r) for r in conn.execute(stmt.limit(limit).offset(offset)).mappings()]
    return views(conn, found)


def views(conn: Connection, found: Sequence[Entry]) -> list[Viewed]:
    if not found:
        return []
    card_rows = conn.execute(select(cards, campaigns.c.name.label("campaign_name"))
                             .outerjoin(campaigns, campaigns.c.id == cards.c.campaign_id)
                             .where(cards.c.id.in_(sorted({e.card_id for e in found})))).mappings()
    by_card = {r["id"]: (card_from_row(r), r["campaign_name"]) for r in card_rows}
    ids = [str(e.id) for e in found]
    asked = {r.entry_id: Asked(r.parent_id, r.key_id, r.session_key, r.tracking_id, dict(r.order or {}))
             for r in conn.execute(select(api_redemptions).where(api_redemptions.c.entry_id.in_(ids)))}
    refunds: dict[str, list[Entry]] = {}
    stmt = select(entries).where(entries.c.refund_of.in_(ids), entries.c.result == "SUCCESS")
    for r in conn.execute(stmt.order_by(entries.c.server_seq)).mappings():
        refunds.setdefault(r["refund_of"], []).append(entry_from_row(r))
    return [Viewed(e, *by_card[e.card_id], asked.get(str(e.id)), refunds.get(str(e.id), [])) for e in found]


def _status(v: Viewed) -> str:
    if not v.entry.succeeded:
        return "FAILED"
    if v.entry.kind is EntryKind.CREDITS_REFUND:
        return "SUCCEEDED"
    return "ROLLED_BACK" if sum(r.amount for r in v.rollbacks) >= -v.entry.amount else "SUCCEEDED"


def _failure(v: Viewed) -> tuple[str | None, str | None]:
    key = v.entry.error_key
    known = errors.ERRORS_BY_KEY.get(key or "")
    return key, (known.message if known is not None else key)


def _common(v: Viewed, base_url: str, amount: int) -> dict[str, Any]:
    e, asked = v.entry, v.asked
    code, message = _failure(v)
    order = (order_answer(asked.order, amount if e.succeeded else 0) if asked and asked.order
             else {"source_id": e.order_ref, "object": "order", "status": "PAID"} if e.order_ref else None)
    return {
        "date": shapes.iso(e.created_at), "customer_id": v.card.customer_id,
        "tracking_id": asked.tracking_id if asked else None, "metadata": {}, "amount": amount,
        "result": e.result.value, "status": _status(v), "failure_code": code, "failure_message": message,
        "order": order, "channel": {"channel_id": e.device_id, "channel_type": "API" if asked else "USER"},
        "related_object_type": "voucher", "related_object_id": v.card.id, "gift": {"amount": amount},
        "voucher": shapes.voucher(v.card, campaign=v.campaign, base_url=base_url),
    }


def redemption(v: Viewed, base_url: str) -> dict[str, Any]:
    """A redemption entry (or a refund, as a rollback) as Voucherify's object."""
    e = v.entry
    if e.kind is EntryKind.CREDITS_REFUND:
        return rollback(v, base_url)
    asked = v.asked
    return {
        "id": rid(e.id), "object": "redemption", **_common(v, base_url, -e.amount),
        "redemption": rid(asked.parent_id) if asked and asked.parent_id else None,
        "session": {"key": asked.session_key} if asked and asked.session_key else None,
        "related_redemptions": {"rollbacks": [{"id": rid(r.id, "rr_"), "date": shapes.iso(r.created_at)}
                                              for r in v.rollbacks], "redemptions": []},
    }


def rollback(v: Viewed, base_url: str) -> dict[str, Any]:
    e = v.entry
    return {"id": rid(e.id, "rr_"), "object": "redemption_rollback", **_common(v, base_url, e.amount),
            "redemption": rid(e.refund_of) if e.refund_of else None, "reason": e.reason}


def parent(parent_id: str, children: Sequence[Viewed]) -> dict[str, Any]:
    """The stacked request's own redemption: its parts under ``related_redemptions``."""
    first = children[0]
    asked = first.asked
    taken = sum(-c.entry.amount for c in children)
    statuses = {_status(c) for c in children}
    return {
        "id": rid(parent_id), "object": "redemption", "date": shapes.iso(first.entry.created_at),
        "customer_id": None, "tracking_id": asked.tracking_id if asked else None, "metadata": {},
        "amount": taken, "redemption": None,
        "result": "SUCCESS" if all(c.entry.succeeded for c in children) else "FAILURE",
        "status": statuses.pop() if len(statuses) == 1 else "SUCCEEDED",
        "session": {"key": asked.session_key} if asked and asked.session_key else None,
        "related_redemptions": {"redemptions": [{"id": rid(c.entry.id), "date": shapes.iso(c.entry.created_at)}
                                                for c in children], "rollbacks": []},
        "order": order_answer(asked.order, taken) if asked and asked.order else None,
        "channel": {"channel_id": asked.key_id if asked else None, "channel_type": "API"},
        "related_object_type": "redemption", "related_object_id": rid(parent_id),
    }


def children_of(conn: Connection, parent_id: str) -> list[Viewed]:
    ids = select(api_redemptions.c.entry_id).where(api_redemptions.c.parent_id == parent_id)
    return read_entries(conn, entries.c.id.in_(ids))
