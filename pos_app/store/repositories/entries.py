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

On the hot path (see ``_prepared``): statements are Core, compiled once, run on the driver connection. A
standalone redemption runs exactly the statements it always did: whether to queue is decided in Python.
"""

from __future__ import annotations

import dataclasses
import sqlite3
import uuid
from collections.abc import Iterator, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import (
    BindParameter,
    ColumnClause,
    Connection,
    String,
    bindparam,
    delete,
    func,
    insert,
    literal_column,
    select,
    update,
)
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from pos_app.domain import errors
from pos_app.domain.ledger import LOADING_KINDS, Entry, EntryKind, EntryResult, EntryStatus, PaymentMethod
from pos_app.services.ports import Acknowledgement, EntryRepository
from pos_app.store.models import cards, datetime_from_db, datetime_to_db, device_sequences, entries, outbox
from pos_app.store.repositories._errors import translate
from pos_app.store.repositories._prepared import INTEGRITY_ERRORS, Driver, Prepared

COLUMNS = tuple(entries.c.keys())
NO_LIMIT = -1  # SQLite: LIMIT -1 is no limit

_ROWID: ColumnClause[Any] = literal_column("entries.rowid")
_seq = device_sequences.c
_NEXT_SEQ = Prepared(
    sqlite_insert(device_sequences)
    .on_conflict_do_update(index_elements=[_seq.device_id], set_={"last_seq": _seq.last_seq + 1})
    .returning(_seq.last_seq),
    ("device_id", "last_seq"),
)
_UNDO_SEQ = Prepared(
    update(device_sequences).where(_seq.device_id == bindparam("b_device")).values(last_seq=_seq.last_seq - 1)
)
_INSERT = Prepared(insert(entries), COLUMNS)
_ENQUEUE = Prepared(insert(outbox), ("entry_id", "enqueued_at", "attempts"))
_BY_ID = Prepared(select(entries).where(entries.c.id == bindparam("b_id")))
_FOR_CARD = Prepared(  # the ledger's order (``EntryRepository.for_card``): unnumbered ones on top, then the server's
    select(entries)
    .where(entries.c.card_id == bindparam("b_card"))
    .order_by(entries.c.server_seq.is_(None).desc(), entries.c.server_seq.desc(), entries.c.created_at.desc(),
              _ROWID.desc())
    .limit(bindparam("b_limit"))
)
# The result as a literal, not a parameter: so that SQLite can prove the partial index applies.
_REFUNDED = Prepared(
    select(func.coalesce(func.sum(entries.c.amount), 0)).where(
        entries.c.refund_of == bindparam("b_id"), entries.c.result == literal_column(f"'{EntryResult.SUCCESS}'")
    )
)
#: What the server took of a redemption and what its refunds the server has (not in the outbox) gave back.
_SETTLED_REFUNDS = Prepared(
    select(func.coalesce(func.sum(entries.c.amount), 0))
    .select_from(entries.outerjoin(outbox, outbox.c.entry_id == entries.c.id))
    .where(entries.c.refund_of == bindparam("b_of"), entries.c.result == literal_column(f"'{EntryResult.SUCCESS}'"),
           outbox.c.entry_id.is_(None), entries.c.id != bindparam("b_id"))
)
_OUTBOX_COUNT = Prepared(select(func.count()).select_from(outbox))
_SET_ASIDE_COUNT = Prepared(select(func.count()).select_from(outbox).where(outbox.c.last_error.is_not(None)))
_QUEUED = frozenset({EntryStatus.LOCAL, EntryStatus.PROVISIONAL})
_merge = sqlite_insert(entries)
#: An entry the till has already: only what the server says about it changes (status, its number).
_MERGE = Prepared(
    _merge.on_conflict_do_update(
        index_elements=[entries.c.id],
        set_={
            "status": _merge.excluded.status,
            "server_seq": func.coalesce(_merge.excluded.server_seq, entries.c.server_seq),
        },
    ),
    COLUMNS,
)
_UNQUEUE = Prepared(delete(outbox).where(outbox.c.entry_id == bindparam("b_id")))
_QUEUED_ROW = Prepared(select(outbox.c.entry_id).where(outbox.c.entry_id == bindparam("b_id")))
#: This till's own unacknowledged successful refunds of a redemption, in the till's order (each gives way to the
#: server's refunds when it no longer fits in what is left).
_QUEUED_REFUNDS_OF = Prepared(
    select(entries.c.id, entries.c.amount)
    .join(outbox, outbox.c.entry_id == entries.c.id)
    .where(entries.c.refund_of == bindparam("b_of"), entries.c.result == literal_column(f"'{EntryResult.SUCCESS}'"),
           entries.c.id != bindparam("b_id"))
    .order_by(entries.c.device_seq, _ROWID)
)
#: This device's unacknowledged entry numbered ``b_seq`` with another id (it gets a new number).
_QUEUED_NUMBERED = Prepared(
    select(entries.c.id)
    .join(outbox, outbox.c.entry_id == entries.c.id)
    .where(entries.c.device_id == bindparam("b_device"), entries.c.device_seq == bindparam("b_seq"),
           entries.c.id != bindparam("b_id"))
)
_RENUMBER = Prepared(update(entries).where(entries.c.id == bindparam("b_id")).values(device_seq=bindparam("b_seq")))
_REFUSE = Prepared(
    update(entries).where(entries.c.id == bindparam("b_id"))
    .values(result=EntryResult.FAILURE.value, error_key=bindparam("b_key"))
)
_CLEAR_ASIDE = Prepared(update(outbox).where(outbox.c.entry_id == bindparam("b_id")).values(last_error=None))
#: Take a refused entry's effect off the till's copy of its card (the figures ``GiftCard.apply`` moved).
_TAKE_BACK = Prepared(
    update(cards).where(cards.c.id == bindparam("b_card")).values(
        balance=cards.c.balance - bindparam("b_amount"), loaded=cards.c.loaded - bindparam("b_loaded"),
        redeemed=cards.c.redeemed - bindparam("b_redeemed"), refunded=cards.c.refunded - bindparam("b_refunded"),
        redemption_count=cards.c.redemption_count - bindparam("b_count"),
    )
)
#: A divergence the server has settled: its facts replace the till's (the till's are the server's under a new id).
_REPLACE = Prepared(update(entries).where(entries.c.id == bindparam("b_id")), tuple(c for c in COLUMNS if c != "id"))
_FACTS: dict[int, Prepared] = {}  # by number of ids; built on first use
#: Look entries up in chunks well below SQLite's limit on bound parameters.
IDS_PER_QUERY = 500
_ACKNOWLEDGE = Prepared(
    update(entries)
    .where(entries.c.id == bindparam("b_id"))
    .values(
        status=func.coalesce(bindparam("b_status"), entries.c.status),
        server_seq=func.coalesce(bindparam("b_server_seq"), entries.c.server_seq),
    )
)
_SET_ASIDE = Prepared(
    update(outbox)
    .where(outbox.c.entry_id == bindparam("b_id"))
    .values(last_error=bindparam("b_error"), attempts=outbox.c.attempts + 1)
)
_PENDING = Prepared(
    select(entries)
    .join(outbox, outbox.c.entry_id == entries.c.id)
    .order_by(outbox.c.last_error.is_not(None), entries.c.device_seq, _ROWID)
    .limit(bindparam("b_limit"))
)
# Literals, not parameters: the conditions never change.
_unsynced = (
    select(func.coalesce(-func.sum(entries.c.amount), 0))
    .select_from(outbox.join(entries, entries.c.id == outbox.c.entry_id))
    .where(
        entries.c.kind == literal_column(f"'{EntryKind.CREDITS_REDEMPTION}'"),
        entries.c.result == literal_column(f"'{EntryResult.SUCCESS}'"),
        entries.c.status == literal_column(f"'{EntryStatus.PROVISIONAL}'"),
    )
)
_UNSYNCED_FOR = Prepared(
    select(entries)
    .join(outbox, outbox.c.entry_id == entries.c.id)
    .where(
        entries.c.card_id == bindparam("b_card"),
        entries.c.result == literal_column(f"'{EntryResult.SUCCESS}'"),
        entries.c.status == literal_column(f"'{EntryStatus.PROVISIONAL}'"),
    )
    .order_by(entries.c.device_seq, _ROWID)
)
_UNSYNCED_ALL = Prepared(_unsynced)
_UNSYNCED_CARD = Prepared(_unsynced.where(entries.c.card_id == bindparam("b_card")))
_all = select(entries).order_by(entries.c.created_at, _ROWID)
_since = entries.c.created_at >= bindparam("b_since")
_until = entries.c.created_at < bindparam("b_until")
#: ``iter_all`` by which bounds were given: (since, until).
_WINDOWS = {
    (False, False): Prepared(_all),
    (True, False): Prepared(_all.where(_since)),
    (False, True): Prepared(_all.where(_until)),
    (True, True): Prepared(_all.where(_since, _until)),
}


def _facts(n: int) -> Prepared:
    """The facts of the entries with ``n`` ids ``i0`` …, and whether each is in the outbox."""
    stmt = _FACTS.get(n)
    if stmt is None:
        names: list[BindParameter[str]] = [bindparam(f"i{i}", type_=String) for i in range(n)]
        stmt = _FACTS[n] = Prepared(
            select(entries.c.id, entries.c.card_id, entries.c.kind, entries.c.amount, entries.c.result,
                   outbox.c.entry_id.is_not(None))
            .select_from(entries.outerjoin(outbox, outbox.c.entry_id == entries.c.id))
            .where(entries.c.id.in_(names))
        )
    return stmt


def _same_facts(here: Sequence[Any], there: dict[str, Any]) -> bool:
    """``here``: (id, card_id, kind, amount, result, queued) of the till's row; ``there``: the server's values."""
    if here[1] != there["card_id"]:
        return False
    if here[4] == there["result"] == EntryResult.FAILURE.value:
        return True
    return (here[2], here[3], here[4]) == (there["kind"], there["amount"], there["result"])


def entry_to_db(entry: Entry) -> dict[str, Any]:
    return {
        "id": str(entry.id),
        "card_id": entry.card_id,
        "code": entry.code,
        "kind": entry.kind.value,
        "amount": entry.amount,
        "currency": entry.currency,
        "balance_after": entry.balance_after,
        "result": entry.result.value,
        "error_key": entry.error_key,
        "device_id": entry.device_id,
        "device_seq": entry.device_seq,
        "operator_id": entry.operator_id,
        "created_at": datetime_to_db(entry.created_at),
        "order_ref": entry.order_ref,
        "reason": entry.reason,
        "refund_of": None if entry.refund_of is None else str(entry.refund_of),
        "override_by": entry.override_by,
        "status": entry.status.value,
        "server_seq": entry.server_seq,
        "price": entry.price,
        "payment": None if entry.payment is None else entry.payment.value,
    }


def entry_from_db(row: Sequence[Any]) -> Entry:
    """An entry from a row of ``SELECT entries.*`` (columns in :data:`COLUMNS` order)."""
    r = dict(zip(COLUMNS, row, strict=True))
    return Entry(
        id=uuid.UUID(r["id"]), card_id=r["card_id"], code=r["code"], kind=EntryKind(r["kind"]),
        amount=r["amount"], currency=r["currency"], balance_after=r["balance_after"],
        created_at=datetime_from_db(r["created_at"]), device_id=r["device_id"], operator_id=r["operator_id"],
        device_seq=r["device_seq"], result=EntryResult(r["result"]), error_key=r["error_key"],
        order_ref=r["order_ref"], reason=r["reason"],
        refund_of=None if r["refund_of"] is None else uuid.UUID(r["refund_of"]), override_by=r["override_by"],
        status=EntryStatus(r["status"]), server_seq=r["server_seq"], price=r["price"],
        payment=None if r["payment"] is None else PaymentMethod(r["payment"]),
    )


class SqlEntryRepository(EntryRepository):
    def __init__(self, conn: Connection) -> None:
        self._driver = Driver(conn)

    def _one(self, cursor: sqlite3.Cursor) -> Entry | None:
        row = cursor.fetchone()
        return None if row is None else entry_from_db(row)

    def add(self, entry: Entry) -> Entry:
        """Write the entry with this device's next sequence number and queue it in the outbox.

        A refund of this till's that would give back more than its redemption took, with the refunds of it
        stored already, raises ``RefundExceeded`` (the database's trigger says so), an entry id that exists
        ``DuplicateFound``, an unknown card ``NotFound``; the sequence
        number is given back then, so that the device's sequence stays without gaps.
        """
        raw = self._driver()
        reserved = entry.device_seq > 0
        if reserved:
            stored = entry
        else:
            seq = _NEXT_SEQ.run(raw, {"device_id": entry.device_id, "last_seq": 1}).fetchone()[0]
            stored = dataclasses.replace(entry, device_seq=seq)
        values = entry_to_db(stored)
        try:
            _INSERT.run(raw, values)
        except INTEGRITY_ERRORS as exc:
            if not reserved:
                _UNDO_SEQ.run(raw, {"b_device": entry.device_id})
            raise (translate(exc, "entry") or exc) from exc
        if stored.status in _QUEUED:
            _ENQUEUE.run(raw, {"entry_id": values["id"], "enqueued_at": values["created_at"], "attempts": 0})
        return stored

    def next_seq(self, device_id: str) -> int:
        return int(_NEXT_SEQ.run(self._driver(), {"device_id": device_id, "last_seq": 1}).fetchone()[0])

    def merge(self, entries: Sequence[Entry]) -> None:
        raw = self._driver()
        here = self._here(raw, [str(entry.id) for entry in entries])
        queued = self.outbox_count() > 0  # (nothing of this till's can be in the way otherwise)
        for entry in entries:
            values = entry_to_db(entry)
            mine = here.get(values["id"])
            diverged = mine is not None and not _same_facts(mine, values)
            if diverged and mine is not None and mine[5]:
                continue  # the till's own facts, not pushed yet: the push records them first (see the docstring)
            if queued:
                self._give_way(raw, entry)
            try:
                if diverged:
                    _REPLACE.run(raw, {**values, "b_id": values["id"]})
                else:
                    _MERGE.run(raw, values)
            except INTEGRITY_ERRORS as exc:
                raise (translate(exc, f"entry {entry.id} from the server") or exc) from exc
            if entry.server_seq is not None:
                _UNQUEUE.run(raw, {"b_id": values["id"]})

    def _give_way(self, raw: sqlite3.Connection, entry: Entry) -> None:
        """Make room for the server's ``entry``: this till's own unacknowledged entries that contradict it give
        way (see the module's docstring)."""
        entry_id = str(entry.id)
        if entry.refund_of is not None and entry.succeeded:
            self._refunds_give_way(raw, entry)
        if entry.device_seq > 0:
            values = {"b_device": entry.device_id, "b_seq": entry.device_seq, "b_id": entry_id}
            for (other,) in _QUEUED_NUMBERED.run(raw, values).fetchall():
                _RENUMBER.run(raw, {"b_id": other, "b_seq": self.next_seq(entry.device_id)})

    def _refunds_give_way(self, raw: sqlite3.Connection, entry: Entry) -> None:
        """The server's refund ``entry`` comes in: this till's own unacknowledged refunds of the same redemption
        keep what still fits in what it took (in the till's order, as the server will take them when they are
        pushed); the others are refused, as the server would refuse them."""
        of = str(entry.refund_of)
        redemption = self._one(_BY_ID.run(raw, {"b_id": of}))
        if redemption is None:
            return
        took = -redemption.amount if redemption.succeeded else 0
        left = took - entry.amount - int(_SETTLED_REFUNDS.run(raw, {"b_of": of, "b_id": str(entry.id)}).fetchone()[0])
        for other, amount in _QUEUED_REFUNDS_OF.run(raw, {"b_of": of, "b_id": str(entry.id)}).fetchall():
            if amount <= left:
                left -= amount
            else:
                key = errors.AlreadyRolledBack.key if left <= 0 else errors.RefundExceeded.key  # gift_amount_exceeded
                self.refuse(uuid.UUID(other), key)

    def refuse(self, entry_id: uuid.UUID, error_key: str) -> Entry | None:
        raw = self._driver()
        key = str(entry_id)
        entry = self._one(_BY_ID.run(raw, {"b_id": key}))
        if entry is None or not entry.succeeded or _QUEUED_ROW.run(raw, {"b_id": key}).fetchone() is None:
            return None
        _REFUSE.run(raw, {"b_id": key, "b_key": error_key[:64]})
        _CLEAR_ASIDE.run(raw, {"b_id": key})
        kind = entry.kind
        _TAKE_BACK.run(raw, {
            "b_card": entry.card_id, "b_amount": entry.amount,
            "b_loaded": entry.amount if kind in LOADING_KINDS else 0,
            "b_redeemed": -entry.amount if kind is EntryKind.CREDITS_REDEMPTION else 0,
            "b_refunded": entry.amount if kind is EntryKind.CREDITS_REFUND else 0,
            "b_count": 1 if kind is EntryKind.CREDITS_REDEMPTION else 0,
        })
        return entry

    @staticmethod
    def _here(raw: sqlite3.Connection, ids: Sequence[str]) -> dict[str, tuple[Any, ...]]:
        found: dict[str, tuple[Any, ...]] = {}
        for start in range(0, len(ids), IDS_PER_QUERY):
            chunk = ids[start : start + IDS_PER_QUERY]
            found.update((row[0], tuple(row)) for row in raw.execute(_facts(len(chunk)).sql, tuple(chunk)))
        return found

    def pending(self, limit: int) -> list[Entry]:
        return [entry_from_db(row) for row in _PENDING.run(self._driver(), {"b_limit": limit})]

    def acknowledge(self, acks: Sequence[Acknowledgement]) -> None:
        raw = self._driver()
        for ack in acks:
            entry_id = str(ack.entry_id)
            _UNQUEUE.run(raw, {"b_id": entry_id})
            _ACKNOWLEDGE.run(raw, {
                "b_id": entry_id, "b_status": None if ack.status is None else ack.status.value,
                "b_server_seq": ack.server_seq,
            })

    def set_aside(self, entry_id: uuid.UUID, error: str) -> None:
        _SET_ASIDE.run(self._driver(), {"b_id": str(entry_id), "b_error": error[:1000]})

    def unsynced_spent(self, card_id: str | None = None) -> int:
        raw = self._driver()
        if card_id is None:
            return int(_UNSYNCED_ALL.run(raw, {}).fetchone()[0])
        return int(_UNSYNCED_CARD.run(raw, {"b_card": card_id}).fetchone()[0])

    def unsynced_for(self, card_id: str) -> list[Entry]:
        return [entry_from_db(row) for row in _UNSYNCED_FOR.run(self._driver(), {"b_card": card_id})]

    def get(self, entry_id: uuid.UUID) -> Entry | None:
        return self._one(_BY_ID.run(self._driver(), {"b_id": str(entry_id)}))

    def for_card(self, card_id: str, limit: int | None = None) -> list[Entry]:
        cursor = _FOR_CARD.run(self._driver(), {"b_card": card_id, "b_limit": NO_LIMIT if limit is None else limit})
        return [entry_from_db(row) for row in cursor]

    def refunded(self, redemption_id: uuid.UUID) -> int:
        return int(_REFUNDED.run(self._driver(), {"b_id": str(redemption_id)}).fetchone()[0])

    def iter_all(self, since: datetime | None = None, until: datetime | None = None) -> Iterator[Entry]:
        values = {
            "b_since": None if since is None else datetime_to_db(since),
            "b_until": None if until is None else datetime_to_db(until),
        }
        cursor = _WINDOWS[since is not None, until is not None].run(self._driver(), values)
        try:
            for row in cursor:
                yield entry_from_db(row)
        finally:
            cursor.close()

    def outbox_count(self) -> int:
        return int(_OUTBOX_COUNT.run(self._driver(), {}).fetchone()[0])

    def set_aside_count(self) -> int:
        return int(_SET_ASIDE_COUNT.run(self._driver(), {}).fetchone()[0])
