"""Core statements compiled once, executed through the connection's DBAPI cursor (the redemption hot path).

A redemption is five small statements and an fsync. Through ``Connection.execute`` each statement costs about
20–50 µs of SQLAlchemy bookkeeping, which together made a redemption 2.5× slower than the same writes in raw
sqlite3. So the ``cards`` and ``entries`` repositories still define their statements in Core, on the model's
tables, but compile each one to SQL text once, at import, and run it on the driver connection inside the unit of
work's transaction. Values are converted explicitly (see ``models.datetime_to_db``), because the types' bind and
result processors do not run on this path.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Mapping, Sequence
from typing import Any, cast

from sqlalchemy import Connection
from sqlalchemy.dialects import sqlite
from sqlalchemy.exc import IntegrityError
from sqlalchemy.sql.compiler import SQLCompiler
from sqlalchemy.sql.expression import ClauseElement

_DIALECT = sqlite.dialect(paramstyle="qmark")

#: Integrity errors from either path: SQLAlchemy's wrapper and the driver's own.
INTEGRITY_ERRORS = (IntegrityError, sqlite3.IntegrityError)


class Prepared:
    """``stmt`` as SQL text with its positional parameter names; literals in it keep their compiled values."""

    __slots__ = ("_fixed", "_names", "sql")

    def __init__(self, stmt: ClauseElement, column_keys: Sequence[str] | None = None) -> None:
        keys = list(column_keys) if column_keys else None
        compiled = cast(SQLCompiler, stmt.compile(dialect=_DIALECT, column_keys=keys))
        self.sql: str = compiled.string
        self._names = tuple(compiled.positiontup or ())
        self._fixed = {name: bind.value for name, bind in compiled.binds.items() if not bind.required}

    def args(self, values: Mapping[str, Any]) -> tuple[Any, ...]:
        fixed = self._fixed
        return tuple(values[name] if name in values else fixed[name] for name in self._names)

    def run(self, raw: sqlite3.Connection, values: Mapping[str, Any]) -> sqlite3.Cursor:
        return raw.execute(self.sql, self.args(values))


class Driver:
    """The sqlite3 connection under an SQLAlchemy ``Connection``, handed out only inside a transaction.

    Statements run on the driver do not trigger SQLAlchemy's autobegin; without this, a statement after
    ``uow.commit()`` in the same ``with`` block would run in autocommit mode, outside any transaction.
    """

    __slots__ = ("_conn", "_raw")

    def __init__(self, conn: Connection) -> None:
        raw = conn.connection.driver_connection
        if not isinstance(raw, sqlite3.Connection):  # pragma: no cover - the store only runs on sqlite3
            raise TypeError(f"expected a sqlite3 connection, got {type(raw).__name__}")
        self._conn = conn
        self._raw = raw

    def __call__(self) -> sqlite3.Connection:
        if not self._conn.in_transaction():
            self._conn.begin()  # BEGIN IMMEDIATE (or BEGIN for a read-only unit of work), see engine.py
        return self._raw
