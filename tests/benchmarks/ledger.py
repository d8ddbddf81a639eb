"""Ledger benchmark (not part of the test run): ``python -m tests.benchmarks.ledger [--cards 1000000]``.

Prints, each against a baseline measured in the same run on the same machine:
1. redemption latency p50/p99 through the real use case (``services.cards.redeem`` over the real store:
   lookup, rules, entry, outbox, sequence number, durable commit in WAL with the store's ``synchronous``)
   beside a raw ``sqlite3`` transaction doing the same reads and writes with the same pragmas on a copy of the
   same store (target: the use case's p99 ≤ 10 ms);
2. creating a campaign of a million cards: wall time and the child process's peak memory (targets: ≤ 20 s,
   ≤ 400 MB);
3. looking a card up by code among them, through the repository (in a unit of work of its own) and through
   ``check_balance``, beside a raw indexed SELECT (target: the repository's p99 ≤ 1 ms).
"""

from __future__ import annotations

import argparse
import random
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from datetime import UTC, datetime
from pathlib import Path

from pos_app.bootstrap import open_till
from pos_app.domain.money import Money
from pos_app.services import campaigns, cards, setup
from pos_app.store.engine import PRAGMAS, STORE_FILENAME

PIN = "9876"


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def ms(seconds: float) -> str:
    return f"{seconds * 1000:7.3f} ms"


def prepare(data_dir: Path, balance_minor: int) -> tuple[str, object]:
    till = open_till(data_dir)
    setup.init_store(till.uow, store_name="Bench", currency="EUR", manager_pin=PIN)
    who = till.login(PIN)
    camp = campaigns.create_campaign(till.uow, who, campaigns.CreateCampaign(
        name="bench", amount=Money(balance_minor, "EUR"), count=1000))
    with till.uow as uow:
        code = next(uow.cards.iter_all(camp.id)).code
    cards.sell(till.uow, who, code)
    return code, (till, who)


def raw_redeem(db: sqlite3.Connection, code: str, device: str, operator: str) -> None:
    """The same work as the use case, by hand: read the card, next sequence number, entry, outbox, card."""
    now = datetime.now(UTC).isoformat(timespec="microseconds")
    db.execute("BEGIN IMMEDIATE")
    row = db.execute("SELECT id, balance, redeemed, redemption_count, version, status, expiration_date, currency "
                     "FROM cards WHERE code = ?", (code,)).fetchone()
    card_id, balance = row[0], row[1]
    seq = db.execute("UPDATE device_sequences SET last_seq = last_seq + 1 WHERE device_id = ? RETURNING last_seq",
                     (device,)).fetchone()[0]
    entry_id = str(uuid.uuid4())
    db.execute(
        "INSERT INTO entries (id, card_id, code, kind, amount, currency, balance_after, result, error_key, "
        "device_id, device_seq, operator_id, created_at, order_ref, reason, refund_of, override_by, status, "
        "server_seq) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
        (entry_id, card_id, code, "CREDITS_REDEMPTION", -1, "EUR", balance - 1, "SUCCESS", None, device, seq,
         operator, now, None, None, None, None, "local", None))
    db.execute("INSERT INTO outbox (entry_id, enqueued_at, attempts, last_error) VALUES (?,?,0,NULL)",
               (entry_id, now))
    db.execute("UPDATE cards SET status = ?, loaded = loaded, balance = ?, redeemed = ?, refunded = refunded, "
               "redemption_count = ?, customer_id = customer_id, activated_at = activated_at, version = ? "
               "WHERE id = ?", ("active", balance - 1, row[2] + 1, row[3] + 1, row[4] + 1, card_id))
    db.execute("COMMIT")


def bench_redemption(work: Path, n: int) -> dict[str, float]:
    code, (till, who) = prepare(work / "ours", 10_000_000)
    shutil.copytree(work / "ours", work / "raw")
    raw = sqlite3.connect(work / "raw" / STORE_FILENAME, isolation_level=None)
    for pragma in PRAGMAS:
        raw.execute(pragma)
    raw.execute("INSERT OR IGNORE INTO device_sequences (device_id, last_seq) VALUES ('raw', 0)")
    one_cent = Money(1, "EUR")
    ours_t: list[float] = []
    raw_t: list[float] = []
    for i in range(n + 50):  # interleaved, so both see the same machine noise; the first 50 warm up
        t0 = time.perf_counter()
        cards.redeem(till.uow, who, code, one_cent)  # type: ignore[attr-defined]
        t1 = time.perf_counter()
        raw_redeem(raw, code, "raw", "u_raw")
        t2 = time.perf_counter()
        if i >= 50:
            ours_t.append(t1 - t0)
            raw_t.append(t2 - t1)
    print("1. Redemption, durable commit (WAL, synchronous=FULL), n =", n)
    for label, times in (("use case   ", ours_t), ("raw sqlite3", raw_t)):
        print(f"   {label}  p50 {ms(pct(times, .5))}  p99 {ms(pct(times, .99))}  mean {ms(statistics.mean(times))}")
    ratio = pct(ours_t, .5) / pct(raw_t, .5)
    print(f"   use case p99 {ms(pct(ours_t, .99))} (target ≤ 10 ms); p50 {ratio:.2f}× the raw transaction")
    return {"p50": pct(ours_t, .5), "p99": pct(ours_t, .99), "raw_p50": pct(raw_t, .5), "ratio": ratio}


CAMPAIGN_CHILD = """
import sys, time, resource
from pathlib import Path
from pos_app.bootstrap import open_till
from pos_app.domain.money import Money
from pos_app.services import campaigns
till = open_till(Path(sys.argv[1]))
who = till.login("9876")
t = time.perf_counter()
campaigns.create_campaign(till.uow, who, campaigns.CreateCampaign(name="million", amount=Money(5000, "EUR"),
                          count=int(sys.argv[2])))
print(time.perf_counter() - t, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)
"""


def _child(data_dir: Path, count: int) -> subprocess.Popen[str]:
    return subprocess.Popen([sys.executable, "-c", CAMPAIGN_CHILD, str(data_dir), str(count)],
                            stdout=subprocess.PIPE, text=True)


def bench_campaign(work: Path, count: int) -> tuple[float, float, Path]:
    """The campaign alone, in a child process (so that its peak memory is its own)."""
    data_dir = work / "million"
    prepare(data_dir, 10_000_000)
    child = _child(data_dir, count)
    out = child.communicate()[0].split()
    seconds, peak_mb = float(out[0]), int(out[1]) / 1024
    baseline = subprocess.run([sys.executable, "-c", "import resource, pos_app.bootstrap, pos_app.store.uow;"
                               "print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)"],
                              capture_output=True, text=True, check=True).stdout
    print(f"2. Campaign of {count:,} cards: {seconds:6.2f} s ({count / seconds:,.0f} cards/s), "
          f"peak memory {peak_mb:.0f} MB (the interpreter with the app imported: "
          f"{int(baseline) / 1024:.0f} MB)  (targets ≤ 20 s, ≤ 400 MB)")
    return seconds, peak_mb, data_dir


def bench_sale_during_campaign(work: Path, count: int) -> None:
    """A till keeps redeeming on the same store while another process generates a campaign."""
    data_dir = work / "busy"
    code, (till, who) = prepare(data_dir, 10_000_000)
    child = _child(data_dir, count)
    waits: list[float] = []
    while child.poll() is None:
        t0 = time.perf_counter()
        cards.redeem(till.uow, who, code, Money(1, "EUR"))  # type: ignore[attr-defined]
        waits.append(time.perf_counter() - t0)
        time.sleep(0.02)  # a busy till: a sale every 20 ms
    child.communicate()
    print(f"   a till redeeming every 20 ms while {count:,} cards are generated: {len(waits)} sales, "
          f"p50 {ms(pct(waits, .5))}, p99 {ms(pct(waits, .99))}, longest {ms(max(waits))}")


def bench_lookup(data_dir: Path, n: int = 2000) -> None:
    till = open_till(data_dir)
    db = sqlite3.connect(data_dir / STORE_FILENAME, isolation_level=None)
    codes = [r[0] for r in db.execute("SELECT code FROM cards ORDER BY random() LIMIT ?", (n,))]
    total = db.execute("SELECT count(*) FROM cards").fetchone()[0]
    who = till.login(PIN)
    repo_t, use_t, raw_t = [], [], []

    def repo_lookup(code: str) -> None:
        t0 = time.perf_counter()
        with till.uow as uow:
            uow.cards.get_by_code(code)
        repo_t.append(time.perf_counter() - t0)

    def raw_lookup(code: str) -> None:
        t0 = time.perf_counter()
        db.execute("SELECT * FROM cards WHERE code = ?", (code,)).fetchone()
        raw_t.append(time.perf_counter() - t0)

    for i, code in enumerate(codes):  # each first for half the codes: the first reads the card's pages from disk
        first, second = (repo_lookup, raw_lookup) if i % 2 else (raw_lookup, repo_lookup)
        first(code)
        second(code)
    for code in random.sample(codes, min(500, len(codes))):
        t0 = time.perf_counter()
        cards.check_balance(till.uow, who, code)
        use_t.append(time.perf_counter() - t0)
    print(f"3. Card lookup by code among {total:,} cards (n = {len(codes)})")
    print(f"   repository (own transaction) p50 {ms(pct(repo_t, .5))}  p99 {ms(pct(repo_t, .99))}  (target ≤ 1 ms)")
    print(f"   check_balance use case        p50 {ms(pct(use_t, .5))}  p99 {ms(pct(use_t, .99))}  (with last entries)")
    print(f"   raw indexed SELECT            p50 {ms(pct(raw_t, .5))}  p99 {ms(pct(raw_t, .99))}  (baseline)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--redemptions", type=int, default=2000)
    parser.add_argument("--cards", type=int, default=1_000_000)
    parser.add_argument("--dir", help="work directory (default: a temporary one, removed afterwards)")
    args = parser.parse_args()
    work = Path(args.dir or tempfile.mkdtemp(prefix="pos-bench-"))
    print(f"python {sys.version.split()[0]}, sqlite {sqlite3.sqlite_version}, work dir {work}")
    try:
        bench_redemption(work, args.redemptions)
        _, _, data_dir = bench_campaign(work, args.cards)
        bench_sale_during_campaign(work, max(1, args.cards // 4))
        bench_lookup(data_dir)
    finally:
        if not args.dir:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
