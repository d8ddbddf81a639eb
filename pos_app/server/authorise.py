"""Online authorisation: the server decides one value change at a till (``POST /sync/v1/authorise``).

:func:`authorise` runs one write transaction (on a worker thread, the same on SQLite and PostgreSQL):

1. in one read: the device's token, an earlier answer to the same ``entry_id``, and the card, locked
   (``SELECT … FOR UPDATE`` on PostgreSQL; on SQLite the transaction holds the database's write lock from
   ``BEGIN IMMEDIATE``), so concurrent tills never overspend a card;
2. the token, a replay and the till's failed lookups are checked before anything of the card is used;
3. the card's domain rules decide (:func:`decide`, pure Python) with its validation rules, a redemption with
   what the API's LOCK sessions hold on the card (``holds``);
4. the writes: the card, the entry, the change-log lines (``ledger``), then the commit.

* The rules are checked at the server's time (expiry, validity hours); the till's ``created_at`` is stored on
  the entry as sent (converted to UTC), and the server orders by ``server_seq``.
* A refusal on a known card is recorded as a FAILURE entry and answered HTTP 200 with ``result: FAILURE``.
  An unknown card is answered the same way (``not_found``, no entry, no card): there is no card to record it on.
* A replay of an ``entry_id`` answers byte for byte what the first answer said, whatever happened to the card
  since: the entry is rebuilt from its row and the rest of the answer (result, card, error) was stored with it.
  An ``entry_id`` already used for another card, or by a push, is refused with 409 ``duplicate_found``.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import UTC, datetime, tzinfo
from typing import Any

from sqlalchemy import Connection

from pos_app.domain import errors
from pos_app.domain.cards import GiftCard, OperationContext
from pos_app.domain.ledger import Entry, EntryStatus
from pos_app.domain.operations import NO_POLICY, Policy, check_allowed, kind_named, named
from pos_app.domain.operations import decide as decide_operation
from pos_app.domain.people import Actor
from pos_app.server import authority, holds, lookups
from pos_app.server.auth import check_device, sha256
from pos_app.server.authorise_io import CoreStatements, First
from pos_app.server.divergence import redemption_ids, refunded_amount, the_redemption
from pos_app.server.rows import entry_to_row
from pos_app.server.rules import with_rules
from pos_app.server.tills import note_seen
from pos_app.sync.convert import card_to_wire, entry_to_wire, error_to_body
from pos_app.sync.schemas import AuthoriseRequest, AuthoriseResponse

log = logging.getLogger("pos_app.server")


@dataclass(frozen=True, slots=True)
class Decision:
    """What an authorisation decided: the entry (without its ``server_seq``), the card to write (None when a
    refusal changed nothing), the entry's row, and the answer but for its entry (stored with it, for replays)."""

    entry: Entry
    changed: GiftCard | None
    row: dict[str, Any]
    rest: str


def start(first: First | None, req: AuthoriseRequest) -> tuple[str, str | None]:
    """The device id behind the token, and the stored answer when ``req`` is a replay (None: a new request)."""
    device_id = check_device(first)
    assert first is not None
    if first.code is None:
        return device_id, None
    if first.answer is None or first.code != req.code:
        raise errors.DuplicateFound(f"entry id {req.entry_id} was used already for another operation")
    return device_id, first.answer


def check_replay(stored: Entry, req: AuthoriseRequest) -> None:
    """A replay is the same request again: anything else under its ``entry_id`` is 409 ``duplicate_found``."""
    same = (
        stored.kind is kind_named(req.op, req.amount) and stored.operator_id == req.operator_id
        and stored.device_seq == req.device_seq and stored.refund_of == req.refund_of
        and stored.currency == req.currency
        and (req.amount is None or abs(stored.amount) in (abs(req.amount), 0))
        and (req.payment is None or stored.payment in (None, req.payment))
        and (req.price is None or stored.price in (None, req.price))
    )
    if not same:
        raise errors.DuplicateFound(f"entry id {req.entry_id} was used already for other content")


def find_redemption(req: AuthoriseRequest, entry: Callable[[str], Entry | None],
                    refunded: Callable[[str], int]) -> tuple[Entry | None, int]:
    """The redemption a refund gives back, however the server stored it (``divergence.the_redemption``: under
    ``till_fact_id`` when the server had refused it and the till accepted it offline), and what the refunds naming
    it gave back so far (``divergence.refunded_amount``); (None, 0) when ``req`` is no refund."""
    if req.op != "refund" or req.refund_of is None:
        return None, 0
    ids = redemption_ids(req.refund_of)
    found = {i: e for i in ids if (e := entry(i)) is not None}
    target = the_redemption(req.refund_of, found)
    named = set(ids) | ({str(target.id)} if target is not None else set())
    return target, refunded_amount(req.refund_of, target, {i: refunded(i) for i in named})


def unknown_card() -> str:
    unknown = errors.NotFound("no gift card has that code")
    return AuthoriseResponse(result="FAILURE", error=error_to_body(unknown)).model_dump_json()


def decide(card: GiftCard, req: AuthoriseRequest, device_id: str, at: datetime, *, actor: Actor, zone: tzinfo,
           redemption: Entry | None = None, refunded: int = 0, policy: Policy = NO_POLICY,
           created_today: int = 0, held: int = 0) -> Decision:
    """Let the domain decide ``req`` at the server's time ``at`` (in the shop's ``zone``) for ``actor``: an
    operation their role does not allow is refused (403 ``forbidden``, raised: nothing is recorded); a refusal by
    the card's rules or head office's maxima is a FAILURE entry."""
    ctx = OperationContext(at=at, zone=zone, device_id=device_id, operator_id=req.operator_id,
                           order_ref=req.order_ref, reason=req.reason)
    refusal: errors.GiftCardError | None = None
    try:
        if req.op == "refund" and req.refund_of is None:
            raise errors.InvalidPayload("a refund names the redemption it rolls back (refund_of)")
        op = named(req.op, card=card, amount=req.amount, currency=req.currency, order_amount=req.order_amount,
                   redemption=redemption, refunded=refunded, price=req.price, payment=req.payment, held=held)
    except errors.GiftCardError as exc:
        refusal = exc
    else:
        check_allowed(actor, op, ctx, policy)
        try:
            entry = decide_operation(card, op, ctx, policy=policy, created_today=created_today)
        except errors.GiftCardError as exc:
            refusal = exc
    if refusal is not None:
        if isinstance(refusal, errors.DailyCapExceeded):
            log.warning("till %s: %s refused online (%s: %s)", device_id, req.op, refusal.key, refusal.details)
        entry = card.failed_attempt(kind_named(req.op, req.amount), _attempted(req), refusal, ctx)
    entry = replace(
        entry, id=req.entry_id, created_at=req.created_at.astimezone(UTC), device_seq=req.device_seq,
        override_by=req.override_by, refund_of=req.refund_of, status=EntryStatus.CONFIRMED,
    )
    rest = (f'"result":"{"SUCCESS" if refusal is None else "FAILURE"}","card":{card_to_wire(card).model_dump_json()},'
            f'"error":{"null" if refusal is None else error_to_body(refusal).model_dump_json()}')
    row = entry_to_row(entry, received_at=at, origin="online", answer=rest)
    return Decision(entry, card if entry.succeeded else None, row, rest)


def answer(entry: Entry, rest: str) -> str:
    """The whole answer: the entry (with its ``server_seq``) and the rest, as stored."""
    return f'{{"entry":{entry_to_wire(entry).model_dump_json()},{rest}}}'


def authorise(conn: Connection, token: str, req: AuthoriseRequest, at: datetime, *,
              unsynced: int | None = None) -> str:
    """Decide ``req`` for the device with ``token`` in this transaction; returns the answer as JSON. The till is
    noted as seen, saying it holds ``unsynced`` entries (``tills.note_seen``)."""
    db = CoreStatements(conn)
    first = db.first(sha256(token), str(req.entry_id), req.operator_id, req.code, at - lookups.HORIZON)
    device_id, replayed = start(first, req)
    assert first is not None
    note_seen(conn, device_id, seen_before=first.last_seen_at, unsynced_before=first.unsynced, at=at,
              unsynced=unsynced)
    if replayed is not None:
        entry = db.entry(str(req.entry_id))
        assert entry is not None
        check_replay(entry, req)
        return answer(entry, replayed)
    if first.failed_lately:  # a till that guessed too many codes waits (429), before any lookup
        lookups.check(conn, device_id, at)
    card = with_rules(conn, first.card)  # its validation rules, for the domain's decision
    if card is None:
        lookups.record(conn, device_id, req.code, at)
        return unknown_card()
    actor = authority.known(first.operator, req.operator_id)  # 403 unless an active person on the server
    redemption, refunded = find_redemption(req, db.entry, db.refunded)
    creates = req.op in ("sell", "top_up") or (req.op == "correct" and (req.amount or 0) > 0)
    rules = authority.policy(conn, device_id) if creates else NO_POLICY
    made = authority.created_today(conn, device_id, at) if creates and rules.daily_created_per_till else 0
    held = holds.held(conn, card.id, at) if req.op == "redeem" else 0  # what the API's LOCK sessions hold
    done = decide(card, req, device_id, at, actor=actor, zone=first.zone, redemption=redemption, refunded=refunded,
                  policy=rules, created_today=made, held=held)
    seq = db.write(done.changed, done.row)
    return answer(replace(done.entry, server_seq=seq), done.rest)


def _attempted(req: AuthoriseRequest) -> int:
    """The signed amount a refused attempt would have moved (0 when unknown; the wire bounds it)."""
    amount = req.amount or 0
    return -abs(amount) if req.op == "redeem" else amount
