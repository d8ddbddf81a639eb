"""A conflict made by two real tills offline, as head office reads it (``conflict_views``): every entry that
caused it, with the till and the person by name, when, and whether it was decided online or offline."""

from __future__ import annotations

from pathlib import Path

import pytest

from pos_app.server import conflict_views
from pos_app.server.db.engine import open_engine, read
from tests.e2e.offline_conflict import offline_conflict
from tests.server.harness import running_server


@pytest.mark.slow
def test_head_office_sees_what_each_till_did_offline(server_db: str, tmp_path: Path) -> None:
    with running_server(server_db) as server, offline_conflict(server_db, server.url, tmp_path) as made:
        engine = open_engine(server_db)
        try:
            (open_one,) = read(engine, lambda conn: conflict_views.page(conn, "open")).rows
            found = read(engine, lambda conn: conflict_views.detail(conn, open_one.id))
        finally:
            engine.dispose()
    assert found.code == made.code and found.summary.overdraft.minor == 2000
    assert found.summary.tills == ("till-a", "till-b") and found.summary.operators == ("Chris",)
    table = [(line.till, line.operator, line.kind, line.amount.minor, line.balance_after.minor, line.origin,
              line.part) for line in found.lines]
    assert table == [
        ("till-a", "Maria", "CREDITS_ADDITION", 5000, 5000, "online", ""),
        ("till-a", "Chris", "CREDITS_REDEMPTION", -1000, 4000, "online", ""),
        ("till-a", "Chris", "CREDITS_REDEMPTION", -3000, 1000, "offline", "cause"),
        ("till-b", "Chris", "CREDITS_REDEMPTION", -3000, -2000, "offline", "conflict"),
    ]
    assert [line.id for line in found.lines[2:]] == [o["id"] for o in made.offline]
    assert found.lines[-1].till_balance_after is not None and found.lines[-1].till_balance_after.minor == 1000
