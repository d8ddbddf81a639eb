"""The dashboard's figures (``server.dashboard``) on both databases: the liability of the active cards, sales and
redemptions net of refunds per till for the shop's today, 7 and 30 days, the open conflicts; and that each query is
one the indexes serve."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any

from sqlalchemy import Engine, event, text

from pos_app.server import admin
from pos_app.server.dashboard import (
    HEAD_OFFICE,
    LIABILITY,
    Figures,
    ShopFigures,
    dashboard,
    day_starts,
    liability,
    open_conflicts,
    sums_query,
)
from pos_app.server.db.engine import read, write
from pos_app.server.ledger import now
from tests.server.conftest import make_cards, set_card
from tests.server.harness import HttpTill


def board_of(engine: Engine, at: datetime | None = None) -> Any:
    return read(engine, lambda conn: dashboard(conn, at=at or now()))


def ok(response: Any) -> dict[str, Any]:
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    assert body.get("result", "SUCCESS") == "SUCCESS", body
    return body


def pushed(till: HttpTill, entries: list[dict[str, Any]]) -> None:
    response = till.push(entries)
    assert response.status_code == 200, response.text
    assert all(r["outcome"] in {"stored", "conflict"} for r in response.json()["results"]), response.text


def test_the_liability_is_the_active_cards_balances_by_currency(engine: Engine, till: HttpTill,
                                                                 card: dict[str, Any]) -> None:
    other, disabled, _inactive = make_cards(engine, till, 3, amount=2000)
    ok(till.authorise("sell", other["code"], payment="cash"))
    ok(till.authorise("sell", disabled["code"], payment="cash"))
    set_card(engine, disabled["id"], status="disabled")
    ok(till.authorise("redeem", card["code"], 1250))

    (eur,) = read(engine, liability)
    assert (eur.currency, eur.cards, eur.outstanding) == ("EUR", 2, 5000 - 1250 + 2000)


def test_sales_and_redemptions_net_of_refunds_per_till_today_in_7_and_in_30_days(
        engine: Engine, till: HttpTill, till2: HttpTill) -> None:
    write(engine, lambda conn: admin.set_store(conn, time_zone="UTC"))
    first, second = make_cards(engine, till, 2, amount=5000)
    ok(till.authorise("sell", first["code"], payment="card"))  # today, at till 1
    ok(till2.authorise("sell", second["code"], price=4500, payment="cash"))  # today, at till 2
    taken = ok(till.authorise("redeem", first["code"], 1000))
    ok(till.authorise("refund", first["code"], 400, refund_of=taken["entry"]["id"]))
    card = {**first, "balance": 5000 - 600}
    at = now()
    pushed(till, [till.offline_entry(card, "CREDITS_REDEMPTION", -amount, created_at=(at - ago).isoformat())
                  for amount, ago in ((300, timedelta(days=3)), (200, timedelta(days=20)), (100, timedelta(days=40)))])
    ok(till.authorise("correct", first["code"], 700, reason="counted wrong"))  # no sale: a correction up

    board = board_of(engine, at)
    by_till = {s.group_id: s for s in board.shops}
    assert by_till[till.device_id] == ShopFigures(
        till.device_id, "till 1", "EUR",
        today=Figures(sales=1, sold=5000, redemptions=1, redeemed=600),
        week=Figures(sales=1, sold=5000, redemptions=2, redeemed=900),
        month=Figures(sales=1, sold=5000, redemptions=3, redeemed=1100))
    assert by_till[till2.device_id].month == Figures(sales=1, sold=5000)
    assert set(by_till) == {till.device_id, till2.device_id}
    days = {d.day: d.figures for d in board.days}
    today = at.date()
    assert days[today] == Figures(sales=2, sold=10_000, redemptions=1, redeemed=600)
    assert days[today - timedelta(days=3)] == Figures(redemptions=1, redeemed=300)
    assert min(days) == today - timedelta(days=20)


def test_a_day_is_the_shops_local_day(engine: Engine, till: HttpTill) -> None:
    """At 11:30 UTC it is already tomorrow in Auckland (UTC+13 in December): an entry of 10:30 UTC is
    today's there, one of 10:30 UTC the day before is yesterday's."""
    write(engine, lambda conn: admin.set_store(conn, time_zone="Pacific/Auckland"))
    (fresh,) = make_cards(engine, till, 1, amount=5000)
    ok(till.authorise("sell", fresh["code"], payment="cash"))
    card = {**fresh, "balance": 5000}
    at = datetime(2026, 12, 7, 11, 30, tzinfo=UTC)  # 2026-12-08 00:30 in Auckland
    pushed(till, [till.offline_entry(card, "CREDITS_REDEMPTION", -100, created_at="2026-12-07T10:30:00+00:00"),
                  till.offline_entry(card, "CREDITS_REDEMPTION", -20, created_at="2026-12-07T11:10:00+00:00")])

    board = board_of(engine, at)
    days = {d.day: d.figures.redeemed for d in board.days}
    assert days == {date(2026, 12, 7): 100, date(2026, 12, 8): 20}
    (shop,) = board.shops
    assert (shop.today.redeemed, shop.week.redeemed) == (20, 120)


def test_day_starts_are_local_midnights_across_a_change_of_summer_time() -> None:
    starts = day_starts(date(2026, 11, 5), "America/New_York")
    assert len(starts) == 31
    assert starts[0] == datetime(2026, 10, 7, 4, tzinfo=UTC)  # EDT
    assert starts[-1] == datetime(2026, 11, 6, 5, tzinfo=UTC)  # EST, after 1 November


def test_head_office_entries_are_grouped_apart(engine: Engine, till: HttpTill) -> None:
    (fresh,) = make_cards(engine, till, 1, amount=5000)
    ok(till.authorise("sell", fresh["code"], payment="cash"))
    with engine.begin() as conn:  # an entry of no till (the API's key as its device): head office's group
        conn.execute(text("UPDATE entries SET device_id = 'key_123'"))
    (shop,) = board_of(engine).shops
    assert (shop.group_id, shop.today.sold) == (HEAD_OFFICE, 5000)


def test_open_conflicts_count_with_their_overdraft(engine: Engine, till: HttpTill, till2: HttpTill,
                                                    card: dict[str, Any]) -> None:
    pushed(till, [till.offline_entry(card, "CREDITS_REDEMPTION", -4000)])
    pushed(till2, [till2.offline_entry(card, "CREDITS_REDEMPTION", -3000)])
    found = read(engine, open_conflicts)
    assert (found.count, dict(found.overdraft)) == (1, {"EUR": 2000})


def plan(engine: Engine, stmt: Any) -> str:
    """The database's plan of ``stmt`` (on PostgreSQL with sequential scans off: are the tables tiny, is the
    index usable at all?)."""
    postgres = engine.dialect.name == "postgresql"
    prefix = "EXPLAIN " if postgres else "EXPLAIN QUERY PLAN "
    with engine.connect() as conn, conn.begin():
        if postgres:
            conn.execute(text("SET LOCAL enable_seqscan = off"))
        event.listen(conn, "before_cursor_execute", lambda *a: (prefix + a[2], a[3]), retval=True)
        return "\n".join(str(row[-1]) for row in conn.execute(stmt).cursor.fetchall())


def test_the_queries_are_served_by_indexes(engine: Engine) -> None:
    starts = {zone: day_starts(now().date(), zone) for zone in ("UTC", "Pacific/Auckland")}
    query = sums_query(starts, {"UTC": set(), "Pacific/Auckland": {"till_a"}}, "UTC")
    assert "ix_entries_dashboard" in (found := plan(engine, query)), found
    assert "ix_cards_active_currency_balance" in (found := plan(engine, LIABILITY)), found


def test_tills_count_under_their_shop_each_in_its_own_zone_and_an_idle_shop_shows_zeros(
        engine: Engine, till: HttpTill, till2: HttpTill) -> None:
    from pos_app.server.shops import add_shop
    from pos_app.server.tills import move_till

    at = datetime(2026, 12, 7, 11, 30, tzinfo=UTC)  # 12:30 in Berlin, already 00:30 on the 8th in Auckland

    def setup(conn: Any) -> tuple[str, str, str]:
        berlin = add_shop(conn, name="Berlin Mitte", time_zone="Europe/Berlin", at=at).id
        auckland = add_shop(conn, name="Auckland", time_zone="Pacific/Auckland", at=at).id
        idle = add_shop(conn, name="Zürich", time_zone="Europe/Zurich", at=at).id
        move_till(conn, till.device_id, berlin)
        move_till(conn, till2.device_id, auckland)
        return berlin, auckland, idle

    berlin, auckland, idle = write(engine, setup)
    first, second = make_cards(engine, till, 2, amount=5000)
    ok(till.authorise("sell", first["code"], payment="cash"))
    ok(till2.authorise("sell", second["code"], payment="cash"))
    ten_thirty = "2026-12-07T10:30:00+00:00"  # the 7th in Berlin, the 7th (23:30) in Auckland
    pushed(till, [till.offline_entry({**first, "balance": 5000}, "CREDITS_REDEMPTION", -100, created_at=ten_thirty)])
    pushed(till2, [till2.offline_entry({**second, "balance": 5000}, "CREDITS_REDEMPTION", -70,
                                       created_at=ten_thirty)])

    board = board_of(engine, at)
    by_shop = {s.group_id: s for s in board.shops}
    assert [s.name for s in board.shops] == ["Auckland", "Berlin Mitte", "Zürich"]
    assert by_shop[berlin].today.redeemed == 100  # Berlin's today is the 7th
    assert by_shop[auckland].today.redeemed == 0  # Auckland's today is the 8th: the 70 were yesterday there
    assert (by_shop[auckland].week.redemptions, by_shop[auckland].week.redeemed) == (1, 70)  # (the sales: today)
    assert by_shop[idle] == ShopFigures(idle, "Zürich", "EUR", Figures(), Figures(), Figures())


def test_tills_unseen_for_longer_than_their_offline_limit(engine: Engine, till: HttpTill, till2: HttpTill) -> None:
    from pos_app.server.tills import set_own_limits

    at = now()
    write(engine, lambda conn: set_own_limits(conn, till2.device_id, {"max_offline_seconds": 72 * 3600}, at))
    with engine.begin() as conn:  # the chain's limit is a day; both were last seen two days ago
        for device in (till.device_id, till2.device_id):
            conn.execute(text("UPDATE devices SET last_seen_at = :t WHERE id = :d"),
                         {"t": (at - timedelta(days=2)).isoformat() if engine.dialect.name == "sqlite"
                          else at - timedelta(days=2), "d": device})
    (late,) = board_of(engine, at).offline
    assert (late.device_id, late.name, late.limit_seconds) == (till.device_id, "till 1", 24 * 3600)
    assert late.last_seen_at is not None and abs(late.last_seen_at - (at - timedelta(days=2))) < timedelta(seconds=1)
    assert board_of(engine, at + timedelta(days=2)).offline[1].device_id == till2.device_id  # four days: both
    with engine.begin() as conn:
        conn.execute(text("UPDATE devices SET revoked_at = created_at WHERE id = :d"), {"d": till.device_id})
    assert board_of(engine, at).offline == ()
