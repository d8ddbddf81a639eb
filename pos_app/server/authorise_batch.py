"""Online authorisation on PostgreSQL in batches: group commit in the application.

Why: one authorisation alone costs the server two round trips (~200 us of its CPU each) and the database one
commit, and every commit holds the change-log counter's row lock until its WAL is flushed, so commits are
serialised (~2,000 a second on the benchmark's machine, whatever the server does). A batch pays both once.

How: one :class:`Batcher` per server process, with :data:`LANES` batches in flight at most, each an asyncio
task on a connection of its own. A batch is whatever queued up while the lanes were busy (no waiting for more;
at most :data:`BATCH`), but never a request on a card that a batch in flight is deciding on, nor one behind it
on the same card: that waits for the next batch, so each card's requests are decided in their order and two
batches in flight never invalidate each other's row versions. A request waits for at most the batches ahead
of it. Why two lanes: while one batch's write is in the database, the next is decided and sent, and the
database's commits of the two overlap; measured on the benchmark, the database's CPU per authorisation fell by
a third and, with 32 tills, authorisations rose by about a seventh (16 tills: no change; three lanes split
the batches too small and were slower). For a batch:

1. one read (``authorise_io.READ_MANY``): for every request, the device behind its token, an earlier entry with
   its id, its card and the card's row version (``xmin``); the stored entries of replays in one more read;
2. every request decided in arrival order by ``authorise.decide`` (the rules' one place), the same checks as
   one alone (``authorise.start``: token, revocation, replay or 409); requests on one card share one
   in-memory card, so each sees it as the decision before left it;
3. one autocommit statement (``authorise_io.WRITE_MANY``) writes it all, the counter taken once, but only if
   every card decided on is still at the version read; else it writes nothing at all, and the requests that
   had something to write are read and decided again (those answered from the read alone are answered).

A batch whose tills and cards the process knows from its own earlier batches (``authorise_known``: each card as
its last write here left it, with its row version) skips step 1: it is decided from that and goes to step 3,
whose statement then also checks the batch's tills (enrolled, not revoked). When that write writes nothing (a
card written by anyone else since, a till revoked) or fails on an ``entry_id`` stored already (a replay), the
batch's cards are forgotten (not for a replay) and it takes steps 1 to 3 in the same round. Measured on the
benchmark (16 tills, 200 cards, PostgreSQL): the database's CPU per authorisation 250-320 -> 105-155 us, the
server's 310-400 -> 205-295 us, the same machine, shared, runs interleaved.

Each answer is built as one request alone builds it (``authorise.answer``): the change-log lines are numbered
as consecutive requests would have numbered them (the card's line, then the entry's), so a replay answers byte
for byte what the batch answered. What a batch does not do goes to the per-request path (``authorise_async``,
one request at a time, optimistic then under the card's lock): a second request with an ``entry_id`` already
in the same batch (it then replays or is refused, as it would have been), a refund (it reads the redemption it
rolls back, which an earlier request of the batch could be writing), and every request of a batch that lost
:data:`ATTEMPTS` races or was aborted by the database that often (a unique violation: an ``entry_id`` a
concurrent request committed first, whose answer the per-request path then replays).
"""

from __future__ import annotations

import asyncio
import time
from collections import Counter
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import asyncpg
import orjson

from pos_app.domain import errors
from pos_app.domain.cards import GiftCard
from pos_app.server.auth import sha256
from pos_app.server.authorise import Decision, answer, decide, replace_entry, start, unknown_card
from pos_app.server.authorise_async import RETRY, Authoriser
from pos_app.server.authorise_io import ENTRIES_BY_ID, READ_MANY, WRITE_MANY, First
from pos_app.server.authorise_known import Known, Plan
from pos_app.server.ledger import CARD, ENTRY
from pos_app.server.rows import card_from_row, card_to_row, entry_from_row
from pos_app.sync.schemas import AuthoriseRequest

#: Requests in one batch at most.
BATCH = 64
#: Rounds (read, decide, write) a batch gets before its requests go one by one.
ATTEMPTS = 3
#: Batches in flight at once, on cards apart.
LANES = 2


class Alone:
    """The outcome that sends a request down the per-request path."""


ALONE = Alone()
Outcome = str | errors.GiftCardError | Alone


@dataclass(slots=True)
class Pending:
    token: str
    token_hash: str
    req: AuthoriseRequest
    at: datetime
    future: asyncio.Future[Outcome]


class Batcher:
    """``authorise.authorise`` for PostgreSQL's server: requests decided and written in batches (see the module).

    ``sizes`` counts the batches by size; ``retried`` the rounds that found a card changed (or were aborted),
    ``alone`` the requests sent one by one after :data:`ATTEMPTS` rounds."""

    def __init__(self, authoriser: Authoriser, size: int = BATCH, lanes: int = LANES) -> None:
        self.authoriser = authoriser
        self.size = size
        self.lanes = lanes
        self.queue: list[Pending] = []
        self.busy: set[str] = set()  # the codes of the batches in flight
        self.tasks: set[asyncio.Task[None]] = set()
        self._kick_due = False
        self.sizes = Counter[int]()
        self.retried = 0
        self.alone = 0
        self.known = Known()

    async def close(self) -> None:
        for task in list(self.tasks):
            task.cancel()
        for p in self.queue:
            p.future.cancel()
        self.queue.clear()
        await self.authoriser.close()

    async def __call__(self, token: str, req: AuthoriseRequest, at: datetime) -> str:
        """The answer as JSON (refusals of the request itself raise, as they do for one alone)."""
        if req.op == "refund":
            return await self.authoriser(token, req, at)
        future: asyncio.Future[Outcome] = asyncio.get_running_loop().create_future()
        self.queue.append(Pending(token, sha256(token), req, at, future))
        self._kick_soon()
        outcome = await future
        if isinstance(outcome, Alone):
            return await self.authoriser(token, req, at)
        if isinstance(outcome, errors.GiftCardError):
            raise outcome
        return outcome

    def _kick_soon(self) -> None:
        """:meth:`_kick` once the requests arriving now have queued too (once, however many ask)."""
        if self.queue and not self._kick_due:
            self._kick_due = True
            asyncio.get_running_loop().call_soon(self._kick)

    def _kick(self) -> None:
        """Start a batch in every free lane that has requests to take."""
        self._kick_due = False
        while len(self.tasks) < self.lanes and self.queue:
            batch = self._take()
            if not batch:
                return
            self.sizes[len(batch)] += 1
            task = asyncio.get_running_loop().create_task(self._run(batch))
            self.tasks.add(task)

    def _take(self) -> list[Pending]:
        """The next batch: the queue's requests in order, but none on a card of a batch in flight, nor after
        one held back for that (each card's requests keep their order), :attr:`size` at most."""
        batch: list[Pending] = []
        rest: list[Pending] = []
        held: set[str] = set()
        for p in self.queue:
            code = p.req.code
            if len(batch) < self.size and code not in self.busy and code not in held:
                batch.append(p)
            else:
                rest.append(p)
                held.add(code)
        self.queue = rest
        self.busy.update(p.req.code for p in batch)
        return batch

    async def _run(self, batch: list[Pending]) -> None:
        try:
            await self._batch(batch)
        except Exception as exc:  # a lost connection: each request fails as it would alone
            for p in batch:
                if not p.future.done():
                    p.future.set_exception(exc)
        except BaseException:
            for p in batch:
                p.future.cancel()
            raise
        finally:
            self.busy.difference_update(p.req.code for p in batch)
            self.tasks.discard(asyncio.current_task())
            self._kick_soon()

    async def _batch(self, batch: list[Pending]) -> None:
        todo = batch
        for _ in range(ATTEMPTS):
            try:
                async with self.authoriser.connections.connection() as conn:
                    todo = await _round(conn, todo, self.known)
            except RETRY:
                pass  # aborted, nothing written: the same requests again
            if not todo:
                return
            self.retried += 1
        self.alone += len(todo)
        _settle([(p, ALONE) for p in todo])


def _settle(outcomes: list[tuple[Pending, Outcome]]) -> None:
    for p, outcome in outcomes:
        if not p.future.done():  # (the request may have been cancelled)
            p.future.set_result(outcome)


async def _round(conn: asyncpg.Connection, batch: list[Pending], known: Known) -> list[Pending]:
    """Decide and write ``batch``, from what the process knows when it can (:func:`_from_known`), else read it
    first (:func:`_read_and_decide`); answers what it can and returns the requests to run again (none, or every
    request that had something to write, when a card changed since the read)."""
    plan = known.plan([(p.token_hash, p.req) for p in batch]) if known.usable(time.monotonic()) else None
    if plan is not None and await _from_known(conn, batch, plan, known):
        return []
    return await _read_and_decide(conn, batch, known)


async def _from_known(conn: asyncpg.Connection, batch: list[Pending], plan: Plan, known: Known) -> bool:
    """Decide ``batch`` on copies of the cards it knows and write it, the batch's tills checked by the write
    (see :mod:`pos_app.server.authorise_known`): whether it was answered. When not, nothing was written: a card
    or a till changed (forgotten, then), or an entry id is stored already (a replay: the read finds it)."""
    writes = [(p, decide(card, p.req, device_id, p.at))
              for p, device_id, card in zip(batch, plan.devices, plan.cards, strict=True)]
    args, offsets, changed = _arguments(writes, plan.versions, plan.tokens)
    try:
        row = await conn.fetchrow(WRITE_MANY, *args)
    except asyncpg.UniqueViolationError:
        return False
    if row is None:
        known.wasted(time.monotonic())
        known.forget_cards(p.req.code for p in batch)
        return False
    known.wrote(time.monotonic())
    _settle([(p, answer(replace_entry(done.entry, server_seq=row["base"] + offset), done.rest))
              for (p, done), offset in zip(writes, offsets, strict=True)])
    known.learn_cards(_versions(plan.versions, changed, row["xmin"]))
    return True


async def _read_and_decide(conn: asyncpg.Connection, batch: list[Pending], known: Known) -> list[Pending]:
    """The batch's read, its decisions and its write (see the module)."""
    rows = await conn.fetch(READ_MANY, [p.token_hash for p in batch], [str(p.req.entry_id) for p in batch],
                            [p.req.code for p in batch])
    outcomes: list[tuple[Pending, Outcome]] = []
    replays: list[tuple[Pending, str]] = []
    writes: list[tuple[Pending, Decision]] = []
    cards: dict[str, tuple[GiftCard, int]] = {}
    seen: set[str] = set()
    for p, row in zip(batch, rows, strict=True):
        entry_id = str(p.req.entry_id)
        if entry_id in seen:
            outcomes.append((p, ALONE))
            continue
        seen.add(entry_id)
        first = None if row["device_id"] is None else First(row["device_id"], row["revoked_at"],
                                                             row["replay_code"], row["answer"])
        if first is None or first.revoked_at is not None:
            known.forget_device(p.token_hash)
        else:
            known.learn_device(p.token_hash, first.id)
        try:
            device_id, replayed = start(first, p.req)
        except errors.GiftCardError as exc:
            outcomes.append((p, exc))
            continue
        if replayed is not None:
            replays.append((p, replayed))
        elif row["id"] is None:
            outcomes.append((p, unknown_card()))
        else:
            card = cards.get(row["id"])
            if card is None:
                card = cards[row["id"]] = (card_from_row(row), row["xmin"])
            writes.append((p, decide(card[0], p.req, device_id, p.at)))
    if replays:
        stored = {r["id"]: r for r in await conn.fetch(ENTRIES_BY_ID, [str(p.req.entry_id) for p, _ in replays])}
        outcomes.extend((p, answer(entry_from_row(stored[str(p.req.entry_id)]), rest)) for p, rest in replays)
    if writes:
        args, offsets, changed = _arguments(writes, cards, {})
        row = await conn.fetchrow(WRITE_MANY, *args)
        if row is None:  # a card changed since the read: nothing was written
            _settle(outcomes)
            return [p for p, _ in writes]
        outcomes.extend((p, answer(replace_entry(done.entry, server_seq=row["base"] + offset), done.rest))
                        for (p, done), offset in zip(writes, offsets, strict=True))
        known.learn_cards(_versions(cards, changed, row["xmin"]))
    _settle(outcomes)
    return []


def _versions(cards: dict[str, tuple[GiftCard, int]], changed: set[str],
              written: int | None) -> list[tuple[GiftCard, int]]:
    """The cards a batch wrote, each with its row version now: the write's for those it changed, the one
    decided on for those it only locked (refusals)."""
    return [(card, written if card_id in changed and written is not None else version)
            for card_id, (card, version) in cards.items()]


def _arguments(writes: list[tuple[Pending, Decision]], cards: dict[str, tuple[GiftCard, int]],
               tokens: dict[str, str]) -> tuple[list[Any], list[int], set[str]]:
    """``WRITE_MANY``'s parameters (``tokens``: the tills to check, token hash to device id), each entry's
    offset from the counter's value before the batch, and the ids of the cards it changes. The lines are
    numbered as one request after the other would number them: a success's card line, then its entry's."""
    decided: dict[str, int] = {}
    changed: dict[str, GiftCard] = {}
    offsets: list[int] = []
    rows: list[dict[str, Any]] = []
    answers: list[str] = []
    lines: list[dict[str, Any]] = []
    for _, done in writes:
        card_id = done.entry.card_id
        decided[card_id] = cards[card_id][1]
        if done.changed is not None:
            changed[card_id] = done.changed
            lines.append({"off": len(lines) + 1, "kind": CARD, "ref": card_id})
        lines.append({"off": len(lines) + 1, "kind": ENTRY, "ref": done.row["id"]})
        offsets.append(len(lines))
        row = {**done.row, "server_seq": len(lines)}
        answers.append(row.pop("answer"))
        rows.append(row)
    states = [card_to_row(card) for card in changed.values()]
    return [list(decided), [f"{card_id}@{xmin}" for card_id, xmin in decided.items()], len(lines),
            _json(states), _json(rows), _json(lines), answers,
            list(tokens), [f"{device_id}@{token_hash}" for token_hash, device_id in tokens.items()]], \
        offsets, set(changed)


def _json(values: list[dict[str, Any]]) -> str:
    """The rows as one JSON document for PostgreSQL (datetimes as ISO 8601, to the microsecond, with their
    offset). orjson, not the standard library: ~1 us a row, not ~10 (measured; the standard library's
    ``default`` hook calls back into Python for every datetime), a tenth of an authorisation's CPU."""
    return orjson.dumps(values).decode()
