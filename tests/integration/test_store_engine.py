"""The engine's pragmas and transactions, and the unit of work's commit/rollback rules, on real files."""

from __future__ import annotations

import os
import sqlite3
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import pytest
from platformdirs import user_data_dir
from sqlalchemy.exc import StatementError

from pos_app.domain.money import Money
from pos_app.store import Store, open_store
from pos_app.store.engine import BUSY_TIMEOUT_MS, STORE_FILENAME, default_data_dir, open_engine, store_path
from pos_app.store.models import datetime_from_db, datetime_to_db
from pos_app.store.uow import SqlUnitOfWork
from tests.integration.conftest import ctx, new_campaign, new_card


def other_connection(store: Store) -> sqlite3.Connection:
    """A second, independent connection that gives up at once instead of waiting for a lock."""
    raw = sqlite3.connect(store.path, isolation_level=None, timeout=0)
    raw.execute("PRAGMA busy_timeout = 0")
    return raw


def test_every_connection_runs_with_the_pragmas(store: Store, uow: SqlUnitOfWork) -> None:
    with uow:
        conn = uow.connection
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert conn.exec_driver_sql("PRAGMA synchronous").scalar() == 2  # FULL
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        assert conn.exec_driver_sql("PRAGMA busy_timeout").scalar() == BUSY_TIMEOUT_MS == 30_000
    with store.engine.connect() as fresh:  # not only the first connection of the pool
        with store.unit_of_work() as second:
            assert second.connection.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        assert fresh.exec_driver_sql("PRAGMA synchronous").scalar() == 2


def test_a_unit_of_work_holds_the_write_lock_from_its_start(store: Store, uow: SqlUnitOfWork) -> None:
    other = other_connection(store)
    with uow:  # BEGIN IMMEDIATE, before any statement
        with pytest.raises(sqlite3.OperationalError, match="database is locked"):
            other.execute("BEGIN IMMEDIATE")
        assert other.execute("SELECT count(*) FROM cards").fetchone() == (0,)  # WAL: readers still read
    other.execute("BEGIN IMMEDIATE")
    other.execute("ROLLBACK")


def test_a_read_only_unit_of_work_does_not_block_writers(store: Store) -> None:
    other = other_connection(store)
    with store.unit_of_work(read_only=True) as reader:
        assert reader.cards.get_by_code("nothing") is None
        other.execute("BEGIN IMMEDIATE")
        other.execute("INSERT INTO settings (key, value) VALUES ('k', '1')")
        other.execute("COMMIT")
        assert reader.settings.get("k") is None  # its snapshot predates the write
    with store.unit_of_work(read_only=True) as reader:
        assert reader.settings.get("k") == 1


def test_nothing_stays_unless_committed(uow: SqlUnitOfWork) -> None:
    card = new_card(balance=100)
    with uow:
        uow.cards.add_many([card])
    with uow:
        assert uow.cards.get(card.id) is None
        uow.cards.add_many([card])
        uow.commit()
    with pytest.raises(RuntimeError), uow:
        uow.entries.add(card.redeem(Money(10, "EUR"), ctx()))
        raise RuntimeError("the till crashed")
    with uow:
        assert uow.entries.outbox_count() == 0


def test_writes_after_a_commit_in_the_same_block_are_a_new_transaction(store: Store, uow: SqlUnitOfWork) -> None:
    card = new_card(balance=100)
    with uow:
        uow.cards.add_many([card])
        uow.commit()
        uow.entries.add(card.redeem(Money(10, "EUR"), ctx()))  # through the driver
        with pytest.raises(sqlite3.OperationalError, match="database is locked"):
            other_connection(store).execute("BEGIN IMMEDIATE")  # the new transaction holds the lock
        uow.commit()
        uow.settings.set("after", 1)  # through SQLAlchemy
    with uow:
        assert uow.cards.get(card.id) is not None
        assert uow.entries.outbox_count() == 1
        assert uow.settings.get("after") is None
    with uow:
        uow.commit()
        uow.cards.save(card)  # rolled back on leaving, like any other write
    with uow:
        assert uow.cards.get(card.id).balance == 100  # type: ignore[union-attr]


def test_a_unit_of_work_cannot_be_nested_and_needs_a_with_block(uow: SqlUnitOfWork) -> None:
    with pytest.raises(RuntimeError, match="not open"):
        uow.commit()
    with uow, pytest.raises(RuntimeError, match="already open"):
        uow.__enter__()
    with uow:  # usable again afterwards
        assert uow.settings.get("x") is None


def test_the_store_lives_in_the_data_dir(tmp_path: Path) -> None:
    assert default_data_dir() == Path(user_data_dir("pos_app", appauthor=False))
    assert store_path(tmp_path) == tmp_path / STORE_FILENAME == tmp_path / "till.sqlite3"
    nested = tmp_path / "a" / "b with space" / "100%"
    store = open_store(nested)
    try:
        assert store.path == nested / "till.sqlite3" and store.path.is_file()
    finally:
        store.close()
    engine = open_engine(tmp_path / "x" / "other.sqlite3")
    with engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
    engine.dispose()


def test_datetimes_are_stored_as_utc_text_and_come_back_aware(uow: SqlUnitOfWork) -> None:
    local = datetime(2025, 3, 30, 3, 30, tzinfo=timezone(timedelta(hours=2)))
    assert datetime_to_db(local) == "2025-03-30T01:30:00.000000+00:00"
    assert datetime_from_db("2025-03-30 01:30:00").tzinfo is UTC  # text without an offset is taken as UTC
    with pytest.raises(ValueError, match="naive"):
        datetime_to_db(datetime(2025, 1, 1))  # naive: the point of the test
    card = new_card(expiration_date=local)
    campaign = new_campaign(start_date=local)
    with uow:
        uow.campaigns.add(campaign)  # each through the same column type
        uow.cards.add_many([card])
        stored = uow.connection.exec_driver_sql(
            "SELECT campaigns.start_date, cards.expiration_date FROM campaigns, cards"
        ).one()
        assert tuple(stored) == ("2025-03-30T01:30:00.000000+00:00",) * 2
        for back in (uow.campaigns.get(campaign.id).start_date, uow.cards.get(card.id).expiration_date):  # type: ignore[union-attr]
            assert back == local and back is not None and back.tzinfo is UTC
        with pytest.raises(StatementError, match="naive"):
            uow.campaigns.add(new_campaign(created_at=datetime(2025, 1, 1)))  # naive


def test_the_store_and_its_wal_files_are_readable_by_their_owner_only(tmp_path: Path) -> None:
    """Full codes and PIN hashes are in there (issue 13): 0600 from the start, whatever the umask, and an old
    store left 0644 is tightened when opened."""
    import stat

    old = os.umask(0o022)
    try:
        store = open_store(tmp_path / "new")
        with store.unit_of_work() as uow:
            uow.settings.set("shop", "Corner")
            uow.commit()
        files = {p.name: stat.S_IMODE(p.stat().st_mode) for p in (tmp_path / "new").iterdir()
                 if p.name.startswith("till.sqlite3")}
        assert set(files) == {"till.sqlite3", "till.sqlite3-wal", "till.sqlite3-shm"}
        assert files == dict.fromkeys(files, 0o600)
        store.close()
        (tmp_path / "new" / "till.sqlite3").chmod(0o644)
        open_store(tmp_path / "new").close()
        assert stat.S_IMODE((tmp_path / "new" / "till.sqlite3").stat().st_mode) == 0o600
    finally:
        os.umask(old)
