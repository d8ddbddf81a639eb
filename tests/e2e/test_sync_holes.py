"""Three holes of sync, closed, with real tills (the ``pos-app`` command line, the till's own code in process) and
the real central server process, on SQLite and on PostgreSQL:

1. an online answer lost on the way back, and the same sale decided again by the till offline, otherwise: both
   facts are kept, a conflict says what happened, and the tills end with the server's ledger;
2. the device's token lives in a 0600 file beside the store, never in it, also after an old store upgrades;
3. a pull page fetched just before an online redemption does not put back the card's older state.
"""

from __future__ import annotations

import csv
import io
import sqlite3
import stat
import uuid
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy import create_engine, text

from pos_app.bootstrap import open_till
from pos_app.domain.money import Money
from pos_app.services.cards import redeem
from pos_app.services.context import utc_now
from pos_app.store.engine import open_engine, store_path
from pos_app.store.migrate import downgrade
from pos_app.sync.apply import apply_page, cursor
from pos_app.sync.authoriser import ServerAuthoriser
from pos_app.sync.convert import entry_to_wire
from pos_app.sync.schemas import PushRequest, till_fact_id
from tests.e2e.conftest import CASHIER_PIN, MANAGER_PIN, Shop
from tests.e2e.lossy_proxy import LossyProxy
from tests.server.harness import add_user, enrol_codes, pos_server, running_server

TOKEN_FILE = "device.token"


def _ledger_here(till: Shop, card_id: str) -> set[tuple[str, str, int]]:
    with sqlite3.connect(till.data_dir / "till.sqlite3") as db:
        rows = db.execute("SELECT id, result, amount FROM entries WHERE card_id = ?", (card_id,)).fetchall()
    return {(str(i), str(r), int(a)) for i, r, a in rows}


def _server(db_url: str, code: str) -> dict[str, Any]:
    """The card, its ledger and its conflicts as the server's database has them."""
    engine = create_engine(db_url)
    with engine.connect() as conn:
        card = dict(conn.execute(text("SELECT id, status, balance, loaded, redeemed, refunded FROM cards "
                                      "WHERE code = :c"), {"c": code}).mappings().one())
        ledger = {(str(i), str(r), int(a)) for i, r, a in conn.execute(
            text("SELECT id, result, amount FROM entries WHERE card_id = :i"), {"i": card["id"]})}
        notes = [n for (n,) in conn.execute(text("SELECT notes FROM conflicts WHERE card_id = :i AND status = 'open'"),
                                            {"i": card["id"]})]
    engine.dispose()
    return {"card": card, "ledger": ledger, "notes": notes}


def _set_up(db_url: str, server_url: str, *tills: tuple[Shop, str], amount: str, count: int) -> list[str]:
    """People, a campaign and enrolled tills (each through its own URL); the campaign's codes."""
    add_user(db_url, "Maria", "manager", MANAGER_PIN)
    add_user(db_url, "Chris", "cashier", CASHIER_PIN)
    pos_server(db_url, "campaign", "create", "--name", "Winter", "--amount", amount, "--count", str(count))
    for (till, url), code in zip(tills, enrol_codes(db_url, len(tills)), strict=True):
        till.ok("enroll", "--server", url, "--code", code, "--name", till.data_dir.name, pin=None)
        till.ok("sync", "--once")
    first = tills[0][0]
    return [row["code"] for row in csv.DictReader(io.StringIO(first.ok("export", "vouchers", "--out", "-").out))]


def _pending_push(till: Shop) -> list[dict[str, Any]]:
    """The till's outbox as its next push will send it."""
    store = open_till(till.data_dir)
    with store.reader as uow:
        return [entry_to_wire(e).model_dump(mode="json") for e in uow.entries.pending(100)]


@pytest.mark.slow
def test_a_lost_online_answer_decided_otherwise_offline_ends_in_one_ledger(server_db: str, tmp_path: Path) -> None:
    till_a, till_b = Shop(tmp_path / "till-a"), Shop(tmp_path / "till-b")
    with running_server(server_db) as server, LossyProxy(server.url) as proxy:
        refused_online, taken_online = _set_up(server_db, server.url, (till_a, proxy.url), (till_b, server.url),
                                               amount="200.00", count=2)
        for code in (refused_online, taken_online):
            assert till_a.ok("sell", code, "--json").json()["status"] == "confirmed"
        till_b.ok("sync", "--once")
        till_b.ok("redeem", refused_online, "150.00", pin=CASHIER_PIN)  # 50.00 left; till A still thinks 200.00

        # 1. The server refuses 90.00 (over the balance); the answer is lost, and the network with it (the till
        # asks again, in vain); till A, offline, accepts it.
        proxy.lose_next("/sync/v1/authorise", then_down=True)
        accepted = till_a.ok("redeem", refused_online, "90.00", "--json", pin=CASHIER_PIN).json()
        assert accepted["status"] == "provisional"
        proxy.up()
        pushed = _pending_push(till_a)
        assert [e["id"] for e in pushed] == [accepted["id"]]
        # 2. The converse: the server takes 150.00; the answer is lost; offline, 150.00 is over the floor limit.
        # (Before it asks, the till pushes its outbox: the server has the first one's facts from then on.)
        proxy.lose_next("/sync/v1/authorise", then_down=True)
        refused = till_a.run("redeem", taken_online, "150.00", pin=CASHIER_PIN)
        assert refused.code == 1 and "offline_limit_exceeded" in refused.err
        assert proxy.lost == ["/sync/v1/authorise"] * 2
        proxy.up()
        pushed += _pending_push(till_a)
        assert len(pushed) == 2

        for till in (till_a, till_b):
            till.ok("sync", "--once")
        first = {code: _server(server_db, code) for code in (refused_online, taken_online)}
        over, taken = first[refused_online], first[taken_online]
        assert (over["card"]["status"], over["card"]["balance"]) == ("frozen", 5000 - 9000)
        assert (taken["card"]["status"], taken["card"]["balance"]) == ("active", 20000)  # reversed on push
        recorded = str(till_fact_id(uuid.UUID(accepted["id"])))
        assert (accepted["id"], "FAILURE", -9000) in over["ledger"] and (recorded, "SUCCESS", -9000) in over["ledger"]
        for state in (over, taken):
            (notes,) = state["notes"]
            note = notes.splitlines()[0]
            assert "recorded online as" in note and "recorded it offline as" in note
            card_id = state["card"]["id"]
            assert _ledger_here(till_a, card_id) == _ledger_here(till_b, card_id) == state["ledger"]
        assert [line.split(":")[0] for line in taken["notes"][0].splitlines()[1:]] == ["reversed"]
        for till in (till_a, till_b):
            shown = till.ok("card", "show", refused_online, "--json").json()
            assert (shown["status"], shown["balance"]) == ("frozen", -4000)
            assert till.ok("card", "show", taken_online, "--json").json()["balance"] == 20000
        assert till_a.ok("status", "--json").json()["unsynced"] == 0

        # The same push again (its answer lost too, say) answers the same and changes nothing.
        token = (till_a.data_dir / TOKEN_FILE).read_text()
        body = PushRequest.model_validate({"entries": pushed}).model_dump(mode="json")
        again = httpx.post(f"{server.url}/sync/v1/push", json=body, headers={"Authorization": f"Bearer {token}"})
        assert {(r["outcome"], r["status"]) for r in again.json()["results"]} == {("conflict", "conflict")}
        for till in (till_a, till_b):
            till.ok("sync", "--once")
        assert {code: _server(server_db, code) for code in first} == first
        for state in first.values():
            assert _ledger_here(till_a, state["card"]["id"]) == state["ledger"]


@pytest.mark.slow
@pytest.mark.parametrize("server_db", ["sqlite"], indirect=True)  # the till's side: the server's database is moot
def test_a_page_fetched_before_an_online_redemption_does_not_put_back_the_older_state(server_db: str,
                                                                                     tmp_path: Path) -> None:
    till_a, till_b = Shop(tmp_path / "till-a"), Shop(tmp_path / "till-b")
    with running_server(server_db) as server:
        code, *_ = _set_up(server_db, server.url, (till_a, server.url), (till_b, server.url), amount="50.00",
                           count=1)
        till_a.ok("sell", code)
        till_b.ok("sync", "--once")
        till_b.ok("redeem", code, "10.00", pin=CASHIER_PIN)  # 40.00: the next page of till A says so

        a = open_till(till_a.data_dir)
        units = a.units()
        with a.sync_client() as client:
            with units.read() as uow:
                start = cursor(uow)
            page = client.pull(start)  # fetched a moment before …
            assert [c.balance for c in page.cards if c.code == code] == [4000]
            paid = redeem(a.uow, a.login(CASHIER_PIN), code, Money(1000, "EUR"),  # … this, online: 40 → 30
                          authoriser=ServerAuthoriser(client, units, clock=utc_now))
        assert paid.status.value == "confirmed" and paid.balance_after == 3000
        assert apply_page(units.write(), page, now=utc_now(), expect_cursor=start)
        assert till_a.ok("card", "show", code, "--json").json()["balance"] == 3000  # not 40.00 again

        till_a.ok("sync", "--once")
        server_state = _server(server_db, code)
        assert server_state["card"]["balance"] == 3000
        assert _ledger_here(till_a, server_state["card"]["id"]) == server_state["ledger"]
        assert till_a.ok("card", "show", code, "--json").json()["balance"] == 3000


@pytest.mark.slow
def test_the_token_lives_beside_the_store_also_after_an_old_store_upgrades(tmp_path: Path) -> None:
    db_url = f"sqlite:///{tmp_path / 'server.sqlite3'}"
    till = Shop(tmp_path / "till")
    with running_server(db_url) as server:
        _set_up(db_url, server.url, (till, server.url), amount="50.00", count=1)
        file = till.data_dir / TOKEN_FILE
        token = file.read_text()
        assert len(token) >= 20 and stat.S_IMODE(file.stat().st_mode) == 0o600
        leaks = [p.name for p in till.data_dir.glob("till.sqlite3*") if token.encode() in p.read_bytes()]
        assert leaks == []
        for args in (("status",), ("status", "--json")):
            shown = till.ok(*args)
            assert token not in shown.out + shown.err and "online" in shown.out

        # The store as the app before 0004 left it: the token among the settings, no file.
        engine = open_engine(store_path(till.data_dir))
        downgrade(engine, "0003_sync")
        engine.dispose()
        file.unlink()
        with sqlite3.connect(store_path(till.data_dir)) as db:
            (kept,) = db.execute("SELECT value FROM settings WHERE key = 'sync.token'").fetchone()
        assert kept == f'"{token}"'

        synced = till.ok("sync", "--once", "--json").json()  # upgrades the store first, then syncs
        assert (synced["mode"], synced["last_error"]) == ("online", None)
        assert file.read_text() == token and stat.S_IMODE(file.stat().st_mode) == 0o600
        with sqlite3.connect(store_path(till.data_dir)) as db:
            assert db.execute("SELECT count(*) FROM settings WHERE key = 'sync.token'").fetchone() == (0,)
        assert [p.name for p in till.data_dir.glob("till.sqlite3*") if token.encode() in p.read_bytes()] == []
