"""What every write use case of the server shares: the change log, card locks, card and entry writes, settings.

The change log (see ``db.models``): :func:`append_changes` records what a transaction changed, one line each,
numbered by ``seq`` (PostgreSQL: the sequence ``changes_seq``, which no transaction waits on; SQLite: the next
number after the last, its single writer making that safe). A transaction calls it once it holds the locks of the
cards it changes, so that a card's lines (and entries: an entry's ``server_seq`` is its line's ``seq``) are
numbered in the order they commit. Unrelated cards' transactions run and commit side by side, so on PostgreSQL
``seq`` is not commit order: a line numbered 6 can commit after one numbered 7. Pulls therefore page by ``pos``,
the line's place in the order tills read: SQLite gives it at once (``pos = seq``); on PostgreSQL
:func:`place_changes` gives it to committed lines, one placer at a time, each after every line placed before, so a
puller whose cursor is a ``pos`` never skips a line that commits late.

Card locks: :func:`lock_cards` takes ``SELECT … FOR UPDATE`` row locks in id order (so that two transactions
never deadlock on cards; online authorisation locks its one card the same way) on PostgreSQL; on SQLite the
whole write transaction holds the database's single write lock (``BEGIN IMMEDIATE``), which serialises just as
well.
"""

from __future__ import annotations

import json
import secrets
import time
from collections.abc import Collection, Iterable, Sequence
from datetime import UTC, datetime, tzinfo
from typing import Any

import psycopg
from sqlalchemy import (
    JSON,
    ColumnElement,
    Connection,
    String,
    Table,
    any_,
    bindparam,
    func,
    insert,
    or_,
    select,
    text,
    update,
)
from sqlalchemy.dialects.postgresql import ARRAY, JSONB
from sqlalchemy.exc import DBAPIError

from pos_app.domain.cards import GiftCard
from pos_app.domain.money import exponent
from pos_app.domain.shop_time import shop_zone
from pos_app.server.db.models import CHANGES_SEQ, cards, changes, settings
from pos_app.server.rows import card_from_row, card_update
from pos_app.services.setup import host_zone_name
from pos_app.sync.schemas import StoreInfo, WireLimits

CARD = "card"
ENTRY = "entry"
USER = "user"
SETTINGS = "settings"
CAMPAIGN = "campaign"
CUSTOMER = "customer"

#: PostgreSQL: the lines numbered from the sequence in their order, in one statement (the function scan yields them
#: in ordinality order, so the plan has no sort and ``nextval`` runs row by row in that order; test_change_log).
_APPEND = text(
    f"INSERT INTO changes (seq, kind, ref_id) SELECT nextval('{CHANGES_SEQ.name}'), line.kind, line.ref_id "
    "FROM unnest(CAST(:kinds AS VARCHAR[]), CAST(:refs AS VARCHAR[])) WITH ORDINALITY AS line(kind, ref_id, n) "
    "ORDER BY line.n RETURNING seq"
)
_LAST_SEQ = select(func.coalesce(func.max(changes.c.seq), 0))
_ANY_UNPLACED = select(changes.c.seq).where(changes.c.pos.is_(None)).limit(1)
#: Any constant: the key of the advisory lock that one placer at a time holds (``migrate`` uses another).
_PLACING = 0x706F735F + 1
#: Up to ``:n`` committed lines without a place get the next places after the last one given, in ``seq`` order.
_PLACE = text(
    "WITH todo AS (SELECT seq, row_number() OVER (ORDER BY seq) AS k "
    "FROM (SELECT seq FROM changes WHERE pos IS NULL ORDER BY seq LIMIT :n) AS unplaced), "
    "base AS (SELECT coalesce(max(pos), 0) AS last FROM changes) "
    "UPDATE changes SET pos = base.last + todo.k FROM todo, base WHERE changes.seq = todo.seq"
)
#: From this many rows on, :func:`bulk_insert` uses ``COPY`` on PostgreSQL.
COPY_FROM = 20
#: The SET clause comes from the parameters' keys: every column of ``CARD_MUTABLE`` (see ``rows.card_update``).
SAVE_CARD = update(cards).where(cards.c.id == bindparam("b_id"))


def now() -> datetime:
    return datetime.now(UTC)


def new_id(prefix: str) -> str:
    """A time-ordered id: ``<prefix>_`` + 12 hex digits of milliseconds + 16 random hex digits."""
    return f"{prefix}_{time.time_ns() // 1_000_000:012x}{secrets.token_hex(8)}"


def append_changes(conn: Connection, lines: Sequence[tuple[str, str]]) -> list[int]:
    """Record ``(kind, ref_id)`` lines of the change log; returns their ``seq``, in the lines' order. Call it once
    the transaction holds the locks of the cards it changes (see the module)."""
    if not lines:
        return []
    if conn.dialect.name == "postgresql":  # placed once committed (place_changes)
        kinds, refs = zip(*lines, strict=True)
        return sorted(conn.execute(_APPEND, {"kinds": list(kinds), "refs": list(refs)}).scalars())
    last = int(conn.execute(_LAST_SEQ).scalar_one())
    seqs = list(range(last + 1, last + len(lines) + 1))
    bulk_insert(conn, changes, [{"seq": seq, "kind": kind, "ref_id": ref, "pos": seq}
                                for seq, (kind, ref) in zip(seqs, lines, strict=True)])
    return seqs


def place_changes(conn: Connection, n: int) -> int:
    """PostgreSQL: give up to ``n`` committed lines their place in the pull order (``pos``), after every line placed
    before; returns how many. Run it in a transaction of its own, before a pull's: the lock that makes placers take
    turns is held until the commit, so the next placer sees every place this one gave. SQLite: nothing to do."""
    if conn.dialect.name != "postgresql" or conn.execute(_ANY_UNPLACED).first() is None:
        return 0
    conn.execute(select(func.pg_advisory_xact_lock(_PLACING)))
    return conn.execute(_PLACE, {"n": n}).rowcount


def bulk_insert(conn: Connection, table: Table, rows: Sequence[dict[str, Any]]) -> None:
    """Insert ``rows`` (dicts with the same keys, values as the column types take them). On PostgreSQL a larger
    batch goes by ``COPY`` (a thousand entries in a few milliseconds, where even a pipelined executemany sends a
    statement per row); JSON documents are sent as their text."""
    if not rows:
        return
    if len(rows) < COPY_FROM or conn.dialect.name != "postgresql":
        conn.execute(insert(table), list(rows))
        return
    names = list(rows[0])
    docs = {name for name in names if isinstance(table.c[name].type, JSON | JSONB)}
    raw = conn.connection.driver_connection
    assert raw is not None
    statement = f"COPY {table.name} ({', '.join(names)}) FROM STDIN"
    try:
        with raw.cursor() as cursor, cursor.copy(statement) as copy:
            for row in rows:
                copy.write_row([json.dumps(row[n]) if n in docs and row[n] is not None else row[n] for n in names])
    except psycopg.Error as exc:  # as SQLAlchemy would have raised it (IntegrityError, OperationalError, …)
        raise DBAPIError.instance(statement, None, exc, psycopg.Error) from exc


def log_one(conn: Connection, kind: str, ref_id: str) -> int:
    (seq,) = append_changes(conn, [(kind, ref_id)])
    return seq


def among(conn: Connection, column: ColumnElement[str], values: Collection[str]) -> ColumnElement[bool]:
    """``column IN (values)``; on PostgreSQL ``column = ANY(:array)``, one parameter however many values (an
    expanding IN of a thousand ids is rendered anew for every batch)."""
    if conn.dialect.name == "postgresql":
        return column == any_(bindparam(None, value=list(values), type_=ARRAY(String)))
    return column.in_(list(values))


def lock_cards(conn: Connection, ids: Iterable[str], codes: Iterable[str]) -> list[GiftCard]:
    """The cards with any of these ids or codes, locked for this transaction (in id order)."""
    id_list, code_list = sorted(set(ids)), sorted(set(codes))
    if not id_list and not code_list:
        return []
    stmt = (
        select(cards)
        .where(or_(among(conn, cards.c.id, id_list), among(conn, cards.c.code, code_list)))
        .order_by(cards.c.id)
        .with_for_update()
    )
    return [card_from_row(row) for row in conn.execute(stmt).mappings()]


def save_cards(conn: Connection, changed: Sequence[GiftCard]) -> None:
    if changed:
        conn.execute(SAVE_CARD, [card_update(card) for card in changed])


# ---- settings: the store's name and currency, the offline limits -------------------------------------------

STORE_KEY = "store"
LIMITS_KEY = "limits"
DEFAULT_STORE = StoreInfo(name="pos_app", currency="EUR", locale="en_US")


def get_setting(conn: Connection, key: str) -> dict[str, Any] | None:
    value = conn.execute(select(settings.c.value).where(settings.c.key == key)).scalar_one_or_none()
    return None if value is None else dict(value)


def put_setting(conn: Connection, key: str, value: dict[str, Any]) -> None:
    """Write a setting and log it (the tills get it with their next pull)."""
    if conn.execute(update(settings).where(settings.c.key == key).values(value=value)).rowcount == 0:
        conn.execute(insert(settings).values(key=key, value=value))
    log_one(conn, SETTINGS, key)


def store_info(conn: Connection) -> StoreInfo:
    """The store (setting ``store``); a store set before it had a time zone has the server machine's."""
    value = get_setting(conn, STORE_KEY)
    return with_zone(DEFAULT_STORE if value is None else StoreInfo.model_validate(value))


def with_zone(info: StoreInfo) -> StoreInfo:
    return info if info.time_zone else info.model_copy(update={"time_zone": host_zone_name()})


def store_zone(info: StoreInfo) -> tzinfo:
    """The shop's time zone, in which cards' dates, days and hours are read (``OperationContext.zone``)."""
    return shop_zone(with_zone(info).time_zone or "UTC")


def limits(conn: Connection) -> WireLimits:
    """The offline limits, with head office's maxima (the tills apply both)."""
    value = get_setting(conn, LIMITS_KEY)
    offline = WireLimits() if value is None else WireLimits.model_validate(value)
    maxima, cashiers_sell = policy_setting(conn)
    return offline.model_copy(update={"max_balance": maxima["max_balance"],
                                      "max_per_operation": maxima["max_per_operation"],
                                      "cashiers_sell": cashiers_sell})


POLICY_KEY = "policy"
#: Head office's default maxima, in major units of the store's currency: a card holds 5,000.00 at most, one
#: operation puts 2,500.00 on it at most, one till creates 20,000.00 of value a day at most.
DEFAULT_POLICY_MAJOR = {"max_balance": 5_000, "max_per_operation": 2_500, "daily_created_per_till": 20_000}


def policy_values(conn: Connection) -> dict[str, int | None]:
    """Head office's maxima (setting ``policy``), minor units; None: no maximum."""
    return policy_setting(conn)[0]


def policy_setting(conn: Connection) -> tuple[dict[str, int | None], bool]:
    """Head office's maxima (as :func:`policy_values`) and whether cashiers may sell, from one read of the setting
    ``policy`` (an online sale needs both)."""
    raw = get_setting(conn, POLICY_KEY)
    if raw is None:
        scale = 10 ** exponent(store_info(conn).currency)
        return {name: major * scale for name, major in DEFAULT_POLICY_MAJOR.items()}, False
    maxima = {name: None if raw.get(name) is None else int(raw[name]) for name in DEFAULT_POLICY_MAJOR}
    return maxima, bool(raw.get("cashiers_sell", False))
