"""The dashboard's rollup (``server.dashboard_rollup``) on both databases: whatever has been folded, the rollup
plus the live tail after its watermark give exactly what summing every entry gives (``dashboard(direct=True)``,
the queries the dashboard ran before the rollup, kept as the reference) — before any fold, between batches, with
entries committing during a fold and out of their numbering's order, refunds of redemptions of other days, tills
in shops of different zones, a till moved to another zone, and two folds racing."""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import Connection, Engine, func, insert, select

from pos_app.server import admin, dashboard_rollup
from pos_app.server.dashboard import Dashboard, dashboard
from pos_app.server.dashboard_rollup import (
    catch_up_all,
    fold,
    fold_batch,
    refold_moved,
    sum_liability,
    tail_length,
)
from pos_app.server.db.dashboard_models import rollup, watermark
from pos_app.server.db.engine import read, write
from pos_app.server.db.migrate import downgrade, upgrade
from pos_app.server.db.models import changes, entries
from pos_app.server.ledger import ENTRY, log_one, now
from pos_app.server.shops import add_shop
from pos_app.server.tills import move_till
from tests.server.conftest import make_cards
from tests.server.harness import HttpTill


@pytest.fixture(autouse=True)
def no_background_fold(monkeypatch: pytest.MonkeyPatch) -> None:
    """These tests fold when they mean to: the server's own fold task is off."""
    monkeypatch.setenv("POS_SERVER_FOLD_SECONDS", "0")


def boards(engine: Engine, at: datetime) -> tuple[Dashboard, Dashboard]:
    return (read(engine, lambda conn: dashboard(conn, at=at)),
            read(engine, lambda conn: dashboard(conn, at=at, direct=True)))


def same_as_direct(engine: Engine, at: datetime) -> Dashboard:
    """The rollup's figures are the direct sums' (and there are figures to compare)."""
    folded, direct = boards(engine, at)
    assert folded.shops == direct.shops
    assert folded.days == direct.days
    assert any(d.figures.sold or d.figures.redeemed for d in direct.days)
    return folded


def folded_rows(engine: Engine) -> int:
    with engine.connect() as conn:
        return int(conn.execute(select(func.count()).select_from(rollup)).scalar_one())


def ok(response: Any) -> dict[str, Any]:
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    assert body.get("result", "SUCCESS") == "SUCCESS", body
    return body


def pushed(till: HttpTill, batch: list[dict[str, Any]]) -> None:
    response = till.push(batch)
    assert response.status_code == 200, response.text
    assert all(r["outcome"] in {"stored", "conflict"} for r in response.json()["results"]), response.text


def trade(engine: Engine, till: HttpTill, till2: HttpTill, at: datetime) -> None:
    """Two tills in shops of two zones (Berlin, Auckland) sell, redeem, refund online and offline, over 40 days;
    a refund today of a redemption of 10 days ago."""
    def shops(conn: Connection) -> None:
        move_till(conn, till.device_id, add_shop(conn, name="Berlin", time_zone="Europe/Berlin", at=at).id)
        move_till(conn, till2.device_id, add_shop(conn, name="Auckland", time_zone="Pacific/Auckland", at=at).id)

    write(engine, shops)
    first, second, third = make_cards(engine, till, 3, amount=5000)
    ok(till.authorise("sell", first["code"], payment="cash"))
    ok(till2.authorise("sell", second["code"], price=4500, payment="card"))
    ok(till.authorise("sell", third["code"], payment="cash"))
    taken = ok(till.authorise("redeem", first["code"], 1000))
    ok(till.authorise("refund", first["code"], 300, refund_of=taken["entry"]["id"]))
    ok(till.authorise("correct", first["code"], 700, reason="counted wrong"))  # no sale
    old = till2.offline_entry({**second, "balance": 5000}, "CREDITS_REDEMPTION", -800,
                              created_at=(at - timedelta(days=10)).isoformat())
    pushed(till2, [old, *[till2.offline_entry({**second, "balance": 4200}, "CREDITS_REDEMPTION", -10 * days,
                                              created_at=(at - timedelta(days=days, hours=days)).isoformat())
                          for days in (1, 3, 6, 7, 29, 30, 40)]])
    ok(till2.authorise("refund", second["code"], 500, refund_of=old["id"]))  # today, of 10 days ago


def test_the_rollup_and_its_tail_equal_the_direct_sums_before_between_and_after_folds(
        engine: Engine, till: HttpTill, till2: HttpTill) -> None:
    write(engine, lambda conn: admin.set_store(conn, time_zone="America/New_York"))  # head office's zone
    at = now()
    trade(engine, till, till2, at)
    before = same_as_direct(engine, at)  # nothing folded: all of it the tail
    assert folded_rows(engine) == 0

    while folded_rows(engine) == 0:  # part of it, three lines at a time (a campaign's cards' lines first)
        assert fold(engine, batches=1, limit=3) == 3
        same_as_direct(engine, at)
    assert read(engine, tail_length) > 0
    fold(engine, limit=4)
    assert same_as_direct(engine, at) == before
    assert read(engine, tail_length) == 0

    (fresh,) = make_cards(engine, till, 1, amount=2000)  # after the fold: the tail again
    ok(till.authorise("sell", fresh["code"], payment="cash"))
    ok(till.authorise("redeem", fresh["code"], 250))
    after = same_as_direct(engine, at)
    assert after != before
    fold(engine)
    assert same_as_direct(engine, at) == after
    later = at + timedelta(days=5)  # the rollup's days seen from five days on: the 30 days move
    same_as_direct(engine, later)


def test_an_entry_committed_after_a_later_numbered_one_is_never_skipped(
        engine: Engine, till: HttpTill, card: dict[str, Any]) -> None:
    """PostgreSQL numbers lines when they are written, not when they commit: the fold pages by place."""
    if engine.dialect.name != "postgresql":
        pytest.skip("SQLite has one writer: its lines commit in their numbering's order")
    at = now()
    (other,) = make_cards(engine, till, 1, amount=5000)
    ok(till.authorise("sell", other["code"], payment="cash"))
    early = engine.connect()
    transaction = early.begin()
    copy_entry(early, other["id"], amount=-111)  # numbered first (on another card), committed last
    ok(till.authorise("redeem", card["code"], 200))
    fold(engine)
    same_as_direct(engine, at)
    transaction.commit()
    early.close()
    board = same_as_direct(engine, at)  # the late one: not placed yet, in the tail
    assert sum(s.today.redeemed for s in board.shops) == 311
    fold(engine)
    assert same_as_direct(engine, at) == board
    assert read(engine, tail_length) == 0


def test_entries_committed_while_a_fold_holds_the_watermark_are_in_the_tail_then_folded(
        engine: Engine, till: HttpTill, card: dict[str, Any]) -> None:
    if engine.dialect.name != "postgresql":
        pytest.skip("SQLite's fold holds the one write lock: no entry commits meanwhile")
    at = now()
    ok(till.authorise("redeem", card["code"], 100))
    with engine.begin() as conn:  # a fold in progress
        assert fold_batch(conn) > 0
        ok(till.authorise("redeem", card["code"], 200))
        ok(till.authorise("redeem", card["code"], 300))
    board = same_as_direct(engine, at)
    assert sum(s.today.redeemed for s in board.shops) == 600
    fold(engine)
    assert same_as_direct(engine, at) == board


def copy_entry(conn: Connection, card_id: str, *, amount: int) -> None:
    """A redemption written as the server writes one (its change-log line first), like the card's sale."""
    sale = conn.execute(select(entries).where(entries.c.card_id == card_id)).mappings().first()
    assert sale is not None
    entry_id = f"e-{amount}-{now().timestamp()}"
    seq = log_one(conn, ENTRY, entry_id)
    conn.execute(insert(entries).values({**sale, "id": entry_id, "kind": "CREDITS_REDEMPTION", "amount": amount,
                                         "device_seq": 0, "server_seq": seq, "price": None, "payment": None,
                                         "created_at": now(), "received_at": now()}))


def test_two_folds_racing_fold_every_line_once(engine: Engine, till: HttpTill, till2: HttpTill) -> None:
    at = now()
    trade(engine, till, till2, at)
    direct = boards(engine, at)[1]
    with engine.connect() as conn:
        placed = int(conn.execute(select(func.count()).select_from(changes)).scalar_one())
    done: list[int] = []
    errors: list[BaseException] = []

    def folder() -> None:
        try:
            done.append(fold(engine, limit=2))
        except BaseException as exc:  # reported below
            errors.append(exc)

    racers = [threading.Thread(target=folder) for _ in range(3)]
    for racer in racers:
        racer.start()
    for racer in racers:
        racer.join()
    assert not errors, errors
    assert sum(done) == placed  # each line by one of them
    assert same_as_direct(engine, at) == direct
    with engine.connect() as conn:
        assert conn.execute(select(watermark.c.pos)).scalar_one() == \
            conn.execute(select(func.max(changes.c.pos))).scalar_one()


def test_a_till_moved_to_another_zone_has_its_days_folded_again(engine: Engine, till: HttpTill,
                                                                 card: dict[str, Any]) -> None:
    at = datetime.now(UTC)
    # Yesterday 12:30 UTC: the day after in Auckland (UTC+13) whatever the time of day the test runs at (the card's
    # sale, made now, falls on one day or two depending on it).
    redeemed = (at - timedelta(days=1)).replace(hour=12, minute=30, second=0, microsecond=0)
    pushed(till, [till.offline_entry(card, "CREDITS_REDEMPTION", -100, created_at=redeemed.isoformat())])
    fold(engine)
    same_as_direct(engine, at)
    write(engine, lambda conn: move_till(conn, till.device_id,
                                         add_shop(conn, name="Auckland", time_zone="Pacific/Auckland", at=at).id))
    folded, direct = boards(engine, at)
    assert folded.days != direct.days  # cut in the old zone until folded again
    assert write(engine, refold_moved) == 1
    same_as_direct(engine, at)
    assert write(engine, refold_moved) == 0


def test_the_liability_is_the_folds_last_sum_past_the_threshold(engine: Engine, till: HttpTill, card: dict[str, Any],
                                                                monkeypatch: pytest.MonkeyPatch) -> None:
    from pos_app.server import dashboard as figures

    at = now()
    assert board_liability(engine) == (5000, None)  # no sum yet: summed for the page
    assert write(engine, lambda conn: sum_liability(conn, at=at))
    assert board_liability(engine) == (5000, None)  # a small store: summed for the page all the same
    monkeypatch.setattr(figures, "SNAPSHOT_FROM", 1)
    ok(till.authorise("redeem", card["code"], 1000))
    assert board_liability(engine) == (5000, at)  # as of the fold's sum
    assert not write(engine, lambda conn: sum_liability(conn, at=at + timedelta(seconds=10)))  # not due yet
    later = at + timedelta(seconds=dashboard_rollup.LIABILITY_EVERY + 1)
    assert write(engine, lambda conn: sum_liability(conn, at=later))
    assert board_liability(engine) == (4000, later)


def board_liability(engine: Engine) -> tuple[int, datetime | None]:
    board = read(engine, lambda conn: dashboard(conn, at=now()))
    (owed,) = board.liability
    return owed.outstanding, board.liability_at


def test_init_folds_the_entries_there_were_before_the_rollup(engine: Engine, till: HttpTill,
                                                              till2: HttpTill) -> None:
    at = now()
    trade(engine, till, till2, at)
    direct = boards(engine, at)[1]
    downgrade(engine, "0017_dashboard_indexes")
    upgrade(engine)  # an empty rollup: the tail is everything
    assert folded_rows(engine) == 0
    assert same_as_direct(engine, at) == direct
    catch_up_all(engine)  # what pos-server init and serve do after migrating
    assert folded_rows(engine) > 0
    assert read(engine, tail_length) == 0
    assert same_as_direct(engine, at) == direct

