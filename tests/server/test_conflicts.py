"""Resolving sync conflicts through the API and the CLI: an entry through the card's rules, the card unfrozen."""

from __future__ import annotations

import json
from typing import Any

import pytest
from click.testing import CliRunner
from sqlalchemy import Engine

from pos_app.server.cli import main
from tests.server.conftest import totals_add_up
from tests.server.harness import HttpTill


@pytest.fixture
def overdrawn(till: HttpTill, till2: HttpTill, card: dict[str, Any]) -> dict[str, Any]:
    """The 50.00 card, overdrawn to −20.00 by two tills offline; returns its open conflict."""
    till.push([till.offline_entry(card, "CREDITS_REDEMPTION", -4000)])
    till2.push([till2.offline_entry(card, "CREDITS_REDEMPTION", -3000)])
    (conflict,) = till.http.get("/sync/v1/conflicts", headers=till.headers).json()
    return dict(conflict)


def resolve(till: HttpTill, conflict_id: str, **body: Any) -> Any:
    """A manager at ``till`` resolves the conflict (``operator_id`` in ``body`` names someone else)."""
    body.setdefault("operator_id", till.operator_id)
    return till.http.post(f"/sync/v1/conflicts/{conflict_id}/resolve", json=body, headers=till.headers)


def test_recover_brings_the_card_back_to_zero_and_unfreezes_it(till: HttpTill, overdrawn: dict[str, Any],
                                                               engine: Engine) -> None:
    cursor = till.pull_all()["cursor"]
    response = resolve(till, overdrawn["id"], action="recover", reason="customer paid 20.00 cash")
    assert response.status_code == 200, response.text
    done = response.json()
    assert (done["status"], done["resolution"], done["overdraft"]) == ("resolved", "recover", 2000)
    assert done["reason"] == "customer paid 20.00 cash" and done["resolved_at"]
    page = till.pull(cursor)
    (card,) = page["cards"]
    assert (card["status"], card["balance"], card["loaded"], card["redeemed"]) == ("active", 0, 7000, 7000)
    (entry,) = page["entries"]
    assert (entry["kind"], entry["amount"], entry["balance_after"]) == ("CREDITS_ADDITION", 2000, 0)
    assert overdrawn["id"] in (entry["reason"] or "")
    assert till.http.get("/sync/v1/conflicts", headers=till.headers).json() == []
    everything = till.http.get("/sync/v1/conflicts?status=all", headers=till.headers).json()
    assert [c["status"] for c in everything] == ["resolved"]
    assert till.authorise("redeem", card["code"], 1).json()["error"]["key"] == "gift_amount_exceeded"
    totals_add_up(engine)


def test_write_off_and_disable(till: HttpTill, overdrawn: dict[str, Any], engine: Engine) -> None:
    done = resolve(till, overdrawn["id"], action="write_off", reason="stolen card", disable=True).json()
    assert done["resolution"] == "write_off"
    card = till.pull_all()["cards"][overdrawn["card_id"]]
    assert (card["status"], card["balance"]) == ("disabled", 0)
    totals_add_up(engine)


def test_correct_by_an_amount(till: HttpTill, overdrawn: dict[str, Any], engine: Engine) -> None:
    short = resolve(till, overdrawn["id"], action="correct", reason="not enough", amount=1000)
    assert (short.status_code, short.json()["key"]) == (400, "invalid_amount")
    assert till.pull_all()["cards"][overdrawn["card_id"]]["status"] == "frozen"  # nothing was written
    done = resolve(till, overdrawn["id"], action="correct", reason="goodwill: 5.00 left", amount=2500)
    assert done.status_code == 200, done.text
    card = till.pull_all()["cards"][overdrawn["card_id"]]
    assert (card["status"], card["balance"]) == ("active", 500)
    totals_add_up(engine)


def test_a_conflict_is_resolved_once(till: HttpTill, overdrawn: dict[str, Any]) -> None:
    assert resolve(till, overdrawn["id"], action="write_off", reason="loss").status_code == 200
    again = resolve(till, overdrawn["id"], action="recover", reason="again")
    assert (again.status_code, again.json()["key"]) == (409, "conflict_resolved")
    missing = resolve(till, "cf_missing", action="recover", reason="x")
    assert (missing.status_code, missing.json()["key"]) == (404, "not_found")


def test_recover_takes_no_amount_and_a_reason_is_required(till: HttpTill, overdrawn: dict[str, Any]) -> None:
    with_amount = resolve(till, overdrawn["id"], action="recover", reason="x", amount=100)
    assert (with_amount.status_code, with_amount.json()["key"]) == (400, "invalid_payload")
    no_reason = resolve(till, overdrawn["id"], action="recover", reason="")
    assert (no_reason.status_code, no_reason.json()["key"]) == (400, "invalid_payload")


def test_a_cashier_may_not_resolve(till: HttpTill, overdrawn: dict[str, Any], db_url: str) -> None:
    added = CliRunner().invoke(main, ["user", "add", "Chris", "--role", "cashier", "--pin", "1234", "--json",
                                      "--db", db_url])
    cashier = json.loads(added.output)["id"]
    response = resolve(till, overdrawn["id"], action="recover", reason="x", operator_id=cashier)
    assert (response.status_code, response.json()["key"]) == (403, "forbidden")


def test_the_cli_lists_and_resolves(overdrawn: dict[str, Any], db_url: str, till: HttpTill,
                                    engine: Engine) -> None:
    runner = CliRunner()
    listed = runner.invoke(main, ["conflicts", "--json", "--db", db_url])
    assert listed.exit_code == 0, listed.output
    (conflict,) = json.loads(listed.output)
    assert (conflict["id"], conflict["overdraft"], conflict["currency"]) == (overdrawn["id"], 2000, "EUR")
    text = runner.invoke(main, ["conflicts", "--db", db_url])
    assert overdrawn["id"] in text.output and "20.00 EUR below zero" in text.output
    bad = runner.invoke(main, ["conflicts", "resolve", overdrawn["id"], "--action", "correct", "--reason", "r",
                               "--amount", "12.345", "--db", db_url])
    assert bad.exit_code == 1
    assert "error: invalid_amount:" in bad.output
    done = runner.invoke(main, ["conflicts", "--db", db_url, "resolve", overdrawn["id"], "--action", "correct",
                                "--reason", "manager checked the receipts", "--amount", "20.00", "--json"])
    assert done.exit_code == 0, done.output
    assert json.loads(done.output)["status"] == "resolved"
    assert till.pull_all()["cards"][overdrawn["card_id"]]["balance"] == 0
    assert runner.invoke(main, ["conflicts", "--db", db_url]).output.strip() == "No open conflicts."
    totals_add_up(engine)
