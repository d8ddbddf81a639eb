"""A card's value through the API: ``update_voucher_balance`` (``POST /v1/vouchers/{code}/balance``) and
``list_voucher_transactions`` (``GET /v1/vouchers/{code}/transactions``).

A balance change is the till's own use case run on the server's ledger by the key (``services.cards``): a positive
``amount`` is a top-up (its ``source_id`` kept as the entry's order reference), a negative one a manager's
correction, which needs a ``reason`` as it does at a till. Under a ``source_id`` it is applied once
(``replay.once``, scope ``balance``): the same request again is answered as the first time, another one under that
``source_id`` is refused (409 ``duplicate_found``). The answer is built from the entry written, so that a replay
answers exactly what the first request was answered.

The transactions are the card's successful entries (a refused attempt moved nothing), in ledger order
(``server_seq``), newest first unless ``order`` is ``id`` (or ``created_at``); ``starting_after_id`` is an entry
id, the page goes on after it. Each carries the balance after it and the card's ``total`` (what was loaded:
value, additions, removals) after it.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Body, Query
from sqlalchemy import Connection, func, select

from pos_app.domain import errors
from pos_app.domain.ledger import Entry, EntryKind, EntryResult
from pos_app.domain.money import Money
from pos_app.server.db.engine import read
from pos_app.server.db.models import entries
from pos_app.server.rows import entry_from_row
from pos_app.server.uow import ServerUnitOfWork
from pos_app.server.voucherify import replay
from pos_app.server.voucherify.deps import Api, ApiCall
from pos_app.server.voucherify.fields import Amount, Lenient, Name, Text, within_currency
from pos_app.server.voucherify.shapes import iso
from pos_app.server.voucherify.vouchers import found_or_recorded, path_code
from pos_app.services import cards

router = APIRouter(tags=["vouchers"])
_LOADING = (EntryKind.CREDITS_ADDITION.value, EntryKind.CREDITS_REMOVAL.value)


class BalanceBody(Lenient):
    amount: Amount | None = None
    source_id: Name | None = None
    reason: Text | None = None


def _loaded_before(conn: Connection, card_id: str, server_seq: int) -> int:
    """What had been loaded on the card before the entry numbered ``server_seq``."""
    return int(conn.execute(select(func.coalesce(func.sum(entries.c.amount), 0)).where(
        entries.c.card_id == card_id, entries.c.server_seq < server_seq, entries.c.result == "SUCCESS",
        entries.c.kind.in_(_LOADING))).scalar_one())


def _totals(conn: Connection, page: Sequence[Entry]) -> dict[uuid.UUID, int]:
    """The card's loaded total after each of ``page`` (one card's entries)."""
    if not page:
        return {}
    ascending = sorted(page, key=lambda e: e.server_seq or 0)
    total = _loaded_before(conn, ascending[0].card_id, ascending[0].server_seq or 0)
    after: dict[uuid.UUID, int] = {}
    for entry in ascending:
        if entry.kind.value in _LOADING:
            total += entry.amount
        after[entry.id] = total
    return after


def _transaction(entry: Entry, total: int, campaign_id: str | None) -> dict[str, Any]:
    manual = entry.kind.value in _LOADING
    return {
        "id": str(entry.id), "source_id": entry.order_ref, "voucher_id": entry.card_id, "campaign_id": campaign_id,
        "source": "API" if entry.device_id.startswith("key_") else None, "reason": entry.reason,
        "related_transaction_id": None if entry.refund_of is None else str(entry.refund_of),
        "created_at": iso(entry.created_at), "type": entry.kind.value,
        "details": {"balance": {
            "type": "gift_voucher", "total": total, "object": "balance", "balance": entry.balance_after,
            "operation_type": "MANUAL" if manual else "AUTOMATIC",
            "related_object": {"id": entry.card_id, "type": "voucher"}}},
    }


def _balance_answer(call: ApiCall, ids: list[uuid.UUID]) -> dict[str, Any]:
    """``update_voucher_balance``'s answer, from the entry the change wrote."""
    def work(conn: Connection) -> tuple[Entry, int]:
        row = conn.execute(select(entries).where(entries.c.id == str(ids[0]))).mappings().one()
        entry = entry_from_row(row)
        return entry, _totals(conn, [entry])[entry.id]

    entry, total = read(call.engine, work)
    return {"amount": entry.amount, "total": total, "balance": entry.balance_after, "type": "gift_voucher",
            "operation_type": "MANUAL", "object": "balance",
            "related_object": {"type": "voucher", "id": entry.card_id}}


@router.post("/vouchers/{code}/balance")
def update_voucher_balance(code: str, call: Api,
                           body: Annotated[BalanceBody | None, Body()] = None) -> dict[str, Any]:
    """Add (``amount`` > 0) or remove (< 0) value, once per ``source_id``."""
    code = path_code(code)
    body = body or BalanceBody()
    if body.amount is None or body.amount == 0:
        raise errors.InvalidAddBalanceParams("amount: a signed number of minor units, not zero")
    card, _ = found_or_recorded(call, code)
    amount = Money(within_currency(body.amount, card.currency), card.currency)
    req = replay.request(call.key_id, "balance", body.source_id, {"code": code, **body.model_dump()})

    def run(hook: replay.Hook | None) -> dict[str, Any]:
        uow = ServerUnitOfWork(call.engine, before_commit=hook)
        if amount.minor > 0:
            entry = cards.top_up(uow, call.caller(), code, amount, reason=body.reason, order_ref=body.source_id)
        else:
            entry = cards.correct(uow, call.caller(), code, amount, reason=body.reason or "")
        return _balance_answer(call, [entry.id])

    return replay.once(call.engine, req, run, lambda ids: _balance_answer(call, ids))


Order = Literal["id", "-id", "created_at", "-created_at"]  # the SDK sends id or -id: ledger order both


@router.get("/vouchers/{code}/transactions")
def list_voucher_transactions(code: str, call: Api, limit: Annotated[int, Query(ge=1, le=100)] = 10,
                              order: Order = "-created_at",
                              starting_after_id: Annotated[str | None, Query(max_length=64)] = None
                              ) -> dict[str, Any]:
    code = path_code(code)
    card, _ = found_or_recorded(call, code)
    newest_first = order.startswith("-")

    def work(conn: Connection) -> tuple[list[Entry], dict[uuid.UUID, int], bool]:
        where = [entries.c.card_id == card.id, entries.c.result == EntryResult.SUCCESS.value]
        if starting_after_id is not None:
            seq = conn.execute(select(entries.c.server_seq).where(
                entries.c.id == starting_after_id.strip(), entries.c.card_id == card.id)).scalar_one_or_none()
            if seq is None:
                raise errors.InvalidPayload(f"starting_after_id {starting_after_id[:40]!r} is no transaction "
                                                "of this voucher")
            where.append(entries.c.server_seq < seq if newest_first else entries.c.server_seq > seq)
        by = entries.c.server_seq.desc() if newest_first else entries.c.server_seq.asc()
        rows = conn.execute(select(entries).where(*where).order_by(by).limit(limit + 1)).mappings().all()
        page = [entry_from_row(r) for r in rows[:limit]]
        return page, _totals(conn, page), len(rows) > limit

    page, totals, more = read(call.engine, work)
    return {"object": "list", "data_ref": "data",
            "data": [_transaction(e, totals[e.id], card.campaign_id) for e in page],
            "has_more": more, "more_starting_after": str(page[-1].id) if more else None}

