"""Throughput of the real server: online authorisations (``POST /sync/v1/authorise``, redemptions of many cards
by many tills) against the bare ``GET /sync/v1/health``, with 16 and 64 clients and one and two server processes.

    python -m tests.server.benchmark --db postgresql+psycopg://pos:pos@127.0.0.1:5432/pos_bench

The database is initialised (a manager, a campaign of ``--cards`` cards, all sold); use a scratch database.
The target (DESIGN.md §11): ≥ 350 authorisations/s with a p99 ≤ 50 ms at 16 clients on two cores — what a chain
of 10,000 tills needs at its peak. The rows of 16 and 64 clients sending as fast as their answers come measure
the most the server takes (there the p99 is the queue: 16 ÷ the rate at least); the ``paced`` row is the target
itself: 16 tills sending ``--rate`` authorisations a second between them on a schedule, each latency counted from
its request's scheduled time. Each client is
its own enrolled till on one raw keep-alive HTTP/1.1 connection, all from one asyncio process cheap enough not to
be the bottleneck (its CPU is shown: on two cores the server, PostgreSQL and the load share them). The two loads
take turns in rounds of about a second (``--seconds`` rounds of each), so that a slower spell of a shared machine
weighs on both. ``--push`` adds a push of 10,000 offline entries, ``--pull-cards N`` a fresh till's pull of an
N-card campaign through the till's own sync code.
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
from tests.server.harness import HttpTill, add_user, enrol_code, enrol_codes, pos_server, running_server


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


#: How long after a paced round starts its first request is due (its connections are made meanwhile).
_LEAD = 0.05


async def _paced(host: str, port: int, make: object, first: float, interval: float, until: float,
                 latencies: list[float]) -> int:
    """Requests sent on a schedule (the ``i``-th at ``first + i * interval``), whatever the answers take: an open
    load, as tills send their sales. A latency counts from the request's scheduled time, so an answer that held
    up the next request counts against that one too (no coordinated omission)."""
    reader, writer = await asyncio.open_connection(host, port)
    done = 0
    try:
        due = first
        while due < until:
            await asyncio.sleep(max(0.0, due - time.perf_counter()))
            writer.write(make())  # type: ignore[operator]
            head = await reader.readuntil(b"\r\n\r\n")
            length = int(head.lower().split(b"content-length:")[1].split(b"\r\n")[0])
            body = await reader.readexactly(length)
            latencies.append(time.perf_counter() - due)
            if int(head.split(b" ", 2)[1]) != 200:
                raise RuntimeError(f"{head[:40]!r}: {body[:300]!r}")
            done += 1
            due += interval
    finally:
        writer.close()
    return done


def _cpu(pid: int) -> float:
    """CPU seconds used so far by the process ``pid`` and its children, reaped or running (Linux)."""
    try:
        fields = open(f"/proc/{pid}/stat").read().rsplit(")", 1)[1].split()  # noqa: SIM115
        children = open(f"/proc/{pid}/task/{pid}/children").read().split()  # noqa: SIM115
    except OSError:
        return 0.0
    return sum(int(f) for f in fields[11:15]) / 100 + sum(_cpu(int(child)) for child in children)


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

    def run(self, url: str, makers: list[object], seconds: float, pid: int, backends: list[int],
            rate: float | None = None) -> None:
        """One round: a session per maker (a client, making its requests), all at once, for ``seconds``: each as
        fast as its answers come, or, with ``rate``, the clients together sending ``rate`` requests a second
        on a schedule (evenly staggered)."""
        parts = urlsplit(url)
        host, port = parts.hostname or "", parts.port or 80

        async def main() -> int:
            start = time.perf_counter()
            until = start + seconds
            if rate is None:
                sessions = [_session(host, port, make, until, self.latencies) for make in makers]
            else:
                interval = len(makers) / rate
                sessions = [_paced(host, port, make, start + _LEAD + i * interval / len(makers), interval, until,
                                   self.latencies) for i, make in enumerate(makers)]
            return sum(await asyncio.gather(*sessions))

        cpu, database_cpu, own_cpu = _cpu(pid), {p: _cpu(p) for p in backends}, time.process_time()
        start = time.perf_counter()
        self.done += asyncio.run(main())
        self.seconds += time.perf_counter() - start if rate is None else seconds - _LEAD  # paced: its schedule
        self.cpu += _cpu(pid) - cpu
        for backend, before in database_cpu.items():  # (a backend that has gone meanwhile is left out)
            after = _cpu(backend)
            self.database_cpu += after - before if after else 0.0
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
        till.enrol(None, server_url=server.url, code=enrol_code(db), device_name="bench pull")
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


def authorisations(db: str, *, workers: int, clients: list[int], seconds: float, manager: str,
                   codes: list[str], tills: list[HttpTill], push: bool, rate: float) -> list[str]:
    """The rows of the table for one server of ``workers`` processes: for each number of clients, health and
    authorise in interleaved rounds."""
    rows = []
    with running_server(db, init=False, workers=workers) as server:
        host = urlsplit(server.url).netloc
        pid = server.process.pid
        now = datetime.now(UTC).isoformat()

        def redeemer(token: str) -> object:
            def redeem() -> bytes:
                return _post("/sync/v1/authorise", host, token, {
                    "op": "redeem", "entry_id": str(uuid.uuid4()), "code": random.choice(codes), "amount": 1,
                    "currency": "EUR", "created_at": now, "operator_id": manager})
            return redeem

        def health() -> bytes:
            return _get("/sync/v1/health", host)

        warm = Load()  # the server's connections made (and PostgreSQL's backends there to be measured)
        warm.run(server.url, [redeemer(till.token) for till in tills[: max(clients)]], 1.0, pid, [])
        for n in clients:
            checks, grants = Load(), Load()
            rounds = max(1, round(seconds))
            for _ in range(rounds):
                checks.run(server.url, [health] * n, seconds / rounds, pid, [])
                grants.run(server.url, [redeemer(tills[i % len(tills)].token) for i in range(n)],
                           seconds / rounds, pid, _backends(db))
            rows.append(
                f"{workers:>9} {n:>7} {checks.rate:>8.0f} {checks.quantile(99):>7.1f} "
                f"{checks.per_request(checks.cpu):>7.0f} {grants.rate:>10.0f} "
                f"{grants.quantile(50):>7.1f} {grants.quantile(99):>7.1f} {grants.per_request(grants.cpu):>8.0f} "
                f"{grants.per_request(grants.database_cpu) if grants.database_cpu else 0:>8.0f} "
                f"{grants.per_request(grants.own_cpu):>8.0f}")
            print(rows[-1], flush=True)
        if rate:  # the target as a chain meets it: its tills' sales arrive at that rate, each waits its answer
            paced = Load()
            for _ in range(max(1, round(seconds))):
                paced.run(server.url, [redeemer(tills[i % len(tills)].token) for i in range(16)],
                          seconds / max(1, round(seconds)), pid, _backends(db), rate=rate)
            met = paced.rate >= rate * 0.97 and paced.quantile(99) <= 50
            rows.append(f"{workers:>9} {'paced':>7} {'':>8} {'':>7} {'':>7} {paced.rate:>10.0f} "
                        f"{paced.quantile(50):>7.1f} {paced.quantile(99):>7.1f} {paced.per_request(paced.cpu):>8.0f} "
                        f"{paced.per_request(paced.database_cpu) if paced.database_cpu else 0:>8.0f} "
                        f"{paced.per_request(paced.own_cpu):>8.0f}"
                        + (f"  (offered {rate:.0f}/s by 16 tills: meets the target)" if met
                           else f"  (offered {rate:.0f}/s by 16 tills: misses the target)"))
            print(rows[-1], flush=True)
        if push:
            till = tills[0]
            fresh = [c for c in till.pull_all()["cards"].values() if c["code"] in set(codes)]
            entries = [till.offline_entry(random.choice(fresh), "CREDITS_REDEMPTION", -1) for _ in range(10_000)]
            start = time.perf_counter()
            for i in range(0, len(entries), 1000):
                response = till.push(entries[i : i + 1000])
                assert response.status_code == 200, response.text
            elapsed = time.perf_counter() - start
            print(f"push       {len(entries) / elapsed:8.0f} entries/s (10,000 in batches of 1,000)")
    return rows


HEADER = ("processes clients   health     p99 srv_cpu  authorise     p50     p99  srv_cpu   db_cpu  gen_cpu\n"
          "                     req/s      ms  us/req      req/s      ms      ms  us/auth  us/auth  us/auth")


def run(db: str, seconds: float, clients: list[int], cards: int, workers: list[int], pull_cards: int,
        push: bool, rate: float) -> None:
    pos_server(db, "init")
    if pull_cards:
        pull_campaign(db, pull_cards, workers[0])
    manager = str(add_user(db, f"Bench {uuid.uuid4().hex[:6]}", "manager", "9876")["id"])
    pos_server(db, "campaign", "create", "--name", f"bench {uuid.uuid4().hex[:6]}", "--amount", "500.00",
               "--count", str(cards))  # (within head office's maximum per operation)
    with running_server(db, init=False) as server:  # the tills (one per client), and the cards sold
        tills = [HttpTill.enrol(server.url, code, f"bench {i}", operator_id=manager)
                 for i, code in enumerate(enrol_codes(db, max(clients)))]
        page = tills[0].pull_all()
        codes = [c["code"] for c in page["cards"].values()
                 if c["status"] == "inactive" and c["initial_amount"] == 50_000][:cards]
        for i, code in enumerate(codes):  # by every till (each has a daily cap on value created)
            sold = tills[i % len(tills)].authorise("sell", code).json()
            assert sold["result"] == "SUCCESS", sold
    print(f"online redemptions of {len(codes)} cards by {max(clients)} tills, {seconds:.0f} rounds of 1 s each of "
          f"health and authorise, interleaved; CPU per authorisation: the server's processes, PostgreSQL's "
          f"backends, the load generator's. The cards have no validation rules and no sessions' holds, as most "
          f"have not: a card with rules costs one more read (the rules), a hold made meanwhile a second try")
    print(HEADER)
    try:
        for n in workers:
            authorisations(db, workers=n, clients=clients, seconds=seconds, manager=manager, codes=codes,
                           tills=tills, push=push and n == workers[0], rate=rate)
    finally:
        for till in tills:
            till.http.close()


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", required=True)
    parser.add_argument("--seconds", type=float, default=5, help="seconds of each load per row (1 s rounds)")
    parser.add_argument("--clients", type=int, nargs="+", default=[16, 64])
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2], help="server processes")
    parser.add_argument("--cards", type=int, default=200)
    parser.add_argument("--push", action="store_true", help="and a push of 10,000 offline entries")
    parser.add_argument("--pull-cards", type=int, default=0, help="and a fresh till's pull of a campaign this big")
    parser.add_argument("--rate", type=float, default=350,
                        help="and 16 tills sending this many authorisations a second between them (0: not)")
    args = parser.parse_args()
    run(args.db, args.seconds, args.clients, args.cards, args.workers, args.pull_cards, args.push, args.rate)
