"""Applying pull pages to a real SQLite store: idempotent, one transaction per page, and a card this till spent
on offline keeps that spending subtracted until the server has it."""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from dataclasses import replace
from datetime import timedelta
from typing import Any

import pytest
from pydantic import ValidationError

from pos_app.domain import errors
from pos_app.domain.ledger import EntryStatus
from pos_app.domain.money import Money
from pos_app.domain.people import Role, hash_pin
from pos_app.services import enrolment
from pos_app.services.enrolled import cache_server_cards
from pos_app.store import Store
from pos_app.store.uow import SqlUnitOfWork
from pos_app.sync.apply import apply_page
from pos_app.sync.convert import card_from_wire, entry_from_wire, entry_to_wire
from pos_app.sync.schemas import PullResponse, StoreInfo, WireCard, WireEntry, WireLimits, WireUser
from tests.integration.conftest import T0, ctx

NOW = T0 + timedelta(hours=1)
PIN_HASH = hash_pin("4321", n=2**4)


def wire_card(card_id: str, code: str, *, balance: int, loaded: int = 5000, version: int = 1,
              **fields: Any) -> WireCard:
    """A card as the server sends it; ``version`` grows with every change there."""
    return WireCard(id=card_id, code=code, currency="EUR", status="active", loaded=loaded, balance=balance,
                    redeemed=loaded - balance, refunded=0, campaign_id="camp_ho", created_at=T0, version=version,
                    **fields)


def other_till_redemption(card_id: str, code: str, *, amount: int, balance_after: int, seq: int) -> WireEntry:
    return WireEntry(id=f"00000000-0000-4000-8000-{seq:012d}", card_id=card_id, code=code,
                     kind="CREDITS_REDEMPTION", amount=-amount, currency="EUR", balance_after=balance_after,
                     created_at=T0, device_id="till-2", device_seq=seq, status="confirmed", server_seq=100 + seq)


def page(*, cards: Sequence[WireCard] = (), entries: Sequence[WireEntry] = (), users: Sequence[WireUser] = (),
         next_cursor: int = 10, **limits: Any) -> PullResponse:
    return PullResponse(cards=list(cards), entries=list(entries), users=list(users), limits=WireLimits(**limits),
                        store=StoreInfo(name="HQ Shop", currency="EUR", locale="de_DE"), next_cursor=next_cursor,
                        has_more=False, server_time=NOW)


def dump(store: Store) -> dict[str, list[tuple[Any, ...]]]:
    """Every table's rows, for comparing whole states."""
    with sqlite3.connect(store.path) as db:
        tables = [r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
        return {t: sorted(db.execute(f"SELECT * FROM {t}").fetchall(), key=repr) for t in tables}


@pytest.fixture
def a_page() -> PullResponse:
    ann = WireUser(id="u_ann", name="Ann", role="manager", pin_hash=PIN_HASH)
    return page(
        cards=[wire_card("v_1", "GC-ONE", balance=3000), wire_card("v_2", "GC-TWO", balance=5000)],
        entries=[other_till_redemption("v_1", "GC-ONE", amount=2000, balance_after=3000, seq=1)],
        users=[ann], per_redemption=2500, max_offline_seconds=3600,
    )


def test_applying_the_same_page_twice_leaves_the_same_state(store: Store, uow: SqlUnitOfWork,
                                                            a_page: PullResponse) -> None:
    assert apply_page(uow, a_page, now=NOW)
    once = dump(store)
    assert apply_page(uow, a_page, now=NOW)
    assert dump(store) == once
    with uow:
        card = uow.cards.get("v_1")
        assert card is not None and (card.balance, card.redeemed, card.campaign_id) == (3000, 2000, "camp_ho")
        assert uow.cards.synced_at("v_1") == NOW
        assert [e.device_id for e in uow.entries.for_card("v_1")] == ["till-2"]
        assert uow.entries.outbox_count() == 0
        user = uow.users.get_by_name("Ann")
        assert user is not None and user.role is Role.MANAGER and user.pin_hash == PIN_HASH
        limits = enrolment.offline_limits(uow.settings)
        assert (limits.per_redemption, limits.max_offline) == (2500, timedelta(hours=1))
        assert (uow.settings.get("store_name"), uow.settings.get("locale")) == ("HQ Shop", "de_DE")
        assert uow.settings.get(enrolment.CURSOR) == 10
        assert enrolment.online_last(uow.settings) == NOW


def test_a_card_with_unsynced_offline_spending_keeps_it_subtracted(store: Store, uow: SqlUnitOfWork,
                                                                   a_page: PullResponse) -> None:
    apply_page(uow, a_page, now=NOW)
    with uow:  # offline, this till takes 5.00 off card one
        card = uow.cards.get("v_1")
        assert card is not None
        mine = uow.entries.add(replace(card.redeem(Money(500, "EUR"), ctx(NOW)), status=EntryStatus.PROVISIONAL))
        uow.cards.save(card)
        uow.commit()
    # Meanwhile another till spent 10.00 on it: the server says 20.00, not knowing this till's 5.00.
    news = page(cards=[wire_card("v_1", "GC-ONE", balance=2000, version=2)],
                entries=[other_till_redemption("v_1", "GC-ONE", amount=1000, balance_after=2000, seq=2)],
                next_cursor=20)
    for _ in range(2):  # and idempotently so
        apply_page(uow, news, now=NOW)
        with uow:
            card = uow.cards.get("v_1")
            assert card is not None and (card.balance, card.redeemed, card.loaded) == (1500, 3500, 5000)
            assert card.invariant_holds()
    # The server has the 5.00 now (it comes back in a pull as confirmed): nothing is subtracted twice.
    confirmed = entry_to_wire(mine).model_copy(update={"status": "confirmed", "server_seq": 300, "balance_after": 1500})
    apply_page(uow, page(cards=[wire_card("v_1", "GC-ONE", balance=1500, version=3)], entries=[confirmed],
                         next_cursor=30),
               now=NOW)
    with uow:
        card = uow.cards.get("v_1")
        assert card is not None and card.balance == 1500
        assert uow.entries.outbox_count() == 0
        stored = uow.entries.get(mine.id)
        assert stored is not None and (stored.status, stored.server_seq) == (EntryStatus.CONFIRMED, 300)


def test_a_page_fetched_from_a_cursor_that_has_moved_on_is_dropped(store: Store, uow: SqlUnitOfWork,
                                                                   a_page: PullResponse) -> None:
    apply_page(uow, a_page, now=NOW)
    before = dump(store)
    stale = page(cards=[wire_card("v_1", "GC-ONE", balance=4999, version=9)], next_cursor=5)
    assert apply_page(uow, stale, now=NOW, expect_cursor=0) is False
    assert dump(store) == before


def test_an_entry_whose_card_comes_later_gets_a_placeholder_that_cannot_be_spent(uow: SqlUnitOfWork) -> None:
    early = page(entries=[other_till_redemption("v_9", "GC-NINE", amount=100, balance_after=900, seq=3)])
    apply_page(uow, early, now=NOW)
    with uow:
        card = uow.cards.get("v_9")
        assert card is not None and (card.status.value, card.balance) == ("inactive", 0)
        assert uow.cards.synced_at("v_9") is None
    apply_page(uow, page(cards=[wire_card("v_9", "GC-NINE", balance=900, loaded=1000)], next_cursor=11), now=NOW)
    with uow:
        card = uow.cards.get("v_9")
        assert card is not None and (card.status.value, card.balance) == ("active", 900)


def test_a_page_is_one_transaction(store: Store, uow: SqlUnitOfWork, a_page: PullResponse) -> None:
    broken = page(cards=[wire_card("v_1", "GC-ONE", balance=3000)],
                  entries=[other_till_redemption("v_1", "GC-ONE", amount=1, balance_after=1, seq=1),
                           other_till_redemption("v_1", "GC-ONE", amount=1, balance_after=1, seq=1).model_copy(
                               update={"id": "00000000-0000-4000-8000-999999999999"})])  # the same device number
    before = dump(store)
    with pytest.raises(errors.DuplicateFound):
        apply_page(uow, broken, now=NOW)
    assert dump(store) == before



def test_a_page_fetched_before_an_online_redemption_does_not_put_back_the_older_state(
        store: Store, uow: SqlUnitOfWork) -> None:
    apply_page(uow, page(cards=[wire_card("v_1", "GC-ONE", balance=5000, version=1)], next_cursor=10), now=NOW)
    fetched = page(cards=[wire_card("v_1", "GC-ONE", balance=4000, version=2)], next_cursor=20)  # … a moment ago
    # Online, the server takes 10.00 off (version 3) and the till records what it answered, as ``enrolled`` does.
    confirmed = other_till_redemption("v_1", "GC-ONE", amount=1000, balance_after=3000, seq=7).model_copy(
        update={"device_id": "till-1"})
    with uow:
        cache_server_cards(uow, [card_from_wire(wire_card("v_1", "GC-ONE", balance=3000, version=3))], synced_at=NOW)
        uow.entries.merge([entry_from_wire(confirmed)])
        uow.commit()
    assert apply_page(uow, fetched, now=NOW + timedelta(seconds=1), expect_cursor=10)
    with uow:
        card = uow.cards.get("v_1")
        assert card is not None and (card.balance, card.version) == (3000, 3)
        assert uow.cards.synced_at("v_1") == NOW  # the older state is no news either
        assert uow.settings.get(enrolment.CURSOR) == 20  # the rest of the page is applied
    later_ = NOW + timedelta(minutes=5)
    apply_page(uow, page(cards=[wire_card("v_1", "GC-ONE", balance=3000, version=3)], next_cursor=30), now=later_)
    with uow:  # the same state again: still the server's, as of now
        assert uow.cards.synced_at("v_1") == later_
    apply_page(uow, page(cards=[wire_card("v_1", "GC-ONE", balance=2500, version=4)], next_cursor=40), now=later_)
    with uow:
        card = uow.cards.get("v_1")
        assert card is not None and card.balance == 2500


def test_the_shops_time_zone_comes_with_the_pull_and_an_older_servers_silence_keeps_the_tills(
        store: Store, uow: SqlUnitOfWork) -> None:
    zoned = page().model_copy(update={"store": StoreInfo(name="HQ Shop", currency="EUR", locale="de_DE",
                                                         time_zone="America/New_York")})
    apply_page(uow, zoned, now=NOW)
    with uow:
        assert uow.settings.get("time_zone") == "America/New_York"
    apply_page(uow, page(next_cursor=11), now=NOW)  # a server from before the zone was sent names none
    with uow:
        assert uow.settings.get("time_zone") == "America/New_York"


def test_a_store_info_naming_what_is_no_time_zone_is_refused_at_the_edge() -> None:
    with pytest.raises(ValidationError):
        StoreInfo(name="HQ Shop", currency="EUR", time_zone="Mars/Olympus_Mons")
