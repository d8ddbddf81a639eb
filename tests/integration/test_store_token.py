"""The device's token never lives in the store file: a file of its own beside it, 0600, written atomically; and
migration 0004 moves the token an older store kept in its settings (and scrubs it from the file)."""

from __future__ import annotations

import os
import sqlite3
import stat
from pathlib import Path

from pos_app.services.enrolment import TOKEN
from pos_app.store import open_store
from pos_app.store.engine import open_engine, store_path
from pos_app.store.migrate import HEAD_REVISION, current_revision, downgrade, upgrade
from tests.integration.test_store_migrations import schema_diff

SECRET = "tok_3f9c2a7d41b8e6c5a0d9f1e2b3c4d5e6"
TOKEN_FILE = "device.token"


def leaked(data_dir: Path, secret: str = SECRET) -> list[str]:
    """The files of the store (the database and its journals) that hold the secret's bytes."""
    return [p.name for p in data_dir.glob("till.sqlite3*") if secret.encode() in p.read_bytes()]


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_the_token_is_kept_in_a_0600_file_and_never_in_the_store(tmp_path: Path) -> None:
    store = open_store(tmp_path)
    with store.unit_of_work() as uow:
        uow.settings.set("store_name", "Corner")
        uow.settings.set(TOKEN, SECRET)
        uow.commit()
    with store.unit_of_work(read_only=True) as uow:
        assert uow.settings.get(TOKEN) == SECRET
    file = tmp_path / TOKEN_FILE
    assert file.read_text() == SECRET and mode(file) == 0o600
    assert [p.name for p in tmp_path.iterdir() if p.name.endswith(".tmp")] == []  # written atomically
    with store.unit_of_work() as uow:  # a new token replaces the old one, still 0600
        uow.settings.set(TOKEN, SECRET[::-1])
        uow.commit()
    assert file.read_text() == SECRET[::-1] and mode(file) == 0o600
    with sqlite3.connect(store.path) as db:
        assert db.execute("SELECT count(*) FROM settings WHERE key = ?", (TOKEN,)).fetchone() == (0,)
    store.close()
    assert leaked(tmp_path, SECRET) == leaked(tmp_path, SECRET[::-1]) == []
    with open_store(tmp_path).unit_of_work() as uow:
        uow.settings.set(TOKEN, None)
        assert uow.settings.get(TOKEN, "gone") == "gone"
    assert not file.exists()


def test_a_wide_umask_does_not_widen_the_file(tmp_path: Path) -> None:
    old = os.umask(0)
    try:
        with open_store(tmp_path).unit_of_work() as uow:
            uow.settings.set(TOKEN, SECRET)
    finally:
        os.umask(old)
    assert mode(tmp_path / TOKEN_FILE) == 0o600


def _enrolled_0003_store(data_dir: Path) -> None:
    """A store as the app before 0004 left it after enrolment: the token among the settings."""
    engine = open_engine(store_path(data_dir))
    upgrade(engine, "0003_sync")
    with engine.begin() as conn:
        for key, value in [("mode", '"enrolled"'), ("sync.server_url", '"http://hq:8000"'),
                           ("sync.token", f'"{SECRET}"'), ("device_id", '"dev_1"'), ("sync.cursor", "0")]:
            conn.exec_driver_sql("INSERT INTO settings (key, value) VALUES (?, ?)", (key, value))
        for cursor in range(1, 50):  # the settings page is written again and again, as sync does
            conn.exec_driver_sql("UPDATE settings SET value = ? WHERE key = 'sync.cursor'", (str(cursor),))
    engine.dispose()
    assert leaked(data_dir) != []


def test_0004_moves_an_old_store_s_token_out_and_scrubs_it(tmp_path: Path) -> None:
    _enrolled_0003_store(tmp_path)
    store = open_store(tmp_path)
    assert current_revision(store.engine) == HEAD_REVISION
    assert schema_diff(store.engine) == []
    with store.unit_of_work() as uow:
        assert (uow.settings.get(TOKEN), uow.settings.get("sync.cursor")) == (SECRET, 49)
    with sqlite3.connect(store.path) as db:
        assert db.execute("SELECT count(*) FROM settings WHERE key = 'sync.token'").fetchone() == (0,)
    assert mode(tmp_path / TOKEN_FILE) == 0o600
    store.close()
    assert leaked(tmp_path) == []


def test_0004_can_be_undone_and_done_again(tmp_path: Path) -> None:
    _enrolled_0003_store(tmp_path)
    engine = open_engine(store_path(tmp_path))
    upgrade(engine)
    downgrade(engine, "0003_sync")
    with engine.connect() as conn:
        assert conn.exec_driver_sql("SELECT value FROM settings WHERE key = 'sync.token'").scalar() == f'"{SECRET}"'
        assert "server_version" not in {r[1] for r in conn.exec_driver_sql("PRAGMA table_info(cards)")}
    upgrade(engine)
    assert schema_diff(engine) == []
    engine.dispose()
    assert (tmp_path / TOKEN_FILE).read_text() == SECRET
    assert leaked(tmp_path) == []


def test_a_store_that_never_had_a_token_upgrades_without_a_token_file(tmp_path: Path) -> None:
    engine = open_engine(store_path(tmp_path))
    upgrade(engine, "0003_sync")
    engine.dispose()
    open_store(tmp_path).close()
    assert not (tmp_path / TOKEN_FILE).exists()
