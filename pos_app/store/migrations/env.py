"""Alembic environment of the till's store.

Normally run by :mod:`pos_app.store.migrate`, which hands over a connection already inside a transaction
(``config.attributes["connection"]``). For a developer's ``alembic`` command line, ``sqlalchemy.url`` names a
SQLite file instead; the engine then gets the store's pragmas through :func:`pos_app.store.engine.open_engine`.
"""

from __future__ import annotations

from typing import Any, Literal

from alembic import context
from alembic.autogenerate.api import AutogenContext
from sqlalchemy import Connection
from sqlalchemy.types import TypeDecorator

from pos_app.store.engine import open_engine
from pos_app.store.migrate import include_name
from pos_app.store.models import Base

config = context.config


def _render_item(type_: str, obj: Any, autogen_context: AutogenContext) -> str | Literal[False]:
    """Migrations stay frozen: a column of one of the models' types (UTC datetimes, UUIDs, enums …) is written as
    the plain column it is stored in."""
    if type_ == "type" and isinstance(obj, TypeDecorator):
        return f"sa.{obj.impl_instance!r}"
    return False


def _run(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=Base.metadata,
        render_as_batch=True,  # SQLite cannot ALTER most things: rebuild the table instead
        render_item=_render_item,
        include_name=include_name,  # the full-text tables are not modelled
        transactional_ddl=True,
    )
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    connection = config.attributes.get("connection")
    if connection is not None:
        _run(connection)
        return
    url = config.get_main_option("sqlalchemy.url") or ""
    engine = open_engine(url.removeprefix("sqlite:///"))
    try:
        with engine.connect() as conn:
            _run(conn)
            conn.commit()
    finally:
        engine.dispose()


if context.is_offline_mode():
    raise SystemExit("the till's store migrates online only")
run_migrations_online()
