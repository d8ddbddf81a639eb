"""Drive the real ``pos-app`` command line in a subprocess, on a real store in a temporary directory."""

from __future__ import annotations

import csv
import io
import json
import os
import secrets
import shutil
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import create_engine, make_url

MANAGER_PIN = "9876"
CASHIER_PIN = "1234"


@dataclass
class Result:
    code: int
    out: str
    err: str

    def json(self) -> Any:
        return json.loads(self.out)


class Shop:
    def __init__(self, data_dir: Path) -> None:
        self.data_dir = data_dir

    def run(self, *args: str, pin: str | None = MANAGER_PIN, stdin: str | None = None,
            env: dict[str, str] | None = None) -> Result:
        full_env = {k: v for k, v in os.environ.items() if k not in {"POS_APP_PIN", "POS_APP_DATA_DIR"}}
        full_env.update(env or {})
        if pin is not None:
            full_env["POS_APP_PIN"] = pin
        proc = subprocess.run(
            [sys.executable, "-m", "pos_app", "--data-dir", str(self.data_dir), *args],
            check=False, capture_output=True, text=True, env=full_env, input=stdin or "", timeout=120,
        )
        return Result(proc.returncode, proc.stdout, proc.stderr)

    def ok(self, *args: str, **kw: Any) -> Result:
        result = self.run(*args, **kw)
        assert result.code == 0, f"{args} failed: {result.err}"
        return result

    def ledger_size(self) -> int:
        """Entries in the store, read from the SQLite file itself (works while the till is locked)."""
        with sqlite3.connect(self.data_dir / "till.sqlite3") as db:
            return int(db.execute("SELECT count(*) FROM entries").fetchone()[0])


@pytest.fixture(scope="session")
def _template(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    """A shop set up once (store, a cashier, a small campaign, one sold €50 card); tests get copies."""
    s = Shop(tmp_path_factory.mktemp("template") / "till")
    s.ok("init", "--store-name", "Corner Shop", "--currency", "EUR", "--manager-pin", MANAGER_PIN, pin=None)
    s.ok("user", "add", "Chris", "--role", "cashier", "--new-pin", CASHIER_PIN)
    s.ok("campaign", "create", "--name", "Winter", "--amount", "50.00", "--count", "5")
    code = next(csv.DictReader(io.StringIO(s.ok("export", "vouchers", "--out", "-").out)))["code"]
    s.ok("sell", code)
    return s.data_dir, code


@pytest.fixture
def shop(_template: tuple[Path, str], tmp_path: Path) -> Shop:
    """A copy of the template shop in this test's own directory: a real store file, set up in no time."""
    copy = tmp_path / "till"
    shutil.copytree(_template[0], copy)
    return Shop(copy)


@pytest.fixture
def sold_card(_template: tuple[Path, str]) -> str:
    """The code of the template's sold €50 card."""
    return _template[1]


@pytest.fixture(params=["sqlite", "postgresql"])
def server_db(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A fresh, empty server database: a SQLite file, or a PostgreSQL database of its own (dropped after)."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'server.sqlite3'}"
        return
    base = os.environ.get("POS_TEST_PG_URL")
    if not base:
        if os.environ.get("CI"):
            pytest.fail("POS_TEST_PG_URL is not set on CI")
        pytest.skip("POS_TEST_PG_URL is not set")
    url, name = make_url(base), f"pos_e2e_{secrets.token_hex(4)}"
    admin = create_engine(url.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.exec_driver_sql(f'CREATE DATABASE "{name}"')
    try:
        yield url.set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as conn:
            conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.dispose()
