"""Pull: a change log paged by cursor; each page has the current state of what changed after the cursor."""

from __future__ import annotations

import threading
import uuid
from typing import Any

from click.testing import CliRunner
from sqlalchemy import Engine

from pos_app.domain.people import verify_pin
from pos_app.server import admin
from pos_app.server.authorise import authorise
from pos_app.server.cli import main
from pos_app.server.db.engine import write
from pos_app.server.ledger import now
from pos_app.sync.schemas import AuthoriseRequest
from tests.server.conftest import make_cards
from tests.server.harness import HttpTill
from tests.server.test_change_log import pulled


def test_pages_cover_every_card_once_and_say_when_there_is_more(engine: Engine, till: HttpTill) -> None:
    start = till.pull()["next_cursor"]
    cards = make_cards(engine, till, 25)
    seen: list[str] = []
    campaigns: list[dict[str, Any]] = []
    cursor, pages = start, 0
    while True:
        page = till.pull(cursor, limit=10)
        pages += 1
        seen += [c["id"] for c in page["cards"]]
        campaigns += page["campaigns"]
        assert page["next_cursor"] >= cursor
        cursor = page["next_cursor"]
        if not page["has_more"]:
            break
        assert len(page["cards"]) + len(page["campaigns"]) == 10  # a line of the log each
    assert pages == 3  # the campaign when made, its 25 cards, the campaign with its count
    assert sorted(seen) == sorted(c["id"] for c in cards)
    campaign_id = cards[0]["campaign_id"]  # in its current state both times
    assert [(c["id"], c["vouchers_count"]) for c in campaigns] == [(campaign_id, 25), (campaign_id, 25)]
    end = till.pull(cursor)
    assert (end["cards"], end["entries"], end["has_more"], end["next_cursor"]) == ([], [], False, cursor)


def test_a_page_holds_only_what_changed_after_the_cursor(engine: Engine, till: HttpTill, till2: HttpTill) -> None:
    cards = make_cards(engine, till, 3)
    for c in cards:
        till.authorise("sell", c["code"])
    cursor = till.pull_all()["cursor"]
    spent = till2.authorise("redeem", cards[1]["code"], 1234).json()
    page = till.pull(cursor)
    assert [c["id"] for c in page["cards"]] == [cards[1]["id"]]
    assert page["cards"][0]["balance"] == 5000 - 1234
    (entry,) = page["entries"]
    assert entry["id"] == spent["entry"]["id"]
    assert (entry["device_id"], entry["server_seq"], entry["balance_after"]) == (till2.device_id,
                                                                                  spent["entry"]["server_seq"], 3766)
    assert entry["status"] == "confirmed"
    assert page["next_cursor"] > cursor


def test_pushed_entries_come_back_with_the_servers_balance(till: HttpTill, card: dict[str, Any]) -> None:
    cursor = till.pull_all()["cursor"]
    stale = {**card, "balance": 9999}  # the till thought there was more on the card
    pushed = till.offline_entry(stale, "CREDITS_REDEMPTION", -1000)
    till.push([pushed])
    (entry,) = till.pull(cursor)["entries"]
    assert (entry["id"], entry["balance_after"], entry["status"]) == (pushed["id"], 4000, "confirmed")
    assert entry["created_at"] is not None and entry["server_seq"] is not None


def test_users_limits_and_store_reach_the_tills(till: HttpTill, db_url: str) -> None:
    cursor = till.pull()["next_cursor"]
    runner = CliRunner()
    added = runner.invoke(main, ["user", "add", "Ann", "--role", "manager", "--pin", "9876", "--db", db_url])
    assert added.exit_code == 0
    assert runner.invoke(main, ["limits", "set", "--per-redemption", "25.50", "--max-offline-hours", "6",
                                "--db", db_url]).exit_code == 0
    page = till.pull(cursor)
    (user,) = page["users"]
    assert (user["name"], user["role"], user["active"]) == ("Ann", "manager", True)
    assert verify_pin("9876", user["pin_hash"])
    assert page["limits"]["per_redemption"] == 2550
    assert page["limits"]["max_offline_seconds"] == 6 * 3600
    assert page["store"]["currency"] == "EUR"


def test_a_reader_never_skips_a_change_while_writers_commit(engine: Engine, till: HttpTill) -> None:
    cards = make_cards(engine, till, 4, amount=100_000)
    for c in cards:
        till.authorise("sell", c["code"])
    start = till.pull_all()["cursor"]
    made: list[str] = []
    done = threading.Event()

    def writer(code: str) -> None:
        for _ in range(25):
            req = AuthoriseRequest(op="redeem", entry_id=uuid.uuid4(), code=code, amount=1, currency="EUR",
                                   created_at=now(), operator_id=till.operator_id)
            answer = write(engine, lambda conn, req=req: authorise(conn, till.token, req, now()))
            assert '"SUCCESS"' in answer
            made.append(req.entry_id.hex)

    seen: set[str] = set()

    def reader() -> None:
        cursor = start
        while True:
            finished = done.is_set()
            page = pulled(engine, cursor, 7)
            seen.update(e.id.hex for e in page.entries)
            cursor = page.next_cursor
            if finished and not page.has_more:
                return

    threads = [threading.Thread(target=writer, args=(c["code"],)) for c in cards]
    reading = threading.Thread(target=reader)
    reading.start()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    done.set()
    reading.join()
    assert len(made) == 100
    assert seen == set(made)


def test_the_store_settings_change_only_when_set(engine: Engine) -> None:
    first = pulled(engine, 0, 100).next_cursor
    write(engine, lambda conn: admin.set_store(conn, name="Head Office"))  # unchanged: no new change
    assert pulled(engine, 0, 100).next_cursor == first
