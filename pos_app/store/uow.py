"""The unit of work: one connection and one ``BEGIN IMMEDIATE`` transaction per ``with`` block.

Entering takes a connection from the pool and begins (so the write lock is held from the first read: a
read-modify-write of a card cannot interleave with another till process). Leaving rolls back whatever was not
committed and gives the connection back. ``commit()`` may be called more than once in a block; statements after
a commit begin a new transaction. The same object can be entered again for the next transaction.
"""

from __future__ import annotations

from types import TracebackType
from typing import Self

from sqlalchemy import Connection, Engine

from pos_app.services.ports import UnitOfWork
from pos_app.store.repositories import (
    SqlCampaignRepository,
    SqlCardChangeRepository,
    SqlCardRepository,
    SqlCustomerRepository,
    SqlEntryRepository,
    SqlPrintJobRepository,
    SqlReportQueries,
    SqlRuleRepository,
    SqlSettingsRepository,
    SqlUserRepository,
)


class SqlUnitOfWork(UnitOfWork):
    """``read_only=True``: a deferred transaction on a snapshot that never blocks the till (reports, exports)."""

    def __init__(self, engine: Engine, *, read_only: bool = False) -> None:
        self._engine = engine
        self._read_only = read_only
        self._conn: Connection | None = None

    @property
    def connection(self) -> Connection:
        if self._conn is None:
            raise RuntimeError("the unit of work is not open: use it in a `with` block")
        return self._conn

    def __enter__(self) -> Self:
        if self._conn is not None:
            raise RuntimeError("this unit of work is already open")
        conn = self._engine.connect()
        try:
            if self._read_only:
                conn.execution_options(read_only=True)
            conn.begin()
        except BaseException:
            conn.close()
            raise
        self._conn = conn
        self.rules = SqlRuleRepository(conn)
        self.cards = SqlCardRepository(conn, rules=self.rules)
        self.entries = SqlEntryRepository(conn)
        self.campaigns = SqlCampaignRepository(conn)
        self.users = SqlUserRepository(conn)
        self.customers = SqlCustomerRepository(conn)
        self.settings = SqlSettingsRepository(conn)
        self.reports = SqlReportQueries(conn)
        self.print_jobs = SqlPrintJobRepository(conn)
        self.card_changes = SqlCardChangeRepository(conn)
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        conn, self._conn = self._conn, None
        if conn is not None:
            try:
                conn.rollback()
            finally:
                conn.close()

    def commit(self) -> None:
        self.connection.commit()

    def rollback(self) -> None:
        if self._conn is not None:
            self._conn.rollback()
