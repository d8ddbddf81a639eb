"""PostgreSQL's optimistic online authorisation (``authorise_async``), against a real PostgreSQL: a write that
finds the card changed writes nothing, a request that keeps losing races takes the card's lock, and many
concurrent requests on one card never overspend it."""

from __future__ import annotations

import asyncio
import uuid
from collections import Counter
from collections.abc import Awaitable, Callable, Iterator
from datetime import UTC, datetime
from typing import Any, TypeVar

import asyncpg
import pytest
from sqlalchemy import Engine, create_engine, text

from pos_app.domain.money import Money
from pos_app.server import admin, auth, authorise_async
from pos_app.server.authorise import decide
from pos_app.server.authorise_async import Authoriser, dsn
from pos_app.server.campaigns import create_campaign
from pos_app.server.db.engine import open_engine, write
from pos_app.server.ledger import now
from pos_app.server.rows import card_from_row
from pos_app.services.campaigns import CreateCampaign
from pos_app.sync.schemas import AuthoriseRequest
from tests.server.conftest import TABLES, totals_add_up

T = TypeVar("T")


@pytest.fixture
def pg(pg_url: str) -> Iterator[Engine]:
    """An empty PostgreSQL database with a store (the PostgreSQL half only: this path exists only there)."""
    engine = create_engine(pg_url)
    with engine.begin() as conn:
        conn.execute(text(f"TRUNCATE {TABLES}"))
        conn.execute(text("UPDATE counters SET value = 0"))
    engine.dispose()
    opened = open_engine(pg_url)
    write(opened, lambda conn: admin.set_store(conn, name="Head Office", currency="EUR"))
    yield opened
    opened.dispose()


def token_for(engine: Engine) -> str:
    code = write(engine, lambda conn: auth.make_enrol_code(conn, now())).code
    return write(engine, lambda conn: auth.enrol(conn, code, "till", now())).token


def new_card(engine: Engine, amount: int = 5000) -> tuple[str, str]:
    """A card worth ``amount``, not sold yet: its id and code."""
    create_campaign(engine, CreateCampaign(name=f"c {uuid.uuid4().hex[:6]}", amount=Money(amount, "EUR"), count=1))
    with engine.connect() as conn:
        row = conn.execute(text("SELECT id, code FROM cards ORDER BY created_at DESC LIMIT 1")).one()
    return row.id, row.code


def request(op: str, code: str, amount: int | None = None, **fields: Any) -> AuthoriseRequest:
    return AuthoriseRequest(op=op, entry_id=uuid.uuid4(), code=code, amount=amount, currency="EUR",  # type: ignore[arg-type]
                            created_at=datetime.now(UTC), **fields)


def read(req: AuthoriseRequest, token: str) -> list[Any]:
    """The optimistic read's SQL and arguments."""
    stmt = authorise_async._READ
    return [stmt.sql, *stmt.args({"entry_id": str(req.entry_id), "code": req.code, "token_hash": auth.sha256(token)})]


def run(url: str, work: Callable[[Authoriser], Awaitable[T]], connections: int = 4) -> T:
    async def main() -> T:
        authoriser = Authoriser(url, connections)
        try:
            return await work(authoriser)
        finally:
            await authoriser.close()

    return asyncio.run(main())


def counts(engine: Engine) -> tuple[int, int, int]:
    with engine.connect() as conn:
        return (conn.execute(text("SELECT count(*) FROM entries")).scalar_one(),
                conn.execute(text("SELECT count(*) FROM changes")).scalar_one(),
                conn.execute(text("SELECT value FROM counters WHERE name = 'changes'")).scalar_one())


def touch(engine: Engine, card_id: str) -> None:
    """A new version of the card's row, nothing else changed (what a concurrent writer leaves behind)."""
    with engine.begin() as conn:
        conn.execute(text("UPDATE cards SET version = version WHERE id = :id"), {"id": card_id})


@pytest.mark.parametrize("amount", [100, 99_999], ids=["success", "refusal"])
def test_a_write_after_the_card_changed_writes_nothing(pg: Engine, pg_url: str, amount: int) -> None:
    card_id, code = new_card(pg)
    token = token_for(pg)
    assert '"SUCCESS"' in run(pg_url, lambda a: a(token, request("sell", code), now()))
    req = request("redeem", code, amount)

    async def race(authoriser: Authoriser) -> Any:
        async with authoriser.connections.connection() as conn:
            row = await conn.fetchrow(*read(req, token))
            done = decide(card_from_row(row), req, row["device_id"], now())
            touch(pg, card_id)  # another till's write commits between this read and this write
            stmt, values = authorise_async._write(done, card_id, row["xmin"])
            return await conn.fetchval(stmt.sql, *stmt.args(values))

    before = counts(pg)
    assert run(pg_url, race) is None
    assert counts(pg) == before


@pytest.mark.parametrize("amount", [100, 99_999], ids=["success", "refusal"])
def test_a_write_waiting_on_a_concurrent_change_writes_nothing(pg: Engine, pg_url: str, amount: int) -> None:
    """The other write is still running when this one starts: this one waits for its row lock, then finds a new
    version (PostgreSQL re-checks the condition on the row as committed) and writes nothing."""
    card_id, code = new_card(pg)
    token = token_for(pg)
    assert '"SUCCESS"' in run(pg_url, lambda a: a(token, request("sell", code), now()))
    req = request("redeem", code, amount)

    async def race(authoriser: Authoriser) -> Any:
        other = await asyncpg.connect(dsn(pg_url))
        try:
            async with authoriser.connections.connection() as conn:
                row = await conn.fetchrow(*read(req, token))
                done = decide(card_from_row(row), req, row["device_id"], now())
                stmt, values = authorise_async._write(done, card_id, row["xmin"])
                async with other.transaction():
                    await other.execute("UPDATE cards SET balance = balance - 1, loaded = loaded - 1 WHERE id = $1",
                                        card_id)
                    waiting = asyncio.ensure_future(conn.fetchval(stmt.sql, *stmt.args(values)))
                    await asyncio.sleep(0.3)
                    assert not waiting.done()  # blocked on the card's row lock
                return await waiting
        finally:
            await other.close()

    before = counts(pg)
    assert run(pg_url, race) is None
    assert counts(pg) == before


def test_a_request_that_keeps_losing_races_takes_the_cards_lock(pg: Engine, pg_url: str,
                                                                monkeypatch: pytest.MonkeyPatch) -> None:
    card_id, code = new_card(pg)
    token = token_for(pg)
    assert '"SUCCESS"' in run(pg_url, lambda a: a(token, request("sell", code), now()))
    decisions = Counter[str]()

    def decide_and_lose(*args: Any, **kwargs: Any) -> Any:
        decisions["all"] += 1
        if decisions["all"] <= authorise_async.OPTIMISTIC:  # every optimistic attempt loses its race
            touch(pg, card_id)
        return decide(*args, **kwargs)

    monkeypatch.setattr(authorise_async, "decide", decide_and_lose)

    async def redeem(authoriser: Authoriser) -> tuple[str, int]:
        return await authoriser(token, request("redeem", code, 1250), now()), authoriser.locked

    before = counts(pg)
    answer, locked = run(pg_url, redeem)
    assert '"result":"SUCCESS"' in answer and '"balance":3750' in answer
    assert (decisions["all"], locked) == (authorise_async.OPTIMISTIC + 1, 1)
    assert counts(pg) == (before[0] + 1, before[1] + 2, before[2] + 2)  # written once
    totals_add_up(pg)


def test_many_concurrent_requests_never_overspend_one_card(pg: Engine, pg_url: str) -> None:
    card_id, code = new_card(pg, 3000)
    token = token_for(pg)
    assert '"SUCCESS"' in run(pg_url, lambda a: a(token, request("sell", code), now()))

    async def spend(authoriser: Authoriser) -> tuple[list[str], int]:
        answers = await asyncio.gather(*(authoriser(token, request("redeem", code, 100), now()) for _ in range(64)))
        return answers, authoriser.locked

    answers, locked = run(pg_url, spend, connections=8)
    outcomes = Counter("SUCCESS" if '"result":"SUCCESS"' in a else a.split('"key":"')[1].split('"')[0]
                       for a in answers)
    assert outcomes == {"SUCCESS": 30, "gift_amount_exceeded": 34}
    assert locked > 0  # 64 requests on one card over 8 connections: some lost three races
    with pg.connect() as conn:
        assert conn.execute(text("SELECT balance FROM cards WHERE id = :id"), {"id": card_id}).scalar_one() == 0
        seqs = conn.execute(text("SELECT server_seq FROM entries ORDER BY server_seq")).scalars().all()
        logged = conn.execute(text("SELECT seq FROM changes ORDER BY seq")).scalars().all()
    assert len(set(seqs)) == len(seqs) and set(seqs) <= set(logged)
    assert logged == list(range(1, len(logged) + 1))  # the change log has no gaps
    totals_add_up(pg)
