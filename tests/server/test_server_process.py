"""The real server process (``pos-server serve``): concurrent tills never overspend a card, and several server
processes on one database act as one server."""

from __future__ import annotations

import json
import threading
import uuid
from collections import Counter
from contextlib import ExitStack
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.server.harness import HttpTill, add_user, enrol_code, enrol_codes, pos_server, running_server

CLIENTS = 8
ATTEMPTS = 25  # per client: 200 attempts of 1.00 on a card of 120.00


def _sell_one(db_url: str, till: HttpTill, value: str) -> dict[str, Any]:
    pos_server(db_url, "campaign", "create", "--name", "Race", "--amount", value, "--count", "1")
    (card,) = till.pull_all()["cards"].values()
    sold = till.authorise("sell", card["code"]).json()
    assert sold["result"] == "SUCCESS", sold
    result: dict[str, Any] = sold["card"]
    return result


def _race(urls: list[str], db_url: str, code: str, operator_id: str) -> Counter[str]:
    """CLIENTS threads, each its own enrolled till, each redeeming 1.00 ATTEMPTS times, all at once."""
    codes = enrol_codes(db_url, CLIENTS)
    tills = [HttpTill.enrol(urls[i % len(urls)], code, f"till {i}", operator_id=operator_id)
             for i, code in enumerate(codes)]
    outcomes: Counter[str] = Counter()
    lock = threading.Lock()
    start = threading.Barrier(CLIENTS)

    def spend(till: HttpTill) -> None:
        start.wait()
        for _ in range(ATTEMPTS):
            body = till.authorise("redeem", code, 100).json()
            with lock:
                outcomes[body["result"] if body["result"] == "SUCCESS" else body["error"]["key"]] += 1

    threads = [threading.Thread(target=spend, args=(t,)) for t in tills]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    for t in tills:
        t.http.close()
    return outcomes


@pytest.mark.slow
def test_eight_concurrent_tills_never_overspend_a_card(db_url: str) -> None:
    with running_server(db_url) as server:
        manager = add_user(db_url, "Ann", "manager", "9876")["id"]
        office = HttpTill.enrol(server.url, enrol_code(db_url), "office", operator_id=manager)
        card = _sell_one(db_url, office, "120.00")
        outcomes = _race([server.url], db_url, card["code"], manager)
        assert outcomes == {"SUCCESS": 120, "gift_amount_exceeded": CLIENTS * ATTEMPTS - 120}
        final = office.pull_all()
        assert final["cards"][card["id"]]["balance"] == 0
        spent = [e for e in final["entries"] if e["kind"] == "CREDITS_REDEMPTION" and e["result"] == "SUCCESS"]
        assert len(spent) == 120
        assert sorted(e["balance_after"] for e in spent) == list(range(0, 12_000, 100))
        # a card's entries are numbered in the order they were decided (each after the card's lock)
        in_order = sorted(spent, key=lambda e: e["server_seq"])
        assert [e["balance_after"] for e in in_order] == list(range(11_900, -1, -100))


@pytest.mark.slow
def test_one_entry_sent_by_eight_clients_at_once_is_decided_once(db_url: str) -> None:
    with running_server(db_url) as server:
        manager = add_user(db_url, "Ann", "manager", "9876")["id"]
        office = HttpTill.enrol(server.url, enrol_code(db_url), "office", operator_id=manager)
        card = _sell_one(db_url, office, "10.00")
        body = {"op": "redeem", "entry_id": str(uuid.uuid4()), "code": card["code"], "amount": 100,
                "currency": "EUR", "created_at": "2026-01-01T10:00:00+01:00", "device_seq": 7,
                "operator_id": manager}
        answers: list[bytes] = []
        start = threading.Barrier(CLIENTS)

        def send() -> None:
            with httpx.Client(base_url=server.url, timeout=30) as http:
                start.wait()
                response = http.post("/sync/v1/authorise", json=body, headers=office.headers)
                answers.append(response.content)

        threads = [threading.Thread(target=send) for _ in range(CLIENTS)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        assert len(answers) == CLIENTS and len(set(answers)) == 1, answers
        assert json.loads(answers[0])["result"] == "SUCCESS"
        assert office.pull_all()["cards"][card["id"]]["balance"] == 900


@pytest.mark.slow
def test_two_server_processes_share_one_database(db_url: str) -> None:
    pos_server(db_url, "init")
    manager = add_user(db_url, "Ann", "manager", "9876")
    with ExitStack() as stack:
        one = stack.enter_context(running_server(db_url, init=False))
        two = stack.enter_context(running_server(db_url, init=False))
        office = stack.enter_context(HttpTill.enrol(one.url, enrol_code(db_url), "office",
                                                    operator_id=manager["id"]))
        card = _sell_one(db_url, office, "60.00")
        outcomes = _race([one.url, two.url], db_url, card["code"], manager["id"])
        assert outcomes["SUCCESS"] == 60
        # a till enrolled through one process is known to the other; so are the users
        via_two = HttpTill(httpx.Client(base_url=two.url), office.token, office.device_id)
        with via_two:
            page = via_two.pull_all()
        assert page["cards"][card["id"]]["balance"] == 0
        assert manager["id"] in page["users"]


@pytest.mark.slow
def test_serve_sets_up_a_new_database_before_it_starts(tmp_path: Path) -> None:
    db_url = f"sqlite:///{tmp_path / 'new.sqlite3'}"
    with running_server(db_url, init=False) as server:
        assert httpx.get(f"{server.url}/sync/v1/health").json()["status"] == "ok"
        assert pos_server(db_url, "limits", "show", "--json").json()["per_redemption"] == 10_000
