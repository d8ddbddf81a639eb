"""Drive the real ``pos-app`` command line in a subprocess, on a real store in a temporary directory."""

from __future__ import annotations

import csv
import io
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.cli_shop import CASHIER_PIN, MANAGER_PIN, Result, Shop
from tests.server.harness import pg_database

__all__ = ["CASHIER_PIN", "MANAGER_PIN", "Result", "Shop"]


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
    with pg_database("pos_e2e") as url:
        yield url
