"""The reads of the console's conflict pages (``server.conflict_views``) at a million cards: the open and the
resolved lists (first page, next page, a page deep down) and one conflict's page, timed in process.

    python -m tests.server.conflicts_benchmark --db sqlite:////tmp/conflicts-bench.sqlite3
    python -m tests.server.conflicts_benchmark --db postgresql+psycopg://pos:pos@127.0.0.1:5432/pos_cfbench

The database must be a scratch one: it is migrated and filled by SQL (no server process), once — a database that
has the cards already is timed as it is. Seeded: ``--cards`` cards, each sold online (one entry); ``--conflicts``
of them overdrawn by two offline redemptions of two tills (one before the conflict, one in it), half of the
conflicts resolved; 200 tills and 200 people. The whole console page (template, HTTP) is the dashboard's
benchmark (``tests/server/console_benchmark.py``); this one isolates the queries.
"""

from __future__ import annotations

import argparse
import functools
import statistics
import time
from collections.abc import Callable
from typing import Any

from sqlalchemy import Connection, Engine, text

from pos_app.server import conflict_views
from pos_app.server.db.engine import is_postgres, open_engine, read
from pos_app.server.db.migrate import upgrade

_SQLITE = {"series": "WITH RECURSIVE g(g) AS (SELECT 1 UNION ALL SELECT g + 1 FROM g WHERE g < {n}) ",
           "from": "FROM g", "now": "strftime('%Y-%m-%dT%H:%M:%f000+00:00', 'now')",
           "ago": "strftime('%Y-%m-%dT%H:%M:%f000+00:00', 'now', '-'||g||' {unit}')",
           "pad": "printf('%0{w}d', g)", "true": "1"}
_PG = {"series": "", "from": "FROM generate_series(1, {n}) g", "now": "now()",
       "ago": "now() - (g || ' {unit}')::interval", "pad": "lpad(g::text, {w}, '0')", "true": "true"}


def seed(conn: Connection, cards: int, conflicts: int) -> None:
    d = _PG if is_postgres(conn) else _SQLITE

    def run(n: int, sql: str) -> None:
        sql = sql.replace("$FROM", d["from"].format(n=n)).replace("$NOW", d["now"]).replace("$TRUE", d["true"])
        sql = sql.replace("$CODE", "'GC-'||" + d["pad"].format(w=12)).replace("$CF", "'cf_'||" + d["pad"].format(w=8))
        sql = sql.replace("$MIN", d["ago"].format(unit="minutes")).replace("$SEC", d["ago"].format(unit="seconds"))
        sql = d["series"].format(n=n) + sql.replace("$N", str(conflicts))
        conn.exec_driver_sql(sql.replace("%", "%%") if is_postgres(conn) else sql)  # psycopg's placeholders

    run(200, "INSERT INTO devices (id, name, token_hash, created_at) SELECT 'd'||g, 'Till '||g, 'h'||g, $NOW $FROM")
    run(200, "INSERT INTO users (id, name, role, pin_hash, active, created_at) "
             "SELECT 'u'||g, 'Person '||g, 'manager', 'x', $TRUE, $NOW $FROM")
    run(cards, "INSERT INTO cards (id, code, currency, status, loaded, balance, redeemed, refunded, redemption_count, "
               "initial_amount, metadata, activated_at, created_at, version) SELECT 'v_'||g, $CODE, 'EUR', "
               "CASE WHEN g <= $N THEN 'frozen' ELSE 'active' END, 5000, CASE WHEN g <= $N THEN -1000 ELSE 5000 END, "
               "CASE WHEN g <= $N THEN 6000 ELSE 0 END, 0, 0, 5000, '{}', $NOW, $NOW, 1 $FROM")
    run(conflicts, "INSERT INTO conflicts (id, card_id, status, prior_status, overdraft, opened_at, resolved_at, "
                   "resolution, reason) SELECT $CF, 'v_'||g, CASE WHEN g % 2 = 0 THEN 'open' ELSE 'resolved' END, "
                   "'active', 1000, $MIN, CASE WHEN g % 2 = 0 THEN NULL ELSE $SEC END, "
                   "CASE WHEN g % 2 = 0 THEN NULL ELSE 'write_off' END, "
                   "CASE WHEN g % 2 = 0 THEN NULL ELSE 'loss' END $FROM")
    run(cards, "INSERT INTO entries (id, card_id, code, kind, amount, currency, balance_after, result, device_id, "
               "device_seq, operator_id, created_at, received_at, status, server_seq, origin) SELECT 'es'||g, "
               "'v_'||g, $CODE, 'CREDITS_ADDITION', 5000, 'EUR', 5000, 'SUCCESS', 'd'||(g % 200 + 1), g, "
               "'u'||(g % 200 + 1), $NOW, $NOW, 'confirmed', g, 'online' $FROM")
    for k, after, in_conflict in ((0, 2000, False), (1, -1000, True)):
        status, conflict = ("'conflict'", "$CF") if in_conflict else ("'confirmed'", "NULL")
        seq = f"{cards} * 2 + g * 2 + {k}"
        run(conflicts, "INSERT INTO entries (id, card_id, code, kind, amount, currency, balance_after, "
                       "till_balance_after, result, device_id, device_seq, operator_id, created_at, received_at, "
                       f"status, server_seq, origin, conflict_id) SELECT 'ex{k}_'||g, 'v_'||g, $CODE, "
                       f"'CREDITS_REDEMPTION', -3000, 'EUR', {after}, 2000, 'SUCCESS', 'd'||((g + {k}) % 200 + 1), "
                       f"{seq}, 'u1', $NOW, $NOW, {status}, {seq}, 'push', {conflict} $FROM")
    conn.exec_driver_sql("ANALYZE")


def timed(engine: Engine, label: str, work: Callable[[Connection], Any], rounds: int) -> None:
    times = []
    for _ in range(rounds):
        start = time.perf_counter()
        read(engine, work)
        times.append((time.perf_counter() - start) * 1000)
    print(f"{label:<38} median {statistics.median(times):6.1f} ms   max {max(times):6.1f} ms")


def main(db: str, cards: int, conflicts: int, rounds: int) -> None:
    engine = open_engine(db)
    upgrade(engine)
    with engine.begin() as conn:
        if conn.execute(text("SELECT count(*) FROM cards")).scalar_one() == 0:
            start = time.perf_counter()
            seed(conn, cards, conflicts)
            print(f"seeded {cards} cards and {conflicts} conflicts in {time.perf_counter() - start:.0f} s")
    first = read(engine, lambda conn: conflict_views.page(conn, "open"))
    deep: str | None = None
    for _ in range(20):  # a page some way down the resolved ones
        later = read(engine, functools.partial(conflict_views.page, status="resolved", after=deep)).after
        if later is None:
            break
        deep = later
    print(f"{engine.dialect.name}: {rounds} rounds each")
    timed(engine, "open conflicts, first page", lambda conn: conflict_views.page(conn, "open"), rounds)
    timed(engine, "open conflicts, next page",
          lambda conn: conflict_views.page(conn, "open", after=first.after), rounds)
    timed(engine, "resolved conflicts, first page", lambda conn: conflict_views.page(conn, "resolved"), rounds)
    timed(engine, "resolved conflicts, a page deep down",
          lambda conn: conflict_views.page(conn, "resolved", after=deep), rounds)
    timed(engine, "one conflict's page", lambda conn: conflict_views.detail(conn, first.rows[0].id), rounds)
    engine.dispose()


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", required=True, help="a scratch database (SQLite file or PostgreSQL)")
    parser.add_argument("--cards", type=int, default=1_000_000)
    parser.add_argument("--conflicts", type=int, default=20_000)
    parser.add_argument("--rounds", type=int, default=30)
    args = parser.parse_args()
    main(args.db, args.cards, args.conflicts, args.rounds)
