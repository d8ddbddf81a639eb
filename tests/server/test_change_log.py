"""The change log numbers lines without a lock every commit waits on, and a puller never skips a line, even one
that commits after a line numbered later (PostgreSQL); existing lines keep their places through the migration."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from sqlalchemy import Engine, text

from pos_app.domain.money import Money
from pos_app.server import admin
from pos_app.server.campaigns import create_campaign
from pos_app.server.db.engine import open_engine, read, write
from pos_app.server.db.migrate import downgrade, upgrade
from pos_app.server.ledger import CARD, USER, append_changes, lock_cards, log_one, now, place_changes
from pos_app.server.pull import pull
from pos_app.services.campaigns import CreateCampaign
from pos_app.sync.schemas import PullResponse
from tests.server.conftest import _empty_pg


def pulled(engine: Engine, cursor: int, limit: int) -> PullResponse:
    """A page as ``GET /sync/v1/pull`` makes it: the committed lines placed first, then the page read."""
    write(engine, lambda conn: place_changes(conn, limit + 1))
    return read(engine, lambda conn: pull(conn, cursor, limit, now(), "dev_none"))


@pytest.fixture
def pg(pg_url: str) -> Iterator[Engine]:
    """An empty PostgreSQL database with a store (where lines can commit out of their numbers' order)."""
    _empty_pg(pg_url)
    engine = open_engine(pg_url)
    write(engine, lambda conn: admin.set_store(conn, name="Head Office", currency="EUR"))
    yield engine
    engine.dispose()


def test_a_line_that_commits_after_a_later_numbered_one_is_not_skipped(pg: Engine) -> None:
    create_campaign(pg, CreateCampaign(name="Two", amount=Money(5000, "EUR"), count=2))
    start = pulled(pg, 0, 1000)
    one, two = sorted(c.id for c in start.cards)
    with pg.connect() as a, pg.connect() as b, a.begin():
        lock_cards(a, [one], [])
        (late,) = append_changes(a, [(CARD, one)])  # numbered first …
        with b.begin():  # … while another till's transaction on another card numbers and commits its own
            lock_cards(b, [two], [])
            (early,) = append_changes(b, [(CARD, two)])
        first = pulled(pg, start.next_cursor, 100)
        assert [c.id for c in first.cards] == [two]
        # … and commits last
    assert late < early  # a puller paging by number, from the first page's last line (early), would miss it
    second = pulled(pg, first.next_cursor, 100)
    assert [c.id for c in second.cards] == [one]
    assert second.next_cursor > first.next_cursor
    assert pulled(pg, second.next_cursor, 100).cards == []


def test_lines_are_placed_at_most_a_page_at_a_time_and_has_more_says_so(pg: Engine) -> None:
    cursor = pulled(pg, 0, 1000).next_cursor
    write(pg, lambda conn: append_changes(conn, [(USER, f"u_{i}") for i in range(25)]))
    page = pulled(pg, cursor, 10)
    assert page.has_more
    with pg.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM changes WHERE pos IS NULL")).scalar_one() == 25 - 11
    while page.has_more:
        page = pulled(pg, page.next_cursor, 10)
    with pg.connect() as conn:
        placed = conn.execute(text("SELECT pos FROM changes WHERE pos > :c ORDER BY pos"), {"c": cursor}).scalars()
        assert list(placed) == list(range(cursor + 1, cursor + 26))


def test_existing_lines_keep_their_places_and_new_ones_come_after(engine: Engine) -> None:
    downgrade(engine, "0004_customers_campaigns")
    with engine.begin() as conn:  # lines of an older server; numbers up to 10 were given out
        conn.execute(text("INSERT INTO changes (seq, kind, ref_id) VALUES (7, 'user', 'u_7'), (8, 'user', 'u_8')"))
        conn.execute(text("UPDATE counters SET value = 10"))
    upgrade(engine)
    with engine.connect() as conn:
        kept = conn.execute(text("SELECT seq, pos FROM changes WHERE seq <= 8 ORDER BY seq")).all()
    assert [tuple(row) for row in kept if row.seq in (7, 8)] == [(7, 7), (8, 8)]
    assert all(row.seq == row.pos for row in kept)
    seq = write(engine, lambda conn: log_one(conn, USER, "u_new"))
    assert seq > 10  # never a number the counter gave out
    page = pulled(engine, 8, 100)  # a till whose cursor is the old line 8
    with engine.connect() as conn:
        pos = conn.execute(text("SELECT pos FROM changes WHERE seq = :seq"), {"seq": seq}).scalar_one()
    assert 8 < pos <= page.next_cursor and not page.has_more


def test_lines_are_numbered_in_their_order(engine: Engine) -> None:
    """(A push's entries of one card keep their order in ``server_seq``: each is its line's number.)"""
    refs = [f"e_{i:03}" for i in range(300)]
    seqs = write(engine, lambda conn: append_changes(conn, [(USER, ref) for ref in refs]))
    assert seqs == sorted(seqs) and len(set(seqs)) == len(refs)
    with engine.connect() as conn:
        found: dict[str, int] = dict(conn.execute(text("SELECT ref_id, seq FROM changes WHERE kind = 'user'")).all())
    assert [found[ref] for ref in refs] == seqs
