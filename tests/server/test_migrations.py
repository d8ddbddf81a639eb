"""The server's schema: migrations match the models on both databases, and go down and up again."""

from __future__ import annotations

import json
from datetime import UTC, datetime

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import Engine, inspect, select, text

from pos_app.server.db import console_models  # noqa: F401  (the console's tables are part of the schema)
from pos_app.server.db.migrate import HEAD_REVISION, current_revision, downgrade, ensure_current, upgrade
from pos_app.server.db.models import devices
from pos_app.server.db.schema import metadata
from pos_app.server.db.shop_models import shops


def test_the_migrated_schema_is_the_models(engine: Engine) -> None:
    assert current_revision(engine) == HEAD_REVISION
    with engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"compare_type": True})
        assert compare_metadata(context, metadata) == []


def test_down_and_up_again(engine: Engine) -> None:
    downgrade(engine, "base")
    assert current_revision(engine) is None
    assert "cards" not in inspect(engine).get_table_names()
    ensure_current(engine)
    assert current_revision(engine) == HEAD_REVISION
    upgrade(engine)  # at head: nothing to do
    with engine.connect() as conn:
        assert conn.exec_driver_sql("SELECT count(*) FROM changes").scalar_one() == 0


def test_a_store_with_tills_becomes_one_shop_holding_every_till(engine: Engine) -> None:
    downgrade(engine, "0014_additions_index")
    at = datetime(2026, 12, 1, 9, tzinfo=UTC).isoformat() if engine.dialect.name == "sqlite" \
        else datetime(2026, 12, 1, 9, tzinfo=UTC)
    with engine.begin() as conn:
        conn.execute(text("UPDATE settings SET value = :v WHERE key = 'store'"),
                     {"v": json.dumps({"name": "Grafton Street", "currency": "EUR", "locale": "en_IE",
                                       "time_zone": "Europe/Dublin"})})
        for n in (1, 2):
            conn.execute(text("INSERT INTO devices (id, name, token_hash, created_at) VALUES (:id, :name, :h, :at)"),
                         {"id": f"dev_{n}", "name": f"Till {n}", "h": f"{n}" * 64, "at": at})
    upgrade(engine)
    with engine.connect() as conn:
        found = conn.execute(select(shops.c.id, shops.c.name, shops.c.time_zone)).all()
        assert [(s.name, s.time_zone) for s in found] == [("Grafton Street", "Europe/Dublin")]
        tills = conn.execute(select(devices.c.shop_id).order_by(devices.c.id)).scalars().all()
    assert tills == [found[0].id, found[0].id]


def test_a_new_empty_server_has_no_shop(engine: Engine) -> None:
    downgrade(engine, "base")
    upgrade(engine)
    with engine.connect() as conn:
        assert conn.execute(select(shops.c.id)).first() is None
