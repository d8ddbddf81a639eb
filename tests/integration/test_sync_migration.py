"""Migration 0003 (sync): an old store upgrades in place, its cards gain ``synced_at`` (never synced), and a
device's entry numbers stay unique while entries without a number (head office's) may be many."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from sqlalchemy import Engine

from pos_app.store import open_store
from pos_app.store.engine import open_engine, store_path
from pos_app.store.migrate import HEAD_REVISION, current_revision, downgrade, upgrade
from tests.integration.test_store_migrations import make_old_store, schema_diff

HEAD_OFFICE_ENTRY = (
    "INSERT INTO entries (id, card_id, code, kind, amount, currency, balance_after, result, device_id, "
    "device_seq, created_at, status, server_seq) VALUES "
    "('{id}', 'v_old1', 'OLD-CODE-1', 'CREDITS_ADDITION', 100, 'EUR', 3600, 'SUCCESS', 'server', {seq}, "
    "'2024-12-04T09:00:00.000000+00:00', 'confirmed', 7)"
)


def indexes(engine: Engine) -> dict[str, str]:
    with engine.connect() as conn:
        rows = conn.exec_driver_sql("SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL")
        return {str(name): str(sql) for name, sql in rows}


def test_an_old_store_gains_synced_at_and_keeps_everything(tmp_path: Path) -> None:
    make_old_store(tmp_path)
    store = open_store(tmp_path)
    assert current_revision(store.engine) == HEAD_REVISION
    assert schema_diff(store.engine) == []
    with store.unit_of_work() as uow:
        assert uow.cards.synced_at("v_old1") is None
        card = uow.cards.get("v_old1")
        assert card is not None and card.balance == 3500
        assert [e.device_seq for e in uow.entries.for_card("v_old1")] == [2, 1]
        assert uow.entries.outbox_count() == 1
    made = indexes(store.engine)
    assert "WHERE device_seq > 0" in made["uq_entries_device_id_device_seq"]
    assert "WHERE result = 'SUCCESS' AND refund_of IS NOT NULL" in made["ix_entries_refund_of_success"]
    assert {"ix_entries_card_id_created_at", "ix_entries_created_at"} <= set(made)
    store.close()


def test_numbered_entries_stay_unique_per_device_and_unnumbered_ones_may_repeat(tmp_path: Path) -> None:
    make_old_store(tmp_path)
    open_store(tmp_path).close()
    with sqlite3.connect(store_path(tmp_path)) as db:
        db.execute(HEAD_OFFICE_ENTRY.format(id="00000000-0000-4000-8000-0000000000a1", seq=0))
        db.execute(HEAD_OFFICE_ENTRY.format(id="00000000-0000-4000-8000-0000000000a2", seq=0))
        db.execute(HEAD_OFFICE_ENTRY.format(id="00000000-0000-4000-8000-0000000000a3", seq=1))
        with pytest.raises(sqlite3.IntegrityError, match=r"entries\.device_id, entries\.device_seq"):
            db.execute(HEAD_OFFICE_ENTRY.format(id="00000000-0000-4000-8000-0000000000a4", seq=1))


def test_0003_can_be_undone_and_done_again(tmp_path: Path) -> None:
    make_old_store(tmp_path)
    engine = open_engine(store_path(tmp_path))
    upgrade(engine)
    with engine.begin() as conn:
        conn.exec_driver_sql("UPDATE cards SET synced_at = '2025-01-01T00:00:00.000000+00:00'")
    downgrade(engine, "0002_customers")
    with engine.connect() as conn:
        columns = {r[1] for r in conn.exec_driver_sql("PRAGMA table_info(cards)")}
        entries_sql = conn.exec_driver_sql("SELECT sql FROM sqlite_master WHERE name = 'entries'").scalar_one()
        assert conn.exec_driver_sql("SELECT count(*) FROM entries").scalar() == 2
    assert "synced_at" not in columns
    assert "UNIQUE (device_id, device_seq)" in entries_sql
    assert "WHERE result = 'SUCCESS'" in indexes(engine)["uq_entries_refund_of_success"]
    upgrade(engine)
    assert schema_diff(engine) == []
    engine.dispose()
