"""``/v1/redemptions`` (``RedemptionsApi``) and the legacy ``POST /v1/vouchers/{code}/redemption``.

Every gift redemption is the till's use case, ``services.cards.redeem``, over the server's unit of work: the same
rules, roles and limits as at a till, with what others' LOCK sessions hold (``sessions.held``, read under the
card's lock); a session named by the request gives up its own hold as its credits are taken. A stacked request
is applied whole or not at all, in ONE transaction (``uow.OneTransaction``): its cards are locked in id order
first (no deadlock between two requests), and when one redeemable is refused, what the others did is undone and
only the refusal stays on the ledger (the FAILURE entry its use case recorded), and the request is answered
with that refusal's key (400 ``gift_amount_exceeded``, ``voucher_disabled``…; 404 ``not_found``).

A request repeated under the same ``order.source_id`` by the same key is answered from what the first one wrote
and applied once; another request under that ``source_id`` is 409 ``duplicate_found`` (``replay``). A rollback
is ``services.cards.refund`` of what is left of the redemption (``CREDITS_REFUND``); once nothing is left, 400
``already_rolled_back``. A part of a stacked redemption is rolled back with its parent, as in Voucherify.
"""

from __future__ import annotations

import uuid
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Body, Query
from sqlalchemy import Connection, and_, func, insert, or_, select

from pos_app.domain import errors
from pos_app.domain.ledger import USED_BEFORE_IMPORT, Entry, EntryKind
from pos_app.domain.money import Money
from pos_app.server.db.engine import read
from pos_app.server.db.models import api_redemptions, campaigns, cards, customers, entries
from pos_app.server.ledger import now
from pos_app.server.uow import OneTransaction, ServerUnitOfWork
from pos_app.server.voucherify import redemption_view as view
from pos_app.server.voucherify import replay, sessions, shapes
from pos_app.server.voucherify.deps import Api, ApiCall
from pos_app.server.voucherify.fields import Lenient, Metadata, Name, Text
from pos_app.server.voucherify.sessions import SessionBody
from pos_app.server.voucherify.stacked import (
    Credits,
    CustomerRef,
    OrderBody,
    Redeemable,
    StackedBody,
    credits,
    find_locked,
    not_found,
    order_answer,
    order_of,
)
from pos_app.server.voucherify.vouchers import found_or_recorded, path_code
from pos_app.services import cards as use_cases

router = APIRouter(tags=["redemptions"])
_KINDS = (EntryKind.CREDITS_REDEMPTION.value, EntryKind.CREDITS_REFUND.value)
_LISTED = and_(entries.c.kind.in_(_KINDS), or_(entries.c.reason.is_(None), entries.c.reason != USED_BEFORE_IMPORT))


def _order_facts(body: StackedBody) -> dict[str, Any]:
    """What the redemption's use case learns of the order (``services.cards.redeem``'s keyword arguments)."""
    return {"order_amount": body.order.amount if body.order is not None else None, "order": order_of(body)}


@router.post("/redemptions")
def redeem_stacked(body: StackedBody, call: Api) -> dict[str, Any]:
    return _answer(call, _redeem(call, body))


class LegacyBody(Lenient):
    """The deprecated ``POST /v1/vouchers/{code}/redemption`` body: ``{"order": {"amount": …}}`` (or ``gift``)."""

    order: OrderBody | None = None
    gift: Credits | None = None
    customer: CustomerRef | None = None
    session: SessionBody | None = None
    tracking_id: Name | None = None
    metadata: Metadata | None = None


@router.post("/vouchers/{code}/redemption")
def redeem_legacy(code: str, call: Api, body: Annotated[LegacyBody | None, Body()] = None) -> dict[str, Any]:
    """One voucher redeemed as the product's old examples do; answers the redemption itself."""
    body = body or LegacyBody()
    stacked = StackedBody.model_validate({
        **body.model_dump(exclude_none=True), "redeemables": [Redeemable(id=path_code(code), gift=body.gift)]})
    answered = _answer(call, _redeem(call, stacked))
    return dict(answered["redemptions"][0])


def _redeem(call: ApiCall, body: StackedBody) -> list[uuid.UUID]:
    """The ids of the redemptions made (or made by the first request under the same ``order.source_id``)."""
    codes = body.codes()
    source_id = body.order.source_id if body.order is not None else None
    asked = replay.request(call.key_id, "redemption", source_id, body.model_dump(mode="json"))
    return replay.once(call.engine, asked, lambda hook: _apply(call, body, codes, hook), lambda ids: ids)


def _apply(call: ApiCall, body: StackedBody, codes: list[str], hook: replay.Hook | None) -> list[uuid.UUID]:
    caller = call.caller()
    session_key = body.session.key.strip() if body.session is not None and body.session.key else None
    own = (call.key_id, session_key) if session_key else None
    parent_id = str(uuid.uuid4()) if len(codes) > 1 else None
    order_ref = (body.order.source_id or body.order.id) if body.order is not None else None
    with OneTransaction(call.engine, before_commit=hook) as uow:
        conn = uow.connection
        at = now()
        found, missing = find_locked(conn, call.key_id, codes, at)
        if missing:
            uow.commit()  # the failed look-ups count
            raise not_found(missing[0])
        uow.mark()
        done: list[Entry] = []
        try:
            for redeemable in body.redeemables:
                card = found[redeemable.id][0]
                amount = Money(credits(redeemable, body.order), card.currency)
                done.append(use_cases.redeem(uow, caller, redeemable.id, amount, order_ref=order_ref,
                                             held=sessions.held(conn, card.id, at, besides=own),
                                             **_order_facts(body)))
        except errors.GiftCardError:
            refused = [e for e in uow.added if not e.succeeded]
            uow.undo()  # what the other redeemables did is gone; the refusal alone is kept
            for entry in refused:
                _asked(conn, call, body, uow.entries.add(entry), None, None)
            uow.commit()
            raise
        for entry in done:
            _asked(conn, call, body, entry, parent_id, session_key)
            if session_key:
                sessions.end(conn, call.key_id, session_key, entry.card_id, at, "redeemed")
        uow.commit()
    return [e.id for e in done]


def _asked(conn: Connection, call: ApiCall, body: StackedBody, entry: Entry, parent_id: str | None,
           session_key: str | None) -> None:
    order = body.order.model_dump(mode="json", exclude_none=True) if body.order is not None else {}
    conn.execute(insert(api_redemptions).values(
        entry_id=str(entry.id), parent_id=parent_id, key_id=call.key_id, session_key=session_key,
        tracking_id=body.tracking_id, order=order, created_at=entry.created_at))


def _answer(call: ApiCall, ids: list[uuid.UUID]) -> dict[str, Any]:
    def work(conn: Connection) -> dict[str, Any]:
        made = {str(v.entry.id): v for v in view.read_entries(conn, entries.c.id.in_([str(i) for i in ids]))}
        parts = [made[str(i)] for i in ids]
        asked = parts[0].asked if parts else None
        taken = sum(-p.entry.amount for p in parts)
        return {
            "redemptions": [view.redemption(p, call.base_url) for p in parts],
            "parent_redemption": view.parent(asked.parent_id, parts) if asked and asked.parent_id else None,
            "order": order_answer(asked.order, taken) if asked and asked.order else None,
            "inapplicable_redeemables": [], "skipped_redeemables": [],
        }

    return read(call.engine, work)


class RollbackBody(Lenient):
    reason: Text | None = None
    tracking_id: Name | None = None


Reason = Annotated[str | None, Query(max_length=500)]
Tracking = Annotated[str | None, Query(max_length=200)]


@router.post("/redemptions/{redemption_id}/rollback")
def rollback_redemption(redemption_id: str, call: Api, reason: Reason = None, tracking_id: Tracking = None,
                        body: Annotated[RollbackBody | None, Body()] = None) -> dict[str, Any]:
    """Give back what is left of one redemption (not a part of a stacked one: roll back its parent)."""
    entry_id = view.uuid_of(redemption_id)
    parent_id = read(call.engine, lambda conn: conn.execute(
        select(api_redemptions.c.parent_id).where(api_redemptions.c.entry_id == str(entry_id))).scalar())
    if parent_id is not None:
        raise errors.InvalidPayload(f"this redemption is a part of {view.rid(parent_id)}: roll back that one "
                                    f"(POST /v1/redemptions/{view.rid(parent_id)}/rollbacks)")
    why = reason or (body.reason if body is not None else None)
    refund = use_cases.refund(ServerUnitOfWork(call.engine), call.caller(), entry_id, reason=why)
    return _rollbacks(call, [refund.id])[0]


@router.post("/redemptions/{parent_id}/rollbacks")
def rollback_stacked(parent_id: str, call: Api, reason: Reason = None, tracking_id: Tracking = None,
                     body: Annotated[RollbackBody | None, Body()] = None) -> dict[str, Any]:
    """Give back what is left of every part of a stacked redemption, in one transaction (or of a single one)."""
    pid = view.uuid_of(parent_id)
    why = reason or (body.reason if body is not None else None)
    parts = read(call.engine, lambda conn: view.children_of(conn, str(pid)))
    if not parts:
        return {"rollbacks": [rollback_redemption(parent_id, call, reason, tracking_id, body)],
                "parent_rollback": None, "order": None}
    caller = call.caller()
    with OneTransaction(call.engine) as uow:
        done = []
        for part in parts:
            if not part.entry.succeeded:
                continue
            try:
                done.append(use_cases.refund(uow, caller, part.entry.id, reason=why))
            except errors.AlreadyRolledBack:
                continue
        if not done:
            raise errors.AlreadyRolledBack(f"redemption {view.rid(pid)} has been rolled back already")
        uow.commit()
    rollbacks = _rollbacks(call, [e.id for e in done])
    given = sum(e.amount for e in done)
    asked = parts[0].asked
    return {
        "rollbacks": rollbacks,
        "parent_rollback": {
            "id": view.rid(pid, "rr_"), "object": "redemption_rollback", "date": shapes.iso(done[0].created_at),
            "amount": given, "redemption": view.rid(pid), "reason": why, "result": "SUCCESS",
            "status": "SUCCEEDED", "tracking_id": asked.tracking_id if asked else None, "metadata": {},
            "related_object_type": "redemption", "related_object_id": view.rid(pid),
            "channel": {"channel_id": call.key_id, "channel_type": "API"},
        },
        "order": order_answer(asked.order, 0) if asked and asked.order else None,
    }


def _rollbacks(call: ApiCall, ids: list[uuid.UUID]) -> list[dict[str, Any]]:
    def work(conn: Connection) -> list[dict[str, Any]]:
        made = {str(v.entry.id): v for v in view.read_entries(conn, entries.c.id.in_([str(i) for i in ids]))}
        return [view.rollback(made[str(i)], call.base_url) for i in ids]

    return read(call.engine, work)


@router.get("/redemptions/{redemption_id}")
def get_redemption(redemption_id: str, call: Api) -> dict[str, Any]:
    """A redemption, a rollback, or a stacked redemption's parent."""
    wanted = view.uuid_of(redemption_id)

    def work(conn: Connection) -> dict[str, Any]:
        found = view.read_entries(conn, and_(entries.c.id == str(wanted), entries.c.kind.in_(_KINDS)))
        if found:
            return view.redemption(found[0], call.base_url)
        parts = view.children_of(conn, str(wanted))
        if parts:
            return view.parent(str(wanted), parts)
        raise errors.NotFound(f"no redemption with id {redemption_id[:60]!r}")

    return read(call.engine, work)


_ORDERS = {
    "created_at": [entries.c.server_seq], "-created_at": [entries.c.server_seq.desc()],
    "id": [entries.c.id], "-id": [entries.c.id.desc()],
    "voucher_code": [entries.c.code, entries.c.server_seq], "-voucher_code": [entries.c.code.desc(),
                                                                              entries.c.server_seq.desc()],
}


@router.get("/redemptions")
def list_redemptions(call: Api, limit: Annotated[int, Query(ge=1, le=100)] = 10,
                     page: Annotated[int, Query(ge=1, le=99)] = 1,
                     result: Literal["SUCCESS", "FAILURE"] | None = None,
                     campaign: Annotated[str | None, Query(max_length=200)] = None,
                     customer: Annotated[str | None, Query(max_length=200)] = None,
                     order: Annotated[str | None, Query(max_length=40)] = None) -> dict[str, Any]:
    """Redemptions and rollbacks of every card, whoever made them, newest first unless ``order`` says otherwise
    (``created_at``, ``id``, ``voucher_code``, each also with ``-``; the others Voucherify knows sort by date)."""
    where = _LISTED
    if result is not None:
        where = and_(where, entries.c.result == result)
    if campaign is not None:
        where = and_(where, entries.c.card_id.in_(select(cards.c.id).join(
            campaigns, campaigns.c.id == cards.c.campaign_id).where(campaigns.c.name == campaign)))
    if customer is not None:
        theirs = select(customers.c.id).where(or_(customers.c.id == customer, customers.c.source_id == customer))
        where = and_(where, entries.c.card_id.in_(select(cards.c.id).where(cards.c.customer_id.in_(theirs))))
    ordering = _ORDERS.get(order or "-created_at", _ORDERS["-created_at"])

    def work(conn: Connection) -> dict[str, Any]:
        total = conn.execute(select(func.count()).select_from(entries).where(where)).scalar_one()
        listed = view.read_entries(conn, where, order=ordering, limit=limit, offset=(page - 1) * limit)
        return shapes.listing([view.redemption(v, call.base_url) for v in listed], data_ref="redemptions",
                              total=total)

    return read(call.engine, work)


@router.get("/vouchers/{code}/redemption")
def get_voucher_redemptions(code: str, call: Api) -> dict[str, Any]:
    """The voucher's redemptions and rollbacks (its latest hundred), newest first."""
    card, _ = found_or_recorded(call, path_code(code))
    where = and_(_LISTED, entries.c.card_id == card.id)

    def work(conn: Connection) -> dict[str, Any]:
        total = conn.execute(select(func.count()).select_from(entries).where(where)).scalar_one()
        listed = view.read_entries(conn, where, order=[entries.c.server_seq.desc()], limit=100)
        return {
            "quantity": card.redemption_limit, "redeemed_quantity": card.redemption_count, "object": "list",
            "url": f"{call.base_url}{shapes.voucher_path(card.code)}/redemption", "data_ref": "redemption_entries",
            "total": total, "redemption_entries": [view.redemption(v, call.base_url) for v in listed],
        }

    return read(call.engine, work)
