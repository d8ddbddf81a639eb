"""Online authorisation on PostgreSQL: two round trips per decision, on a few threads of its own.

1. one pipeline: ``BEGIN``, the token and an earlier answer to the ``entry_id``, the card ``FOR UPDATE``;
2. the rules decide (``authorise.decide``, the same code as everywhere);
3. one pipeline: the writes as one statement (data-modifying CTEs, the change-log counter taken in it) and
   ``COMMIT``. PostgreSQL commits right after the writes without waiting for this process, so the counter's row
   lock, which serialises every writer from that update to the commit, is held for the database's own time and
   never while a Python thread waits for the GIL.

Measured on the benchmark (16 clients): SQLAlchemy's per-statement bookkeeping, the extra round trip of an
implicit ``BEGIN``, and 16 threads fighting over the GIL each cost more than the database's own work; psycopg's
async connections cost three times the CPU of its blocking ones. Hence raw psycopg on a small pool of
autocommit connections (``BEGIN``/``COMMIT``/``ROLLBACK`` sent explicitly, so that they travel in the pipelines)
and at most :data:`THREADS` threads (``AuthorisePool.limiter``). Everything else on PostgreSQL goes through
SQLAlchemy; ``authorise.authorise`` is the same use case on a SQLAlchemy connection, and the tests hold the two
to the same behaviour.
"""

from __future__ import annotations

import dataclasses
import queue
import time
from datetime import UTC, datetime
from typing import Any

import anyio
import psycopg
from psycopg import errors as pg_errors
from psycopg.types.json import Jsonb
from sqlalchemy import make_url

from pos_app.domain import errors
from pos_app.domain.cards import GiftCard
from pos_app.domain.ledger import Entry
from pos_app.server.auth import sha256
from pos_app.server.authorise import answer, decide, refund_target, start, unknown_card
from pos_app.server.authorise_io import (
    CARD_COLUMNS,
    ENTRY_BY_ID,
    ENTRY_COLUMNS,
    FIRST,
    LOCK_CARD,
    REFUNDED,
    Compiled,
    First,
    postgres_write,
)
from pos_app.server.rows import card_from_row, card_update, entry_from_row
from pos_app.sync.schemas import AuthoriseRequest

_FIRST = Compiled(FIRST)
_LOCK = Compiled(LOCK_CARD)
_ENTRY = Compiled(ENTRY_BY_ID)
_REFUNDED = Compiled(REFUNDED)
_CHANGED = Compiled(postgres_write(True))
_UNCHANGED = Compiled(postgres_write(False))
_CARD_DATES = ("start_date", "expiration_date", "activated_at", "created_at")
_ENTRY_DATES = ("created_at", "received_at")
#: Aborted by PostgreSQL and safe to run again: a deadlock, a serialisation failure, the same entry_id
#: inserted by a concurrent request (the retry replays its answer).
RETRY = (pg_errors.DeadlockDetected, pg_errors.SerializationFailure, pg_errors.UniqueViolation)
ATTEMPTS = 3
#: Threads (and connections) for online authorisations, per server process: enough to keep the database busy
#: while one waits for its commit, few enough not to fight over the GIL.
THREADS = 4


def conninfo(url: str) -> str:
    """libpq's URL for a SQLAlchemy ``postgresql+psycopg://`` URL."""
    return make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)


class AuthorisePool:
    """Autocommit psycopg connections for :func:`authorise_pg`, made on demand and kept for reuse, and the
    limiter of the threads that use them (one connection per thread)."""

    def __init__(self, url: str, threads: int = THREADS) -> None:
        self.conninfo = conninfo(url)
        self._idle: queue.LifoQueue[psycopg.Connection[Any]] = queue.LifoQueue()
        self.limiter = anyio.CapacityLimiter(threads)

    def acquire(self) -> psycopg.Connection[Any]:
        while True:
            try:
                conn = self._idle.get_nowait()
            except queue.Empty:
                return psycopg.Connection.connect(self.conninfo, autocommit=True)
            if not conn.closed:
                return conn

    def release(self, conn: psycopg.Connection[Any], *, broken: bool = False) -> None:
        if broken or conn.closed or conn.info.transaction_status != psycopg.pq.TransactionStatus.IDLE:
            conn.close()
        else:
            self._idle.put(conn)

    def close(self) -> None:
        while True:
            try:
                self._idle.get_nowait().close()
            except queue.Empty:
                return


def _utc(row: dict[str, Any], keys: tuple[str, ...]) -> dict[str, Any]:
    for key in keys:
        if row[key] is not None:
            row[key] = row[key].astimezone(UTC)
    return row


def _one(conn: psycopg.Connection[Any], stmt: Compiled, values: dict[str, Any]) -> Any:
    return conn.execute(stmt.sql, stmt.args(values)).fetchone()


def _entry(conn: psycopg.Connection[Any], entry_id: str) -> Entry | None:
    found = _one(conn, _ENTRY, {"id": entry_id})
    return None if found is None else entry_from_row(_utc(dict(zip(ENTRY_COLUMNS, found, strict=True)),
                                                          _ENTRY_DATES))


def _decide(conn: psycopg.Connection[Any], token: str, req: AuthoriseRequest, at: datetime) -> str:
    with conn.pipeline():
        conn.execute("BEGIN")
        first_cursor = conn.execute(_FIRST.sql, _FIRST.args({"token_hash": sha256(token),
                                                                    "entry_id": str(req.entry_id)}))
        card_cursor = conn.execute(_LOCK.sql, _LOCK.args({"code": req.code}))
    found = first_cursor.fetchone()
    device_id, replayed = start(None if found is None else First(*found), req)
    if replayed is not None:
        entry = _entry(conn, str(req.entry_id))
        assert entry is not None
        conn.execute("ROLLBACK")
        return answer(entry, replayed)
    row = card_cursor.fetchone()
    if row is None:
        conn.execute("ROLLBACK")
        return unknown_card()
    card = card_from_row(_utc(dict(zip(CARD_COLUMNS, row, strict=True)), _CARD_DATES))
    target = refund_target(req)
    redemption = None if target is None else _entry(conn, target)
    refunded = target is not None and _one(conn, _REFUNDED, {"id": target}) is not None
    done = decide(card, req, device_id, at, redemption=redemption, refunded=refunded)
    seq = _write(conn, done.changed, done.row)
    return answer(dataclasses.replace(done.entry, server_seq=seq), done.rest)


def _write(conn: psycopg.Connection[Any], changed: GiftCard | None, row: dict[str, Any]) -> int:
    values = {f"e_{k}": v for k, v in row.items() if k != "server_seq"}
    stmt = _UNCHANGED
    if changed is not None:
        stmt = _CHANGED
        values.update({f"c_{k}": v for k, v in card_update(changed).items() if k != "b_id"}, b_id=changed.id)
        values["c_metadata"] = Jsonb(values["c_metadata"])
    with conn.pipeline():
        cursor = conn.execute(stmt.sql, stmt.args(values))
        conn.execute("COMMIT")
    found = cursor.fetchone()
    assert found is not None
    return int(found[0])


def authorise_pg(pool: AuthorisePool, token: str, req: AuthoriseRequest, at: datetime) -> str:
    """``authorise.authorise`` on PostgreSQL: the answer as JSON (refusals raise). Blocks: run it on a thread
    under ``pool.limiter``."""
    for attempt in range(ATTEMPTS):
        conn = pool.acquire()
        broken = True  # anything unexpected (a database error, a cancelled request): the connection is dropped
        try:
            result = _decide(conn, token, req, at)
            broken = False
            return result
        except RETRY:
            if attempt == ATTEMPTS - 1:
                raise
            time.sleep(0.005 * (attempt + 1))
        except errors.GiftCardError:  # refused before anything was written (401, 409)
            conn.execute("ROLLBACK")
            broken = False
            raise
        finally:
            pool.release(conn, broken=broken)
    raise AssertionError("unreachable")  # pragma: no cover
