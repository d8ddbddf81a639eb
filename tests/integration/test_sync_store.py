"""The store's side of sync on a real SQLite file: the outbox, entries merged from the server, acknowledgements,
unsynced offline spending, and cards and people as the server has them."""

from __future__ import annotations

import sqlite3
import uuid
from dataclasses import replace

import pytest

from pos_app.domain import errors
from pos_app.domain.cards import CardStatus
from pos_app.domain.ledger import Entry, EntryKind, EntryResult, EntryStatus
from pos_app.domain.money import Money
from pos_app.domain.people import Attempts, Role, User
from pos_app.services.cards import CardView
from pos_app.services.ports import Acknowledgement
from pos_app.store import Store
from pos_app.store.uow import SqlUnitOfWork
from pos_app.sync.schemas import till_fact_id
from tests.integration.conftest import T0, ctx, later, new_card


def offline_redeem(uow: SqlUnitOfWork, card_code: str, minor: int, *, status: EntryStatus = EntryStatus.PROVISIONAL
                   ) -> Entry:
    card = uow.cards.get_by_code(card_code)
    assert card is not None
    entry = uow.entries.add(replace(card.redeem(Money(minor, "EUR"), ctx(T0)), status=status))
    uow.cards.save(card)
    return entry


def outbox_ids(store: Store) -> list[str]:
    with sqlite3.connect(store.path) as db:
        return [row[0] for row in db.execute("SELECT entry_id FROM outbox ORDER BY rowid")]


def test_only_local_and_provisional_entries_are_queued(store: Store, uow: SqlUnitOfWork) -> None:
    card = new_card(balance=9000)
    with uow:
        uow.cards.add_many([card])
        local = offline_redeem(uow, card.code, 100, status=EntryStatus.LOCAL)
        provisional = offline_redeem(uow, card.code, 100)
        confirmed = offline_redeem(uow, card.code, 100, status=EntryStatus.CONFIRMED)
        uow.commit()
    assert outbox_ids(store) == [str(local.id), str(provisional.id)]
    assert confirmed.device_seq == 3


def test_a_reserved_sequence_number_is_kept_and_the_next_one_follows(uow: SqlUnitOfWork) -> None:
    card = new_card(balance=9000)
    with uow:
        uow.cards.add_many([card])
        reserved = uow.entries.next_seq("till-1")
        entry = uow.entries.add(replace(card.redeem(Money(100, "EUR"), ctx(T0)), device_seq=reserved))
        following = offline_redeem(uow, card.code, 100)
        uow.commit()
    assert (reserved, entry.device_seq, following.device_seq) == (1, 1, 2)


def test_merge_keeps_the_server_s_entries_as_they_are_and_is_idempotent(store: Store, uow: SqlUnitOfWork) -> None:
    card = new_card(balance=9000)
    other = replace(card.redeem(Money(300, "EUR"), ctx(T0, device="till-2")), device_seq=41,
                    status=EntryStatus.CONFIRMED, server_seq=7)
    head_office = [replace(card.top_up(Money(100, "EUR"), ctx(later(i), device="server")), device_seq=0,
                           status=EntryStatus.CONFIRMED, server_seq=8 + i) for i in range(2)]
    with uow:
        uow.cards.add_many([card])
        uow.entries.merge([other, *head_office])
        uow.entries.merge([other, *head_office])  # again: nothing new
        uow.commit()
    with uow:
        assert uow.entries.get(other.id) == other  # device id and number kept, never queued
        assert [e.device_seq for e in uow.entries.for_card(card.id)] == [0, 0, 41]
        assert uow.entries.outbox_count() == 0
        # The till's own numbering is not disturbed by another device's.
        assert offline_redeem(uow, card.code, 1).device_seq == 1


def test_merge_updates_what_the_server_says_of_an_entry_here_and_takes_it_off_the_outbox(uow: SqlUnitOfWork
                                                                                       ) -> None:
    card = new_card(balance=9000)
    with uow:
        uow.cards.add_many([card])
        mine = offline_redeem(uow, card.code, 500)
        assert uow.entries.unsynced_spent() == 500
        uow.entries.merge([replace(mine, status=EntryStatus.CONFLICT, server_seq=99, balance_after=-100)])
        uow.commit()
    with uow:
        stored = uow.entries.get(mine.id)
        assert stored is not None
        assert (stored.status, stored.server_seq, stored.balance_after) == (EntryStatus.CONFLICT, 99, 8500)
        assert uow.entries.outbox_count() == 0 and uow.entries.unsynced_spent() == 0


def _refused_online(mine: Entry) -> Entry:
    """What the server holds under the id of ``mine``: the same attempt, refused online (its answer was lost)."""
    return replace(mine, result=EntryResult.FAILURE, error_key="gift_amount_exceeded",
                   balance_after=mine.balance_after - mine.amount, status=EntryStatus.CONFIRMED, server_seq=40)


def test_an_entry_the_server_decided_otherwise_is_left_alone_until_the_till_s_own_is_pushed(
        store: Store, uow: SqlUnitOfWork) -> None:
    card = new_card(balance=9000)
    with uow:
        uow.cards.add_many([card])
        mine = offline_redeem(uow, card.code, 500)  # accepted offline: the goods have left the shop
        uow.entries.merge([_refused_online(mine)])  # a pull that came before the push
        uow.commit()
    with uow:
        assert uow.entries.get(mine.id) == mine  # the till's facts, still in the outbox: never lost
        assert outbox_ids(store) == [str(mine.id)] and uow.entries.unsynced_spent() == 500


def test_once_pushed_the_server_s_facts_replace_the_till_s_and_the_till_s_come_back_under_their_new_id(
        store: Store, uow: SqlUnitOfWork) -> None:
    card = new_card(balance=9000)
    with uow:
        uow.cards.add_many([card])
        mine = offline_redeem(uow, card.code, 500)
        recorded = replace(mine, id=till_fact_id(mine.id), device_seq=0, status=EntryStatus.CONFLICT, server_seq=41)
        uow.entries.acknowledge([Acknowledgement(mine.id, EntryStatus.CONFLICT, 41)])  # the push's answer
        server = _refused_online(mine)
        for _ in range(2):  # the next pull, idempotently
            uow.entries.merge([server, recorded])
        uow.commit()
    with uow:
        assert uow.entries.get(mine.id) == server
        assert uow.entries.get(recorded.id) == recorded
        assert outbox_ids(store) == [] and uow.entries.unsynced_spent() == 0
        assert sorted((e.result.value, e.amount) for e in uow.entries.for_card(card.id)) == [
            ("FAILURE", -500), ("SUCCESS", -500)]


def test_two_refusals_of_one_attempt_are_the_same_facts(uow: SqlUnitOfWork) -> None:
    card = new_card(balance=100)
    with uow:
        uow.cards.add_many([card])
        refused = card.failed_attempt(EntryKind.CREDITS_REDEMPTION, -500, errors.OfflineLimitExceeded(), ctx(T0))
        mine = uow.entries.add(replace(refused, status=EntryStatus.PROVISIONAL))
        uow.entries.merge([replace(mine, error_key="gift_amount_exceeded", status=EntryStatus.CONFIRMED,
                                   server_seq=7)])
        stored = uow.entries.get(mine.id)
        assert stored is not None and (stored.error_key, stored.server_seq) == ("offline_limit_exceeded", 7)
        assert uow.entries.outbox_count() == 0


def test_a_merged_entry_of_an_unknown_card_is_refused(uow: SqlUnitOfWork) -> None:
    card = new_card(balance=9000)
    ghost = replace(card.redeem(Money(1, "EUR"), ctx(T0, device="till-2")), device_seq=1, server_seq=1)
    with uow, pytest.raises(errors.NotFound):
        uow.entries.merge([ghost])


def test_pending_acknowledge_set_aside_and_unsynced_spending(uow: SqlUnitOfWork) -> None:
    first, second = new_card(balance=9000), new_card(balance=9000)
    with uow:
        uow.cards.add_many([first, second])
        a = offline_redeem(uow, first.code, 100)
        b = offline_redeem(uow, second.code, 200)
        c = offline_redeem(uow, first.code, 400)
        failed = uow.entries.add(replace(first.failed_attempt(
            a.kind, -9999, errors.GiftAmountExceeded(), ctx(T0)), status=EntryStatus.PROVISIONAL))
        assert [e.id for e in uow.entries.pending(10)] == [a.id, b.id, c.id, failed.id]
        assert [e.id for e in uow.entries.pending(2)] == [a.id, b.id]
        assert uow.entries.unsynced_spent() == 700  # the failed attempt spent nothing
        uow.entries.set_aside(b.id, "not_found: no such card")
        assert [e.id for e in uow.entries.pending(10)] == [a.id, c.id, failed.id, b.id]  # set aside: last
        assert (uow.entries.outbox_count(), uow.entries.set_aside_count()) == (4, 1)
        uow.entries.acknowledge([Acknowledgement(a.id, EntryStatus.CONFIRMED, 11), Acknowledgement(c.id)])
        uow.commit()
    with uow:
        assert [e.id for e in uow.entries.pending(10)] == [failed.id, b.id]
        assert uow.entries.unsynced_spent() == 200
        acked = uow.entries.get(a.id)
        assert acked is not None and (acked.status, acked.server_seq) == (EntryStatus.CONFIRMED, 11)
        kept = uow.entries.get(c.id)
        assert kept is not None and (kept.status, kept.server_seq) == (EntryStatus.PROVISIONAL, None)
        uow.entries.acknowledge([Acknowledgement(a.id, EntryStatus.CONFIRMED, 11)])  # again: harmless


def test_a_card_from_the_server_replaces_the_whole_state_and_notes_when(uow: SqlUnitOfWork) -> None:
    card = new_card(balance=5000, campaign_id=None)
    with uow:
        uow.cards.add_many([card])
        assert uow.cards.synced_at(card.id) is None
        server = replace(card, balance=1000, redeemed=4000, redemption_count=3, status=CardStatus.FROZEN,
                         campaign_id="camp_head_office", customer_id="cust_crm_1", version=9,
                         metadata={"from": "server"})
        new = new_card(balance=700)
        uow.cards.upsert([server, new], synced_at=later(5))
        uow.cards.upsert([server, new], synced_at=later(6))  # again: the same state, a newer time
        uow.commit()
    with uow:
        assert uow.cards.get(card.id) == server
        assert uow.cards.get_by_code(new.code) == new
        assert uow.cards.synced_at(card.id) == later(6)
        # What the till changes itself does not make the state fresher.
        redeemed = uow.cards.get(new.id)
        assert redeemed is not None
        offline_redeem(uow, new.code, 100)
        assert uow.cards.synced_at(new.id) == later(6)
        campaign = uow.campaigns.get("camp_head_office")
        assert campaign is not None and campaign.name == "campaign camp_head_office"
        assert uow.customers.get("cust_crm_1") is not None


def test_a_card_from_the_server_with_a_code_taken_by_another_card_is_refused(uow: SqlUnitOfWork) -> None:
    mine = new_card(code="GC-SAME")
    with uow:
        uow.cards.add_many([mine])
        with pytest.raises(errors.DuplicateFound):
            uow.cards.upsert([new_card(code="GC-SAME")], synced_at=T0)


def test_people_from_the_server_keep_the_till_s_wrong_pin_count(uow: SqlUnitOfWork) -> None:
    ann = User(id="u_ann", name="Ann", role=Role.CASHIER, pin_hash="h1")
    local_bob = User(id="u_local", name="Bob", role=Role.MANAGER, pin_hash="h0")
    with uow:
        uow.users.add(local_bob)
        uow.users.upsert([ann])
        stored = uow.users.get("u_ann")
        assert stored is not None
        stored.attempts = Attempts(failed=3)
        uow.users.save(stored)
        promoted = replace(ann, role=Role.MANAGER, pin_hash="h2", attempts=Attempts())
        bob = User(id="u_bob", name="Bob", role=Role.CASHIER, pin_hash="h3")
        uow.users.upsert([promoted, bob, bob])
        uow.commit()
    with uow:
        again = uow.users.get("u_ann")
        assert again is not None
        assert (again.role, again.pin_hash, again.attempts.failed) == (Role.MANAGER, "h2", 3)
        assert uow.users.get("u_local") is None  # the server's Bob took the name
        assert [u.id for u in uow.users.list()] == ["u_ann", "u_bob"]


def test_entries_keep_a_device_s_numbers_unique(uow: SqlUnitOfWork) -> None:
    card = new_card(balance=9000)
    one = replace(card.redeem(Money(1, "EUR"), ctx(T0, device="till-2")), device_seq=5, server_seq=1)
    clash = replace(one, id=uuid.uuid4(), server_seq=2)
    with uow:
        uow.cards.add_many([card])
        uow.entries.merge([one])
        with pytest.raises(errors.DuplicateFound):
            uow.entries.merge([clash])


def merged_offline_history(uow: SqlUnitOfWork, card_code: str) -> tuple[Entry, Entry, Entry]:
    """A card of €50 (the figures below are for €50): this till, offline, took €30 at 11:00 (it saw €20 left);
    till-2, offline too, took €40 at 12:00 by its clock (it saw €10 left) and reached the server first; ours came
    second and overdrew the card.
    Then this till topped the card up by €5 (not synced yet) — with a clock running behind, at 10:00.
    Returns (top-up, ours, till-2's), in the ledger's order, newest first."""
    card = uow.cards.get_by_code(card_code)
    assert card is not None
    as_seen_by_till_2 = replace(card)
    ours = uow.entries.add(replace(card.redeem(Money(3000, "EUR"), ctx(later(60))), status=EntryStatus.PROVISIONAL))
    theirs = replace(as_seen_by_till_2.redeem(Money(4000, "EUR"), ctx(later(120), device="till-2")),
                     device_seq=9, status=EntryStatus.CONFIRMED, server_seq=2)
    uow.entries.merge([theirs])
    card.apply(theirs)
    uow.entries.merge([replace(ours, status=EntryStatus.CONFLICT, server_seq=3, balance_after=-2000)])
    top_up = uow.entries.add(replace(card.top_up(Money(500, "EUR"), ctx(T0)), status=EntryStatus.LOCAL))
    uow.cards.save(card)
    return top_up, ours, theirs


def test_a_cards_history_is_in_the_ledgers_order_and_its_balances_agree_with_the_card(uow: SqlUnitOfWork) -> None:
    """Issue 13: after offline entries merged, the newest row said "→ €10.00" while the card was at −€15.00."""
    card = new_card(balance=5000)
    with uow:
        uow.cards.add_many([card])
        expected = merged_offline_history(uow, card.code)
        uow.commit()
    with uow:
        stored = uow.cards.get(card.id)
        assert stored is not None and stored.balance == -1500
        view = CardView(card=stored, recent=uow.entries.for_card(card.id))

    assert [e.id for e in view.recent] == [e.id for e in expected]  # unsynced on top, then the server's order
    assert view.balances == [-1500, -2000, 1000]  # the newest agrees with the card; each follows from the next
    assert [e.balance_after for e in view.recent] == [-1500, 2000, 1000]  # as each was seen where it was made
