"""Ledger entries: the per-device sequence, the entry and its outbox row, written in the caller's transaction;
and the sync's side of them: entries merged from the server, the outbox sent and acknowledged.

Merging an entry this till has already with *other facts* (card, kind, amount, result; two refusals on one card
are the same facts) is a divergence (``pos_app.sync.schemas``): an online authorisation whose answer was lost,
decided again by the till offline. While the till's own is in the outbox it is left alone, so that the push
records it (the server keeps it under another id); once the server has it, the server's facts replace the
till's here, and the till's come back by pull under their new id: both ledgers end up the same.

A merge never stops on an entry of the server that the till's own unacknowledged entries contradict: the server
is the authority, and the till's own gives way. A refund of this till's that no longer fits in what is left of
its redemption once the server's refunds of it are here (two tills refunded it offline; the server took the
other's first) is refused (:meth:`SqlEntryRepository.refuse`: it moves nothing from then on, and is pushed as the
refused attempt it now is); an entry number of this device taken here by
another unacknowledged entry is given to that one anew (the server's numbering stands).

Core statements on the ledger's tables, built once at import and executed through the unit of work's connection
(SQLAlchemy caches each one compiled); the column types convert every value (``models``). A standalone
redemption runs exactly the statements it always did: whether to queue is decided in Python.
"""

from __future__ import annotations

import dataclasses
import uuid
from collections.abc import Iterator, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import (
    ColumnClause,
    Connection,
    Row,
    bindparam,
    delete,
    func,
    insert,
    literal_column,
    select,
    update,
)
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.exc import IntegrityError

from pos_app.domain import errors
from pos_app.domain.ledger import LOADING_KINDS, Entry, EntryKind, EntryResult, EntryStatus
from pos_app.services.ports import Acknowledgement, EntryRepository
from pos_app.store.models import cards, device_sequences, entries, outbox
from pos_app.store.repositories._errors import translate

COLUMNS = tuple(entries.c.keys())
NO_LIMIT = -1  # SQLite: LIMIT -1 is no limit
#: Look entries up in chunks well below SQLite's limit on bound parameters.
IDS_PER_QUERY = 500

_ROWID: ColumnClause[Any] = literal_column("entries.rowid")
_seq = device_sequences.c
_NEXT_SEQ = (
    sqlite_insert(device_sequences)
    .values(device_id=bindparam("b_device"), last_seq=1)
    .on_conflict_do_update(index_elements=[_seq.device_id], set_={"last_seq": _seq.last_seq + 1})
    .returning(_seq.last_seq)
)
_UNDO_SEQ = update(device_sequences).where(_seq.device_id == bindparam("b_device")).values(last_seq=_seq.last_seq - 1)
_INSERT = insert(entries)
_ENQUEUE = insert(outbox).values(attempts=0)
_BY_ID = select(entries).where(entries.c.id == bindparam("b_id"))
_FOR_CARD = (  # the ledger's order (``EntryRepository.for_card``): unnumbered ones on top, then the server's
    select(entries)
    .where(entries.c.card_id == bindparam("b_card"))
    .order_by(entries.c.server_seq.is_(None).desc(), entries.c.server_seq.desc(), entries.c.created_at.desc(),
              _ROWID.desc())
    .limit(bindparam("b_limit"))
)
# Literals, not parameters, where the conditions never change: so that SQLite can prove that the partial index
# on successful refunds applies.
_SUCCESS: ColumnClause[str] = literal_column(f"'{EntryResult.SUCCESS}'")
_REFUNDED = select(func.coalesce(func.sum(entries.c.amount), 0)).where(
    entries.c.refund_of == bindparam("b_id"), entries.c.result == _SUCCESS
)
#: What the server took of a redemption and what its refunds the server has (not in the outbox) gave back.
_SETTLED_REFUNDS = (
    select(func.coalesce(func.sum(entries.c.amount), 0))
    .select_from(entries.outerjoin(outbox, outbox.c.entry_id == entries.c.id))
    .where(entries.c.refund_of == bindparam("b_of"), entries.c.result == _SUCCESS,
           outbox.c.entry_id.is_(None), entries.c.id != bindparam("b_id"))
)
_OUTBOX_COUNT = select(func.count()).select_from(outbox)
_SET_ASIDE_COUNT = select(func.count()).select_from(outbox).where(outbox.c.last_error.is_not(None))
_QUEUED = frozenset({EntryStatus.LOCAL, EntryStatus.PROVISIONAL})
_merge = sqlite_insert(entries)
#: An entry the till has already: only what the server says about it changes (status, its number).
_MERGE = _merge.on_conflict_do_update(
    index_elements=[entries.c.id],
    set_={
        "status": _merge.excluded.status,
        "server_seq": func.coalesce(_merge.excluded.server_seq, entries.c.server_seq),
    },
)
_UNQUEUE = delete(outbox).where(outbox.c.entry_id == bindparam("b_id"))
_QUEUED_ROW = select(outbox.c.entry_id).where(outbox.c.entry_id == bindparam("b_id"))
_queued_entries = select(entries.c.id).join(outbox, outbox.c.entry_id == entries.c.id)
#: This till's own unacknowledged successful refunds of a redemption, in the till's order (each gives way to the
#: server's refunds when it no longer fits in what is left).
_QUEUED_REFUNDS_OF = (
    select(entries.c.id, entries.c.amount)
    .join(outbox, outbox.c.entry_id == entries.c.id)
    .where(entries.c.refund_of == bindparam("b_of"), entries.c.result == _SUCCESS, entries.c.id != bindparam("b_id"))
    .order_by(entries.c.device_seq, _ROWID)
)
#: This device's unacknowledged entry numbered ``b_seq`` with another id (it gets a new number).
_QUEUED_NUMBERED = _queued_entries.where(
    entries.c.device_id == bindparam("b_device"), entries.c.device_seq == bindparam("b_seq"),
    entries.c.id != bindparam("b_id"),
)
_RENUMBER = update(entries).where(entries.c.id == bindparam("b_id")).values(device_seq=bindparam("b_seq"))
_REFUSE = (
    update(entries).where(entries.c.id == bindparam("b_id"))
    .values(result=EntryResult.FAILURE, error_key=bindparam("b_key"))
)
_CLEAR_ASIDE = update(outbox).where(outbox.c.entry_id == bindparam("b_id")).values(last_error=None)
#: Take a refused entry's effect off the till's copy of its card (the figures ``GiftCard.apply`` moved).
_TAKE_BACK = update(cards).where(cards.c.id == bindparam("b_card")).values(
    balance=cards.c.balance - bindparam("b_amount"), loaded=cards.c.loaded - bindparam("b_loaded"),
    redeemed=cards.c.redeemed - bindparam("b_redeemed"), refunded=cards.c.refunded - bindparam("b_refunded"),
    redemption_count=cards.c.redemption_count - bindparam("b_count"),
)
#: A divergence the server has settled: its facts replace the till's (the till's are the server's under a new id).
_REPLACE = update(entries).where(entries.c.id == bindparam("b_id"))
#: The facts of entries by id, and whether each is in the outbox.
_FACTS = (
    select(entries.c.id, entries.c.card_id, entries.c.kind, entries.c.amount, entries.c.result,
           outbox.c.entry_id.is_not(None).label("queued"))
    .select_from(entries.outerjoin(outbox, outbox.c.entry_id == entries.c.id))
    .where(entries.c.id.in_(bindparam("b_ids", expanding=True)))
)
_ACKNOWLEDGE = (
    update(entries)
    .where(entries.c.id == bindparam("b_id"))
    .values(
        status=func.coalesce(bindparam("b_status", type_=entries.c.status.type), entries.c.status),
        server_seq=func.coalesce(bindparam("b_server_seq"), entries.c.server_seq),
    )
)
_SET_ASIDE = (
    update(outbox)
    .where(outbox.c.entry_id == bindparam("b_id"))
    .values(last_error=bindparam("b_error"), attempts=outbox.c.attempts + 1)
)
_PENDING = (
    select(entries)
    .join(outbox, outbox.c.entry_id == entries.c.id)
    .order_by(outbox.c.last_error.is_not(None), entries.c.device_seq, _ROWID)
    .limit(bindparam("b_limit"))
)
_PROVISIONAL_SUCCESS = (
    entries.c.result == _SUCCESS,
    entries.c.status == literal_column(f"'{EntryStatus.PROVISIONAL}'"),
)
_UNSYNCED_SPENT = (
    select(func.coalesce(-func.sum(entries.c.amount), 0))
    .select_from(outbox.join(entries, entries.c.id == outbox.c.entry_id))
    .where(entries.c.kind == literal_column(f"'{EntryKind.CREDITS_REDEMPTION}'"), *_PROVISIONAL_SUCCESS)
)
_UNSYNCED_FOR = (
    select(entries)
    .join(outbox, outbox.c.entry_id == entries.c.id)
    .where(entries.c.card_id == bindparam("b_card"), *_PROVISIONAL_SUCCESS)
    .order_by(entries.c.device_seq, _ROWID)
)
_ALL = select(entries).order_by(entries.c.created_at, _ROWID)
_SINCE = entries.c.created_at >= bindparam("b_since", type_=entries.c.created_at.type)
_UNTIL = entries.c.created_at < bindparam("b_until", type_=entries.c.created_at.type)
#: ``iter_all`` by which bounds were given: (since, until).
_WINDOWS = {
    (False, False): _ALL,
    (True, False): _ALL.where(_SINCE),
    (False, True): _ALL.where(_UNTIL),
    (True, True): _ALL.where(_SINCE, _UNTIL),
}


def _same_facts(here: Row[Any], there: Entry) -> bool:
    """``here``: (id, card_id, kind, amount, result, queued) of the till's row; ``there``: the server's entry."""
    if here.card_id != there.card_id:
        return False
    if here.result is there.result is EntryResult.FAILURE:
        return True
    return (here.kind, here.amount, here.result) == (there.kind, there.amount, there.result)


def entry_values(entry: Entry) -> dict[str, Any]:
    """Every column of the entry's row (the column types encode them)."""
    return {
        "id": entry.id,
        "card_id": entry.card_id,
        "code": entry.code,
        "kind": entry.kind,
        "amount": entry.amount,
        "currency": entry.currency,
        "balance_after": entry.balance_after,
        "result": entry.result,
        "error_key": entry.error_key,
        "device_id": entry.device_id,
        "device_seq": entry.device_seq,
        "operator_id": entry.operator_id,
        "created_at": entry.created_at,
        "order_ref": entry.order_ref,
        "reason": entry.reason,
        "refund_of": entry.refund_of,
        "override_by": entry.override_by,
        "status": entry.status,
        "server_seq": entry.server_seq,
        "price": entry.price,
        "payment": entry.payment,
    }


def entry_from_row(row: Row[Any]) -> Entry:
    """An entry from a row of ``SELECT entries.*``."""
    return Entry(
        id=row.id, card_id=row.card_id, code=row.code, kind=row.kind, amount=row.amount, currency=row.currency,
        balance_after=row.balance_after, created_at=row.created_at, device_id=row.device_id,
        operator_id=row.operator_id, device_seq=row.device_seq, result=row.result, error_key=row.error_key,
        order_ref=row.order_ref, reason=row.reason, refund_of=row.refund_of, override_by=row.override_by,
        status=row.status, server_seq=row.server_seq, price=row.price, payment=row.payment,
    )


class SqlEntryRepository(EntryRepository):
    def __init__(self, conn: Connection) -> None:
        self._conn = conn

    def _one(self, stmt: Any, params: dict[str, Any]) -> Entry | None:
        row = self._conn.execute(stmt, params).first()
        return None if row is None else entry_from_row(row)

    def _list(self, stmt: Any, params: dict[str, Any]) -> list[Entry]:
        return [entry_from_row(row) for row in self._conn.execute(stmt, params)]

    def add(self, entry: Entry) -> Entry:
        """Write the entry with this device's next sequence number and queue it in the outbox.

        A refund of this till's that would give back more than its redemption took, with the refunds of it
        stored already, raises ``RefundExceeded`` (the database's trigger says so), an entry id that exists
        ``DuplicateFound``, an unknown card ``NotFound``; the sequence
        number is given back then, so that the device's sequence stays without gaps.
        """
        reserved = entry.device_seq > 0
        stored = entry if reserved else dataclasses.replace(entry, device_seq=self.next_seq(entry.device_id))
        try:
            self._conn.execute(_INSERT, entry_values(stored))
        except IntegrityError as exc:
            if not reserved:
                self._conn.execute(_UNDO_SEQ, {"b_device": entry.device_id})
            raise (translate(exc, "entry") or exc) from exc
        if stored.status in _QUEUED:
            self._conn.execute(_ENQUEUE, {"entry_id": stored.id, "enqueued_at": stored.created_at})
        return stored

    def next_seq(self, device_id: str) -> int:
        return int(self._conn.execute(_NEXT_SEQ, {"b_device": device_id}).scalar_one())

    def merge(self, entries: Sequence[Entry]) -> None:
        here = self._here([entry.id for entry in entries])
        queued = self.outbox_count() > 0  # (nothing of this till's can be in the way otherwise)
        for entry in entries:
            mine = here.get(entry.id)
            diverged = mine is not None and not _same_facts(mine, entry)
            if diverged and mine is not None and mine.queued:
                continue  # the till's own facts, not pushed yet: the push records them first (see the docstring)
            if queued:
                self._give_way(entry)
            values = entry_values(entry)
            try:
                if diverged:
                    del values["id"]
                    self._conn.execute(_REPLACE, {**values, "b_id": entry.id})
                else:
                    self._conn.execute(_MERGE, values)
            except IntegrityError as exc:
                raise (translate(exc, f"entry {entry.id} from the server") or exc) from exc
            if entry.server_seq is not None:
                self._conn.execute(_UNQUEUE, {"b_id": entry.id})

    def _give_way(self, entry: Entry) -> None:
        """Make room for the server's ``entry``: this till's own unacknowledged entries that contradict it give
        way (see the module's docstring)."""
        if entry.refund_of is not None and entry.succeeded:
            self._refunds_give_way(entry)
        if entry.device_seq > 0:
            values = {"b_device": entry.device_id, "b_seq": entry.device_seq, "b_id": entry.id}
            for other in self._conn.execute(_QUEUED_NUMBERED, values).scalars().all():
                self._conn.execute(_RENUMBER, {"b_id": other, "b_seq": self.next_seq(entry.device_id)})

    def _refunds_give_way(self, entry: Entry) -> None:
        """The server's refund ``entry`` comes in: this till's own unacknowledged refunds of the same redemption
        keep what still fits in what it took (in the till's order, as the server will take them when they are
        pushed); the others are refused, as the server would refuse them."""
        assert entry.refund_of is not None
        redemption = self.get(entry.refund_of)
        if redemption is None:
            return
        took = -redemption.amount if redemption.succeeded else 0
        params = {"b_of": entry.refund_of, "b_id": entry.id}
        left = took - entry.amount - int(self._conn.execute(_SETTLED_REFUNDS, params).scalar_one())
        for other, amount in self._conn.execute(_QUEUED_REFUNDS_OF, params).all():
            if amount <= left:
                left -= amount
            else:
                key = errors.AlreadyRolledBack.key if left <= 0 else errors.RefundExceeded.key  # gift_amount_exceeded
                self.refuse(other, key)

    def refuse(self, entry_id: uuid.UUID, error_key: str) -> Entry | None:
        entry = self.get(entry_id)
        if entry is None or not entry.succeeded:
            return None
        if self._conn.execute(_QUEUED_ROW, {"b_id": entry_id}).first() is None:
            return None
        self._conn.execute(_REFUSE, {"b_id": entry_id, "b_key": error_key[:64]})
        self._conn.execute(_CLEAR_ASIDE, {"b_id": entry_id})
        kind = entry.kind
        self._conn.execute(_TAKE_BACK, {
            "b_card": entry.card_id, "b_amount": entry.amount,
            "b_loaded": entry.amount if kind in LOADING_KINDS else 0,
            "b_redeemed": -entry.amount if kind is EntryKind.CREDITS_REDEMPTION else 0,
            "b_refunded": entry.amount if kind is EntryKind.CREDITS_REFUND else 0,
            "b_count": 1 if kind is EntryKind.CREDITS_REDEMPTION else 0,
        })
        return entry

    def _here(self, ids: Sequence[uuid.UUID]) -> dict[uuid.UUID, Row[Any]]:
        found: dict[uuid.UUID, Row[Any]] = {}
        for start in range(0, len(ids), IDS_PER_QUERY):
            chunk = list(ids[start : start + IDS_PER_QUERY])
            found.update((row.id, row) for row in self._conn.execute(_FACTS, {"b_ids": chunk}))
        return found

    def pending(self, limit: int) -> list[Entry]:
        return self._list(_PENDING, {"b_limit": limit})

    def acknowledge(self, acks: Sequence[Acknowledgement]) -> None:
        for ack in acks:
            self._conn.execute(_UNQUEUE, {"b_id": ack.entry_id})
            self._conn.execute(_ACKNOWLEDGE, {"b_id": ack.entry_id, "b_status": ack.status,
                                              "b_server_seq": ack.server_seq})

    def set_aside(self, entry_id: uuid.UUID, error: str) -> None:
        self._conn.execute(_SET_ASIDE, {"b_id": entry_id, "b_error": error[:1000]})

    def unsynced_spent(self) -> int:
        return int(self._conn.execute(_UNSYNCED_SPENT).scalar_one())

    def unsynced_for(self, card_id: str) -> list[Entry]:
        return self._list(_UNSYNCED_FOR, {"b_card": card_id})

    def get(self, entry_id: uuid.UUID) -> Entry | None:
        return self._one(_BY_ID, {"b_id": entry_id})

    def for_card(self, card_id: str, limit: int | None = None) -> list[Entry]:
        return self._list(_FOR_CARD, {"b_card": card_id, "b_limit": NO_LIMIT if limit is None else limit})

    def refunded(self, redemption_id: uuid.UUID) -> int:
        return int(self._conn.execute(_REFUNDED, {"b_id": redemption_id}).scalar_one())

    def iter_all(self, since: datetime | None = None, until: datetime | None = None) -> Iterator[Entry]:
        bounds = {name: value for name, value in (("b_since", since), ("b_until", until)) if value is not None}
        result = self._conn.execute(_WINDOWS[since is not None, until is not None], bounds)
        try:
            for row in result:
                yield entry_from_row(row)
        finally:
            result.close()

    def outbox_count(self) -> int:
        return int(self._conn.execute(_OUTBOX_COUNT).scalar_one())

    def set_aside_count(self) -> int:
        return int(self._conn.execute(_SET_ASIDE_COUNT).scalar_one())
