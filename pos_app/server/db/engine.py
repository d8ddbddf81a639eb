"""Where the server's database is, and engines for it: a SQLite file by default, PostgreSQL by URL.

``--db`` (or ``$POS_SERVER_DB``) takes a SQLAlchemy URL (``sqlite:///path``, ``postgresql+psycopg://…``) or a
plain file path (a SQLite file). The default is ``server.sqlite3`` in the platform's user data directory of
``pos_server``.

SQLite runs with the till's pragmas and ``BEGIN IMMEDIATE`` write transactions (``pos_app.store.engine``): one
writer at a time, which serialises every change to every card. PostgreSQL runs at READ COMMITTED; the use
cases lock the card rows they change (``SELECT … FOR UPDATE``, in id order), and :func:`write` retries a
transaction that the database aborted for a deadlock or a serialisation failure.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

from platformdirs import user_data_dir
from sqlalchemy import Connection, Engine, create_engine, make_url
from sqlalchemy.exc import ArgumentError, DBAPIError

from pos_app.domain import errors
from pos_app.store.engine import open_engine as open_sqlite

DB_ENV = "POS_SERVER_DB"
APP_NAME = "pos_server"
DB_FILENAME = "server.sqlite3"
#: PostgreSQL's SQLSTATEs worth a retry: serialization_failure, deadlock_detected.
RETRY_STATES = frozenset({"40001", "40P01"})
RETRIES = 5
T = TypeVar("T")


def default_url() -> str:
    return f"sqlite:///{Path(user_data_dir(APP_NAME, appauthor=False)) / DB_FILENAME}"


def resolve_url(given: str | None = None) -> str:
    """The database URL: ``given``, else ``$POS_SERVER_DB``, else the default SQLite file; a bare path is a
    SQLite file."""
    text = (given or os.environ.get(DB_ENV) or "").strip() or default_url()
    if "://" not in text:
        return f"sqlite:///{Path(text).expanduser().resolve()}"
    return text


def open_engine(url: str) -> Engine:
    """An engine for ``url`` (see :func:`resolve_url`); a refusal names what is wrong with the URL."""
    try:
        parsed = make_url(resolve_url(url))
    except ArgumentError as exc:
        raise errors.InvalidPayload(f"not a database URL: {url!r}") from exc
    backend = parsed.get_backend_name()
    if backend == "sqlite":
        if not parsed.database or parsed.database == ":memory:":
            raise errors.InvalidPayload("the server needs a database file: sqlite:///path/to/server.sqlite3")
        engine = open_sqlite(parsed.database)
        engine.hide_parameters = True  # a failed statement's values (a card's code) are never in its error
        return engine
    if backend == "postgresql":
        if parsed.drivername == "postgresql":  # psycopg 3 is the driver installed with the server
            parsed = parsed.set(drivername="postgresql+psycopg")
        return create_engine(parsed, pool_size=20, max_overflow=20, pool_use_lifo=True, hide_parameters=True)
    raise errors.InvalidPayload(f"unsupported database {backend!r}: use a SQLite file or PostgreSQL")


def is_postgres(engine: Engine | Connection) -> bool:
    return engine.dialect.name == "postgresql"


class Stale(Exception):
    """Raised by a transaction's work that finds, once it holds its locks, that something it decided with changed
    in between (e.g. ``authorise_io``'s holds): :func:`write` rolls it back and runs it again."""


def write(engine: Engine, work: Callable[[Connection], T]) -> T:
    """Run ``work`` in one write transaction and commit; retry it when PostgreSQL aborts it for a deadlock or a
    serialisation failure, or ``work`` raises :class:`Stale` (``work`` must be safe to run again: everything it
    did was rolled back)."""
    for attempt in range(RETRIES):
        try:
            with engine.begin() as conn:
                return work(conn)
        except Stale:
            if attempt == RETRIES - 1:
                raise
        except DBAPIError as exc:
            state = getattr(exc.orig, "sqlstate", None)
            if state not in RETRY_STATES or attempt == RETRIES - 1:
                raise
            time.sleep(0.005 * (attempt + 1))
    raise AssertionError("unreachable")  # pragma: no cover


def read(engine: Engine, work: Callable[[Connection], T]) -> T:
    """Run ``work`` in a read-only transaction (on SQLite a snapshot that does not take the write lock)."""
    with engine.connect() as conn:
        if not is_postgres(conn):
            conn.execution_options(read_only=True)  # sets the option on this connection
        with conn.begin():
            return work(conn)
