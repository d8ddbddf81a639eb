"""The card pages' server time at a million cards (issue 15): ``python -m tests.server.card_search_benchmark URL
[--load]`` against a database made for it (``--load`` migrates it and loads 1,000,000 cards, 200,000 customers —
every fifth card given to one — and 120 entries on the card it measures; SQL ``generate_series``: PostgreSQL
only; 1.5 minutes on two busy cores). Each page is asked 7 times in-process (FastAPI's TestClient, signed in as
an administrator); median and maximum. Not a test: the console's benchmark of every page is
``tests/server/console_benchmark.py``.
"""

from __future__ import annotations

import re
import statistics
import sys
import time
import warnings
from collections.abc import Callable
from typing import Any

from sqlalchemy import Engine, text

from pos_app.server import lookups
from pos_app.server.console import users
from pos_app.server.db.engine import open_engine, write
from pos_app.server.db.migrate import upgrade
from pos_app.server.ledger import now

CARD = "v_0000543210"
EMAIL, PASSWORD = "bench@example.org", "correct horse battery"
_CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')


def load(engine: Engine) -> None:
    upgrade(engine)
    with engine.begin() as conn:
        conn.execute(text("INSERT INTO settings(key, value) VALUES ('store', :v) ON CONFLICT DO NOTHING"),
                     {"v": '{"name": "HQ", "currency": "EUR"}'})
        conn.execute(text(
            "INSERT INTO customers(id, source_id, name, email, created_at) SELECT 'cust_' || lpad(g::text, 8, '0'), "
            "'crm-' || g, 'Customer ' || md5(g::text), 'c' || g || '@example.org', now() "
            "FROM generate_series(1, 200000) g"))
        conn.execute(text(
            "INSERT INTO cards(id, code, currency, status, loaded, balance, redeemed, refunded, redemption_count, "
            "customer_id, metadata, created_at, version) SELECT 'v_' || lpad(g::text, 10, '0'), "
            "'GC-' || upper(substr(m, 1, 4)) || '-' || upper(substr(m, 5, 4)) || '-' || upper(substr(m, 9, 4)) || '-' "
            "|| upper(substr(m, 13, 3)), 'EUR', 'active', 5000, 5000, 0, 0, 0, "
            "CASE WHEN g % 5 = 0 THEN 'cust_' || lpad((g / 5)::text, 8, '0') END, '{}', now(), 1 "
            "FROM (SELECT g, md5(g::text || 'x') AS m FROM generate_series(1, 1000000) g) s"))
        conn.execute(text(
            "INSERT INTO entries(id, card_id, code, kind, amount, currency, balance_after, result, device_id, "
            "device_seq, created_at, received_at, status, server_seq, origin) SELECT "
            "'00000000-0000-0000-0000-' || lpad(i::text, 12, '0'), id, code, 'CREDITS_REDEMPTION', -1, 'EUR', "
            "5000 - i, 'SUCCESS', 'server', 0, now(), now(), 'confirmed', i, 'server' "
            "FROM cards, generate_series(1, 120) i WHERE cards.id = :card"), {"card": CARD})
    with engine.begin() as conn:
        conn.execute(text("ANALYZE"))
    write(engine, lambda conn: users.add_user(conn, email=EMAIL, role="admin",
                                              password_hash=users.hash_password(PASSWORD, n=2**4), at=now()))
    write(engine, lambda conn: lookups.set_lookup_limit(conn, failures=10_000))  # the benchmark misses on purpose


def measure(url: str) -> None:
    from pos_app.server.app import create_app

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        from fastapi.testclient import TestClient
    engine = open_engine(url)
    with engine.connect() as conn:
        code = conn.execute(text("SELECT code FROM cards WHERE id = :c"), {"c": CARD}).scalar_one()
    with TestClient(create_app(url)) as client:
        page = client.get("/console/login")
        client.post("/console/login", data={"email": EMAIL, "password": PASSWORD,
                                            "csrf_token": _CSRF.search(page.text).group(1)})  # type: ignore[union-attr]
        token = _CSRF.search(client.get("/console/cards").text).group(1)  # type: ignore[union-attr]

        def search(query: str) -> Any:
            return client.post("/console/cards", data={"q": query, "csrf_token": token}, follow_redirects=False)

        pages: dict[str, Callable[[], Any]] = {
            "GET /console/cards (the box)": lambda: client.get("/console/cards"),
            "GET a card's page": lambda: client.get(f"/console/cards/{CARD}"),
            "GET its history's third page": lambda: client.get(f"/console/cards/{CARD}?before=21"),
            "POST search: a whole code": lambda: search(code),
            "POST search: 6 characters of it": lambda: search(code[5:12]),
            "POST search: 'GC-AB' (many cards)": lambda: search("GC-AB"),
            "POST search: a customer id": lambda: search("crm-123456"),
            "POST search: 'example' (many customers)": lambda: search("example"),
            "POST search: nothing found": lambda: search("zzzzzzzz"),
        }
        for name, ask in pages.items():
            times = []
            for _ in range(7):
                began = time.perf_counter()
                answer = ask()
                times.append((time.perf_counter() - began) * 1000)
                assert answer.status_code in (200, 303), (name, answer.status_code)
            print(f"{name:42} median {statistics.median(times):6.1f} ms   max {max(times):6.1f} ms")


if __name__ == "__main__":
    if "--load" in sys.argv[2:]:
        load(open_engine(sys.argv[1]))
    measure(sys.argv[1])
