"""What the console reads of sync conflicts (``conflict_views``): pages newest first by cursor, a conflict with
every entry that caused it (tills and people by name), and a console user's resolution through
``conflicts.resolve``, recorded as theirs."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import Engine, select

from pos_app.domain import errors
from pos_app.domain.money import Money
from pos_app.server import conflict_views, conflicts
from pos_app.server.console import users
from pos_app.server.db.engine import read, write
from pos_app.server.db.models import conflicts as conflicts_table
from pos_app.server.ledger import now
from pos_app.sync.schemas import ResolveConflict
from tests.server.conftest import MANAGER, make_cards, person, totals_add_up
from tests.server.harness import HttpTill


def overdraw(till: HttpTill, till2: HttpTill, card: dict[str, Any]) -> str:
    """Both tills spend 30.00 of the card's 40.00 offline (after 10.00 online): −20.00; the conflict's id."""
    assert till.authorise("redeem", card["code"], 1000).json()["result"] == "SUCCESS"
    card = {**card, "balance": 4000}
    assert till.push([till.offline_entry(card, "CREDITS_REDEMPTION", -3000)]).status_code == 200
    assert till2.push([till2.offline_entry(card, "CREDITS_REDEMPTION", -3000)]).status_code == 200
    (conflict,) = till.http.get("/sync/v1/conflicts", headers=till.headers).json()
    return str(conflict["id"])


def by_console(engine: Engine, conflict_id: str, user: str = "cu_anna", **body: Any) -> Any:
    cmd = ResolveConflict(**{"action": "recover", "reason": "customer paid the difference", **body})
    return write(engine, lambda conn: conflicts.resolve(conn, conflict_id, cmd, conflicts.SERVER_DEVICE, now(),
                                                        console_user=user))


def test_a_conflict_shows_every_entry_that_caused_it(engine: Engine, till: HttpTill, till2: HttpTill,
                                                     card: dict[str, Any]) -> None:
    conflict_id = overdraw(till, till2, card)
    found = read(engine, lambda conn: conflict_views.detail(conn, conflict_id))
    assert (found.summary.status, found.summary.overdraft, found.balance) == (
        "open", Money(2000, "EUR"), Money(-2000, "EUR"))
    assert found.summary.masked_code == "•••• " + card["code"][-4:] and found.code == card["code"]
    assert (found.card_status, found.prior_status) == ("frozen", "active")
    assert found.summary.tills == ("till 1", "till 2")  # the first till's offline 30.00 caused it too
    assert found.summary.operators == (MANAGER,)
    table = [(line.till, line.operator, line.kind, line.amount.minor, line.balance_after.minor, line.origin,
              line.part) for line in found.lines]
    assert table == [
        ("till 1", MANAGER, "CREDITS_ADDITION", 5000, 5000, "online", ""),  # the sale
        ("till 1", MANAGER, "CREDITS_REDEMPTION", -1000, 4000, "online", ""),
        ("till 1", MANAGER, "CREDITS_REDEMPTION", -3000, 1000, "offline", "cause"),
        ("till 2", MANAGER, "CREDITS_REDEMPTION", -3000, -2000, "offline", "conflict"),
    ]
    assert found.lines[-1].till_balance_after == Money(1000, "EUR")  # what till 2 believed was left


def test_a_console_user_resolves_through_the_same_rule(engine: Engine, till: HttpTill, till2: HttpTill,
                                                       card: dict[str, Any]) -> None:
    conflict_id = overdraw(till, till2, card)
    anna = write(engine, lambda conn: users.add_user(conn, email="Anna@Example.com", role="admin",
                                                     password_hash="not-checked-here", at=now()))
    done = by_console(engine, conflict_id, anna.id, action="write_off", reason="goods gone, shop bears it")
    assert (done.status, done.resolution, done.overdraft) == ("resolved", "write_off", 2000)
    found = read(engine, lambda conn: conflict_views.detail(conn, conflict_id))
    assert found.summary.resolved_by == "anna@example.com"
    with engine.connect() as conn:
        assert conn.execute(select(conflicts_table.c.resolved_by)).scalar_one() == f"console:{anna.id}"
    assert (found.card_status, found.balance) == ("active", Money(0, "EUR"))
    resolution = found.lines[-1]
    assert (resolution.part, resolution.till, resolution.operator, resolution.origin, resolution.amount.minor) == (
        "resolution", "head office", None, "head office", 2000)
    assert till.pull_all()["cards"][card["id"]]["status"] == "active"  # the tills' next pull sees it
    totals_add_up(engine)


def test_who_resolved_is_kept_in_one_place(engine: Engine) -> None:
    manager = person(engine)
    assert conflicts.resolver("till-1", manager) == manager
    assert conflicts.resolver(conflicts.SERVER_DEVICE, None) == "server"
    assert conflicts.resolver(conflicts.SERVER_DEVICE, None, "cu_anna") == "console:cu_anna"
    assert conflicts.console_user_of("console:cu_anna") == "cu_anna" and conflicts.console_user_of(manager) is None
    with pytest.raises(errors.Forbidden):  # a console user acts as head office, never as a till or a till's person
        conflicts.resolver("till-1", None, "cu_anna")
    with pytest.raises(errors.Forbidden):
        conflicts.resolver(conflicts.SERVER_DEVICE, manager, "cu_anna")
    with pytest.raises(errors.InvalidPayload):
        conflicts.resolver(conflicts.SERVER_DEVICE, None, "x" * 57)


def test_a_resolution_is_refused_alike_and_keeps_nothing(engine: Engine, till: HttpTill, till2: HttpTill,
                                                          card: dict[str, Any]) -> None:
    conflict_id = overdraw(till, till2, card)
    with pytest.raises(errors.InvalidAmount):  # −20.00 corrected by 10.00 stays below zero
        by_console(engine, conflict_id, action="correct", amount=1000)
    assert read(engine, lambda conn: conflict_views.detail(conn, conflict_id)).summary.status == "open"
    by_console(engine, conflict_id)
    with pytest.raises(errors.GiftCardError) as again:
        by_console(engine, conflict_id)
    assert again.value.key == "conflict_resolved"


def test_pages_newest_first_by_cursor(engine: Engine, till: HttpTill, till2: HttpTill) -> None:
    made = []
    for fresh in make_cards(engine, till, 3):
        assert till.authorise("sell", fresh["code"]).json()["result"] == "SUCCESS"
        sold = {**fresh, "balance": 5000}
        till.push([till.offline_entry(sold, "CREDITS_REDEMPTION", -3000)])
        till2.push([till2.offline_entry(sold, "CREDITS_REDEMPTION", -3000)])
        made.append(till.http.get("/sync/v1/conflicts", headers=till.headers).json()[-1]["id"])

    def page(status: conflict_views.Status, after: str | None = None) -> conflict_views.Page:
        return read(engine, lambda conn: conflict_views.page(conn, status, after=after, size=2))

    first = page("open")
    assert [c.id for c in first.rows] == [made[2], made[1]] and first.after == made[1]
    last = page("open", first.after)
    assert [c.id for c in last.rows] == [made[0]] and last.after is None
    assert all(c.tills == ("till 1", "till 2") and c.overdraft.minor == 1000 for c in first.rows + last.rows)
    assert page("resolved").rows == []

    by_console(engine, made[1])
    by_console(engine, made[0])
    assert [c.id for c in page("open").rows] == [made[2]]
    resolved = page("resolved")
    assert [c.id for c in resolved.rows] == [made[0], made[1]]  # the last resolved first
    assert resolved.rows[0].resolution == "recover" and resolved.rows[0].overdraft.minor == 1000
    with pytest.raises(errors.InvalidQueryParams):
        page("open", "cf_nothing")


def test_pages_use_their_indexes(engine: Engine) -> None:
    """Each page's query walks its index in order (no scan and sort of every conflict)."""
    if engine.dialect.name != "sqlite":
        pytest.skip("PostgreSQL plans a tiny table by a scan; the benchmark measures it at size")
    with engine.connect() as conn:
        for status, index in (("open", "ix_conflicts_status_opened_at"),
                              ("resolved", "ix_conflicts_status_resolved_at")):
            stmt = conflict_views.page_query(status)
            sql = str(stmt.compile(conn, compile_kwargs={"literal_binds": True}))
            plan = " ".join(str(r[-1]) for r in conn.exec_driver_sql(f"EXPLAIN QUERY PLAN {sql}"))
            assert index in plan and "TEMP B-TREE" not in plan, plan
