"""Schema migrations: Alembic, run programmatically from the scripts inside the package.

A store is brought to the newest schema when it is opened (:func:`ensure_current`). That check is cheap: it
reads the ``alembic_version`` row and compares it with :data:`HEAD_REVISION` before any Alembic code is
imported. A migration runs in one ``BEGIN IMMEDIATE`` transaction (SQLite's DDL is transactional), so a
crash halfway leaves the old schema, and two processes opening an old store upgrade it once.

Foreign keys are switched off for the migration (SQLite ignores that pragma inside a transaction, so it is set
before the transaction begins): Alembic's batch mode rebuilds a table by copying it, and dropping the old copy
of a table that others refer to would fail. ``PRAGMA foreign_key_check`` must come back empty before the commit.

A new migration: a file ``migrations/versions/<yyyy_mm_dd>_<nnnn>_<slug>.py`` with revision id ``<nnnn>_<slug>``
and ``down_revision`` the previous head, written by hand or started with
``alembic.command.revision(alembic_config(), message=..., rev_id=..., autogenerate=True)`` after
``config.set_main_option("sqlalchemy.url", "sqlite:///<path of a store at head>")``; then move
:data:`HEAD_REVISION`, and make ``downgrade()`` undo it (batch mode for SQLite ALTERs).
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import Connection, Engine

if TYPE_CHECKING:
    from alembic.config import Config

MIGRATIONS_DIR = Path(__file__).resolve().with_name("migrations")
INITIAL_REVISION = "0001_initial_schema"
#: The newest revision; a test checks it against the scripts. Update it with every new migration.
HEAD_REVISION = "0009_validation_rules"


#: The full-text table of customers (migration 0008) and FTS5's shadow tables of it: Alembic does not know
#: virtual tables, so they are not in the models, and comparing the store with the models leaves them out.
UNMODELLED_PREFIX = "customers_search"


def include_name(name: str | None, type_: str, parent_names: object) -> bool:
    """Alembic's filter: everything but :data:`UNMODELLED_PREFIX`'s tables."""
    return not (type_ == "table" and name is not None and name.startswith(UNMODELLED_PREFIX))


class StoreVersionError(RuntimeError):
    """The store cannot be brought to this version of the app's schema (e.g. it was made by a newer app)."""


def alembic_config(connection: Connection | None = None) -> Config:
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR).replace("%", "%%"))
    config.set_main_option("file_template", "%%(year)d_%%(month).2d_%%(day).2d_%%(rev)s")
    config.attributes["connection"] = connection
    return config


def current_revision(engine: Engine) -> str | None:
    """The revision the store is at (None: an empty or pre-Alembic file)."""
    with engine.connect() as conn:
        conn.execution_options(read_only=True)
        has_table = conn.exec_driver_sql(
            "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'alembic_version'"
        ).first()
        if has_table is None:
            return None
        row = conn.exec_driver_sql("SELECT version_num FROM alembic_version").first()
        return None if row is None else str(row[0])


def ensure_current(engine: Engine) -> None:
    """Upgrade the store to :data:`HEAD_REVISION` unless it is there already (the cheap common case)."""
    if current_revision(engine) != HEAD_REVISION:
        upgrade(engine)


def upgrade(engine: Engine, revision: str = "head") -> None:
    """Run the migrations up to ``revision`` (tests pass :data:`INITIAL_REVISION` to make an old store)."""
    _run(engine, "upgrade", revision)


def downgrade(engine: Engine, revision: str) -> None:
    _run(engine, "downgrade", revision)


def _run(engine: Engine, direction: str, revision: str) -> None:
    from alembic import command
    from alembic.util import CommandError

    with engine.connect() as conn:
        raw = conn.connection.driver_connection
        assert raw is not None
        raw.execute("PRAGMA foreign_keys = OFF")
        try:
            with conn.begin():
                try:
                    getattr(command, direction)(alembic_config(conn), revision)
                except CommandError as exc:  # typically: the store's revision is unknown (made by a newer app)
                    raise StoreVersionError(
                        f"cannot {direction} the store to {revision}: {exc}. Was it made by a newer pos_app?"
                    ) from exc
                problems = conn.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
                if problems:
                    raise StoreVersionError(f"the migration left broken references: {problems[:5]}")
            # Old copies of the pages a migration rewrote (0004: the token it moved out) must not stay in -wal.
            raw.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        finally:
            raw.execute("PRAGMA secure_delete = OFF")
            raw.execute("PRAGMA foreign_keys = ON")
