"""Sync conflicts: cards that offline redemptions overdrew (or used while frozen or disabled), and how a manager
resolves them. Nothing is dropped: every entry stays; a resolution adds its own entry through the card's rules.

* ``recover`` — the customer pays the difference; ``write_off`` — the shop bears the loss. Both add a
  CREDITS_ADDITION that brings the card back to zero (none when it is not below zero any more).
* ``correct`` — a manager's correction by ``amount`` (signed minor units) with the reason; the card may not stay
  below zero.

Then the card is unfrozen: to its status before the conflict (active, or disabled when a disabled card was
used), or disabled when ``disable`` is set. ``overdraft`` is how far below zero the card is now (for an open
conflict) or was when it was resolved.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import replace
from datetime import datetime
from typing import Any, Literal

from sqlalchemy import Connection, insert, select, update

from pos_app.domain import errors
from pos_app.domain.cards import CardStatus, GiftCard, OperationContext
from pos_app.domain.ledger import Entry, EntryStatus
from pos_app.domain.money import Money
from pos_app.domain.operations import check_policy
from pos_app.domain.people import Permission
from pos_app.server import authority
from pos_app.server.db.models import cards, conflicts, entries
from pos_app.server.errors import ConflictResolved
from pos_app.server.ledger import CARD, ENTRY, append_changes, lock_cards, save_cards
from pos_app.server.rows import entry_to_row
from pos_app.server.shops import till_zone
from pos_app.sync.schemas import ConflictOut, ResolveConflict

#: The device id of what head office does on the server itself (``pos-server conflicts resolve``).
SERVER_DEVICE = "server"
Which = Literal["open", "resolved", "all"]

_LIST = (
    select(conflicts, cards.c.code, cards.c.currency, cards.c.balance)
    .join(cards, cards.c.id == conflicts.c.card_id)
    .order_by(conflicts.c.opened_at, conflicts.c.id)
)


def list_conflicts(conn: Connection, which: Which = "open", *, conflict_id: str | None = None) -> list[ConflictOut]:
    stmt = _LIST if which == "all" else _LIST.where(conflicts.c.status == which)
    if conflict_id is not None:
        stmt = stmt.where(conflicts.c.id == conflict_id)
    rows = conn.execute(stmt).mappings().all()
    if not rows:
        return []
    members: dict[str, list[Any]] = defaultdict(list)
    for conflict_id_, entry_id in conn.execute(
        select(entries.c.conflict_id, entries.c.id)
        .where(entries.c.conflict_id.in_([r["id"] for r in rows]))
        .order_by(entries.c.server_seq)
    ):
        members[conflict_id_].append(entry_id)
    return [_out(r, members[r["id"]]) for r in rows]


def _out(r: Any, entry_ids: list[Any]) -> ConflictOut:
    is_open = r["status"] == "open"
    return ConflictOut(
        id=r["id"], card_id=r["card_id"], code=r["code"], status=r["status"],
        overdraft=max(0, -r["balance"]) if is_open else r["overdraft"], currency=r["currency"],
        entry_ids=entry_ids, opened_at=r["opened_at"], resolution=r["resolution"], reason=r["reason"],
        resolved_at=r["resolved_at"], notes=(r["notes"] or "").splitlines(),
    )


def get_conflict(conn: Connection, conflict_id: str) -> ConflictOut:
    found = list_conflicts(conn, "all", conflict_id=conflict_id)
    if not found:
        raise errors.NotFound(f"no conflict {conflict_id!r}")
    return found[0]


def _check_operator(conn: Connection, operator_id: str | None, device_id: str) -> None:
    """Resolving a conflict corrects a balance: a manager's, an active person on the server. Head office at
    the server's own command line (``SERVER_DEVICE``) may name nobody."""
    if device_id == SERVER_DEVICE and operator_id is None:
        return
    authority.actor(conn, operator_id).require(Permission.CORRECT)


def resolve(conn: Connection, conflict_id: str, cmd: ResolveConflict, device_id: str, at: datetime) -> ConflictOut:
    card_id = conn.execute(select(conflicts.c.card_id).where(conflicts.c.id == conflict_id)).scalar_one_or_none()
    if card_id is None:
        raise errors.NotFound(f"no conflict {conflict_id!r}")
    _check_operator(conn, cmd.operator_id, device_id)
    (card,) = lock_cards(conn, [card_id], [])
    if cmd.action == "correct" and (cmd.amount or 0) > 0:
        check_policy(card, cmd.amount or 0, authority.policy(conn, device_id))
    row = conn.execute(select(conflicts).where(conflicts.c.id == conflict_id)).mappings().one()
    if row["status"] != "open":
        raise ConflictResolved(f"conflict {conflict_id} was resolved on {row['resolved_at']:%Y-%m-%d %H:%M} UTC")
    shortfall = max(0, -card.balance)
    ctx = OperationContext(at=at, zone=till_zone(conn, device_id), device_id=device_id,
                           operator_id=cmd.operator_id, reason=f"conflict {conflict_id}, {cmd.action}: {cmd.reason}")
    entry = _entry(card, cmd, shortfall, ctx)
    card.status = CardStatus.DISABLED if cmd.disable or row["prior_status"] == CardStatus.DISABLED else \
        CardStatus.ACTIVE if card.activated_at is not None or card.loaded > 0 else CardStatus.INACTIVE
    card.version += 1
    save_cards(conn, [card])
    conn.execute(update(conflicts).where(conflicts.c.id == conflict_id).values(
        status="resolved", resolution=cmd.action, reason=cmd.reason, resolved_at=at, overdraft=shortfall,
        resolved_by=cmd.operator_id or device_id, resolution_entry_id=None if entry is None else str(entry.id),
    ))
    seqs = append_changes(conn, [(CARD, card.id)] + ([] if entry is None else [(ENTRY, str(entry.id))]))
    if entry is not None:
        entry = replace(entry, status=EntryStatus.CONFIRMED, server_seq=seqs[-1])
        conn.execute(insert(entries), entry_to_row(entry, received_at=at, origin="server"))
    return get_conflict(conn, conflict_id)


def _entry(card: GiftCard, cmd: ResolveConflict, shortfall: int, ctx: OperationContext) -> Entry | None:
    if cmd.action != "correct":
        if cmd.amount is not None:
            raise errors.InvalidPayload(f"{cmd.action} brings the card back to zero; only 'correct' takes an amount")
        return card.correct(Money(shortfall, card.currency), ctx) if shortfall > 0 else None
    if cmd.amount is None:
        raise errors.MissingAmount("a correction needs a signed amount")
    entry = card.correct(Money(cmd.amount, card.currency), ctx)
    if card.balance < 0:
        short = Money(-card.balance, card.currency)
        raise errors.InvalidAmount(f"the card would still be {short} below zero; correct by at least that more")
    return entry
