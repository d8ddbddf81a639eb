"""Online authorisation on PostgreSQL: asyncpg on the event loop, optimistic, two round trips per decision.

1. one read (``authorise_io.READ``): the device behind the token, an earlier answer to the ``entry_id``, the card
   and its row version (``xmin``);
2. the rules decide (``authorise.decide``, the same code as on SQLite);
3. one autocommit statement (``authorise_io.postgres_write``) writes the card, the entry and the change-log
   lines, the change-log counter taken inside it, but only if the card's version is still the one read; else it
   writes nothing and the request is read and decided again. After :data:`OPTIMISTIC` lost races (a hot card,
   many tills on it) the request takes the card's lock (``SELECT … FOR UPDATE`` in a transaction) and runs the
   same three steps under it, so that it cannot starve.

A refusal is written the same way (a FAILURE entry, the card locked instead of updated), so no change of the card
commits between a decision and its entry, whatever the outcome.

Why, measured on the benchmark (16 clients, 2 cores shared with PostgreSQL and the load generator): psycopg on
threads paid a thread hop and a GIL fight per request, and its transaction held the card's row lock while Python
decided (about 1,600-1,900 us of server CPU per authorisation); here asyncpg runs on the server's event loop,
prepares each statement once per connection, and no lock is held while Python runs (about half that CPU).
A few connections (:data:`CONNECTIONS`) beat many: every writer queues on the change-log counter's row lock until
its commit is on disk, and more writers than that only add context switches (the same two statements replayed by
pgbench: ~2,000 a second from 1 to 4 connections, half that from 16).
"""

from __future__ import annotations

import asyncio
import dataclasses
import json
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import datetime
from typing import Any

import asyncpg
from sqlalchemy import make_url

from pos_app.domain import errors
from pos_app.server.auth import sha256
from pos_app.server.authorise import Decision, answer, decide, refund_target, start, unknown_card
from pos_app.server.authorise_io import ENTRY_BY_ID, LOCK_CODE, READ, REFUNDED, Compiled, First, postgres_write
from pos_app.server.rows import card_from_row, card_update, entry_from_row
from pos_app.sync.schemas import AuthoriseRequest

_READ = Compiled(READ)
_LOCK = Compiled(LOCK_CODE)
_ENTRY = Compiled(ENTRY_BY_ID)
_REFUNDED = Compiled(REFUNDED)
_CHANGED = Compiled(postgres_write(True))
_UNCHANGED = Compiled(postgres_write(False))
#: Aborted by PostgreSQL, nothing written, safe to run again: the same entry_id (or a refund of the same
#: redemption) committed by a concurrent request (the retry replays or refuses), a deadlock.
RETRY = (asyncpg.UniqueViolationError, asyncpg.DeadlockDetectedError, asyncpg.SerializationError)
#: Optimistic attempts before a request takes the card's lock; attempts in all.
OPTIMISTIC = 3
ATTEMPTS = 5
#: Connections per server process.
CONNECTIONS = 4
#: Their session. Generic plans: every statement here looks rows up by key, so its plan never depends on the
#: values, yet PostgreSQL kept planning the batch's read (``authorise_io.READ_MANY``) anew for every batch, its
#: estimated cost being a little lower so (~100-200 us of the database's CPU a batch, measured). A generic plan is
#: made per connection from the tables' statistics and made again when they change (index scans on a real
#: ``cards`` table; sequential scans only while the table is a few pages).
SESSION = {"plan_cache_mode": "force_generic_plan"}


def dsn(url: str) -> str:
    """asyncpg's URL for a SQLAlchemy ``postgresql+psycopg://`` URL."""
    return make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)


class Connections:
    """At most ``size`` asyncpg connections, made on demand and kept for reuse (the last used first).

    Not asyncpg's pool: its acquire and release (a proxy object, timers, and by default a reset query, a third
    round trip) cost ~15 us of CPU a request, measured, for nothing these connections need: they never change
    their session. A connection goes back only when it is known to be fine (the use case refused the request, or the
    database refused a statement outside a transaction); after anything else (a lost connection, a request
    cancelled halfway through a query) it is closed and the next request makes a new one.
    """

    def __init__(self, url: str, size: int) -> None:
        self.dsn = dsn(url)
        self._slots = asyncio.Semaphore(size)
        self._idle: list[asyncpg.Connection] = []

    async def _connect(self) -> asyncpg.Connection:
        conn = await asyncpg.connect(self.dsn, server_settings=SESSION)
        await conn.set_type_codec("jsonb", encoder=json.dumps, decoder=json.loads, schema="pg_catalog")
        return conn

    @asynccontextmanager
    async def connection(self) -> AsyncIterator[asyncpg.Connection]:
        async with self._slots:
            conn = self._idle.pop() if self._idle else await self._connect()
            try:
                yield conn
            except (errors.GiftCardError, asyncpg.PostgresError):
                if conn.is_in_transaction() or conn.is_closed():
                    conn.terminate()
                else:
                    self._idle.append(conn)
                raise
            except BaseException:
                conn.terminate()
                raise
            self._idle.append(conn)

    async def close(self) -> None:
        while self._idle:
            await self._idle.pop().close()


class Authoriser:
    """Online authorisations on a few asyncpg connections of their own (see :class:`Connections`)."""

    def __init__(self, url: str, connections: int = CONNECTIONS) -> None:
        self.connections = Connections(url, connections)
        self.locked = 0  # requests that fell back to the card's lock (the tests look)

    async def close(self) -> None:
        await self.connections.close()

    async def __call__(self, token: str, req: AuthoriseRequest, at: datetime) -> str:
        """``authorise.authorise`` on PostgreSQL: the answer as JSON (refusals of the request itself raise)."""
        token_hash = sha256(token)
        for attempt in range(ATTEMPTS):
            try:
                async with self.connections.connection() as conn:
                    if attempt < OPTIMISTIC:
                        done = await _attempt(conn, token_hash, req, at)
                    else:
                        if attempt == OPTIMISTIC:
                            self.locked += 1
                        async with conn.transaction():
                            await conn.fetchval(_LOCK.sql, req.code)
                            done = await _attempt(conn, token_hash, req, at)
            except RETRY:
                if attempt == ATTEMPTS - 1:
                    raise
                continue
            if done is not None:
                return done
        raise RuntimeError(f"authorisation {req.entry_id} lost {ATTEMPTS} races on card {req.code!r}")


async def _attempt(conn: asyncpg.Connection, token_hash: str, req: AuthoriseRequest, at: datetime) -> str | None:
    """Read, decide, write if the card is unchanged: the answer, or None when the card changed meanwhile."""
    entry_id = str(req.entry_id)
    row = await conn.fetchrow(_READ.sql, *_READ.args({"entry_id": entry_id, "code": req.code,
                                                        "token_hash": token_hash}))
    device_id, replayed = start(None if row is None else First(row[0], row[1], row[2], row[3]), req)
    assert row is not None
    if replayed is not None:
        entry = await conn.fetchrow(_ENTRY.sql, entry_id)
        assert entry is not None
        return answer(entry_from_row(entry), replayed)
    if row["id"] is None:
        return unknown_card()
    card = card_from_row(row)
    target = refund_target(req)
    redemption = None
    refunded = False
    if target is not None:
        found = await conn.fetchrow(_ENTRY.sql, target)
        redemption = None if found is None else entry_from_row(found)
        refunded = await conn.fetchval(_REFUNDED.sql, target) is not None
    done = decide(card, req, device_id, at, redemption=redemption, refunded=refunded)
    stmt, values = _write(done, card.id, row["xmin"])
    seq = await conn.fetchval(stmt.sql, *stmt.args(values))
    if seq is None:
        return None
    return answer(dataclasses.replace(done.entry, server_seq=seq), done.rest)


def _write(done: Decision, card_id: str, xmin: int) -> tuple[Compiled, dict[str, Any]]:
    values = {f"e_{k}": v for k, v in done.row.items()}
    values.update(b_id=card_id, xmin=xmin)
    if done.changed is None:
        return _UNCHANGED, values
    values.update({f"c_{k}": v for k, v in card_update(done.changed).items()})
    return _CHANGED, values
