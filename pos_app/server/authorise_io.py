"""The statements of online authorisation: SQLAlchemy Core (:class:`CoreStatements`, for SQLite and as the
reference), and the same statements compiled once to psycopg's SQL for PostgreSQL's non-blocking path
(``authorise_pg``), including the writes as one statement of data-modifying CTEs.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, NamedTuple

from sqlalchemy import Connection, String, bindparam, insert, literal, literal_column, select, union_all, update
from sqlalchemy.dialects.postgresql.psycopg import PGDialect_psycopg

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
CARD_COLUMNS = tuple(c.key for c in cards.c)
ENTRY_COLUMNS = tuple(c.key for c in entries.c)


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
    """The writes as one statement of data-modifying CTEs: counter, entry, change-log lines (and the card)."""
    seqs = (
        update(counters).where(counters.c.name == CHANGES_COUNTER)
        .values(value=counters.c.value + (2 if changed else 1))
        .returning(counters.c.value.label("last")).cte("seqs")
    )
    columns = [c.key for c in entries.c if c.key != "server_seq"]
    stmt = insert(entries).from_select(
        [*columns, "server_seq"],
        select(*[bindparam(f"e_{k}", type_=entries.c[k].type) for k in columns], seqs.c.last),
    )
    entry_line = select(seqs.c.last, literal(ENTRY, String), bindparam("e_id", type_=String))
    if not changed:
        log = insert(changes).from_select(["seq", "kind", "ref_id"], entry_line).cte("log")
        return stmt.add_cte(log).returning(entries.c.server_seq)
    card_line = select(seqs.c.last - 1, literal(CARD, String), bindparam("e_card_id", type_=String))
    log = insert(changes).from_select(["seq", "kind", "ref_id"], union_all(card_line, entry_line)).cte("log")
    card = update(cards).where(cards.c.id == bindparam("b_id")).values(
        {k: bindparam(f"c_{k}", type_=cards.c[k].type) for k in CARD_MUTABLE}
    ).cte("card")
    return stmt.add_cte(log).add_cte(card).returning(entries.c.server_seq)


class Compiled:
    """A statement as psycopg's SQL text, with the values of its literal parameters."""

    def __init__(self, stmt: Any) -> None:
        compiled = stmt.compile(dialect=PGDialect_psycopg())  # type: ignore[no-untyped-call]
        self.sql: str = compiled.string
        self.fixed: dict[str, Any] = dict(compiled.params)

    def args(self, values: dict[str, Any]) -> dict[str, Any]:
        return {**self.fixed, **values}
