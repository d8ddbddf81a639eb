"""The server trusts no till: each hole found by someone holding one till's token, tried again against the real
server process over HTTP (on SQLite and PostgreSQL), is refused with a 4xx and a Voucherify-style key, nothing
applied, and the other tills unaffected.

One server per database for the module (starting one takes a second); every test makes its own cards and tills.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import create_engine, update

from pos_app.server.db.models import users
from tests.server.harness import HttpTill, ServerProcess, add_user, enrol_codes, pos_server, running_server, utcnow

pytestmark = pytest.mark.slow


@dataclass
class Chain:
    """One server with two people, enrolment codes and a campaign of unsold cards made up front (each a run of
    the command line): the tests take what they need."""

    server: ServerProcess
    db: str
    manager: str
    cashier: str
    codes: list[str]
    unsold: list[dict[str, Any]]

    def till(self, name: str = "till", *, operator: str | None = None) -> HttpTill:
        return HttpTill.enrol(self.server.url, self.codes.pop(), name, operator_id=operator or self.manager)

    def cards(self, count: int = 1) -> list[dict[str, Any]]:
        """Unsold cards of 50.00."""
        taken, self.unsold[:] = self.unsold[:count], self.unsold[count:]
        return taken

    def sold(self, till: HttpTill) -> dict[str, Any]:
        (card,) = self.cards()
        answer = till.authorise("sell", card["code"], operator_id=self.manager).json()
        assert answer["result"] == "SUCCESS", answer
        sold: dict[str, Any] = answer["card"]
        return sold


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def chain(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Chain]:
    if request.param == "sqlite":
        db = f"sqlite:///{tmp_path_factory.mktemp('authority') / 'server.sqlite3'}"
    else:
        db = request.getfixturevalue("pg_url")
        from tests.server.conftest import _empty_pg

        _empty_pg(db)
    with running_server(db) as server:
        manager = add_user(db, "Mona", "manager", "9876")["id"]
        cashier = add_user(db, "Cas", "cashier", "1234")["id"]
        codes = enrol_codes(db, 40)
        pos_server(db, "campaign", "create", "--name", "Holes", "--amount", "50.00", "--count", "40")
        with HttpTill.enrol(server.url, codes.pop(), "puller") as puller:
            unsold = sorted(puller.pull_all()["cards"].values(), key=lambda c: c["code"])
        yield Chain(server, db, manager, cashier, codes, unsold)


def state(till: HttpTill, card_id: str) -> dict[str, Any]:
    found: dict[str, Any] = till.pull_all()["cards"][card_id]
    return found


def refused(response: Any, status: int, key: str) -> None:
    assert (response.status_code, response.json().get("key")) == (status, key), response.text


# ---- online: the operator is someone, and may do it ---------------------------------------------------------

@pytest.mark.parametrize("op,amount", [("sell", 1_000_000_00), ("top_up", 1000), ("correct", 1000)])
def test_a_manager_s_operation_is_refused_to_a_cashier_nobody_and_a_made_up_person(
        chain: Chain, op: str, amount: int) -> None:
    with chain.till() as till:
        card = chain.cards()[0] if op == "sell" else chain.sold(till)
        for operator, status, key in [(chain.cashier, 403, "forbidden"), (None, 403, "unknown_operator"),
                                      ("u_made_up", 403, "unknown_operator")]:
            extra = {"reason": "because"} if op == "correct" else {}
            refused(till.authorise(op, card["code"], amount, operator_id=operator, **extra), status, key)
        after = state(till, card["id"])
        assert (after["status"], after["balance"]) == (card["status"], card["balance"])  # nothing applied


def test_a_sale_beyond_head_office_s_maximum_is_refused_and_recorded(chain: Chain) -> None:
    with chain.till() as till:
        (card,) = chain.cards()
        answer = till.authorise("sell", card["code"], 1_000_000_00).json()  # € 1,000,000 by a manager
        assert (answer["result"], answer["error"]["key"]) == ("FAILURE", "operation_limit_exceeded")
        assert answer["entry"]["result"] == "FAILURE"
        assert state(till, card["id"])["status"] == "inactive"
        limits = till.pull()["limits"]  # tills apply the maxima offline too
        assert (limits["max_balance"], limits["max_per_operation"]) == (5_000_00, 2_500_00)


def test_a_person_no_longer_active_may_do_nothing(chain: Chain) -> None:
    leaver = add_user(chain.db, f"Leaver {uuid.uuid4().hex[:4]}", "manager", "5555")["id"]
    with chain.till(operator=leaver) as till:
        card = chain.sold(till)
        engine = create_engine(chain.db)
        with engine.begin() as conn:  # head office switched them off (the console will; no command yet)
            conn.execute(update(users).where(users.c.id == leaver).values(active=False))
        engine.dispose()
        refused(till.authorise("redeem", card["code"], 100), 403, "unknown_operator")
        assert state(till, card["id"])["balance"] == 5000


def test_a_till_may_not_refund_another_till_s_redemption_outside_the_window(chain: Chain) -> None:
    with chain.till("a", operator=chain.cashier) as a, chain.till("b", operator=chain.cashier) as b:
        card = chain.sold(a)
        redemption = a.authorise("redeem", card["code"], 1000).json()["entry"]
        refused(b.authorise("refund", card["code"], None, refund_of=redemption["id"]), 403, "forbidden")
        assert a.authorise("refund", card["code"], None, refund_of=redemption["id"]).json()["result"] == "SUCCESS"


def test_an_entry_id_reused_with_other_content_is_409(chain: Chain) -> None:
    with chain.till() as till:
        card = chain.sold(till)
        entry_id = str(uuid.uuid4())
        first = till.authorise("redeem", card["code"], 1000, entry_id=entry_id)
        assert first.json()["result"] == "SUCCESS"
        refused(till.authorise("redeem", card["code"], 2000, entry_id=entry_id), 409, "duplicate_found")
        refused(till.authorise("top_up", card["code"], 1000, entry_id=entry_id), 409, "duplicate_found")
        assert till.authorise("redeem", card["code"], 1000, entry_id=entry_id).content == first.content
        assert state(till, card["id"])["balance"] == 4000


def test_a_conflict_correction_needs_a_manager_and_stays_within_the_maximum(chain: Chain) -> None:
    with chain.till() as a, chain.till() as b:
        card = chain.sold(a)
        for till in (a, b):  # each, offline, took 30.00 of 50.00
            assert till.push([till.offline_entry(card, "CREDITS_REDEMPTION", -3000)]).status_code == 200
        (conflict,) = [c for c in a.http.get("/sync/v1/conflicts", headers=a.headers).json()
                       if c["card_id"] == card["id"]]
        path = f"/sync/v1/conflicts/{conflict['id']}/resolve"
        body = {"action": "correct", "amount": 1_000_000_00, "reason": "make it rain"}
        refused(a.http.post(path, json=body, headers=a.headers), 403, "unknown_operator")
        refused(a.http.post(path, json={**body, "operator_id": chain.cashier}, headers=a.headers), 403, "forbidden")
        refused(a.http.post(path, json={**body, "operator_id": chain.manager}, headers=a.headers), 400,
                "operation_limit_exceeded")
        assert state(a, card["id"])["balance"] == -1000


# ---- pushed: the till's word is checked as if it had asked online --------------------------------------------

def _one(response: Any) -> dict[str, Any]:
    assert response.status_code == 200, response.text
    (result,) = response.json()["results"]
    found: dict[str, Any] = result
    return found


def test_a_pushed_addition_by_nobody_on_an_unsold_card_is_kept_refused_in_a_conflict(chain: Chain) -> None:
    with chain.till() as till:
        (card,) = chain.cards()
        lie = till.offline_entry(card, "CREDITS_ADDITION", 2000_00, operator_id=None)
        result = _one(till.push([lie]))
        assert (result["outcome"], result["status"]) == ("conflict", "conflict")
        after = state(till, card["id"])
        assert (after["status"], after["balance"], after["loaded"]) == ("inactive", 0, 0)
        pulled = [e for e in till.pull_all()["entries"] if e["id"] == lie["id"]]
        assert (pulled[0]["result"], pulled[0]["error_key"]) == ("FAILURE", "unknown_operator")
        (conflict,) = [c for c in till.http.get("/sync/v1/conflicts", headers=till.headers).json()
                       if c["card_id"] == card["id"]]
        assert lie["id"] in conflict["entry_ids"] and "unknown_operator" in conflict["notes"][0]
        huge = till.offline_entry(card, "CREDITS_ADDITION", 10**15 - 1, operator_id=chain.manager)
        response = till.push([huge])
        assert response.status_code in (200, 400), response.text  # refused at the edge, or refused by the rules
        assert state(till, card["id"])["balance"] == 0


def test_nothing_is_added_to_a_disabled_card(chain: Chain) -> None:
    with chain.till() as till:
        card = chain.sold(till)
        pos_server(chain.db, "card", "disable", card["code"])
        result = _one(till.push([till.offline_entry(card, "CREDITS_ADDITION", 1000, reason="top-up")]))
        assert result["outcome"] == "conflict"
        after = state(till, card["id"])
        assert (after["status"], after["balance"]) == ("disabled", 5000)
        spent = till.authorise("redeem", card["code"], 100).json()
        assert (spent["result"], spent["error"]["key"]) == ("FAILURE", "voucher_disabled")


def test_a_pushed_entry_belongs_to_the_token_s_till(chain: Chain) -> None:
    with chain.till() as till, chain.till() as other:
        card = chain.sold(till)
        forged = till.offline_entry(card, "CREDITS_REDEMPTION", -100, device_id=other.device_id)
        result = _one(till.push([forged]))
        assert (result["outcome"], result["error"]["key"]) == ("rejected", "forbidden")
        assert state(till, card["id"])["balance"] == 5000


def test_a_till_s_numbering_is_unique_and_every_pull_goes_on(chain: Chain) -> None:
    with chain.till() as till:
        card = chain.sold(till)
        first = till.offline_entry(card, "CREDITS_REDEMPTION", -100)
        second = till.offline_entry(card, "CREDITS_REDEMPTION", -200, device_seq=first["device_seq"])
        results = till.push([first, second]).json()["results"]
        assert [r["outcome"] for r in results] == ["stored", "rejected"]
        assert results[1]["error"]["key"] == "duplicate_found"
        assert state(till, card["id"])["balance"] == 4900
    with chain.till("new") as fresh:  # a newly enrolled till gets everything: cards, people
        page = fresh.pull_all()
        assert card["id"] in page["cards"] and len(page["users"]) >= 2


def test_an_entry_number_taken_online_is_409(chain: Chain) -> None:
    with chain.till() as till:
        card = chain.sold(till)
        first = till.authorise("redeem", card["code"], 100).json()["entry"]
        again = till.authorise("redeem", card["code"], 100, device_seq=first["device_seq"])
        refused(again, 409, "duplicate_found")
        assert state(till, card["id"])["balance"] == 4900


def test_the_same_id_twice_in_one_push(chain: Chain) -> None:
    with chain.till() as till:
        card = chain.sold(till)
        entry = till.offline_entry(card, "CREDITS_REDEMPTION", -100)
        twice = till.push([entry, entry]).json()["results"]
        assert [r["outcome"] for r in twice] == ["stored", "stored"] and twice[0] == twice[1]
        other = till.offline_entry(card, "CREDITS_REDEMPTION", -300)
        clash = {**other, "amount": -400, "balance_after": other["balance_after"] - 100}
        results = till.push([other, clash]).json()["results"]
        assert [r["outcome"] for r in results] == ["stored", "rejected"]
        assert results[1]["error"]["key"] == "duplicate_found"
        again = till.offline_entry(card, "CREDITS_REDEMPTION", -900, id=entry["id"])  # reused in a later push
        assert _one(till.push([again]))["error"]["key"] == "duplicate_found"
        assert state(till, card["id"])["balance"] == 5000 - 100 - 300


# ---- a bounded blast radius: the daily cap per till -----------------------------------------------------------

def test_a_till_past_its_daily_cap_is_refused_recorded_and_shown(chain: Chain) -> None:
    with chain.till("capped") as capped, chain.till("free") as free:
        pos_server(chain.db, "policy", "cap", capped.device_id, "100.00")
        card = chain.sold(capped)  # 50.00 created
        over = capped.authorise("top_up", card["code"], 6000).json()
        assert (over["result"], over["error"]["key"]) == ("FAILURE", "till_daily_cap_exceeded")
        assert capped.authorise("top_up", card["code"], 5000).json()["result"] == "SUCCESS"  # exactly the cap
        offline = _one(capped.push([capped.offline_entry(state(capped, card["id"]), "CREDITS_ADDITION", 100)]))
        assert offline["outcome"] == "conflict"
        assert free.authorise("top_up", card["code"], 6000).json()["result"] == "SUCCESS"  # other tills go on
        shown = pos_server(chain.db, "policy", "show", "--json").json()
        (row,) = [t for t in shown["tills"] if t["device_id"] == capped.device_id]
        assert (row["created_today"], row["daily_cap"], row["refused_today"]) == (10000, 10000, 2)
        logged = [line for line in chain.server.output().splitlines() if "till_daily_cap_exceeded" in line]
        assert len(logged) == 2 and all(capped.device_id in line for line in logged)


def test_an_offline_redemption_the_server_would_refuse_is_applied_and_frozen(chain: Chain) -> None:
    """The goods have left the shop: a redemption by a made-up person is applied, the card frozen for review."""
    with chain.till() as till:
        card = chain.sold(till)
        taken = till.offline_entry(card, "CREDITS_REDEMPTION", -1000, operator_id="u_made_up",
                                   created_at=(utcnow() - timedelta(minutes=5)).isoformat())
        result = _one(till.push([taken]))
        assert result["outcome"] == "conflict"
        after = state(till, card["id"])
        assert (after["status"], after["balance"]) == ("frozen", 4000)
