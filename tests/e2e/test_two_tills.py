"""Two tills and the real central server, as a chain of shops would run them (DESIGN.md §7).

An online redemption at one till is seen by the other after a pull; the server goes away; both tills redeem the
same card offline within their limits; the server comes back; after sync the card is frozen, both entries exist
once, a conflict is open and the totals add up; syncing again changes nothing. On SQLite and on PostgreSQL.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

from tests.e2e.conftest import CASHIER_PIN, MANAGER_PIN, Shop
from tests.server.harness import add_user, enrol_codes, free_port, pos_server, running_server


def _server_counts(db_url: str, card_code: str) -> dict[str, object]:
    engine = create_engine(db_url)
    with engine.connect() as conn:
        card = conn.execute(text("SELECT id, status, loaded, balance, redeemed, refunded FROM cards WHERE code = :c"),
                            {"c": card_code}).mappings().one()
        entries = conn.execute(text("SELECT id, result, amount FROM entries WHERE card_id = :i"),
                               {"i": card["id"]}).all()
        conflicts = conn.execute(text("SELECT status FROM conflicts WHERE card_id = :i"), {"i": card["id"]}).all()
    engine.dispose()
    return {"card": dict(card), "entry_ids": sorted(str(e.id) for e in entries),
            "conflicts": sorted(c.status for c in conflicts)}


@pytest.mark.slow
def test_two_tills_online_offline_and_back(server_db: str, tmp_path: Path) -> None:
    port = free_port()
    till_a, till_b = Shop(tmp_path / "till-a"), Shop(tmp_path / "till-b")
    with running_server(server_db, port=port) as server:
        add_user(server_db, "Maria", "manager", MANAGER_PIN)
        add_user(server_db, "Chris", "cashier", CASHIER_PIN)
        pos_server(server_db, "campaign", "create", "--name", "Winter", "--amount", "50.00", "--count", "3")
        code_a, code_b = enrol_codes(server_db, 2)
        till_a.ok("enroll", "--server", server.url, "--code", code_a, "--name", "Till A", pin=None)
        till_b.ok("enroll", "--server", server.url, "--code", code_b, "--name", "Till B", pin=None)
        for till in (till_a, till_b):
            till.ok("sync", "--once")

        exported = csv.DictReader(io.StringIO(till_a.ok("export", "vouchers", "--out", "-").out))
        card = next(iter(exported))["code"]
        sold = till_a.ok("sell", card, "--json").json()
        assert sold["status"] == "confirmed"
        paid = till_a.ok("redeem", card, "10.00", "--json", pin=CASHIER_PIN).json()
        assert paid["status"] == "confirmed" and paid["remaining_balance"] == 4000

        till_b.ok("sync", "--once")
        assert till_b.ok("card", "show", card, "--json").json()["balance"] == 4000  # seen by the other till

    # The server is gone: both tills stand in for it, each within its own limits and its cached balance.
    offline_a = till_a.ok("redeem", card, "30.00", "--json", pin=CASHIER_PIN).json()
    offline_b = till_b.ok("redeem", card, "30.00", "--json", pin=CASHIER_PIN).json()
    assert offline_a["status"] == offline_b["status"] == "provisional"
    assert till_a.ok("status", "--json").json()["unsynced"] >= 1
    too_much = till_a.run("redeem", card, "20.00", pin=CASHIER_PIN)  # more than the cached balance
    assert too_much.code == 1 and "gift_amount_exceeded" in too_much.err

    with running_server(server_db, port=port, init=False):
        for till in (till_a, till_b, till_a):
            till.ok("sync", "--once")
        first = _server_counts(server_db, card)
        card_state = first["card"]
        assert isinstance(card_state, dict)
        assert card_state["status"] == "frozen"
        assert card_state["balance"] == 5000 - 1000 - 3000 - 3000 == -2000
        assert card_state["loaded"] - card_state["redeemed"] + card_state["refunded"] == card_state["balance"]
        assert offline_a["id"] in first["entry_ids"] and offline_b["id"] in first["entry_ids"]
        assert len(first["entry_ids"]) == len(set(first["entry_ids"]))
        assert first["conflicts"] == ["open"]
        open_conflicts = pos_server(server_db, "conflicts", "--json").json()
        assert [c["code"] for c in open_conflicts] == [card]

        assert till_a.ok("card", "show", card, "--json").json()["status"] == "frozen"
        assert till_a.ok("status", "--json").json()["unsynced"] == 0

        for till in (till_a, till_b):  # syncing again changes nothing
            till.ok("sync", "--once")
        assert _server_counts(server_db, card) == first
