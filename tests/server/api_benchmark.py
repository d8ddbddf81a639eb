"""Throughput of the Voucherify-compatible API as a web shop sees it: gift card redemptions through the official
SDK (``RedemptionsApi.redeem_stacked_discounts``, one redeemable, a fresh ``order.source_id`` each: the replay
check included) against the bare ``GET /sync/v1/health`` in the same run, with N client threads, each its own
SDK ``ApiClient`` (its own keep-alive connection pool).

    python -m tests.server.api_benchmark --db postgresql+psycopg://pos:pos@127.0.0.1:5432/pos_api_bench

The database is initialised (an API key, ``--cards`` vouchers of 500.00 made through the API); use a scratch
database. The two loads take turns in rounds of one second (``--seconds`` rounds of each), so that a slower spell
of a shared machine weighs on both. Latencies are measured around each SDK call (request, server, the SDK's
parsing of the answer); the load generator's own CPU is shown, as it shares the machine with the server.
"""

from __future__ import annotations

import argparse
import random
import statistics
import threading
import time
import uuid
from collections.abc import Callable
from typing import Any

import httpx
import voucherify

from tests.server.benchmark import _backends, _cpu
from tests.server.harness import pos_server, running_server

HEADER = ("                                 req/s   p50 ms   p99 ms  server us/req  database us/req  client us/req")


class Load:
    def __init__(self, name: str) -> None:
        self.name = name
        self.done = 0
        self.seconds = 0.0
        self.latencies: list[float] = []
        self.cpu = self.database_cpu = self.own_cpu = 0.0

    def round(self, calls: list[Callable[[], object]], seconds: float, pid: int, backends: list[int]) -> None:
        """Every client calls as fast as its answers come, for ``seconds``."""
        until = time.perf_counter() + seconds
        lock = threading.Lock()

        def client(call: Callable[[], object]) -> None:
            mine: list[float] = []
            while time.perf_counter() < until:
                start = time.perf_counter()
                call()
                mine.append(time.perf_counter() - start)
            with lock:
                self.latencies += mine
                self.done += len(mine)

        cpu, database, own = _cpu(pid), {p: _cpu(p) for p in backends}, time.process_time()
        threads = [threading.Thread(target=client, args=(call,)) for call in calls]
        start = time.perf_counter()
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        self.seconds += time.perf_counter() - start
        self.cpu += _cpu(pid) - cpu
        self.database_cpu += sum(_cpu(p) - before for p, before in database.items() if _cpu(p))
        self.own_cpu += time.process_time() - own

    def row(self) -> str:
        q = statistics.quantiles(self.latencies, n=100)
        per = 1e6 / self.done
        return (f"{self.name:<30} {self.done / self.seconds:7.0f} {q[49] * 1000:8.2f} {q[98] * 1000:8.2f} "
                f"{self.cpu * per:14.0f} {self.database_cpu * per:16.0f} {self.own_cpu * per:14.0f}")


def _sdk(url: str, key: dict[str, Any]) -> voucherify.ApiClient:
    return voucherify.ApiClient(voucherify.Configuration(
        host=url, api_key={"X-App-Id": key["app_id"], "X-App-Token": key["app_token"]}))


def _redeemer(client: voucherify.ApiClient, codes: list[str]) -> Callable[[], object]:
    redemptions = voucherify.RedemptionsApi(client)

    def redeem() -> object:
        code = random.choice(codes)
        answer = redemptions.redeem_stacked_discounts(voucherify.RedemptionsRedeemRequestBody(
            redeemables=[voucherify.RedemptionsRedeemRequestBodyRedeemablesItem(
                object="voucher", id=code, gift=voucherify.RedemptionsRedeemRequestBodyRedeemablesItemGift(
                    credits=1))],
            order=voucherify.Order(amount=1, source_id=f"bench-{uuid.uuid4().hex}")))
        assert answer.redemptions[0].result == "SUCCESS"
        return answer

    return redeem


def _health(http: httpx.Client) -> Callable[[], object]:
    def health() -> object:
        answer = http.get("/sync/v1/health")
        assert answer.status_code == 200
        return answer

    return health


def run(db: str, threads: list[int], seconds: int, cards: int, workers: int) -> None:
    pos_server(db, "init")
    key = pos_server(db, "api-key", "create", "--name", f"bench {uuid.uuid4().hex[:6]}", "--json").json()
    with running_server(db, init=False, workers=workers) as server:
        vouchers = voucherify.VouchersApi(_sdk(server.url, key))
        codes = [f"BENCH-{uuid.uuid4().hex[:12]}" for _ in range(cards)]
        for code in codes:
            vouchers.create_voucher(code, voucherify.VouchersCreateWithSpecificCodeRequestBody(
                type="GIFT_VOUCHER", gift=voucherify.Gift(amount=50_000)))
        pid, backends = server.process.pid, _backends(db)
        print(f"SDK redemptions (voucherify {voucherify.__version__}) of {cards} cards against GET /sync/v1/health, "
              f"{workers} server process(es), {seconds} rounds of 1 s each, interleaved")
        print(HEADER)
        for n in threads:
            clients = [_sdk(server.url, key) for _ in range(n)]
            https = [httpx.Client(base_url=server.url, timeout=30) for _ in range(n)]
            redeem, health = Load(f"redeem_stacked_discounts x{n}"), Load(f"GET /sync/v1/health x{n}")
            try:
                for _ in range(seconds):
                    health.round([_health(h) for h in https], 1.0, pid, backends)
                    redeem.round([_redeemer(c, codes) for c in clients], 1.0, pid, backends)
            finally:
                for h in https:
                    h.close()
            print(health.row(), flush=True)
            print(redeem.row(), flush=True)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", required=True)
    parser.add_argument("--threads", type=int, nargs="+", default=[4, 16], help="client threads")
    parser.add_argument("--seconds", type=int, default=5, help="rounds of 1 s of each load")
    parser.add_argument("--cards", type=int, default=100)
    parser.add_argument("--workers", type=int, default=1, help="server processes")
    args = parser.parse_args()
    run(args.db, args.threads, args.seconds, args.cards, args.workers)
