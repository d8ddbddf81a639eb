"""Throughput of the real server: ``GET /sync/v1/health`` (the baseline) against ``POST /sync/v1/authorise``
(online redemptions of many cards), and a push of 10,000 offline entries.

    python -m tests.server.benchmark --db postgresql+psycopg://pos:pos@127.0.0.1:5432/pos_bench [--seconds 5]

The database is initialised (and gets a campaign); use a scratch database. The load comes from one asyncio
process over raw keep-alive HTTP/1.1 connections (``--clients`` of them), cheap enough not to be the bottleneck.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import random
import statistics
import time
import uuid
from datetime import UTC, datetime
from urllib.parse import urlsplit

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


def _load(url: str, make: object, clients: int, seconds: float) -> tuple[float, float, float]:
    parts = urlsplit(url)
    latencies: list[float] = []

    async def main() -> int:
        until = time.perf_counter() + seconds
        counts = await asyncio.gather(*(_session(parts.hostname or "", parts.port or 80, make, until, latencies)
                                        for _ in range(clients)))
        return sum(counts)

    start = time.perf_counter()
    total = asyncio.run(main())
    elapsed = time.perf_counter() - start
    q = statistics.quantiles(latencies, n=100)
    return total / elapsed, q[49] * 1000, q[98] * 1000


def _get(path: str, host: str) -> bytes:
    return f"GET {path} HTTP/1.1\r\nHost: {host}\r\n\r\n".encode()


def _post(path: str, host: str, token: str, body: dict[str, object]) -> bytes:
    data = json.dumps(body).encode()
    return (f"POST {path} HTTP/1.1\r\nHost: {host}\r\nAuthorization: Bearer {token}\r\n"
            f"Content-Type: application/json\r\nContent-Length: {len(data)}\r\n\r\n").encode() + data


def run(db: str, seconds: float, clients: int, cards: int, workers: int) -> None:
    pos_server(db, "init")
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
        cpu = _cpu(pid)
        health = _load(server.url, lambda: _get("/sync/v1/health", host), clients, seconds)
        health_cpu, cpu = _cpu(pid) - cpu, _cpu(pid)
        now = datetime.now(UTC).isoformat()

        def redeem() -> bytes:
            return _post("/sync/v1/authorise", host, till.token, {
                "op": "redeem", "entry_id": str(uuid.uuid4()), "code": random.choice(codes), "amount": 1,
                "currency": "EUR", "created_at": now})

        authorise = _load(server.url, redeem, clients, seconds)
        authorise_cpu = _cpu(pid) - cpu
        if workers == 1:  # (the workers of several are other processes)
            print(f"server CPU per request: health {health_cpu / (health[0] * seconds) * 1e6:.0f} us, "
                  f"authorise {authorise_cpu / (authorise[0] * seconds) * 1e6:.0f} us")
        print(f"health     {health[0]:8.0f} req/s  p50 {health[1]:6.1f} ms  p99 {health[2]:6.1f} ms")
        print(f"authorise  {authorise[0]:8.0f} req/s  p50 {authorise[1]:6.1f} ms  p99 {authorise[2]:6.1f} ms"
              f"  = {authorise[0] / health[0]:.0%} of health")
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
    args = parser.parse_args()
    run(args.db, args.seconds, args.clients, args.cards, args.workers)
