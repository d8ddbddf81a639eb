"""Schema migrations of the server's database: Alembic, run programmatically from the scripts in the package.

``pos-server init`` and ``pos-server serve`` bring the database to :data:`HEAD_REVISION` (cheap when it is
there already: one read of ``alembic_version``). A migration runs in one transaction on both databases (their
DDL is transactional); on PostgreSQL it first takes an advisory lock, so that several ``serve`` processes
starting at once on a new database upgrade it once, one after the other.

A new migration: ``migrations/versions/<yyyy_mm_dd>_<nnnn>_<slug>.py`` with revision id ``<nnnn>_<slug>`` and
``down_revision`` the previous head (by hand, or ``alembic.command.revision(alembic_config(), message=…,
rev_id=…, autogenerate=True)`` with ``sqlalchemy.url`` set to a database at head); then move
:data:`HEAD_REVISION`. Every migration must run on SQLite and PostgreSQL and be reversible.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import Connection, Engine, inspect

from pos_app.server.db.engine import is_postgres

if TYPE_CHECKING:
    from alembic.config import Config

MIGRATIONS_DIR = Path(__file__).resolve().with_name("migrations")
HEAD_REVISION = "0021_dashboard_rollup"
#: Any constant: the key of PostgreSQL's advisory lock held while migrating.
_MIGRATION_LOCK = 0x706F735F  # "pos_"


class ServerVersionError(RuntimeError):
    """The database cannot be brought to this version's schema (e.g. a newer server made it)."""


def alembic_config(connection: Connection | None = None) -> Config:
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR).replace("%", "%%"))
    config.set_main_option("file_template", "%%(year)d_%%(month).2d_%%(day).2d_%%(rev)s")
    config.attributes["connection"] = connection
    return config


def current_revision(engine: Engine) -> str | None:
    with engine.connect() as conn:
        if not inspect(conn).has_table("alembic_version"):
            return None
        row = conn.exec_driver_sql("SELECT version_num FROM alembic_version").first()
        return None if row is None else str(row[0])


def ensure_current(engine: Engine) -> None:
    if current_revision(engine) != HEAD_REVISION:
        upgrade(engine)


def upgrade(engine: Engine, revision: str = "head") -> None:
    _run(engine, "upgrade", revision)


def downgrade(engine: Engine, revision: str) -> None:
    _run(engine, "downgrade", revision)


def _run(engine: Engine, direction: str, revision: str) -> None:
    from alembic import command
    from alembic.util import CommandError

    with engine.begin() as conn:
        if is_postgres(conn):
            conn.exec_driver_sql(f"SELECT pg_advisory_xact_lock({_MIGRATION_LOCK})")
        try:
            getattr(command, direction)(alembic_config(conn), revision)
        except CommandError as exc:
            raise ServerVersionError(
                f"cannot {direction} the server database to {revision}: {exc}. Was it made by a newer pos_app?"
            ) from exc
