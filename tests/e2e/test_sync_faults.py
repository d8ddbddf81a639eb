"""The three faults a fault-injecting proxy found between tills and the server, each reproduced with real tills
(the ``pos-app`` command line) through a real HTTP hop (``LossyProxy``) against the real server process, on
SQLite and on PostgreSQL; afterwards every till agrees with the server on every entry and balance.

(a) Two tills offline each refund parts of one redemption, together more than it took: the server takes them in
    order while they fit and rejects the one that no longer does; that till marks its own refused (it no longer
    counts) and its pull goes on past the other's.
(b) A lost answer (the server refused a redemption, the till accepted it offline: the server keeps the till's facts
    under ``till_fact_id``); the till then refunds it offline: the server finds the redemption under that id.
(c) A lost answer (the server accepted a redemption): the till asks again with the same entry id before it decides
    offline, and gets the server's answer; when it cannot, and refuses, the push reverses the server's redemption,
    visibly (a refund, a conflict whose notes say so).
"""

from __future__ import annotations

import uuid
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

from pos_app.sync.schemas import till_fact_id
from tests.e2e.conftest import CASHIER_PIN, Shop
from tests.e2e.ledgers import assert_agree, set_up
from tests.e2e.lossy_proxy import LossyProxy
from tests.server.harness import pos_server, running_server

AUTHORISE = "/sync/v1/authorise"


def _sync(*tills: Shop) -> None:
    for till in tills:
        till.ok("sync", "--once")


@pytest.mark.slow
def test_a_refund_the_server_rejected_gives_way_and_the_pull_goes_on(server_db: str, tmp_path: Path) -> None:
    till_a, till_b = Shop(tmp_path / "till-a"), Shop(tmp_path / "till-b")
    with running_server(server_db) as server, LossyProxy(server.url) as net_a, LossyProxy(server.url) as net_b:
        code, = set_up(server_db, (till_a, net_a.url), (till_b, net_b.url), amount="50.00", count=1)
        till_a.ok("sell", code)
        paid = till_a.ok("redeem", code, "20.00", "--json", pin=CASHIER_PIN).json()
        _sync(till_b)
        net_a.down()
        net_b.down()
        refunds = [till.ok("refund", paid["id"], "--amount", part, "--json").json()
                   for till, part in ((till_a, "15.00"), (till_b, "4.00"), (till_b, "2.00"))]
        assert [r["status"] for r in refunds] == ["provisional"] * 3
        net_a.up()
        net_b.up()

        _sync(till_a, till_b)  # B's 2.00 is rejected (1.00 was left): B marks it so, and pulls A's
        _sync(till_a, till_b)
        entries = assert_agree(server_db, till_a.data_dir, till_b.data_dir)
        assert entries[refunds[0]["id"]][1:4] == ("CREDITS_REFUND", 1500, "SUCCESS")
        assert entries[refunds[1]["id"]][1:4] == ("CREDITS_REFUND", 400, "SUCCESS")
        assert entries[refunds[2]["id"]][1:4] == ("CREDITS_REFUND", 200, "FAILURE")  # recorded, moved nothing
        for till in (till_a, till_b):
            assert till.ok("card", "show", code, "--json").json()["balance"] == 5000 - 2000 + 1900
            status = till.ok("status", "--json").json()
            assert (status["mode"], status["unsynced"], status["last_error"]) == ("online", 0, None)


@pytest.mark.slow
def test_b_a_refund_finds_the_redemption_the_server_keeps_under_the_tills_id(server_db: str,
                                                                            tmp_path: Path) -> None:
    till_a, till_b = Shop(tmp_path / "till-a"), Shop(tmp_path / "till-b")
    with running_server(server_db) as server, LossyProxy(server.url) as net:
        code, = set_up(server_db, (till_a, net.url), (till_b, server.url), amount="50.00", count=1)
        till_a.ok("sell", code)
        _sync(till_b)
        till_b.ok("redeem", code, "40.00", pin=CASHIER_PIN)  # 10.00 left; till A still thinks 50.00

        net.lose_next(AUTHORISE, then_down=True)  # the server refuses 30.00; A never hears, and is offline after
        taken = till_a.ok("redeem", code, "30.00", "--json", pin=CASHIER_PIN).json()
        assert taken["status"] == "provisional"
        refund = till_a.ok("refund", taken["id"], "--json").json()  # the goods come back, still offline
        assert refund["status"] == "provisional"
        net.up()

        _sync(till_a, till_b, till_a)
        entries = assert_agree(server_db, till_a.data_dir, till_b.data_dir)
        recorded = str(till_fact_id(uuid.UUID(taken["id"])))
        assert entries[taken["id"]][1:4] == ("CREDITS_REDEMPTION", -3000, "FAILURE")  # the server's facts
        assert entries[recorded][1:4] == ("CREDITS_REDEMPTION", -3000, "SUCCESS")  # the till's, kept
        assert entries[refund["id"]][1:4] == ("CREDITS_REFUND", 3000, "SUCCESS")
        assert till_a.ok("card", "show", code, "--json").json()["balance"] == 1000
        assert till_a.ok("status", "--json").json()["unsynced"] == 0


def _conflict_notes(db_url: str, code: str) -> list[str]:
    engine = create_engine(db_url)
    with engine.connect() as conn:
        notes = conn.execute(text("SELECT c.notes FROM conflicts c JOIN cards k ON k.id = c.card_id "
                                  "WHERE k.code = :c"), {"c": code}).scalars().all()
    engine.dispose()
    return [line for n in notes for line in (n or "").splitlines()]


@pytest.mark.slow
def test_c_a_lost_answer_is_asked_again_and_a_refusal_in_the_end_is_reversed(server_db: str,
                                                                            tmp_path: Path) -> None:
    till = Shop(tmp_path / "till")
    with running_server(server_db) as server, LossyProxy(server.url) as net:
        asked_again, reversed_, *_ = set_up(server_db, (till, net.url), amount="200.00", count=2)
        for code in (asked_again, reversed_):
            till.ok("sell", code)

        # The answer is lost once; the till asks again with the same id and gets the server's first answer.
        net.lose_next(AUTHORISE)
        paid = till.ok("redeem", asked_again, "150.00", "--json", pin=CASHIER_PIN).json()
        assert (paid["status"], paid["remaining_balance"]) == ("confirmed", 5000)
        assert net.lost == [AUTHORISE]

        # Lost, and the network gone: offline, 150.00 is over the floor limit, and the customer is refused.
        net.lose_next(AUTHORISE, then_down=True)
        refused = till.run("redeem", reversed_, "150.00", pin=CASHIER_PIN)
        assert refused.code == 1 and "offline_limit_exceeded" in refused.err
        net.up()
        _sync(till, till)

        entries = assert_agree(server_db, till.data_dir)
        conflicts = pos_server(server_db, "conflicts", "--json").json()
        assert [c["code"] for c in conflicts] == [reversed_]
        notes = _conflict_notes(server_db, reversed_)
        assert any("reversed" in line for line in notes), notes
        reversal = [e for e in entries.values() if e[1] == "CREDITS_REFUND"]
        assert [(e[2], e[3]) for e in reversal] == [(15000, "SUCCESS")]
        assert till.ok("card", "show", reversed_, "--json").json()["balance"] == 20000  # not charged after all
        assert till.ok("card", "show", asked_again, "--json").json()["balance"] == 5000
        assert till.ok("status", "--json").json()["unsynced"] == 0
