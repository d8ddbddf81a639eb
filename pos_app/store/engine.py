"""The SQLite engine of the till: where the file lives, the pragmas, and ``BEGIN IMMEDIATE`` transactions.

Every connection runs with ``journal_mode=WAL``, ``synchronous=FULL`` (WAL with NORMAL can lose committed
transactions on power loss), ``foreign_keys=ON`` and a 30 s ``busy_timeout``. Every transaction starts with
``BEGIN IMMEDIATE``: a deferred transaction that later upgrades to a write fails at once with "database is
locked" when another process writes, whereas an immediate one waits for the lock (up to the busy timeout).
That is SQLAlchemy's documented recipe for the sqlite3 driver before Python 3.12: the driver's own BEGIN is
switched off on connect (``isolation_level = None``) and SQLAlchemy's ``begin`` event emits ours.

A connection given the execution option ``read_only=True`` begins with a plain (deferred) ``BEGIN`` instead:
in WAL mode it reads a consistent snapshot without taking the write lock, so a long report or export never holds
up a redemption at the till. It must not write.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
import time
from pathlib import Path
from typing import Any

from platformdirs import user_data_dir
from sqlalchemy import URL, Connection, Engine, create_engine, event

APP_NAME = "pos_app"
STORE_FILENAME = "till.sqlite3"
BUSY_TIMEOUT_MS = 30_000
SQLITE_BUSY = 5
#: Page cache per connection, in KiB (SQLite's default is 2 MiB): keeps the code index of a large campaign hot.
CACHE_KIB = 64 * 1024

PRAGMAS = (
    f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}",  # first: the others may have to wait for a lock
    "PRAGMA journal_mode = WAL",
    "PRAGMA synchronous = FULL",
    "PRAGMA foreign_keys = ON",
    f"PRAGMA cache_size = -{CACHE_KIB}",
)


def default_data_dir() -> Path:
    """The platform's user data directory for the app (the CLI overrides it: ``--data-dir``/``$POS_APP_DATA_DIR``)."""
    return Path(user_data_dir(APP_NAME, appauthor=False))


def store_path(data_dir: str | os.PathLike[str] | None = None) -> Path:
    """The store file in ``data_dir`` (default: :func:`default_data_dir`)."""
    return Path(data_dir if data_dir is not None else default_data_dir()) / STORE_FILENAME


def _on_connect(dbapi_connection: Any, connection_record: Any) -> None:
    dbapi_connection.isolation_level = None  # the driver must not emit BEGIN itself
    cursor = dbapi_connection.cursor()
    try:
        for pragma in PRAGMAS:
            cursor.execute(pragma)
    finally:
        cursor.close()


def _on_begin(conn: Connection) -> None:
    if conn.get_execution_options().get("read_only"):
        conn.exec_driver_sql("BEGIN")
    else:
        raw = conn.connection.driver_connection
        assert isinstance(raw, sqlite3.Connection)
        begin_immediate(raw)


def begin_immediate(raw: sqlite3.Connection, timeout: float = BUSY_TIMEOUT_MS / 1000) -> None:
    """``BEGIN IMMEDIATE``, waiting for the write lock by polling every few milliseconds.

    SQLite's own busy handler backs off to one try every 100 ms, so a sale waiting behind a bulk job (a large
    campaign commits a batch and takes the lock again within a millisecond) could miss gap after gap and wait
    for seconds. Polling at 1–5 ms catches the gap; the busy timeout is set to 0 only for this statement.
    """
    raw.execute("PRAGMA busy_timeout = 0")
    try:
        deadline = time.monotonic() + timeout
        pause = 0.001
        while True:
            try:
                raw.execute("BEGIN IMMEDIATE")
                return
            except sqlite3.OperationalError as exc:
                if getattr(exc, "sqlite_errorcode", None) != SQLITE_BUSY or time.monotonic() >= deadline:
                    raise
            time.sleep(pause)
            pause = min(pause * 2, 0.005)
    finally:
        raw.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")


#: The store holds full codes (bearer money) and PIN hashes: its owner reads it, nobody else on the machine.
STORE_MODE = 0o600


def owner_only(file: Path) -> None:
    """Create ``file`` empty with :data:`STORE_MODE` if it is missing (SQLite gives its ``-wal`` and ``-shm``
    files the database's mode), and take group and others' access off it and them if an older till left it."""
    # Only a missing file is opened here: closing a descriptor of a database file drops every POSIX lock this
    # process holds on it, those of the connections of another engine on the same file included.
    with contextlib.suppress(FileExistsError):
        os.close(os.open(file, os.O_RDWR | os.O_CREAT | os.O_EXCL, STORE_MODE))
    for each in (file, file.with_name(file.name + "-wal"), file.with_name(file.name + "-shm")):
        with contextlib.suppress(FileNotFoundError, PermissionError):  # not there, or another user's to keep
            if each.stat().st_mode & 0o077:
                each.chmod(STORE_MODE)


def open_engine(path: str | os.PathLike[str]) -> Engine:
    """An engine on the SQLite file at ``path`` (created with its directory if missing, mode 0600), pragmas in
    force."""
    file = Path(path)
    file.parent.mkdir(parents=True, exist_ok=True)
    owner_only(file)
    engine = create_engine(
        URL.create("sqlite", database=str(file.resolve())),  # no URL parsing of the path
        connect_args={"timeout": BUSY_TIMEOUT_MS / 1000},
        pool_use_lifo=True,  # reuse the connection whose page cache is warm
    )
    event.listen(engine, "connect", _on_connect)
    event.listen(engine, "begin", _on_begin)
    return engine
