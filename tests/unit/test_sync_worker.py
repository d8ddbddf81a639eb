"""The background sync: push in batches, pull until done, back off while the server does not answer, a state
snapshot any thread may read, and a thread that stops when told."""

from __future__ import annotations

import threading
import time
import uuid
from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, datetime
from typing import Any

import pytest

from pos_app.domain import errors
from pos_app.domain.cards import GiftCard
from pos_app.domain.ledger import Entry, EntryKind, EntryStatus
from pos_app.services.enrolment import CURSOR, LAST_ERROR, LAST_SYNC
from pos_app.services.online import ServerUnavailable
from pos_app.sync.apply import apply_page
from pos_app.sync.client import Health
from pos_app.sync.convert import entry_from_wire, entry_to_wire
from pos_app.sync.schemas import (
    MAX_PULL,
    AuthoriseRequest,
    AuthoriseResponse,
    PullResponse,
    PushResponse,
    PushResult,
    StoreInfo,
    WireCard,
    WireEntry,
    WireLimits,
)
from pos_app.sync.units import Units
from pos_app.sync.worker import SyncState, SyncWorker
from tests.unit.conftest import Enrolled

T0 = datetime(2025, 6, 4, 10, 0, tzinfo=UTC)


class FakeApi:
    """The server's sync API in memory: it stores what is pushed, and serves pages of changes."""

    def __init__(self, enrolled: Enrolled) -> None:
        self.enrolled = enrolled
        self.offline = False
        self.failure: Exception | None = None
        self.pushes: list[int] = []
        self.stored: dict[str, WireEntry] = {}
        self.reject: set[str] = set()
        self.pages: list[PullResponse] = []
        self.pulled_from: list[int] = []
        self.told: list[tuple[str, int | None]] = []  # what the till said it held unsynced, request by request
        self.closed = False

    def _answer(self) -> None:
        assert not self.enrolled.uow.is_open, "the till must not hold its store while it waits for the server"
        if self.offline:
            raise ServerUnavailable("connection refused")
        if self.failure is not None:
            raise self.failure

    def health(self) -> Health:
        self._answer()
        return Health(status="ok")

    def authorise(self, request: AuthoriseRequest) -> AuthoriseResponse:  # pragma: no cover - not used here
        raise AssertionError("the worker never authorises")

    def push(self, entries: list[WireEntry], *, unsynced: int | None = None) -> PushResponse:
        self._answer()
        self.pushes.append(len(entries))
        self.told.append(("push", unsynced))
        results = []
        for e in entries:
            if e.card_id in self.reject:
                results.append(PushResult(id=e.id, outcome="rejected", error={
                    "code": 404, "key": "not_found", "message": "not found", "details": "no such card"}))
                continue
            self.stored.setdefault(str(e.id), e)
            results.append(PushResult(id=e.id, outcome="stored", status="confirmed",
                                      server_seq=1000 + list(self.stored).index(str(e.id))))
        return PushResponse(results=results, server_time=T0)

    def pull(self, cursor: int, limit: int = MAX_PULL, *, unsynced: int | None = None) -> PullResponse:
        self._answer()
        self.pulled_from.append(cursor)
        self.told.append(("pull", unsynced))
        for page in self.pages:
            if page.next_cursor > cursor:
                return page
        return page_of(next_cursor=cursor)

    def close(self) -> None:
        self.closed = True


def page_of(*, next_cursor: int, has_more: bool = False, cards: list[WireCard] | None = None,
            entries: list[WireEntry] | None = None, **limits: Any) -> PullResponse:
    return PullResponse(cards=cards or [], entries=entries or [], users=[], limits=WireLimits(**limits),
                        store=StoreInfo(name="Head Office Shop", currency="EUR"), next_cursor=next_cursor,
                        has_more=has_more, server_time=T0)


@pytest.fixture
def api(enrolled: Enrolled) -> FakeApi:
    return FakeApi(enrolled)


def worker(enrolled: Enrolled, api: FakeApi, **options: Any) -> SyncWorker:
    units = Units(write=lambda: enrolled.uow, read=lambda: enrolled.uow)
    return SyncWorker(api, units, clock=enrolled.store.clock, **options)


def offline_sales(enrolled: Enrolled, n: int, card: GiftCard | None = None) -> list[Entry]:
    card = card or enrolled.card(10_000_000)
    enrolled.server.offline = True
    return [enrolled.redeem(enrolled.store.cashier, card.code, 1) for _ in range(n)]


# ---- one cycle ---------------------------------------------------------------------------------------------------

def test_a_cycle_pushes_the_outbox_in_batches_of_at_most_500_in_order(enrolled: Enrolled, api: FakeApi) -> None:
    card = enrolled.card(10_000_000)
    sale = offline_sales(enrolled, 1, card)[0]
    with enrolled.uow as uow:  # 1200 offline sales, written straight into the store (through the use case: slow)
        made = [sale] + [uow.entries.add(replace(sale, id=uuid.uuid4(), device_seq=0)) for _ in range(1199)]
        uow.commit()
    state = worker(enrolled, api).run_once()
    assert api.pushes == [500, 500, 200]
    assert list(api.stored) == [str(e.id) for e in sorted(made, key=lambda e: e.device_seq)]
    assert enrolled.outbox() == []
    assert (state.mode, state.unsynced, state.last_error) == ("online", 0, None)
    assert {e.status for e in enrolled.uow.state.entries.values() if e.kind is EntryKind.CREDITS_REDEMPTION} == {
        EntryStatus.CONFIRMED}


def test_a_cycle_tells_the_server_what_the_till_still_holds(enrolled: Enrolled, api: FakeApi) -> None:
    offline_sales(enrolled, 3)
    worker(enrolled, api, batch=2).run_once()
    assert api.told == [("push", 3), ("push", 1), ("pull", 0)]


def test_a_cycle_pulls_until_the_server_has_no_more(enrolled: Enrolled, api: FakeApi) -> None:
    card = WireCard(id="v_ho", code="GC-HEAD-OFFICE", currency="EUR", status="active", loaded=900, balance=900,
                    redeemed=0, refunded=0)
    api.pages = [page_of(next_cursor=10, has_more=True, cards=[card]),
                 page_of(next_cursor=20, has_more=True),
                 page_of(next_cursor=25, per_redemption=2500)]
    state = worker(enrolled, api).run_once()
    assert api.pulled_from == [0, 10, 20]
    with enrolled.uow as uow:
        assert uow.settings.get(CURSOR) == 25
        assert uow.settings.get("store_name") == "Head Office Shop"
        assert uow.settings.get("sync.limits")["per_redemption"] == 2500
        stored = uow.cards.get("v_ho")
        assert stored is not None and stored.balance == 900
        assert uow.cards.synced_at("v_ho") == enrolled.store.clock()
        assert uow.settings.get(LAST_SYNC) == enrolled.store.clock().isoformat()
    assert state.last_sync == enrolled.store.clock() and state.online_last == enrolled.store.clock()


def test_an_offline_cycle_says_so_and_keeps_the_outbox(enrolled: Enrolled, api: FakeApi) -> None:
    offline_sales(enrolled, 3)
    api.offline = True
    state = worker(enrolled, api).run_once()
    assert (state.mode, state.unsynced) == ("offline", 3)
    assert state.last_error == "connection refused"
    with enrolled.uow as uow:
        assert uow.settings.get(LAST_ERROR) == "connection refused"  # for `pos-app status`


def test_a_revoked_till_is_not_offline(enrolled: Enrolled, api: FakeApi) -> None:
    api.failure = errors.DeviceRevoked("removed by head office")
    state = worker(enrolled, api).run_once()
    assert state.mode == "revoked"
    assert state.last_error == "device_revoked: removed by head office"


def test_entries_the_server_refuses_are_set_aside_and_do_not_block_the_rest(enrolled: Enrolled, api: FakeApi
                                                                            ) -> None:
    ghost = enrolled.card(5000)
    refused = offline_sales(enrolled, 2, ghost)
    kept = offline_sales(enrolled, 2)
    api.reject.add(ghost.id)
    sync = worker(enrolled, api)
    state = sync.run_once()
    assert (state.unsynced, state.set_aside) == (2, 2)
    assert {e.id for e in enrolled.outbox()} == {e.id for e in refused}
    assert all(str(e.id) in api.stored for e in kept)
    assert enrolled.uow.state.set_aside[refused[0].id] == "not_found: no such card"
    api.reject.clear()  # the server knows the card now: the set-aside entries go on the next cycle
    assert sync.run_once().unsynced == 0


def test_the_network_is_never_awaited_inside_a_transaction(enrolled: Enrolled, api: FakeApi) -> None:
    offline_sales(enrolled, 2)
    api.pages = [page_of(next_cursor=3)]
    worker(enrolled, api).run_once()  # FakeApi asserts on every call
    assert api.pushes == [2] and api.pulled_from == [0]


# ---- backoff --------------------------------------------------------------------------------------------------

def test_while_offline_the_worker_backs_off_from_1_s_doubling_to_60_s(enrolled: Enrolled, api: FakeApi) -> None:
    sync = worker(enrolled, api, interval=15.0)
    api.offline = True
    assert [sync.step() for _ in range(9)] == [1, 2, 4, 8, 16, 32, 60, 60, 60]
    api.offline = False
    assert sync.step() == 15.0
    api.offline = True
    assert [sync.step() for _ in range(3)] == [1, 2, 4]  # a fresh start after the server answered


def test_a_refusing_server_is_not_hammered_either(enrolled: Enrolled, api: FakeApi) -> None:
    api.failure = errors.InvalidPayload("bad batch")
    sync = worker(enrolled, api)
    assert [sync.step() for _ in range(3)] == [1, 2, 4]
    assert sync.state.mode == "stuck" and sync.state.last_error == "invalid_payload: bad batch"  # and says so


# ---- the snapshot and the thread -------------------------------------------------------------------------------

def test_observers_get_each_new_state_and_a_broken_one_does_not_stop_the_sync(enrolled: Enrolled, api: FakeApi
                                                                             ) -> None:
    seen: list[SyncState] = []

    def broken(state: SyncState) -> None:
        raise RuntimeError("a GUI bug")

    sync = worker(enrolled, api)
    sync.observe(broken)
    sync.observe(seen.append)
    api.offline = True
    sync.run_once()  # the first cycle is news even when nothing changed
    sync.run_once()  # nothing changed: nobody is told again
    api.offline = False
    sync.run_once()
    assert [s.mode for s in seen] == ["offline", "online"]


def test_the_state_knows_the_unsynced_entries_before_any_sync(enrolled: Enrolled, api: FakeApi) -> None:
    offline_sales(enrolled, 4)
    assert worker(enrolled, api).state == SyncState(mode="offline", unsynced=4, online_last=enrolled.store.clock())


def test_the_thread_syncs_and_stops_cleanly(enrolled: Enrolled, api: FakeApi) -> None:
    offline_sales(enrolled, 3)
    synced = threading.Event()
    sync = worker(enrolled, api, interval=60.0)
    sync.observe(lambda state: synced.set() if state.mode == "online" and state.unsynced == 0 else None)
    sync.start()
    try:
        assert synced.wait(5), sync.state
    finally:
        assert sync.stop(timeout=5)
    assert sync.state.unsynced == 0
    sync.close()
    assert api.closed


def test_wake_syncs_at_once(enrolled: Enrolled, api: FakeApi) -> None:
    sync = worker(enrolled, api, interval=3600.0)
    sync.start()
    try:
        assert wait_until(lambda: len(api.pulled_from) == 1)  # the first cycle, at once
        sync.wake()
        assert wait_until(lambda: len(api.pulled_from) == 2)  # a second one, long before the hour
    finally:
        assert sync.stop(timeout=5)


def wait_until(condition: Callable[[], bool], timeout: float = 5.0) -> bool:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            return False
        time.sleep(0.01)
    return True


def test_a_pulled_entry_of_this_till_leaves_the_outbox(enrolled: Enrolled) -> None:
    """The push's answer was lost, but the server has the entry: the pull says so; nothing is counted twice."""
    card = enrolled.card(5000)
    (sale,) = offline_sales(enrolled, 1, card)
    stored = entry_to_wire(sale).model_copy(update={"status": "confirmed", "server_seq": 77})
    server_state = WireCard(id=card.id, code=card.code, currency="EUR", status="active", loaded=5000, balance=4999,
                            redeemed=1, refunded=0)
    assert apply_page(enrolled.uow, page_of(next_cursor=4, entries=[stored], cards=[server_state]),
                      now=enrolled.store.clock())
    assert enrolled.outbox() == []
    assert enrolled.uow.entries.get(sale.id) == entry_from_wire(stored)
    assert enrolled.till_card(card.code).balance == 4999
