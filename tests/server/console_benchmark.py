"""Server time of every console page at a million cards, beside a baseline measured in the same run.

    python -m tests.server.console_benchmark --db postgresql+psycopg://pos:pos@127.0.0.1:5432/pos_console_bench \\
        --cards 1000000

PostgreSQL only (what a chain of that size runs). Use a scratch database: it is emptied (schema ``public``
dropped and made again), migrated, and seeded in the database itself (``generate_series``, a few statements, no
row crosses the wire): ``--cards`` cards over several campaigns, about 2.7 entries a card (sales, redemptions,
refunds, failed attempts) spread over the last 60 days at the tills of ``--shops`` shops, customers, open and
resolved conflicts; then ``VACUUM ANALYZE`` (as autovacuum would, later). ``--keep`` times a database seeded
before. Then the real server (``pos-server serve``) starts, a console administrator signs in, and each page of
:data:`PAGES` is asked ``--warm`` times and then ``--requests`` times, one request at a time on one keep-alive
connection, in rounds that take turns with the baseline (``/sync/v1/health`` and the login page), so that a
slower spell of a shared machine weighs on both. A page's time is its ``Server-Timing: app`` figure when the
server sends one, else the request's time on 127.0.0.1 (which includes the client's few hundred microseconds,
visible in the baseline). Pages above :data:`TARGET_MS` at p95 are flagged.

Another page: one line in :data:`PAGES`, its URL template naming what :func:`samples` finds in the seeded data.
"""

from __future__ import annotations

import argparse
import re
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager, nullcontext
from dataclasses import dataclass

import httpx
from sqlalchemy import Connection, create_engine, text

from tests.server.harness import pos_server, running_server

#: The issue's target for every page's server time.
TARGET_MS = 200
#: The pages timed: a name and a URL template whose ``{names}`` :func:`samples` fills from the seeded data.
#: A page not (yet) in this build answers 404 and is listed as absent.
PAGES: list[tuple[str, str]] = [
    ("dashboard", "/console/dashboard"),
    ("dashboard CSV", "/console/dashboard.csv"),
    ("campaigns", "/console/campaigns"),
    ("campaign", "/console/campaigns/{campaign_id}"),
    ("campaign: progress", "/console/campaigns/{campaign_id}/progress"),
    ("cards: search box", "/console/cards"),
    ("card", "/console/cards/{card_id}"),
    ("conflicts", "/console/conflicts"),
    ("conflicts: resolved", "/console/conflicts?status=resolved"),
    ("conflict", "/console/conflicts/{conflict_id}"),
    ("shops", "/console/shops"),
    ("shop", "/console/shops/{shop_id}"),
    ("till", "/console/tills/{till_id}"),
    ("people of the tills", "/console/people"),
    ("limits", "/console/limits"),
    ("head office people", "/console/head-office"),
    ("API keys", "/console/api-keys"),
    ("audit log", "/console/audit"),
    ("audit log: one action", "/console/audit?action=cards.top_up"),
]
#: The card searches: sent by POST (a typed code never lands in a URL), the form's ``q`` filled like a URL above.
SEARCHES: list[tuple[str, str, str]] = [
    ("cards: by whole code", "/console/cards", "{code}"),
    ("cards: by part of a code", "/console/cards", "{part}"),
    ("cards: by customer", "/console/cards", "{customer}"),
]
#: The baseline: the cheapest answers of the same server, through the same client.
BASELINE: list[tuple[str, str]] = [
    ("health (baseline)", "/sync/v1/health"),
    ("login page (baseline)", "/console/login"),
]
ZONES = ("Europe/Berlin", "Europe/Vienna", "Europe/London", "Europe/Lisbon", "America/New_York")
ADMIN_EMAIL, ADMIN_PASSWORD = "bench@example.com", "a long benchmark password"


# ---- seeding ---------------------------------------------------------------------------------------------------

def _seed_statements(cards: int, campaigns: int, shops: int, tills: int, customers: int,
                     audit: int = 200_000) -> list[tuple[str, str]]:
    """(what, SQL) in order. ``shops`` shops in five zones with ``tills`` tills (every 40th unseen for three days);
    card ``i`` (1 … ``cards``): every tenth unsold, the others sold at a till at a time
    of the last 60 days and redeemed ``i % 5`` times (500 each) after it, every 13th with a refund of 200 of its
    first redemption, every 50th with a failed attempt too; every 2,000th is frozen with an open conflict, every
    500th of the others has a resolved one. ``audit`` lines of the console's audit log, one every 20 s."""
    sold_at = "now() - ((i::bigint * 7919) % 5184000) * interval '1 second'"
    n = "(i % 5)"
    return [
        ("store", "INSERT INTO settings (key, value) VALUES ('store', '{\"name\": \"Benchmark chain\", "
                  "\"currency\": \"EUR\", \"locale\": \"de_DE\", \"time_zone\": \"Europe/Berlin\"}') "
                  "ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value"),
        ("campaigns", f"""
            INSERT INTO campaigns (id, name, currency, amount, code_config, vouchers_count, active, created_at)
            SELECT 'camp_' || lpad(c::text, 6, '0'), 'Campaign ' || c, 'EUR', 5000, '{{}}',
                   {cards} / {campaigns}, true, now() - interval '90 days'
            FROM generate_series(0, {campaigns - 1}) c"""),
        ("customers", f"""
            INSERT INTO customers (id, source_id, name, email, created_at)
            SELECT 'cust_' || lpad(c::text, 8, '0'), 'crm-' || c, 'Customer ' || c, 'customer' || c || '@example.com',
                   now() - interval '90 days'
            FROM generate_series(1, {customers}) c"""),
        ("shops", f"""
            INSERT INTO shops (id, name, time_zone, created_at)
            SELECT 'shop_' || lpad(s::text, 4, '0'), 'Shop ' || s,
                   (ARRAY{list(ZONES)})[s % {len(ZONES)} + 1], now() - interval '90 days'
            FROM generate_series(1, {shops}) s"""),
        ("tills", f"""
            INSERT INTO devices (id, name, token_hash, created_at, shop_id, last_seen_at)
            SELECT 'dev_' || lpad(d::text, 6, '0'), 'Till ' || d, md5('till' || d) || md5('token' || d),
                   now() - interval '90 days', 'shop_' || lpad((d % {shops} + 1)::text, 4, '0'),
                   now() - CASE WHEN d % 40 = 0 THEN interval '3 days' ELSE (d % 30) * interval '1 minute' END
            FROM generate_series(0, {tills - 1}) d"""),
        ("cards", f"""
            INSERT INTO cards (id, code, campaign_id, currency, status, loaded, balance, redeemed, refunded,
                               redemption_count, initial_amount, customer_id, metadata, activated_at, created_at,
                               version)
            SELECT 'v_' || lpad(i::text, 10, '0'), 'BM-' || lpad(i::text, 10, '0'),
                   'camp_' || lpad((i % {campaigns})::text, 6, '0'), 'EUR',
                   CASE WHEN i % 10 = 0 THEN 'inactive' WHEN i % 2000 = 1 THEN 'frozen'
                        WHEN i % 997 = 0 THEN 'disabled' ELSE 'active' END,
                   CASE WHEN i % 10 = 0 THEN 0 ELSE 5000 END,
                   CASE WHEN i % 10 = 0 THEN 0
                        ELSE 5000 - 500 * {n} + CASE WHEN i % 13 = 0 AND {n} > 0 THEN 200 ELSE 0 END END,
                   CASE WHEN i % 10 = 0 THEN 0 ELSE 500 * {n} END,
                   CASE WHEN i % 10 <> 0 AND i % 13 = 0 AND {n} > 0 THEN 200 ELSE 0 END,
                   CASE WHEN i % 10 = 0 THEN 0 ELSE {n} END, 5000,
                   CASE WHEN i % 10 = 3 THEN 'cust_' || lpad((i / 10 % {customers} + 1)::text, 8, '0') END,
                   '{{}}', CASE WHEN i % 10 <> 0 THEN {sold_at} END, now() - interval '90 days', 1
            FROM generate_series(1, {cards}) i"""),
        ("entries", f"""
            INSERT INTO entries (id, card_id, code, kind, amount, currency, balance_after, result, error_key,
                                 device_id, device_seq, created_at, received_at, refund_of, status, server_seq,
                                 origin, price, payment)
            SELECT md5(i || '-' || k)::uuid::text, 'v_' || lpad(i::text, 10, '0'), 'BM-' || lpad(i::text, 10, '0'),
                   CASE WHEN k = 0 THEN 'CREDITS_ADDITION' WHEN k = {n} + 1 THEN 'CREDITS_REFUND'
                        ELSE 'CREDITS_REDEMPTION' END,
                   CASE WHEN k = 0 THEN 5000 WHEN k <= {n} THEN -500 WHEN k = {n} + 1 THEN 200 ELSE -90000 END,
                   'EUR', 5000 - 500 * least(k, {n}) + CASE WHEN k > {n} THEN 200 ELSE 0 END,
                   CASE WHEN k = {n} + 2 THEN 'FAILURE' ELSE 'SUCCESS' END,
                   CASE WHEN k = {n} + 2 THEN 'gift_amount_exceeded' END,
                   'dev_' || lpad(((i * 31 + k * 17) % {tills})::text, 6, '0'), i::bigint * 8 + k + 1,
                   least(now(), {sold_at} + k * ((i % 97) + 1) * interval '1 hour'),
                   least(now(), {sold_at} + k * ((i % 97) + 1) * interval '1 hour'),
                   CASE WHEN k = {n} + 1 THEN md5(i || '-1')::uuid::text END,
                   'confirmed', i::bigint * 8 + k + 1, 'online',
                   CASE WHEN k = 0 THEN 5000 END, CASE WHEN k = 0 THEN 'cash' END
            FROM generate_series(1, {cards}) i CROSS JOIN LATERAL generate_series(0, {n} + 2) k
            WHERE i % 10 <> 0 AND (k <= {n} OR (k = {n} + 1 AND i % 13 = 0 AND {n} > 0)
                                   OR (k = {n} + 2 AND i % 50 = 1))"""),
        ("changes", """
            INSERT INTO changes (seq, kind, ref_id, pos) SELECT server_seq, 'entry', id, server_seq FROM entries"""),
        ("changes_seq", "SELECT setval('changes_seq', (SELECT max(seq) FROM changes))"),
        ("conflicts", f"""
            INSERT INTO conflicts (id, card_id, status, prior_status, overdraft, opened_at, resolution, reason,
                                   resolved_at, resolved_by)
            SELECT 'cf_' || lpad(i::text, 10, '0'), 'v_' || lpad(i::text, 10, '0'),
                   CASE WHEN i % 2000 = 1 THEN 'open' ELSE 'resolved' END, 'active', 100 + i % 900,
                   now() - (i % 60) * interval '1 day',
                   CASE WHEN i % 2000 = 1 THEN NULL ELSE 'write_off' END,
                   CASE WHEN i % 2000 = 1 THEN NULL ELSE 'benchmark' END,
                   CASE WHEN i % 2000 = 1 THEN NULL ELSE now() - (i % 60) * interval '1 day' END,
                   CASE WHEN i % 2000 = 1 THEN NULL ELSE 'bench' END
            FROM generate_series(1, {cards}) i
            WHERE i % 10 <> 0 AND (i % 2000 = 1 OR i % 500 = 7)"""),
        ("audit", f"""
            INSERT INTO console_audit (at, user_id, email, action, target, outcome, detail)
            SELECT now() - (({audit} - a) * interval '20 seconds'), 'cu_bench', 'support@example.com',
                   (ARRAY['login', 'cards.top_up', 'cards.correct', 'conflicts.resolve',
                          'campaigns.create'])[a % 5 + 1],
                   '•••• ' || lpad((a % 10000)::text, 4, '0'), CASE WHEN a % 20 = 0 THEN 'refused' ELSE 'ok' END, NULL
            FROM generate_series(1, {audit}) a"""),
    ]


#: The tables filled without their keys and indexes, made again after (their time included in the step's).
_BULK = frozenset({"cards", "entries", "changes"})


@contextmanager
def _without_keys(conn: Connection, table: str) -> Iterator[None]:
    """The table's indexes and constraints (but its NOT NULLs) dropped while the block fills it, then made again:
    a bulk load's usual way (an index built once is many times faster than kept up row by row)."""
    constraints = conn.execute(text(
        "SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint WHERE conrelid = CAST(:t AS regclass) "
        "AND contype IN ('p', 'u', 'f') ORDER BY contype = 'f', conname"), {"t": table}).all()
    indexes = conn.execute(text(
        "SELECT indexname, indexdef FROM pg_indexes WHERE tablename = :t AND indexname NOT IN "
        "(SELECT conname FROM pg_constraint WHERE conrelid = CAST(:t AS regclass))"), {"t": table}).all()
    referring = conn.execute(text(
        "SELECT conrelid::regclass::text, conname, pg_get_constraintdef(oid) FROM pg_constraint "
        "WHERE confrelid = CAST(:t AS regclass) AND contype = 'f'"), {"t": table}).all()
    for other, name, _ in referring:
        conn.execute(text(f'ALTER TABLE {other} DROP CONSTRAINT "{name}"'))
    for name, _ in indexes:
        conn.execute(text(f'DROP INDEX "{name}"'))
    for name, _ in reversed(constraints):
        conn.execute(text(f'ALTER TABLE {table} DROP CONSTRAINT "{name}"'))
    yield
    for name, definition in constraints:
        conn.execute(text(f'ALTER TABLE {table} ADD CONSTRAINT "{name}" {definition}'))
    for _, definition in indexes:
        conn.execute(text(definition))
    for other, name, definition in referring:
        conn.execute(text(f'ALTER TABLE {other} ADD CONSTRAINT "{name}" {definition}'))


def seed(url: str, *, cards: int, campaigns: int, shops: int, tills: int, customers: int) -> float:
    """Empty the database, migrate it, seed it; returns the seconds it took (printed step by step)."""
    engine = create_engine(url, isolation_level="AUTOCOMMIT")
    start = time.perf_counter()
    with engine.connect() as conn:
        conn.execute(text("DROP SCHEMA public CASCADE"))
        conn.execute(text("CREATE SCHEMA public"))
    pos_server(url, "init", timeout=300)
    with engine.connect() as conn:
        conn.execute(text("SET maintenance_work_mem = '256MB'"))
        for what, sql in _seed_statements(cards, campaigns, shops, tills, customers):
            step = time.perf_counter()
            table = found.group(1) if (found := re.search(r"INSERT INTO (\w+)", sql)) else ""
            with _without_keys(conn, table) if table in _BULK else nullcontext():
                count = conn.execute(text(sql)).rowcount
            print(f"  seeded {what:<10} {count:>10,} rows in {time.perf_counter() - step:6.1f} s", flush=True)
        step = time.perf_counter()
        conn.execute(text("VACUUM ANALYZE"))
        print(f"  VACUUM ANALYZE          in {time.perf_counter() - step:6.1f} s", flush=True)
    engine.dispose()
    backfill(url)
    return time.perf_counter() - start


def backfill(url: str) -> None:
    """The dashboard's rollup made from the seeded entries (what migration 0021 does on a database that has them:
    the fold, in batches) and the liability summed, as a server's fold would."""
    from pos_app.server.dashboard_rollup import fold, step
    from pos_app.server.db.engine import open_engine

    engine = open_engine(url)
    start = time.perf_counter()
    lines = fold(engine, limit=200_000)
    print(f"  folded {lines:>10,} lines of the change log into the rollup in {time.perf_counter() - start:6.1f} s",
          flush=True)
    step(engine)
    engine.dispose()


def samples(conn: Connection) -> dict[str, str]:
    """What the URL templates of :data:`PAGES` may name, taken from the seeded data (a card in the middle, …)."""
    def one(sql: str) -> str:
        return str(conn.execute(text(sql)).scalar_one())

    middle = int(one("SELECT count(*) FROM cards")) // 2
    code = one(f"SELECT code FROM cards WHERE status = 'active' AND id >= 'v_{middle:010d}' ORDER BY id LIMIT 1")
    return {
        "code": code,
        "card_id": one(f"SELECT id FROM cards WHERE code = '{code}'"),
        "part": code[-6:],
        "campaign_id": one("SELECT id FROM campaigns ORDER BY id LIMIT 1"),
        "customer": one("SELECT source_id FROM customers ORDER BY id OFFSET 500 LIMIT 1"),
        "till_id": one("SELECT id FROM devices ORDER BY id LIMIT 1"),
        "conflict_id": one("SELECT id FROM conflicts WHERE status = 'open' ORDER BY id LIMIT 1"),
        **({"shop_id": one("SELECT id FROM shops ORDER BY id LIMIT 1")} if _has(conn, "shops") else {}),
    }


def _has(conn: Connection, table: str) -> bool:
    return conn.execute(text("SELECT to_regclass(:t)"), {"t": table}).scalar_one() is not None


# ---- timing ----------------------------------------------------------------------------------------------------

_APP_TIME = re.compile(r"app;dur=([0-9.]+)")


@dataclass
class Timing:
    name: str
    url: str
    times: list[float]  # milliseconds
    status: int = 0
    server_timed: bool = False
    client: httpx.Client | None = None  # the signed-in client; the login page has one without a session
    form: dict[str, str] | None = None  # a POST's fields (the CSRF token added when sent); None: a GET

    def ask(self, http: httpx.Client) -> httpx.Response:
        client = self.client or http
        if self.form is None:
            return client.get(self.url)
        return client.post(self.url, data={**self.form, "csrf_token": _csrf(client)})

    def q(self, p: int) -> float:
        return statistics.quantiles(self.times, n=100, method="inclusive")[p - 1] if len(self.times) > 1 \
            else self.times[0]


def _one(http: httpx.Client, timing: Timing) -> None:
    start = time.perf_counter()
    response = timing.ask(http)
    elapsed = (time.perf_counter() - start) * 1000
    found = _APP_TIME.search(response.headers.get("server-timing", ""))
    timing.server_timed = found is not None
    timing.times.append(float(found.group(1)) if found else elapsed)
    timing.status = response.status_code


#: A page whose first answer takes longer than this (s) is asked only :data:`SLOW_REQUESTS` times.
SLOW = 2.0
SLOW_REQUESTS = 5


def measure(http: httpx.Client, pages: list[Timing], *, warm: int, requests: int) -> None:
    """Every page ``warm`` times unmeasured, then ``requests`` rounds of one request to each, in turn (a page
    far over the target, :data:`SLOW`, only :data:`SLOW_REQUESTS` rounds: its figure is clear by then)."""
    slow = set()
    for timing in pages:
        for i in range(warm):
            start = time.perf_counter()
            timing.ask(http)
            if i == 0 and time.perf_counter() - start > SLOW:
                slow.add(timing.name)
                break
    for round_ in range(requests):
        for timing in pages:
            if timing.name not in slow or round_ < SLOW_REQUESTS:
                _one(http, timing)


def report(baseline: list[Timing], pages: list[Timing], absent: list[str]) -> int:
    """Print the table; returns how many pages are over the target (or failed)."""
    print(f"\n{'page':<28} {'URL':<44} {'status':>6} {'n':>3} {'p50 ms':>8} {'p95 ms':>8}  ")
    over = 0
    for timing in [*baseline, *pages]:
        bad = timing.q(95) > TARGET_MS or timing.status not in (200, 303)
        over += bad and timing in pages
        flag = "  OVER 200 ms" if timing.q(95) > TARGET_MS else "  FAILED" if timing.status not in (200, 303) else ""
        url = timing.url if len(timing.url) <= 44 else timing.url[:41] + "..."
        print(f"{timing.name:<28} {url:<44} {timing.status:>6} {len(timing.times):>3} {timing.q(50):8.1f} "
              f"{timing.q(95):8.1f}{flag}")
    source = "Server-Timing app" if all(t.server_timed for t in pages) else "request time on 127.0.0.1"
    print(f"(times: {source}; n requests each after a warm-up; target {TARGET_MS} ms at p95)")
    if absent:
        print(f"not in this build (404) or nothing to name: {', '.join(absent)}")
    return over


_CSRF_TOKENS: dict[int, str] = {}


def _csrf(client: httpx.Client) -> str:
    """The signed-in session's CSRF token (read once from a page's form)."""
    if id(client) not in _CSRF_TOKENS:
        found = re.search(r'name="csrf_token" value="([^"]+)"', client.get("/console/cards").text)
        _CSRF_TOKENS[id(client)] = found.group(1) if found else ""
    return _CSRF_TOKENS[id(client)]


def sign_in(http: httpx.Client) -> None:
    """Sign the console administrator in (the login form's CSRF token, then the form)."""
    page = http.get("/console/login")
    token = re.search(r'name="csrf_token" value="([^"]+)"', page.text)
    form = {"email": ADMIN_EMAIL, "password": ADMIN_PASSWORD, **({"csrf_token": token.group(1)} if token else {})}
    response = http.post("/console/login", data=form)
    if response.status_code not in (200, 303) or "pos_console" not in http.cookies:
        raise SystemExit(f"could not sign in: {response.status_code} {response.text[:300]}")


def run(url: str, *, warm: int, requests: int, only: Callable[[str], bool]) -> int:
    engine = create_engine(url)
    with engine.connect() as conn:
        found = samples(conn)
    engine.dispose()
    subprocess.run([sys.executable, "-m", "pos_app.server.cli", "console-user", "add", ADMIN_EMAIL, "--role", "admin",
                    "--password-stdin", "--db", url], input=ADMIN_PASSWORD + "\n", text=True, capture_output=True,
                   check=False)  # (there already when --keep)
    with running_server(url) as server, httpx.Client(base_url=server.url, timeout=300) as http, \
            httpx.Client(base_url=server.url, timeout=60) as anonymous:
        baseline = [Timing(name, path, [], client=anonymous) for name, path in BASELINE]
        measure(http, baseline, warm=warm, requests=1)
        sign_in(http)
        pages, absent = [], []
        for name, template in PAGES:
            if not only(name):
                continue
            try:
                timing = Timing(name, template.format(**found), [])
            except KeyError:
                absent.append(name)
                continue
            if http.get(timing.url).status_code == 404:
                absent.append(name)
            else:
                pages.append(timing)
        for name, path, query in SEARCHES:
            if only(name):
                pages.append(Timing(name, path, [], form={"q": query.format(**found)}))
        all_timed = [*baseline, *pages]
        for timing in all_timed:
            timing.times.clear()
        measure(http, all_timed, warm=warm, requests=requests)
    return report(baseline, pages, absent)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument("--db", required=True, help="a scratch PostgreSQL database")
    parser.add_argument("--cards", type=int, default=1_000_000)
    parser.add_argument("--campaigns", type=int, default=8)
    parser.add_argument("--shops", type=int, default=40)
    parser.add_argument("--tills", type=int, default=200)
    parser.add_argument("--customers", type=int, default=100_000)
    parser.add_argument("--requests", type=int, default=20, help="measured requests per page")
    parser.add_argument("--warm", type=int, default=3, help="unmeasured requests per page first")
    parser.add_argument("--keep", action="store_true", help="time the database as it is (seeded before)")
    parser.add_argument("--only", default="", help="time only the pages whose name contains this")
    args = parser.parse_args(argv)
    if not args.db.startswith("postgresql"):
        parser.error("the console benchmark runs on PostgreSQL")
    if not args.keep:
        print(f"seeding {args.cards:,} cards …", flush=True)
        seconds = seed(args.db, cards=args.cards, campaigns=args.campaigns, shops=args.shops, tills=args.tills,
                       customers=args.customers)
        print(f"seeded in {seconds:.0f} s", flush=True)
    over = run(args.db, warm=args.warm, requests=args.requests, only=lambda name: args.only in name)
    return 1 if over else 0


if __name__ == "__main__":
    sys.exit(main())
