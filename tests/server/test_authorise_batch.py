"""PostgreSQL's batched online authorisation (``authorise_batch``), against a real PostgreSQL: concurrent requests
land in one batch, each is answered as it would have been alone, a batch whose card changed under it writes
nothing and runs again, and the change log stays gapless and in commit order."""

from __future__ import annotations

import asyncio
import threading
import uuid
from collections import Counter
from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

import pytest
from sqlalchemy import Engine, text

from pos_app.domain import errors
from pos_app.server import auth, authorise, authorise_batch
from pos_app.server.authorise import decide
from pos_app.server.authorise_async import Authoriser
from pos_app.server.authorise_batch import Batcher
from pos_app.server.db.engine import write
from pos_app.server.ledger import now
from tests.server.conftest import totals_add_up
from tests.server.test_authorise_async import counts, new_card, pg, request, token_for, touch

__all__ = ["pg"]  # the fixture
T = TypeVar("T")


def run(url: str, work: Callable[[Batcher], Awaitable[T]], connections: int = 4) -> T:
    async def main() -> T:
        batcher = Batcher(Authoriser(url, connections))
        try:
            return await work(batcher)
        finally:
            await batcher.close()

    return asyncio.run(main())


def settle(batcher: Batcher, calls: list[Awaitable[str]]) -> Awaitable[list[str | BaseException]]:
    """All of ``calls`` at once (they queue up for one batch), each answer or the error it raised."""
    return asyncio.gather(*calls, return_exceptions=True)


def sold(pg: Engine, pg_url: str, token: str, amount: int = 5000) -> tuple[str, str]:
    card_id, code = new_card(pg, amount)
    assert '"SUCCESS"' in run(pg_url, lambda b: b(token, request("sell", code), now()))
    return card_id, code


def key(answer: str) -> str:
    return "SUCCESS" if '"result":"SUCCESS"' in answer else answer.split('"key":"')[1].split('"', maxsplit=1)[0]


def log_in_commit_order(pg: Engine) -> None:
    """The change log has no gaps; every online entry's ``server_seq`` is its line; a success's card line comes
    just before its entry's; and on every card, entries in ``server_seq`` order chain their balances."""
    with pg.connect() as conn:
        lines = conn.execute(text("SELECT seq, kind, ref_id FROM changes ORDER BY seq")).all()
        found = conn.execute(text("SELECT id, card_id, server_seq, result, amount, balance_after FROM entries "
                                  "ORDER BY server_seq")).all()
    assert [line.seq for line in lines] == list(range(1, len(lines) + 1))
    by_seq = {line.seq: line for line in lines}
    balances: dict[str, int] = {}
    for e in found:
        assert (by_seq[e.server_seq].kind, by_seq[e.server_seq].ref_id) == ("entry", e.id)
        if e.result == "SUCCESS":
            assert (by_seq[e.server_seq - 1].kind, by_seq[e.server_seq - 1].ref_id) == ("card", e.card_id)
            balances[e.card_id] = balances.get(e.card_id, 0) + e.amount
        assert e.balance_after == balances.get(e.card_id, 0), e


def test_concurrent_requests_on_one_card_are_one_batch_and_never_overspend(pg: Engine, pg_url: str) -> None:
    card_id, code = sold(pg, pg_url, token := token_for(pg), 3000)

    async def spend(batcher: Batcher) -> list[str | BaseException]:
        batcher.sizes.clear()
        return await settle(batcher, [batcher(token, request("redeem", code, 100), now()) for _ in range(100)])

    batcher_sizes: Counter[int] = Counter()

    async def spend_and_look(batcher: Batcher) -> list[str | BaseException]:
        answers = await spend(batcher)
        batcher_sizes.update(batcher.sizes)
        return answers

    answers = run(pg_url, spend_and_look)
    assert Counter(key(a) for a in answers if isinstance(a, str)) == {"SUCCESS": 30, "gift_amount_exceeded": 70}
    assert batcher_sizes == {authorise_batch.BATCH: 1, 100 - authorise_batch.BATCH: 1}
    with pg.connect() as conn:
        assert conn.execute(text("SELECT balance FROM cards WHERE id = :id"), {"id": card_id}).scalar_one() == 0
    log_in_commit_order(pg)
    totals_add_up(pg)


def test_many_batches_on_a_few_cards_from_two_processes(pg: Engine, pg_url: str) -> None:
    """Two batchers (two server processes) on the same few cards: races are lost and run again, nothing is
    overspent, and the change log is gapless and in commit order."""
    token = token_for(pg)
    codes = [sold(pg, pg_url, token, 2000)[1] for _ in range(3)]

    async def two(batcher: Batcher) -> tuple[list[str | BaseException], int]:
        other = Batcher(Authoriser(pg_url, 2))
        try:
            calls = [(batcher if i % 2 else other)(token, request("redeem", codes[i % 3], 100), now())
                     for i in range(150)]
            answers = await settle(batcher, calls)
            return answers, batcher.retried + other.retried
        finally:
            await other.close()

    answers, _ = run(pg_url, two)
    assert all(isinstance(a, str) for a in answers), answers
    assert Counter(key(a) for a in answers if isinstance(a, str)) == {"SUCCESS": 60, "gift_amount_exceeded": 90}
    log_in_commit_order(pg)
    totals_add_up(pg)


def test_a_mixed_batch_answers_each_as_alone(pg: Engine, pg_url: str) -> None:
    token = token_for(pg)
    revoked_code = write(pg, lambda conn: auth.make_enrol_code(conn, now())).code
    revoked = write(pg, lambda conn: auth.enrol(conn, revoked_code, "gone", now()))
    write(pg, lambda conn: auth.revoke(conn, revoked.device_id, now()))
    _, code = sold(pg, pg_url, token)
    _, other = sold(pg, pg_url, token)
    used = request("redeem", code, 700)  # answered before the batch
    first = run(pg_url, lambda b: b(token, used, now()))
    twice = request("redeem", code, 200)  # twice in the batch: the second replays the first
    elsewhere = request("redeem", code, 300)  # its id comes again for another card: 409
    reused = request("sell", other, None).model_copy(update={"entry_id": elsewhere.entry_id})
    before = counts(pg)

    async def batch(batcher: Batcher) -> list[str | BaseException]:
        return await settle(batcher, [
            batcher(token, request("redeem", code, 1000), now()),
            batcher(revoked.token, request("redeem", code, 100), now()),
            batcher("not a token", request("redeem", code, 100), now()),
            batcher(token, twice, now()),
            batcher(token, request("redeem", "GC-NOPE-NOPE-NOPE-NOPE", 100), now()),
            batcher(token, used, now()),
            batcher(token, elsewhere, now()),
            batcher(token, request("redeem", code, 99_999), now()),
            batcher(token, twice, now()),
            batcher(token, reused, now()),
            batcher(token, request("redeem", other, 50), now()),
        ])

    (good, gone, unknown_token, twice_1, unknown_card, replay, elsewhere_1, too_much, twice_2, dup, other_ok) = \
        run(pg_url, batch)
    assert isinstance(good, str) and '"balance":3300' in good and key(good) == "SUCCESS"
    assert isinstance(gone, errors.DeviceRevoked)
    assert isinstance(unknown_token, errors.Unauthorized)
    assert isinstance(twice_1, str) and key(twice_1) == "SUCCESS" and twice_2 == twice_1
    assert unknown_card == authorise.unknown_card()
    assert replay == first
    assert isinstance(elsewhere_1, str) and key(elsewhere_1) == "SUCCESS"
    assert isinstance(too_much, str) and key(too_much) == "gift_amount_exceeded"
    assert isinstance(dup, errors.DuplicateFound)
    assert isinstance(other_ok, str) and key(other_ok) == "SUCCESS" and '"balance":4950' in other_ok
    # written: good, twice, elsewhere, too_much (a FAILURE entry), other_ok; 4 successes with their card lines
    assert counts(pg) == (before[0] + 5, before[1] + 9, before[2] + 9)
    log_in_commit_order(pg)
    totals_add_up(pg)


def test_a_replay_answers_byte_for_byte(pg: Engine, pg_url: str) -> None:
    token = token_for(pg)
    _, code = sold(pg, pg_url, token)
    reqs = [request("redeem", code, 100 * (i + 1)) for i in range(5)] + [request("redeem", code, 99_999)]

    async def twice(batcher: Batcher) -> tuple[list[str | BaseException], list[str | BaseException]]:
        first = await settle(batcher, [batcher(token, r, now()) for r in reqs])
        await batcher(token, request("redeem", code, 1), now())  # the card moves on
        again = await settle(batcher, [batcher(token, r, now()) for r in reversed(reqs)])
        return first, again

    first, again = run(pg_url, twice)
    assert first == list(reversed(again))
    assert [key(a) for a in first if isinstance(a, str)] == ["SUCCESS"] * 5 + ["gift_amount_exceeded"]
    # and the per-request path replays them the same
    alone = run(pg_url, lambda b: settle(b, [b.authoriser(token, r, now()) for r in reqs]))
    assert alone == first


@pytest.mark.parametrize("lost", [1, authorise_batch.ATTEMPTS], ids=["retried", "alone"])
def test_a_batch_whose_card_changed_under_it_runs_again(pg: Engine, pg_url: str, lost: int,
                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    """Another connection writes the card between the batch's read and its write: the write writes nothing,
    the batch is read and decided again; after ``ATTEMPTS`` lost rounds its requests go one by one."""
    token = token_for(pg)
    card_id, code = sold(pg, pg_url, token)
    _, calm = sold(pg, pg_url, token)
    decisions = Counter[str]()

    def decide_and_lose(*args: Any, **kwargs: Any) -> Any:
        decisions["all"] += 1
        if decisions["all"] in {4 * n for n in range(1, lost + 1)}:  # the last decision of each of `lost` rounds
            touch(pg, card_id)
        return decide(*args, **kwargs)

    monkeypatch.setattr(authorise_batch, "decide", decide_and_lose)
    before = counts(pg)

    async def batch(batcher: Batcher) -> tuple[list[str | BaseException], int, int]:
        answers = await settle(batcher, [batcher(token, request("redeem", c, 1000), now())
                                         for c in (code, calm, code, code)])
        return answers, batcher.retried, batcher.alone

    answers, retried, alone = run(pg_url, batch)
    assert [key(a) for a in answers if isinstance(a, str)] == ["SUCCESS"] * 4
    balances = sorted(int(a.split('"balance":')[1].split(",")[0]) for a in answers if isinstance(a, str))
    assert balances == [2000, 3000, 4000, 4000]
    assert (retried, alone) == (lost, 4 if lost == authorise_batch.ATTEMPTS else 0)
    assert counts(pg) == (before[0] + 4, before[1] + 8, before[2] + 8)  # written once
    log_in_commit_order(pg)
    totals_add_up(pg)


def test_a_refund_goes_alone_and_a_batch_of_nothing_to_write_writes_nothing(pg: Engine, pg_url: str) -> None:
    token = token_for(pg)
    _, code = sold(pg, pg_url, token)
    taken = run(pg_url, lambda b: b(token, request("redeem", code, 1200), now()))
    redemption = taken.split('"entry":{"id":"')[1].split('"')[0]
    before = counts(pg)

    async def batch(batcher: Batcher) -> list[str | BaseException]:
        return await settle(batcher, [
            batcher(token, request("refund", code, None, refund_of=uuid.UUID(redemption)), now()),
            batcher(token, request("redeem", "GC-NONE", 5), now()),
        ])

    refund, unknown = run(pg_url, batch)
    assert isinstance(refund, str) and key(refund) == "SUCCESS" and '"balance":5000' in refund
    assert isinstance(unknown, str) and key(unknown) == "not_found"
    assert counts(pg) == (before[0] + 1, before[1] + 2, before[2] + 2)
    log_in_commit_order(pg)


def test_a_batch_waiting_on_a_concurrent_change_writes_nothing_and_runs_again(
        pg: Engine, pg_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """The other write is still running when the batch writes: the batch waits for the card's row lock, finds a
    new version (PostgreSQL re-checks the condition on the row as committed), writes nothing and runs again."""
    token = token_for(pg)
    card_id, code = sold(pg, pg_url, token)
    decisions = Counter[str]()
    holder = pg.connect()

    def decide_while_another_writes(*args: Any, **kwargs: Any) -> Any:
        decisions["all"] += 1
        if decisions["all"] == 1:
            holder.begin()
            holder.execute(text("UPDATE cards SET version = version WHERE id = :id"), {"id": card_id})
            threading.Timer(0.3, holder.commit).start()  # while the batch's write waits on the row lock
        return decide(*args, **kwargs)

    monkeypatch.setattr(authorise_batch, "decide", decide_while_another_writes)
    before = counts(pg)
    try:
        answer, retried = run(pg_url, lambda b: _with_retried(b, b(token, request("redeem", code, 100), now())))
    finally:
        holder.close()
    assert key(answer) == "SUCCESS" and '"balance":4900' in answer
    assert (retried, decisions["all"]) == (1, 2)
    assert counts(pg) == (before[0] + 1, before[1] + 2, before[2] + 2)
    log_in_commit_order(pg)


async def _with_retried(batcher: Batcher, call: Awaitable[str]) -> tuple[str, int]:
    return await call, batcher.retried


def _held(monkeypatch: pytest.MonkeyPatch, codes: set[str]) -> asyncio.Event:
    """Batches with a request on one of ``codes`` wait for the returned event before they read or write."""
    gate = asyncio.Event()
    real_round = authorise_batch._round

    async def held_round(conn: Any, batch: list[Any], known: Any) -> Any:
        if any(p.req.code in codes for p in batch):
            await gate.wait()
        return await real_round(conn, batch, known)

    monkeypatch.setattr(authorise_batch, "_round", held_round)
    return gate


def test_a_second_lane_writes_other_cards_while_a_batch_is_in_flight_and_a_card_keeps_its_order(
        pg: Engine, pg_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    token = token_for(pg)
    _, held_code = sold(pg, pg_url, token)
    _, free_code = sold(pg, pg_url, token)

    async def work(batcher: Batcher) -> tuple[str, str, str, list[int]]:
        gate = _held(monkeypatch, {held_code})
        first = asyncio.ensure_future(batcher(token, request("redeem", held_code, 100), now()))
        await asyncio.sleep(0.05)  # its batch is in flight, held
        second = asyncio.ensure_future(batcher(token, request("redeem", held_code, 200), now()))
        await asyncio.sleep(0.05)
        free = await asyncio.wait_for(batcher(token, request("redeem", free_code, 300), now()), 10)
        assert not first.done() and not second.done()
        assert [p.req.code for p in batcher.queue] == [held_code]  # behind the batch on its card
        gate.set()
        return await first, await second, free, sorted(batcher.sizes.elements())

    first, second, free, sizes = run(pg_url, work)
    assert '"balance":4900' in first and '"balance":4700' in second and '"balance":4700' in free
    assert sizes == [1, 1, 1]
    log_in_commit_order(pg)
    totals_add_up(pg)


def test_requests_wait_while_every_lane_is_busy(pg: Engine, pg_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    token = token_for(pg)
    codes = [sold(pg, pg_url, token)[1] for _ in range(3)]

    async def work(batcher: Batcher) -> list[str | BaseException]:
        gate = _held(monkeypatch, set(codes[:2]))
        calls: list[Awaitable[str]] = []
        for code in codes:  # one batch each: the first two hold both lanes
            calls.append(asyncio.ensure_future(batcher(token, request("redeem", code, 100), now())))
            await asyncio.sleep(0.05)
        assert len(batcher.tasks) == authorise_batch.LANES == 2
        assert [p.req.code for p in batcher.queue] == [codes[2]]
        gate.set()
        return await settle(batcher, calls)

    answers = run(pg_url, work)
    assert all(isinstance(a, str) and key(a) == "SUCCESS" for a in answers), answers
    log_in_commit_order(pg)
