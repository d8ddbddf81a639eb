"""How long the console's campaign queries take at a million cards (``server.campaign_figures``).

    python -m tests.server.campaign_figures_benchmark postgresql+psycopg://pos:pos@127.0.0.1:5432/pos_bench_campaigns
    python -m tests.server.campaign_figures_benchmark sqlite:////tmp/bench.sqlite3

Builds (once: an empty database) 55 campaigns with 1,000,040 cards — one of 500,000, the newest, so that the first
page holds 950,000 cards — two thirds of them active with a balance, then times the list's first and second page
and a large and a small campaign's page (median and worst of 7, in this process). The first page starts the
background count of the large campaigns; it is timed again once they are counted.
"""

from __future__ import annotations

import statistics
import sys
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import Engine, func, insert, select, text

from pos_app.server import admin
from pos_app.server.campaign_figures import campaign_figures, campaign_page
from pos_app.server.db.engine import open_engine, read, write
from pos_app.server.db.migrate import upgrade
from pos_app.server.db.models import campaigns

SIZES = [500_000] + [9_260] * 54
_PG = """INSERT INTO cards SELECT 'v_' || lpad(to_hex(:s + g), 12, '0') || md5(g::text), 'C' || (:s + g), :camp, 'EUR',
  CASE WHEN g % 3 = 0 THEN 'inactive' ELSE 'active' END, 5000, CASE WHEN g % 3 = 0 THEN 0 ELSE g % 5000 END,
  0, 0, 0, NULL, 5000, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, '{}', NULL, now(), 1
  FROM generate_series(1, :n) g"""
_SQLITE = """WITH RECURSIVE s(g) AS (SELECT 1 UNION ALL SELECT g + 1 FROM s WHERE g < :n)
  INSERT INTO cards SELECT 'v_' || printf('%012x', :s + g) || hex(randomblob(8)), 'C' || (:s + g), :camp, 'EUR',
  CASE WHEN g % 3 = 0 THEN 'inactive' ELSE 'active' END, 5000, CASE WHEN g % 3 = 0 THEN 0 ELSE g % 5000 END,
  0, 0, 0, NULL, 5000, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, '{}', NULL, '2026-01-01 00:00:00.000000', 1
  FROM s"""


def build(engine: Engine) -> None:
    upgrade(engine)
    if read(engine, lambda conn: conn.execute(select(func.count()).select_from(campaigns)).scalar_one()):
        return
    write(engine, lambda conn: admin.set_store(conn, name="Bench", currency="EUR"))
    t0 = datetime(2026, 1, 1, tzinfo=UTC)
    rows = [{"id": f"camp_{i:04d}", "name": f"Campaign {i}", "currency": "EUR", "amount": 5000, "code_config": {},
             "vouchers_count": n, "start_date": None, "expiration_date": None, "redemption_limit": None,
             "min_order_amount": None, "category": None, "active": True,
             "created_at": t0 + timedelta(days=100 if i == 0 else i)} for i, n in enumerate(SIZES)]
    with engine.begin() as conn:
        conn.execute(insert(campaigns), rows)
        start = 0
        for i, n in enumerate(SIZES):
            conn.execute(text(_PG if conn.dialect.name == "postgresql" else _SQLITE),
                         {"s": start, "n": n, "camp": f"camp_{i:04d}"})
            start += n
        conn.execute(text("ANALYZE"))


def timed(what: str, run: Callable[[], Any], n: int = 7) -> None:
    took = []
    for _ in range(n):
        began = time.perf_counter()
        run()
        took.append((time.perf_counter() - began) * 1000)
    print(f"{what:<34} median {statistics.median(took):5.0f} ms   worst {max(took):5.0f} ms")


def main(url: str) -> None:
    engine = open_engine(url)
    build(engine)
    timed("list, first page (counts start)", lambda: campaign_page(engine), n=1)
    while any(f.counting for f in campaign_page(engine)[0]):
        time.sleep(0.5)
    after = campaign_page(engine)[1]
    timed("list, first page", lambda: campaign_page(engine))
    timed("list, second page", lambda: campaign_page(engine, after=after))
    timed("a campaign of 500,000 cards", lambda: campaign_figures(engine, "camp_0000"))
    timed("a campaign of 9,260 cards", lambda: campaign_figures(engine, "camp_0007"))


if __name__ == "__main__":
    main(sys.argv[1])
