"""Campaigns made on the central server reach enrolled tills (issue 12): by name, with their card count, in the
till's reports, exports and card sheets; a till that pulled a campaign's cards before the server sent campaigns
learns the campaign once the server is upgraded. The real server process and the real ``pos-app``, on SQLite
and PostgreSQL."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

from pos_app.server.db.engine import open_engine
from pos_app.server.db.migrate import downgrade
from tests.e2e.conftest import MANAGER_PIN, Shop
from tests.server.harness import add_user, enrol_code, free_port, pos_server, running_server


def _enrolled(tmp_path: Path, url: str, db: str) -> Shop:
    till = Shop(tmp_path / "till")
    till.ok("enroll", "--server", url, "--code", enrol_code(db), "--name", "Till 1", pin=None)
    till.ok("sync", "--once")
    return till


@pytest.mark.slow
def test_an_enrolled_till_knows_the_servers_campaign_by_name(server_db: str, tmp_path: Path) -> None:
    with running_server(server_db) as server:
        add_user(server_db, "Maria", "manager", MANAGER_PIN)
        made = pos_server(server_db, "campaign", "create", "--name", "Winter 2026", "--amount", "50.00",
                          "--count", "3", "--expires", "2030-12-31", "--json").json()
        till = _enrolled(tmp_path, server.url, server_db)

    listed = till.ok("campaign", "list", "--json").json()
    assert [(c["id"], c["name"], c["vouchers_count"], c["amount"]) for c in listed] == [
        (made["id"], "Winter 2026", 3, 5000)]
    assert "Winter 2026" in till.ok("campaign", "list").out
    sheet = tmp_path / "winter.pdf"
    printed = till.ok("campaign", "sheet", "Winter 2026", "--out", sheet)
    assert sheet.read_bytes().startswith(b"%PDF"), printed.out
    liability = till.ok("report", "liability", "--json").json()
    assert [(r["campaign_name"], r["cards"]) for r in liability["rows"]] == [("Winter 2026", 3)]
    exported = list(csv.DictReader(io.StringIO(till.ok("export", "vouchers", "--out", "-").out)))
    assert {row["campaign"] for row in exported} == {"Winter 2026"}


@pytest.mark.slow
def test_a_till_that_pulled_the_cards_before_campaigns_were_sent_learns_the_campaign(server_db: str,
                                                                                     tmp_path: Path) -> None:
    port = free_port()  # the till remembers where its server is
    with running_server(server_db, port=port) as server:
        add_user(server_db, "Maria", "manager", MANAGER_PIN)
        pos_server(server_db, "campaign", "create", "--name", "Winter 2026", "--amount", "50.00", "--count", "2")
        engine = create_engine(server_db)
        with engine.begin() as conn:  # as a server before this change logged it: its cards only
            conn.execute(text("DELETE FROM changes WHERE kind = 'campaign'"))
        engine.dispose()
        till = _enrolled(tmp_path, server.url, server_db)
        (stand_in,) = till.ok("campaign", "list", "--json").json()
        assert (stand_in["name"], stand_in["vouchers_count"]) == (f"campaign {stand_in['id']}", 0)

    old = open_engine(server_db)
    downgrade(old, "0003_device_seq_lookups")  # the server's database as it was; then the new server upgrades it
    old.dispose()
    with running_server(server_db, port=port):  # `pos-server init` brings it to the current schema
        till.ok("sync", "--once")
    (learnt,) = till.ok("campaign", "list", "--json").json()
    assert (learnt["id"], learnt["name"], learnt["vouchers_count"]) == (stand_in["id"], "Winter 2026", 2)
    assert till.run("campaign", "sheet", "Winter 2026", "--out", tmp_path / "w.pdf").code == 0
