"""Code guessing is slow and visible on the REAL server: unknown codes probed fast are refused with 429 after
the limit, recorded per till (masked), logged, shown by ``pos-server device lookups``, counted in the database
so that every server process sees them, and no other till is held back."""

from __future__ import annotations

import uuid
from datetime import timedelta
from typing import Any

import httpx
from sqlalchemy import select

from pos_app.domain.lookups import DEFAULT_LIMIT
from pos_app.server.db.engine import open_engine
from pos_app.server.db.models import failed_lookups
from tests.server.harness import HttpTill, enrol_code, pos_server, running_server
from tests.server.test_edge import shop


def guesses(n: int) -> list[str]:
    return [f"GUESS-{uuid.uuid4().hex[:16].upper()}" for _ in range(n)]


def key_of(response: httpx.Response) -> str:
    body: dict[str, Any] = response.json()
    if response.status_code == 200:
        return str(body["result"] if body["error"] is None else body["error"]["key"])
    return f"{response.status_code} {body['key']}"


def test_unknown_codes_probed_fast_are_refused_after_the_limit_and_recorded(db_url: str) -> None:
    with shop(db_url, tills=2, cards=1) as s:
        prober, other = s.tills
        card = s.cards[0]
        probes = guesses(DEFAULT_LIMIT.failures + 5)
        answers = [prober.authorise("redeem", code, 100) for code in probes]
        assert [key_of(a) for a in answers] == ["not_found"] * 20 + ["429 too_many_requests"] * 5
        refusal = answers[-1]
        assert 590 <= int(refusal.headers["Retry-After"]) <= 600
        assert set(refusal.json()) == {"code", "key", "message", "details", "request_id"}
        # a known card is refused alike (a refusal must not tell a guesser which codes exist), and nothing moves
        assert key_of(prober.authorise("redeem", card["code"], 100)) == "429 too_many_requests"
        # another till is not held back
        assert key_of(other.authorise("redeem", card["code"], 100)) == "SUCCESS"
        assert key_of(other.authorise("redeem", guesses(1)[0], 100)) == "not_found"
        assert other.pull_all()["cards"][card["id"]]["balance"] == 4900

        # recorded, per till, masked
        engine = open_engine(db_url)
        try:
            with engine.connect() as conn:
                rows = conn.execute(select(failed_lookups.c.caller, failed_lookups.c.masked_code,
                                           failed_lookups.c.channel)).all()
        finally:
            engine.dispose()
        mine = [r for r in rows if r.caller == prober.device_id]
        assert len(mine) == 20 and len(rows) == 21
        assert {r.masked_code for r in mine} == {f"•••• {code[-4:]}" for code in probes[:20]}
        assert {r.channel for r in rows} == {"sync"}

        # visible: in the log, with the till and the masked code (never the whole code) …
        log = s.server.output()
        assert f"failed card lookup: {prober.device_id} asked for •••• {probes[0][-4:]}" in log
        assert f"card lookups refused: {prober.device_id}" in log
        assert not any(code in log for code in probes)
        # … and with pos-server
        shown = {d["device_id"]: d for d in pos_server(db_url, "device", "lookups", "--json").json()}
        assert shown[prober.device_id]["failed_last_day"] == 20
        assert shown[prober.device_id]["retry_after"] > 0
        assert shown[other.device_id]["failed_last_day"] == 1 and shown[other.device_id]["retry_after"] is None
        text = pos_server(db_url, "device", "lookups").out
        assert prober.device_id in text and "refused for" in text


def test_every_server_process_counts_the_same_failures(db_url: str) -> None:
    pos_server(db_url, "init")
    pos_server(db_url, "device", "lookup-limit", "--failures", "3", "--window-minutes", "5")
    assert pos_server(db_url, "device", "lookup-limit", "--json").json() == {
        "object": "lookup_limit", "failures": 3, "window_minutes": 5}
    with running_server(db_url, init=False) as one, running_server(db_url, init=False) as two:
        till = HttpTill.enrol(one.url, enrol_code(db_url), "till")
        on_two = HttpTill(httpx.Client(base_url=two.url, timeout=30), till.token, till.device_id)
        try:
            assert [key_of(till.authorise("redeem", c, 100)) for c in guesses(2)] == ["not_found"] * 2
            assert key_of(on_two.authorise("redeem", guesses(1)[0], 100)) == "not_found"
            refused = on_two.authorise("redeem", guesses(1)[0], 100)
            assert key_of(refused) == "429 too_many_requests"
            assert 290 <= int(refused.headers["Retry-After"]) <= timedelta(minutes=5).total_seconds()
            assert key_of(till.authorise("redeem", guesses(1)[0], 100)) == "429 too_many_requests"
        finally:
            till.http.close()
            on_two.http.close()
