"""The statements of online authorisation: SQLAlchemy Core (:class:`CoreStatements`, for SQLite and as the
reference), and PostgreSQL's optimistic path (``authorise_async``) compiled once to asyncpg's SQL: :data:`READ`
(device, earlier answer, card and its row version in one round trip) and :func:`postgres_write` (every write as
one statement of data-modifying CTEs that writes nothing unless the card's row version is still the one read).

The row version is PostgreSQL's ``xmin`` system column: the transaction that wrote the row's current version.
Every write of a card, by any code path (push, conflicts, the command line, a manual ``UPDATE``), makes a new
version with a new ``xmin``, so no writer has to remember to bump a column; a lock (``FOR UPDATE``) does not
change it. It is read and compared as a number (``xmin::text::bigint``; the filter is on the primary key anyway).
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any, NamedTuple

from sqlalchemy import (
    BigInteger,
    Connection,
    String,
    bindparam,
    insert,
    literal,
    literal_column,
    select,
    union_all,
    update,
)
from sqlalchemy.dialects.postgresql.asyncpg import PGDialect_asyncpg

from pos_app.domain.cards import GiftCard
from pos_app.domain.ledger import Entry
from pos_app.server.db.models import CHANGES_COUNTER, cards, changes, counters, devices, entries
from pos_app.server.ledger import CARD, ENTRY, allocate, log_changes, save_cards
from pos_app.server.rows import CARD_MUTABLE, card_from_row, entry_from_row

FIRST = (
    select(devices.c.id, devices.c.revoked_at, entries.c.code, entries.c.answer)
    .select_from(devices.outerjoin(entries, entries.c.id == bindparam("entry_id")))
    .where(devices.c.token_hash == bindparam("token_hash"))
)
LOCK_CARD = select(cards).where(cards.c.code == bindparam("code")).with_for_update()
ENTRY_BY_ID = select(entries).where(entries.c.id == bindparam("id"))
REFUNDED = select(entries.c.id).where(
    entries.c.refund_of == bindparam("id"), entries.c.result == literal_column("'SUCCESS'")
)
#: The card row's version (see the module's docstring).
xmin = literal_column("cards.xmin::text::bigint", BigInteger)
#: PostgreSQL's one read: the device, an earlier entry with the request's id, the card and its version (one row
#: whenever the token is known; the entry's and the card's columns are NULL when there is none).
READ = (
    select(devices.c.id.label("device_id"), devices.c.revoked_at, entries.c.code.label("replay_code"),
           entries.c.answer, xmin.label("xmin"), *cards.c)
    .select_from(devices.outerjoin(entries, entries.c.id == bindparam("entry_id"))
                 .outerjoin(cards, cards.c.code == bindparam("code")))
    .where(devices.c.token_hash == bindparam("token_hash"))
)
#: A hot card's lock (the fallback after lost races): then READ and the write run in its transaction.
LOCK_CODE = select(cards.c.id).where(cards.c.code == bindparam("code")).with_for_update()


class First(NamedTuple):
    """The device behind the token (``id``, ``revoked_at``) and an entry with the request's id, if any."""

    id: str
    revoked_at: datetime | None
    code: str | None
    answer: str | None


class CoreStatements:
    def __init__(self, conn: Connection) -> None:
        self.conn = conn

    def first(self, token_hash: str, entry_id: str) -> First | None:
        row = self.conn.execute(FIRST, {"token_hash": token_hash, "entry_id": entry_id}).first()
        return None if row is None else First(*row)

    def lock_card(self, code: str) -> GiftCard | None:
        row = self.conn.execute(LOCK_CARD, {"code": code}).mappings().first()
        return None if row is None else card_from_row(row)

    def entry(self, entry_id: str) -> Entry | None:
        row = self.conn.execute(ENTRY_BY_ID, {"id": entry_id}).mappings().first()
        return None if row is None else entry_from_row(row)

    def refunded(self, entry_id: str) -> bool:
        return self.conn.execute(REFUNDED, {"id": entry_id}).first() is not None

    def write(self, changed: GiftCard | None, row: dict[str, Any]) -> int:
        """The card (when it changed), the entry and the change-log lines; returns the entry's ``server_seq``."""
        if changed is not None:
            save_cards(self.conn, [changed])
        last = allocate(self.conn, 1 if changed is None else 2)  # as late as it can
        self.conn.execute(insert(entries), {**row, "server_seq": last})
        log_changes(self.conn, [(last, ENTRY, row["id"])] if changed is None else
                    [(last - 1, CARD, changed.id), (last, ENTRY, row["id"])])
        return last


def postgres_write(changed: bool) -> Any:
    """The writes as one statement of data-modifying CTEs, all or nothing on the card's version (``xmin``): the
    card (updated when ``changed``, else locked ``FOR UPDATE`` so that no change commits between this decision
    and its entry), then the change-log counter (its row lock, which serialises every writer until the commit,
    taken only once the card is), the entry and the change-log lines. Returns the entry's ``server_seq``; no row
    when the card changed since it was read (nothing written)."""
    current = (cards.c.id == bindparam("b_id"), xmin == bindparam("xmin", type_=BigInteger))
    card = (
        update(cards).where(*current)
        .values({k: bindparam(f"c_{k}", type_=cards.c[k].type) for k in CARD_MUTABLE})
        .returning(cards.c.id).cte("card")
        if changed else select(cards.c.id).where(*current).with_for_update().cte("card")
    )
    seqs = (
        update(counters).where(counters.c.name == CHANGES_COUNTER, card.c.id.is_not(None))  # UPDATE … FROM card
        .values(value=counters.c.value + (2 if changed else 1))
        .returning(counters.c.value.label("last")).cte("seqs")
    )
    columns = [c.key for c in entries.c if c.key != "server_seq"]
    stmt = insert(entries).from_select(
        [*columns, "server_seq"],
        select(*[bindparam(f"e_{k}", type_=entries.c[k].type) for k in columns], seqs.c.last),
    )
    entry_line = select(seqs.c.last, literal(ENTRY, String), bindparam("e_id", type_=String))
    card_line = select(seqs.c.last - 1, literal(CARD, String), bindparam("e_card_id", type_=String))
    lines: Any = union_all(card_line, entry_line) if changed else entry_line
    log = insert(changes).from_select(["seq", "kind", "ref_id"], lines).cte("log")
    return stmt.add_cte(card).add_cte(log).returning(entries.c.server_seq)


class Compiled:
    """A statement as asyncpg's SQL text (``$1``, ``$2`` …) and the order of its parameters: :meth:`args` takes
    them by name (the statement's literals, such as the counter's name, are filled in)."""

    def __init__(self, stmt: Any) -> None:
        compiled = stmt.compile(dialect=PGDialect_asyncpg())  # type: ignore[no-untyped-call]
        self.sql: str = compiled.string
        self.names: tuple[str, ...] = tuple(compiled.positiontup or ())
        self.fixed: dict[str, Any] = {k: v for k, v in compiled.params.items()
                                      if k in self.names and not compiled.binds[k].required}

    def args(self, values: Mapping[str, Any]) -> list[Any]:
        fixed = self.fixed
        return [values[name] if name in values else fixed[name] for name in self.names]


# ---- PostgreSQL's batches (``authorise_batch``): one read and one write for many requests -----------------

def _read_many() -> str:
    """One row per request, in the requests' order (``i``, from 1): what :data:`READ` gives for one."""
    card_columns = ", ".join(f"c.{c.name}" for c in cards.c)
    return (
        "SELECT r.i, d.id AS device_id, d.revoked_at, e.code AS replay_code, e.answer, "
        f"c.xmin::text::bigint AS xmin, {card_columns} "
        "FROM unnest($1::VARCHAR[], $2::VARCHAR[], $3::VARCHAR[]) WITH ORDINALITY AS r(token_hash, entry_id, code, i) "
        "LEFT JOIN devices d ON d.token_hash = r.token_hash "
        "LEFT JOIN entries e ON e.id = r.entry_id "
        "LEFT JOIN cards c ON c.code = r.code "
        "ORDER BY r.i"
    )


#: The batch's read: ``$1`` token hashes, ``$2`` entry ids, ``$3`` codes (one of each per request).
READ_MANY = _read_many()
#: The stored entries of the replays in a batch (``$1``: their ids).
ENTRIES_BY_ID = f"SELECT * FROM {entries.name} WHERE id = ANY($1::VARCHAR[])"


def _write_many() -> str:
    """A batch's writes as one statement, all or nothing.

    ``locked`` locks every card the batch decided on (in id order, as every writer does), keeping only those whose
    row version is still the one read (PostgreSQL re-checks the condition on the newest version of a row it had
    to wait for); ``ok`` is false unless all of them are there and every till named in ``$8``/``$9`` is still
    enrolled, not revoked (a batch decided from what the process knew, ``authorise_known``, has not read its
    tills; a batch that read them names none). Unless ``ok``, nothing is written: no card, no counter, no
    entry, no line (the statement returns no row and the batch is read and decided again). Then the changed
    cards, then the change-log counter (once for the batch, its lock taken last, after every card's), then the
    entries and the change-log lines, numbered from the counter's old value (``base``) plus their offsets.

    Parameters: ``$1`` the ids of the cards decided on, ``$2`` the same as ``id@xmin`` (the version read), ``$3``
    the number of change-log lines; then JSON documents (one parameter each, where an array per column costs
    the server's CPU per column and value, measured): ``$4`` the changed cards (objects of their ``cards``
    columns), ``$5`` the entries (objects of their ``entries`` columns, ``server_seq`` holding the entry's
    offset, but for ``answer``), ``$6`` the change-log lines (``{"off", "kind", "ref"}``); and ``$7`` the
    entries' answers, in their order, as an array: a stored answer is JSON itself, ~1 kB of quotes that cost the
    server ~20,000 instructions an entry to escape into a JSON string (callgrind) and PostgreSQL as much to lex
    back out, character by character. ``$8`` the tokens' hashes to check (distinct) and ``$9`` the same as
    ``device_id@token_hash``. Returns ``base`` and ``xmin``, the changed cards' row version now (every row one
    statement writes has its transaction's id; NULL when no card changed).
    """
    card_set = ", ".join(f"{cards.c[key].name} = u.{cards.c[key].name}" for key in CARD_MUTABLE)
    entry_names = [c.name for c in entries.c if c.key not in ("server_seq", "answer")]
    return (
        f"WITH locked AS (SELECT id FROM {cards.name} WHERE id = ANY($1::VARCHAR[]) "
        "AND (id || '@' || xmin::text) = ANY($2::TEXT[]) ORDER BY id FOR UPDATE), "
        "ok AS (SELECT (SELECT count(*) FROM locked) = cardinality($1::VARCHAR[]) "
        f"AND (SELECT count(*) FROM {devices.name} WHERE token_hash = ANY($8::VARCHAR[]) AND revoked_at IS NULL "
        "AND (id || '@' || token_hash) = ANY($9::TEXT[])) = cardinality($8::VARCHAR[]) AS ok), "
        f"card AS (UPDATE {cards.name} SET {card_set} FROM json_populate_recordset(NULL::{cards.name}, $4::JSON) AS u "
        f"WHERE {cards.name}.id = u.id AND (SELECT ok FROM ok) "
        f"RETURNING {cards.name}.id, {cards.name}.xmin::text::bigint AS version), "
        f"seqs AS (UPDATE {counters.name} SET value = value + $3::BIGINT "
        f"WHERE name = '{CHANGES_COUNTER}' AND (SELECT ok FROM ok) "
        f"AND (SELECT count(*) FROM card) = json_array_length($4::JSON) RETURNING value - $3::BIGINT AS base), "
        f"entry AS (INSERT INTO {entries.name} ({', '.join(entry_names)}, answer, server_seq) "
        f"SELECT {', '.join(f'u.{name}' for name in entry_names)}, ($7::TEXT[])[u.ordinality], "
        "seqs.base + u.server_seq "
        f"FROM json_populate_recordset(NULL::{entries.name}, $5::JSON) WITH ORDINALITY AS u, seqs), "
        f"log AS (INSERT INTO {changes.name} (seq, kind, ref_id) SELECT seqs.base + u.off, u.kind, u.ref "
        "FROM json_to_recordset($6::JSON) AS u(off BIGINT, kind TEXT, ref TEXT), seqs) "
        "SELECT base, (SELECT max(version) FROM card) AS xmin FROM seqs"
    )


#: The batch's write (see :func:`_write_many`); returns the counter's value before the batch and the changed
#: cards' row version, or no row.
WRITE_MANY = _write_many()
