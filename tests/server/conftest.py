"""Fixtures of the server's tests: every database test runs on SQLite and on PostgreSQL.

PostgreSQL: ``$POS_TEST_PG_URL`` names a server and a role that may create databases (``.ci/postgres.sh``
prints it). A fresh database ``pos_test_<random>`` is made and migrated once per test session, emptied before
every test, and dropped at the end. Without the variable the PostgreSQL half is skipped locally and FAILS on CI
(``$CI`` set): CI must run it.
"""

from __future__ import annotations

import secrets
import shutil
import warnings
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine, create_engine, text

from pos_app.domain.money import Money
from pos_app.domain.people import Role
from pos_app.server import admin, auth
from pos_app.server.campaigns import CreateCampaign, create_campaign
from pos_app.server.db.engine import open_engine, write
from pos_app.server.db.migrate import upgrade
from pos_app.server.ledger import now
from tests.server.harness import HttpTill, pg_database

with warnings.catch_warnings():  # starlette deprecates httpx in its TestClient; it is what FastAPI ships
    warnings.simplefilter("ignore")
    from fastapi.testclient import TestClient

TABLES = ("entries, card_changes, conflicts, cards, campaigns, customers, changes, settings, users, devices, "
          "enrol_codes, failed_lookups, api_keys, api_requests, validation_rule_assignments, validation_rules, "
          "validation_sessions, api_redemptions, async_actions, exports, deleted_vouchers, "
          "console_audit, console_sessions, console_users, till_limits, shops, "
          "dashboard_rollup, dashboard_watermark, dashboard_liability")


@pytest.fixture(scope="session")
def pg_url() -> Iterator[str]:
    """A fresh, migrated PostgreSQL database for this session."""
    with pg_database("pos_test") as fresh:
        engine = open_engine(fresh)
        upgrade(engine)
        engine.dispose()
        yield fresh


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("template") / "server.sqlite3"
    engine = open_engine(f"sqlite:///{path}")
    upgrade(engine)
    engine.dispose()
    return path


def _empty_pg(url: str) -> None:
    engine = create_engine(url)
    with engine.begin() as conn:
        conn.execute(text(f"TRUNCATE {TABLES}"))
        conn.execute(text("SELECT setval('changes_seq', 1, false)"))
        conn.execute(text("INSERT INTO dashboard_watermark (id, pos) VALUES (1, 0)"))  # as the migration left it
    engine.dispose()


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """An empty server database at the current schema (no store settings yet)."""
    if request.param == "sqlite":
        path = tmp_path / "server.sqlite3"
        shutil.copyfile(request.getfixturevalue("sqlite_template"), path)
        return f"sqlite:///{path}"
    url: str = request.getfixturevalue("pg_url")
    _empty_pg(url)
    return url


#: The people of every test server (PIN hashes made once: scrypt is slow on purpose).
MANAGER, CASHIER = "Mia", "Carl"
_PIN_HASHES = {MANAGER: admin.hash_new_pin("9876"), CASHIER: admin.hash_new_pin("1234")}


@pytest.fixture
def engine(db_url: str) -> Iterator[Engine]:
    opened = open_engine(db_url)

    def setup(conn: Any) -> None:
        admin.set_store(conn, name="Head Office", currency="EUR")
        for name, role in ((MANAGER, Role.MANAGER), (CASHIER, Role.CASHIER)):
            admin.add_user(conn, name=name, role=role, pin_hash=_PIN_HASHES[name], at=now())

    write(opened, setup)
    yield opened
    opened.dispose()


def person(engine: Engine, name: str = MANAGER) -> str:
    """The id of one of the test server's people (:data:`MANAGER`, :data:`CASHIER`)."""
    with engine.connect() as conn:
        found: str = conn.execute(text("SELECT id FROM users WHERE name = :n"), {"n": name}).scalar_one()
    return found


@pytest.fixture
def client(engine: Engine, db_url: str) -> Iterator[TestClient]:
    from pos_app.server.app import create_app

    app = create_app(db_url)
    with TestClient(app) as test_client:
        yield test_client


def new_code(engine: Engine, **at: Any) -> str:
    return write(engine, lambda conn: auth.make_enrol_code(conn, at.get("at", now()))).code


@pytest.fixture
def till(client: TestClient, engine: Engine) -> HttpTill:
    return enrol(client, engine, "till 1")


@pytest.fixture
def till2(client: TestClient, engine: Engine) -> HttpTill:
    return enrol(client, engine, "till 2")


def enrol(client: TestClient, engine: Engine, name: str) -> HttpTill:
    response = client.post("/sync/v1/enrol", json={"code": new_code(engine), "device_name": name})
    assert response.status_code == 200, response.text
    body = response.json()
    return HttpTill(client, body["token"], body["device_id"], operator_id=person(engine))


def make_cards(engine: Engine, till: HttpTill, count: int = 3, amount: int = 5000,
               **fields: Any) -> list[dict[str, Any]]:
    """A campaign of ``count`` inactive cards worth ``amount``; returns them as the till pulls them."""
    name = f"Campaign {secrets.token_hex(3)}"
    campaign = create_campaign(engine, CreateCampaign(name=name, amount=Money(amount, "EUR"), count=count, **fields))
    cards = till.pull_all()["cards"]
    return [c for c in cards.values() if c["campaign_id"] == campaign.id]


@pytest.fixture
def card(engine: Engine, till: HttpTill) -> dict[str, Any]:
    """A sold, active card with 50.00 EUR on it, as the server answered the sale."""
    (fresh,) = make_cards(engine, till, 1)
    response = till.authorise("sell", fresh["code"])
    assert response.json()["result"] == "SUCCESS", response.text
    sold: dict[str, Any] = response.json()["card"]
    return sold


def totals_add_up(engine: Engine) -> None:
    """For every card: loaded − redeemed + refunded = balance, and the card's figures are its entries' sums."""
    with engine.connect() as conn:
        bad = conn.execute(text("SELECT id FROM cards WHERE loaded - redeemed + refunded <> balance")).all()
        assert not bad, f"cards whose figures do not add up: {bad}"
        rows = conn.execute(text(
            "SELECT c.id, c.balance, c.loaded, c.redeemed, c.refunded, "
            " COALESCE(SUM(CASE WHEN e.result = 'SUCCESS' THEN e.amount END), 0), "
            " COALESCE(SUM(CASE WHEN e.result = 'SUCCESS' AND e.kind IN ('CREDITS_ADDITION', 'CREDITS_REMOVAL') "
            "              THEN e.amount END), 0), "
            " COALESCE(SUM(CASE WHEN e.result = 'SUCCESS' AND e.kind = 'CREDITS_REDEMPTION' THEN -e.amount END), 0), "
            " COALESCE(SUM(CASE WHEN e.result = 'SUCCESS' AND e.kind = 'CREDITS_REFUND' THEN e.amount END), 0) "
            "FROM cards c LEFT JOIN entries e ON e.card_id = c.id "
            "GROUP BY c.id, c.balance, c.loaded, c.redeemed, c.refunded"
        )).all()
    for card_id, balance, loaded, redeemed, refunded, s_all, s_loaded, s_redeemed, s_refunded in rows:
        assert (balance, loaded, redeemed, refunded) == (s_all, s_loaded, s_redeemed, s_refunded), card_id


def set_card(engine: Engine, card_id: str, **values: Any) -> None:
    """Change a card's row behind the server's back (states the API has no operation for)."""
    from sqlalchemy import update

    from pos_app.server.db.models import cards

    with engine.begin() as conn:
        conn.execute(update(cards).where(cards.c.id == card_id).values(**values))
