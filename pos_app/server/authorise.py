"""Online authorisation: the server decides one value change at a till (``POST /sync/v1/authorise``).

:func:`authorise` runs one write transaction (on a worker thread, the same on SQLite and PostgreSQL):

1. the device's token and an earlier answer to the same ``entry_id``, in one read;
2. the card, locked (``SELECT … FOR UPDATE`` on PostgreSQL; on SQLite the transaction holds the database's write
   lock from ``BEGIN IMMEDIATE``), so concurrent tills never overspend a card;
3. the card's domain rules decide (:func:`decide`, pure Python);
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

from dataclasses import dataclass, replace
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Connection

from pos_app.domain import errors
from pos_app.domain.cards import GiftCard, OperationContext
from pos_app.domain.ledger import Entry, EntryKind, EntryStatus
from pos_app.domain.money import Money
from pos_app.server import lookups
from pos_app.server.auth import check_device, sha256
from pos_app.server.authorise_io import CoreStatements, First
from pos_app.server.rows import entry_to_row
from pos_app.server.wire import error_body, wire_card, wire_entry
from pos_app.sync.schemas import AuthoriseRequest, AuthoriseResponse

#: Amounts beyond this are refused by the rules and recorded as an attempt of 0 (they would not fit a BIGINT).
_RECORDABLE = 10**15


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


def refund_target(req: AuthoriseRequest) -> str | None:
    """The redemption a refund needs read before the rules can decide (None: nothing to read)."""
    return str(req.refund_of) if req.op == "refund" and req.refund_of is not None else None


def unknown_card() -> str:
    unknown = errors.NotFound("no gift card has that code")
    return AuthoriseResponse(result="FAILURE", error=error_body(unknown)).model_dump_json()


def decide(card: GiftCard, req: AuthoriseRequest, device_id: str, at: datetime, *,
           redemption: Entry | None = None, refunded: bool = False) -> Decision:
    """Let the card's rules decide ``req`` at the server's time ``at`` (a refusal is a FAILURE entry)."""
    ctx = OperationContext(at=at, device_id=device_id, operator_id=req.operator_id, order_ref=req.order_ref,
                           reason=req.reason)
    refusal: errors.GiftCardError | None = None
    try:
        entry = _decide(card, req, ctx, redemption, refunded)
    except errors.GiftCardError as exc:
        refusal = exc
        entry = card.failed_attempt(_kind(req), _attempted(req), exc, ctx)
    entry = replace(
        entry, id=req.entry_id, created_at=req.created_at.astimezone(UTC), device_seq=req.device_seq,
        override_by=req.override_by, refund_of=req.refund_of, status=EntryStatus.CONFIRMED,
    )
    rest = (f'"result":"{"SUCCESS" if refusal is None else "FAILURE"}","card":{wire_card(card).model_dump_json()},'
            f'"error":{"null" if refusal is None else error_body(refusal).model_dump_json()}')
    row = entry_to_row(entry, received_at=at, origin="online", answer=rest)
    return Decision(entry, card if entry.succeeded else None, row, rest)


def answer(entry: Entry, rest: str) -> str:
    """The whole answer: the entry (with its ``server_seq``) and the rest, as stored."""
    return f'{{"entry":{wire_entry(entry).model_dump_json()},{rest}}}'


def authorise(conn: Connection, token: str, req: AuthoriseRequest, at: datetime) -> str:
    """Decide ``req`` for the device with ``token`` in this transaction; returns the answer as JSON."""
    db = CoreStatements(conn)
    device_id, replayed = start(db.first(sha256(token), str(req.entry_id)), req)
    if replayed is not None:
        entry = db.entry(str(req.entry_id))
        assert entry is not None
        return answer(entry, replayed)
    lookups.check(conn, device_id, at)  # a till that guessed too many codes waits (429), before any lookup
    card = db.lock_card(req.code)
    if card is None:
        lookups.record(conn, device_id, req.code, at)
        return unknown_card()
    target = refund_target(req)
    redemption = None if target is None else db.entry(target)
    refunded = target is not None and db.refunded(target)
    done = decide(card, req, device_id, at, redemption=redemption, refunded=refunded)
    seq = db.write(done.changed, done.row)
    return answer(replace(done.entry, server_seq=seq), done.rest)


def _money(amount: int | None, req: AuthoriseRequest) -> Money:
    if amount is None:
        raise errors.MissingAmount(f"{req.op} needs an amount")
    return Money(amount, req.currency)


def _decide(card: GiftCard, req: AuthoriseRequest, ctx: OperationContext, redemption: Entry | None,
            refunded: bool) -> Entry:
    """The entry the card's rules make of ``req``, or the refusal they raise."""
    if req.op == "redeem":
        return card.redeem(_money(req.amount, req), ctx, req.order_amount)
    if req.op == "sell":
        return card.activate(_money(req.amount if req.amount is not None else card.initial_amount, req), ctx)
    if req.op == "top_up":
        return card.top_up(_money(req.amount, req), ctx)
    if req.op == "correct":
        if req.amount is None:
            raise errors.MissingAmount("a correction needs a signed amount")
        if req.currency != card.currency:
            raise errors.CurrencyMismatch(f"card {card.masked} is in {card.currency}, not {req.currency}")
        return card.correct(req.amount, ctx)
    if req.refund_of is None:
        raise errors.InvalidPayload("a refund names the redemption it rolls back (refund_of)")
    if redemption is None:
        raise errors.NotFound(f"no redemption {req.refund_of} on the server")
    amount = None if req.amount is None else _money(req.amount, req)
    return card.refund(redemption, ctx, amount, already_refunded=refunded)


def _kind(req: AuthoriseRequest) -> EntryKind:
    if req.op == "redeem":
        return EntryKind.CREDITS_REDEMPTION
    if req.op == "refund":
        return EntryKind.CREDITS_REFUND
    if req.op == "correct" and (req.amount or 0) < 0:
        return EntryKind.CREDITS_REMOVAL
    return EntryKind.CREDITS_ADDITION


def _attempted(req: AuthoriseRequest) -> int:
    """The signed amount a refused attempt would have moved (0 when unknown or absurd)."""
    amount = req.amount or 0
    if abs(amount) > _RECORDABLE:
        return 0
    return -abs(amount) if req.op == "redeem" else amount


def check_request(req: AuthoriseRequest) -> None:
    """Refuse what could not be stored (400 ``invalid_payload``) before any transaction starts."""
    if not 0 <= req.device_seq < 2**63:
        raise errors.InvalidPayload("device_seq is out of range")
    if req.created_at.utcoffset() is None:
        raise errors.InvalidPayload("created_at needs a UTC offset (ISO-8601 such as 2026-01-31T09:30:00+01:00)")
