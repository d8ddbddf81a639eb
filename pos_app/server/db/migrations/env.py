"""Alembic environment of the server's database.

Normally run by :mod:`pos_app.server.db.migrate`, which hands over a connection inside a transaction
(``config.attributes["connection"]``). For a developer's ``alembic`` command line, ``sqlalchemy.url`` names the
database instead.
"""

from __future__ import annotations

from alembic import context
from sqlalchemy import Connection

from pos_app.server.db.engine import open_engine
from pos_app.server.db.schema import metadata

config = context.config


def _run(connection: Connection) -> None:
    context.configure(connection=connection, target_metadata=metadata, transactional_ddl=True)
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    connection = config.attributes.get("connection")
    if connection is not None:
        _run(connection)
        return
    engine = open_engine(config.get_main_option("sqlalchemy.url") or "")
    try:
        with engine.begin() as conn:
            _run(conn)
    finally:
        engine.dispose()


if context.is_offline_mode():
    raise SystemExit("the server's database migrates online only")
run_migrations_online()
