"""What head office does with ``pos-server`` reaches an enrolled till at its next pull: a top-up and a correction
made on the server show on the till's card, in its ledger, with the server's balance. The real server process
and the real ``pos-app``, on SQLite and PostgreSQL."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.e2e.conftest import MANAGER_PIN, Shop
from tests.server.harness import add_user, enrol_code, pos_server, running_server


@pytest.mark.slow
def test_a_top_up_on_the_server_reaches_the_till_at_its_next_pull(server_db: str, tmp_path: Path) -> None:
    with running_server(server_db) as server:
        add_user(server_db, "Maria", "manager", MANAGER_PIN)
        pos_server(server_db, "campaign", "create", "--name", "Winter 2026", "--amount", "50.00", "--count", "1")
        till = Shop(tmp_path / "till")
        till.ok("enroll", "--server", server.url, "--code", enrol_code(server_db), "--name", "Till 1", pin=None)
        till.ok("sync", "--once")
        (code,) = till.codes("Winter 2026")
        assert till.ok("sell", code, "--json").json()["status"] == "confirmed"

        topped = pos_server(server_db, "card", "topup", code, "20.00", "--reason", "paid by bank transfer",
                            "--json").json()
        fixed = pos_server(server_db, "card", "correct", code, "-2.50", "--reason", "typo", "--json").json()
        assert till.ok("card", "show", code, "--json").json()["balance"] == 5000  # not pulled yet
        till.ok("sync", "--once")

    shown = till.ok("card", "show", code, "--json", "--entries", "5").json()
    assert (shown["balance"], shown["loaded"]) == (6750, 6750)
    ids = {e["id"]: e for e in shown["entries"]}
    assert ids[topped["id"]]["amount"] == 2000 and ids[topped["id"]]["status"] == "confirmed"
    assert ids[fixed["id"]]["amount"] == -250 and ids[fixed["id"]]["reason"] == "typo"
    server_view = pos_server(server_db, "card", "show", code, "--json").json()
    assert server_view["balance"] == shown["balance"]
