"""The till's local store: one SQLite file through SQLAlchemy 2 (typed models, Alembic migrations, unit of work).

Usage::

    store = open_store(data_dir)          # creates or upgrades <data_dir>/till.sqlite3
    with store.unit_of_work() as uow:     # BEGIN IMMEDIATE
        card = uow.cards.get_by_code(code)
        ...
        uow.commit()
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import Engine

from pos_app.store.engine import default_data_dir, open_engine, store_path
from pos_app.store.migrate import ensure_current
from pos_app.store.uow import SqlUnitOfWork


@dataclass(frozen=True, slots=True)
class Store:
    path: Path
    engine: Engine

    def unit_of_work(self, *, read_only: bool = False) -> SqlUnitOfWork:
        return SqlUnitOfWork(self.engine, read_only=read_only)

    def close(self) -> None:
        self.engine.dispose()


def open_store(data_dir: str | os.PathLike[str] | None = None) -> Store:
    """Open (create, or upgrade to the current schema) the store in ``data_dir`` (default: user data dir)."""
    path = store_path(data_dir)
    engine = open_engine(path)
    try:
        ensure_current(engine)
    except BaseException:
        engine.dispose()
        raise
    return Store(path=path, engine=engine)


__all__ = ["SqlUnitOfWork", "Store", "default_data_dir", "open_engine", "open_store", "store_path"]
