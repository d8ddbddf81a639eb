"""The server's schema: migrations match the models on both databases, and go down and up again."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import Engine, inspect

from pos_app.server.db import console_models  # noqa: F401  (the console's tables are part of the schema)
from pos_app.server.db.migrate import HEAD_REVISION, current_revision, downgrade, ensure_current, upgrade
from pos_app.server.db.models import Base


def test_the_migrated_schema_is_the_models(engine: Engine) -> None:
    assert current_revision(engine) == HEAD_REVISION
    with engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"compare_type": True})
        assert compare_metadata(context, Base.metadata) == []


def test_down_and_up_again(engine: Engine) -> None:
    downgrade(engine, "base")
    assert current_revision(engine) is None
    assert "cards" not in inspect(engine).get_table_names()
    ensure_current(engine)
    assert current_revision(engine) == HEAD_REVISION
    upgrade(engine)  # at head: nothing to do
    with engine.connect() as conn:
        assert conn.exec_driver_sql("SELECT count(*) FROM changes").scalar_one() == 0
