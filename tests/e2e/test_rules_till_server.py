"""A validation rule made through the Voucherify API refuses alike on the central server (the till online) and on
the till offline, once the till has pulled it: the real server process and a real enrolled till."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import httpx
import pytest

from tests.e2e.conftest import MANAGER_PIN, Result, Shop
from tests.server.harness import add_user, enrol_code, free_port, pos_server, running_server

AT_LEAST_20 = {"name": "orders from 20.00", "type": "basic", "error": {"message": "Orders from 20.00 only"},
               "rules": {"1": {"name": "order.amount", "conditions": {"$more_than_or_equal": [2000]}, "rules": {}},
                         "logic": "1"}}


def _api(url: str, key: dict[str, str]) -> httpx.Client:
    return httpx.Client(base_url=url, headers={"X-App-Id": key["app_id"], "X-App-Token": key["app_token"]})


def _refused_with(result: Result) -> str:
    assert result.code == 1, (result.out, result.err)
    return str(result.json()["error"]["key"])


@pytest.mark.slow
def test_a_rule_refuses_on_the_server_and_on_the_till_offline_with_the_same_key(server_db: str,
                                                                                 tmp_path: Path) -> None:
    till = Shop(tmp_path / "till")
    port = free_port()
    with running_server(server_db, port=port) as server:
        add_user(server_db, "Maria", "manager", MANAGER_PIN)
        pos_server(server_db, "campaign", "create", "--name", "Winter", "--amount", "50.00", "--count", "2")
        key = pos_server(server_db, "api-key", "create", "--json").json()
        till.ok("enroll", "--server", server.url, "--code", enrol_code(server_db), "--name", "Till A", pin=None)
        till.ok("sync", "--once")
        code = next(csv.DictReader(io.StringIO(till.ok("export", "vouchers", "--out", "-").out)))["code"]
        till.ok("sell", code)
        with _api(server.url, key) as api:
            rule = api.post("/v1/validation-rules", json=AT_LEAST_20).json()
            assigned = api.post(f"/v1/validation-rules/{rule['id']}/assignments",
                                json={"related_object_type": "voucher", "related_object_id": code})
            assert assigned.status_code == 200, assigned.text
        online = till.run("redeem", code, "5.00", "--json", "--no-print")
        assert _refused_with(online) == "order_rules_violated"  # the server decided: the till had not pulled yet
        till.ok("sync", "--once")
        assert till.ok("redeem", code, "25.00", "--json", "--no-print").json()["status"] == "confirmed"

    offline = till.run("redeem", code, "5.00", "--json", "--no-print")
    assert _refused_with(offline) == "order_rules_violated"  # the till decided by the rule it pulled
    accepted = till.ok("redeem", code, "20.00", "--json", "--no-print").json()
    assert accepted["status"] == "provisional"
    shown = till.ok("card", "show", code, "--json").json()
    assert shown["balance"] == 5000 - 2500 - 2000
    with running_server(server_db, port=port, init=False):
        till.ok("sync", "--once")
    server_card = pos_server(server_db, "card", "show", code, "--json").json()
    assert server_card["balance"] == 500
    assert sorted(e["error_key"] for e in server_card["entries"] if e["result"] == "FAILURE") == [
        "order_rules_violated", "order_rules_violated"]
