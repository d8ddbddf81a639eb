"""Throughput of the real server: a fresh till's pull of a 100,000-card campaign, ``GET /sync/v1/health`` (the
baseline) against ``POST /sync/v1/authorise`` (online redemptions of many cards), and a push of 10,000 offline
entries.

    python -m tests.server.benchmark --db postgresql+psycopg://pos:pos@127.0.0.1:5432/pos_bench [--seconds 5]

The database is initialised (and gets two campaigns); use a scratch database (``--pull-cards 0`` skips the pull).
The pull goes through the till's real code (``pos_app.sync``: its client, and the pages applied to a real till
store in a temporary directory, as ``pos-app sync --once`` does); its baseline is the same pages fetched with httpx
and parsed as JSON, nothing applied. The load comes from one asyncio process over raw keep-alive HTTP/1.1
connections (``--clients`` of them), cheap enough not to be the bottleneck. The two loads take turns in rounds
of about a second (``--seconds`` rounds of each), so that a slower spell of a shared machine weighs on both: run
one after the other, the same code gave 32 % to 41 % from one run to the next. It prints the server's CPU per
request, the load generator's, and, when PostgreSQL runs on this machine, its backends' CPU per authorisation:
on two cores all of them count.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import random
import statistics
import tempfile
import time
import uuid
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import urlsplit

import httpx
from sqlalchemy import create_engine, text

from pos_app.bootstrap import open_till
from pos_app.sync.schemas import MAX_PULL, PullResponse
from pos_app.sync.worker import SyncWorker
from tests.server.harness import HttpTill, enrol_code, pos_server, running_server


async def _session(host: str, port: int, make: object, until: float, latencies: list[float]) -> int:
    reader, writer = await asyncio.open_connection(host, port)
    done = 0
    try:
        while time.perf_counter() < until:
            request: bytes = make()  # type: ignore[operator]
            start = time.perf_counter()
            writer.write(request)
            head = await reader.readuntil(b"\r\n\r\n")
            status = int(head.split(b" ", 2)[1])
            length = int(head.lower().split(b"content-length:")[1].split(b"\r\n")[0])
            body = await reader.readexactly(length)
            latencies.append(time.perf_counter() - start)
            if status != 200:
                raise RuntimeError(f"{status}: {body[:300]!r}")
            done += 1
    finally:
        writer.close()
    return done


def _cpu(pid: int) -> float:
    """CPU seconds used so far by the process ``pid`` and its children (Linux)."""
    try:
        fields = open(f"/proc/{pid}/stat").read().rsplit(")", 1)[1].split()  # noqa: SIM115
    except OSError:
        return 0.0
    return sum(int(f) for f in fields[11:15]) / 100


def _backends(db: str) -> list[int]:
    """The process ids of PostgreSQL's backends serving ``db`` (the server's connections), if it is PostgreSQL;
    their CPU reads as 0 unless the database runs on this machine."""
    if not db.startswith("postgresql"):
        return []
    engine = create_engine(db)
    try:
        with engine.connect() as conn:
            return list(conn.execute(text("SELECT pid FROM pg_stat_activity WHERE datname = current_database() "
                                          "AND pid <> pg_backend_pid()")).scalars())
    finally:
        engine.dispose()


class Load:
    """Requests made by one kind of load over its rounds, their latencies, and the server's (and its database
    backends') CPU seconds meanwhile."""

    def __init__(self) -> None:
        self.done = 0
        self.seconds = 0.0
        self.latencies: list[float] = []
        self.cpu = 0.0
        self.database_cpu = 0.0
        self.own_cpu = 0.0  # the load generator's (this process)

    def run(self, url: str, make: object, clients: int, seconds: float, pid: int, backends: list[int]) -> None:
        parts = urlsplit(url)

        async def main() -> int:
            until = time.perf_counter() + seconds
            counts = await asyncio.gather(*(_session(parts.hostname or "", parts.port or 80, make, until,
                                                     self.latencies) for _ in range(clients)))
            return sum(counts)

        cpu, database_cpu, own_cpu = _cpu(pid), sum(_cpu(p) for p in backends), time.process_time()
        start = time.perf_counter()
        self.done += asyncio.run(main())
        self.seconds += time.perf_counter() - start
        self.cpu += _cpu(pid) - cpu
        self.database_cpu += sum(_cpu(p) for p in backends) - database_cpu
        self.own_cpu += time.process_time() - own_cpu

    @property
    def rate(self) -> float:
        return self.done / self.seconds

    def quantile(self, q: int) -> float:
        """The ``q``-th percentile latency in milliseconds."""
        return statistics.quantiles(self.latencies, n=100)[q - 1] * 1000

    def per_request(self, cpu: float) -> float:
        """``cpu`` seconds per request, in microseconds."""
        return cpu / self.done * 1e6


def _get(path: str, host: str) -> bytes:
    return f"GET {path} HTTP/1.1\r\nHost: {host}\r\n\r\n".encode()


def _post(path: str, host: str, token: str, body: dict[str, object]) -> bytes:
    data = json.dumps(body).encode()
    return (f"POST {path} HTTP/1.1\r\nHost: {host}\r\nAuthorization: Bearer {token}\r\n"
            f"Content-Type: application/json\r\nContent-Length: {len(data)}\r\n\r\n").encode() + data


def _raw_pull(base_url: str, token: str) -> tuple[float, int, int]:
    """Every page from cursor 0 over plain httpx, parsed as JSON and nothing else: seconds, pages, cards."""
    pages = cards = cursor = 0
    with httpx.Client(base_url=base_url, timeout=60, headers={"Authorization": f"Bearer {token}"}) as http:
        start = time.perf_counter()
        while True:
            page = http.get("/sync/v1/pull", params={"cursor": cursor, "limit": MAX_PULL}).json()
            pages += 1
            cards += len(page["cards"])
            cursor = page["next_cursor"]
            if not page["has_more"]:
                return time.perf_counter() - start, pages, cards


def pull_campaign(db: str, count: int, workers: int) -> None:
    """A campaign of ``count`` cards on the server, then a fresh enrolled till pulling everything."""
    start = time.perf_counter()
    pos_server(db, "campaign", "create", "--name", f"pull {uuid.uuid4().hex[:6]}", "--amount", "50.00",
               "--count", str(count), timeout=600)
    made = time.perf_counter() - start
    print(f"campaign   {count:,} cards on the server in {made:.1f} s ({count / made:,.0f} cards/s, "
          f"`pos-server campaign create`, process start included)")
    with running_server(db, init=False, workers=workers) as server, tempfile.TemporaryDirectory() as tmp:
        with HttpTill.enrol(server.url, enrol_code(db), "bench raw pull") as raw:
            raw_seconds, raw_pages, raw_cards = _raw_pull(server.url, raw.token)
        till = open_till(Path(tmp))
        till.enrol(server_url=server.url, code=enrol_code(db), device_name="bench pull")
        client = till.sync_client()
        pages: list[PullResponse] = []
        fetch = client.pull

        def counted(cursor: int, limit: int = MAX_PULL) -> PullResponse:
            page = fetch(cursor, limit)
            pages.append(page)
            return page

        client.pull = counted  # type: ignore[method-assign]
        with SyncWorker(client, till.units()) as worker:
            start = time.perf_counter()
            state = worker.run_once()
            elapsed = time.perf_counter() - start
        assert state.mode == "online" and state.last_error is None, state
        with till.reader as uow:
            stored = sum(1 for _ in uow.cards.iter_all())
        pulled = sum(len(page.cards) for page in pages)
        print(f"pull       {pulled:,} cards to a fresh till in {elapsed:.1f} s ({pulled / elapsed:,.0f} cards/s, "
              f"{len(pages)} pages of ≤ {MAX_PULL}; {stored:,} cards in its store) — the till's sync code, applied")
        print(f"           baseline, the same pages over raw httpx + JSON, nothing applied: {raw_seconds:.1f} s "
              f"({raw_cards / raw_seconds:,.0f} cards/s, {raw_pages} pages) → applying costs "
              f"{elapsed - raw_seconds:.1f} s")


def run(db: str, seconds: float, clients: int, cards: int, workers: int, pull_cards: int) -> None:
    pos_server(db, "init")
    if pull_cards:
        pull_campaign(db, pull_cards, workers)
    pos_server(db, "campaign", "create", "--name", f"bench {uuid.uuid4().hex[:6]}", "--amount", "100000.00",
               "--count", str(cards))
    with running_server(db, init=False, workers=workers) as server, \
            HttpTill.enrol(server.url, enrol_code(db), "bench") as till:
        page = till.pull_all()
        codes = [c["code"] for c in page["cards"].values() if c["status"] == "inactive"][:cards]
        for code in codes:
            assert till.authorise("sell", code).json()["result"] == "SUCCESS"
        host = urlsplit(server.url).netloc
        pid = server.process.pid
        now = datetime.now(UTC).isoformat()

        def redeem() -> bytes:
            return _post("/sync/v1/authorise", host, till.token, {
                "op": "redeem", "entry_id": str(uuid.uuid4()), "code": random.choice(codes), "amount": 1,
                "currency": "EUR", "created_at": now})

        backends = _backends(db)
        health, authorise = Load(), Load()
        # Interleaved in rounds of one second, so that a slower minute of the shared machine weighs on both
        rounds = max(1, round(seconds))
        for _ in range(rounds):
            health.run(server.url, lambda: _get("/sync/v1/health", host), clients, seconds / rounds, pid, [])
            authorise.run(server.url, redeem, clients, seconds / rounds, pid, backends)
        if workers == 1:  # (the workers of several are other processes)
            print(f"server CPU per request: health {health.per_request(health.cpu):.0f} us, "
                  f"authorise {authorise.per_request(authorise.cpu):.0f} us"
                  + (f"; database CPU per authorisation {authorise.per_request(authorise.database_cpu):.0f} us"
                     if authorise.database_cpu else "")
                  + f"; load generator {health.per_request(health.own_cpu):.0f} and "
                    f"{authorise.per_request(authorise.own_cpu):.0f} us")
        print(f"health     {health.rate:8.0f} req/s  p50 {health.quantile(50):6.1f} ms  "
              f"p99 {health.quantile(99):6.1f} ms")
        print(f"authorise  {authorise.rate:8.0f} req/s  p50 {authorise.quantile(50):6.1f} ms  "
              f"p99 {authorise.quantile(99):6.1f} ms  = {authorise.rate / health.rate:.0%} of health "
              f"({rounds} rounds of each, interleaved)")
        fresh = [c for c in till.pull_all()["cards"].values() if c["code"] in set(codes)]
        entries = [till.offline_entry(random.choice(fresh), "CREDITS_REDEMPTION", -1) for _ in range(10_000)]
        start = time.perf_counter()
        for i in range(0, len(entries), 1000):
            response = till.push(entries[i : i + 1000])
            assert response.status_code == 200, response.text
        elapsed = time.perf_counter() - start
        print(f"push       {len(entries) / elapsed:8.0f} entries/s (10,000 in batches of 1,000)")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", required=True)
    parser.add_argument("--seconds", type=float, default=5)
    parser.add_argument("--clients", type=int, default=16)
    parser.add_argument("--cards", type=int, default=200)
    parser.add_argument("--workers", type=int, default=1)
    parser.add_argument("--pull-cards", type=int, default=100_000, help="the campaign a fresh till pulls (0: none)")
    args = parser.parse_args()
    run(args.db, args.seconds, args.clients, args.cards, args.workers, args.pull_cards)
