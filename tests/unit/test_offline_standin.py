"""Offline, an enrolled till stands in for the server within the floor limits (DESIGN.md §7), like a card
terminal: each refusal names its limit, a manager may override one, and what it accepts is provisional and
queued for the server."""

from __future__ import annotations

from datetime import timedelta

import pytest

from pos_app.domain.cards import CardStatus
from pos_app.domain.errors import GiftCardError
from pos_app.domain.ledger import EntryKind, EntryResult, EntryStatus
from pos_app.domain.money import Money
from pos_app.domain.offline import OfflineLimits
from pos_app.services import cards, enrolment
from pos_app.services.enrolled import cache_server_cards
from tests.unit.conftest import Enrolled


def eur(minor: int) -> Money:
    return Money(minor, "EUR")


def refused(call, *args, **kwargs) -> GiftCardError:  # type: ignore[no-untyped-def]
    with pytest.raises(GiftCardError) as caught:
        call(*args, **kwargs)
    return caught.value


@pytest.fixture
def offline(enrolled: Enrolled) -> Enrolled:
    enrolled.server.offline = True
    return enrolled


# ---- within the limits -----------------------------------------------------------------------------------------

def test_an_offline_redemption_is_provisional_queued_and_off_the_cached_balance(offline: Enrolled) -> None:
    card = offline.card(5000)
    entry = offline.redeem(offline.store.cashier, card.code, 1250)
    assert (entry.status, entry.result, entry.amount, entry.balance_after) == (
        EntryStatus.PROVISIONAL, EntryResult.SUCCESS, -1250, 3750)
    assert entry.override_by is None
    assert offline.outbox() == [entry]
    assert offline.till_card(card.code).balance == 3750
    with offline.uow as uow:
        assert uow.entries.unsynced_spent() == 1250
        assert uow.entries.pending(10) == [entry]
    assert offline.server_card(card.code).balance == 5000  # the server has not heard of it yet


def test_the_offline_entry_is_the_one_the_server_was_asked_about(offline: Enrolled) -> None:
    """Should the server have recorded it after all (the answer was lost), the push is the same entry."""
    card = offline.card(5000)
    entry = offline.redeem(offline.store.cashier, card.code, 100)
    asked = offline.server.operations[-1]
    assert (entry.id, entry.device_seq) == (asked.entry_id, asked.device_seq)
    assert asked.device_seq > 0


# ---- each limit, its refusal and its key ---------------------------------------------------------------------

def test_above_the_per_redemption_limit_is_refused_and_the_attempt_recorded(offline: Enrolled) -> None:
    card = offline.card(50_000)
    assert offline.redeem(offline.store.cashier, card.code, 10_000).succeeded  # 100.00 is the limit itself
    error = refused(offline.redeem, offline.store.cashier, card.code, 10_001)
    assert error.key == "offline_limit_exceeded"
    assert "100.00 EUR" in error.details
    failure = offline.entries(card.code)[-1]
    assert (failure.result, failure.error_key, failure.status, failure.amount) == (
        EntryResult.FAILURE, "offline_limit_exceeded", EntryStatus.PROVISIONAL, -10_001)
    assert failure in offline.outbox()  # the server learns of the attempt too
    assert offline.till_card(card.code).balance == 40_000


def test_the_till_s_unsynced_offline_spending_is_capped_across_cards(offline: Enrolled) -> None:
    first, second = offline.card(30_000), offline.card(30_000)
    for _ in range(3):
        offline.redeem(offline.store.cashier, first.code, 10_000)
    offline.redeem(offline.store.cashier, second.code, 9_000)  # 390.00 so far
    with offline.uow as uow:
        assert uow.entries.unsynced_spent() == 39_000
    offline.redeem(offline.store.cashier, second.code, 10_000)  # 490.00
    error = refused(offline.redeem, offline.store.cashier, second.code, 1_001)
    assert error.key == "offline_cap_exceeded"
    assert "10.00 EUR more" in error.details
    assert offline.redeem(offline.store.cashier, second.code, 1_000).succeeded  # exactly the cap


def test_a_till_offline_for_longer_than_the_maximum_is_refused(offline: Enrolled) -> None:
    card = offline.card(5000)
    offline.store.clock.advance(hours=24)
    assert offline.redeem(offline.store.cashier, card.code, 100).succeeded  # 24 h is still within it
    offline.store.clock.advance(seconds=1)
    error = refused(offline.redeem, offline.store.cashier, card.code, 100)
    assert error.key == "offline_too_long"
    assert "24 hours" in error.details


def test_the_offline_period_counts_from_the_last_time_the_server_answered(offline: Enrolled) -> None:
    card = offline.card(5000)
    offline.store.clock.advance(hours=20)
    offline.server.offline = False
    offline.redeem(offline.store.cashier, card.code, 100)  # the server answers: online again
    offline.server.offline = True
    offline.store.clock.advance(hours=20)
    assert offline.redeem(offline.store.cashier, card.code, 100).status is EntryStatus.PROVISIONAL


def test_a_card_state_older_than_the_staleness_limit_is_refused(offline: Enrolled) -> None:
    old = offline.card(5000)
    offline.store.clock.advance(hours=72, seconds=1)
    fresh = offline.card(5000)
    with offline.uow as uow:  # the till heard from the server just now (a pull), but not about the old card
        enrolment.mark_online(uow.settings, offline.store.clock())
        uow.commit()
    error = refused(offline.redeem, offline.store.cashier, old.code, 100)
    assert error.key == "card_state_stale"
    assert "72 hours" in error.details
    assert offline.redeem(offline.store.cashier, fresh.code, 100).succeeded


def test_a_card_the_server_never_told_the_till_about_is_stale(offline: Enrolled) -> None:
    """A card made on this till before it was enrolled has no state from the server."""
    card = offline.store.sold_card(5000)
    error = refused(offline.redeem, offline.store.cashier, card.code, 100)
    assert (error.key, error.details) == ("card_state_stale", "this card has not been seen by the till yet")


def test_a_card_the_till_does_not_know_cannot_be_redeemed_offline_and_nothing_is_recorded(
        offline: Enrolled) -> None:
    card = offline.card(5000, cached=False)
    before = offline.store.entries()
    assert refused(offline.redeem, offline.store.cashier, card.code, 100).key == "card_state_stale"
    assert offline.store.entries() == before
    assert refused(offline.redeem, offline.store.cashier, card.code, 100,
                   override=offline.store.manager.actor).key == "card_state_stale"


def test_head_office_limits_are_the_ones_applied(offline: Enrolled) -> None:
    with offline.uow as uow:
        enrolment.save_limits(uow.settings, OfflineLimits(per_redemption=2_000, per_device_unsynced=3_000,
                                                          max_offline=timedelta(hours=1)))
        uow.commit()
    card = offline.card(10_000)
    assert refused(offline.redeem, offline.store.cashier, card.code, 2_001).key == "offline_limit_exceeded"
    offline.redeem(offline.store.cashier, card.code, 2_000)
    assert refused(offline.redeem, offline.store.cashier, card.code, 1_001).key == "offline_cap_exceeded"
    offline.store.clock.advance(hours=1, seconds=1)
    assert refused(offline.redeem, offline.store.cashier, card.code, 100).key == "offline_too_long"


def test_the_card_s_own_rules_still_apply_offline(offline: Enrolled) -> None:
    card = offline.card(5000)
    assert refused(offline.redeem, offline.store.cashier, card.code, 5001).key == "gift_amount_exceeded"
    disabled = offline.card(5000, status=CardStatus.DISABLED)
    assert refused(offline.redeem, offline.store.cashier, disabled.code, 100).key == "voucher_disabled"
    failure = offline.entries(disabled.code)[-1]
    assert (failure.error_key, failure.status) == ("voucher_disabled", EntryStatus.PROVISIONAL)


def test_the_cached_balance_already_has_the_till_s_own_offline_spending_taken_off(offline: Enrolled) -> None:
    card = offline.card(5000)
    offline.redeem(offline.store.cashier, card.code, 3000)
    assert refused(offline.redeem, offline.store.cashier, card.code, 2001).key == "gift_amount_exceeded"
    # A state from the server that does not have the offline redemption yet keeps it subtracted.
    with offline.uow as uow:
        cache_server_cards(uow, [offline.server_card(card.code)], synced_at=offline.store.clock())
        uow.commit()
    till = offline.till_card(card.code)
    assert (till.balance, till.redeemed, till.loaded) == (2000, 3000, 5000)
    assert till.invariant_holds()


# ---- a manager's override ------------------------------------------------------------------------------------

@pytest.mark.parametrize("situation", ["per_redemption", "cap", "too_long", "stale"])
def test_a_manager_may_override_each_offline_limit_and_is_recorded(offline: Enrolled, situation: str) -> None:
    card = offline.card(60_000)
    amount = 100
    if situation == "per_redemption":
        amount = 15_000
    elif situation == "cap":
        for _ in range(5):
            offline.redeem(offline.store.cashier, card.code, 10_000)
    elif situation == "too_long":
        offline.store.clock.advance(hours=30)
    else:
        offline.store.clock.advance(hours=73)
        with offline.uow as uow:
            enrolment.mark_online(uow.settings, offline.store.clock())
            uow.commit()
    refusal = refused(offline.redeem, offline.store.cashier, card.code, amount)
    manager = offline.store.manager.actor
    entry = offline.redeem(offline.store.cashier, card.code, amount, override=manager)
    assert refusal.key in {"offline_limit_exceeded", "offline_cap_exceeded", "offline_too_long", "card_state_stale"}
    assert (entry.result, entry.status, entry.override_by, entry.operator_id) == (
        EntryResult.SUCCESS, EntryStatus.PROVISIONAL, manager.user_id, offline.store.cashier.actor.user_id)
    assert entry in offline.outbox()


def test_an_override_is_recorded_only_when_it_overrode_something(offline: Enrolled) -> None:
    card = offline.card(5000)
    entry = offline.redeem(offline.store.cashier, card.code, 100, override=offline.store.manager.actor)
    assert entry.override_by is None


def test_no_override_accepts_what_the_card_s_own_rules_refuse(offline: Enrolled) -> None:
    card = offline.card(5000)
    error = refused(offline.redeem, offline.store.cashier, card.code, 6000, override=offline.store.manager.actor)
    assert error.key == "gift_amount_exceeded"


def test_a_cashier_cannot_override(offline: Enrolled) -> None:
    card = offline.card(50_000)
    before = offline.store.entries()
    error = refused(offline.redeem, offline.store.cashier, card.code, 15_000, override=offline.store.cashier.actor)
    assert error.key == "forbidden"
    assert offline.store.entries() == before  # refused before anything was asked or written
    assert offline.server.operations == []


# ---- other value changes offline ------------------------------------------------------------------------------

def test_sell_top_up_correct_and_refund_work_offline_as_provisional_entries(offline: Enrolled) -> None:
    manager = offline.store.manager
    unsold = offline.card(0, status=CardStatus.INACTIVE, initial_amount=2500)
    sale = cards.sell(offline.uow, manager, unsold.code, authoriser=offline.server)
    top_up = cards.top_up(offline.uow, manager, unsold.code, eur(50_000), authoriser=offline.server)  # no limit
    correction = cards.correct(offline.uow, manager, unsold.code, eur(-500), reason="miscount",
                               authoriser=offline.server)
    redemption = offline.redeem(offline.store.cashier, unsold.code, 1000)
    refund = cards.refund(offline.uow, manager, redemption.id, authoriser=offline.server)
    made = [sale, top_up, correction, redemption, refund]
    assert [e.kind for e in made] == [EntryKind.CREDITS_ADDITION, EntryKind.CREDITS_ADDITION,
                                      EntryKind.CREDITS_REMOVAL, EntryKind.CREDITS_REDEMPTION,
                                      EntryKind.CREDITS_REFUND]
    assert {e.status for e in made} == {EntryStatus.PROVISIONAL}
    assert offline.outbox() == made
    assert [e.device_seq for e in made] == sorted(e.device_seq for e in made)
    card = offline.till_card(unsold.code)
    assert (card.status, card.balance) == (CardStatus.ACTIVE, 2500 + 50_000 - 500)
    assert card.invariant_holds()
    with offline.uow as uow:
        assert uow.entries.unsynced_spent() == 1000  # the refund gives back, but only redemptions count as spent


def test_offline_rules_of_other_changes_are_the_standalone_ones(offline: Enrolled) -> None:
    card = offline.card(5000)
    assert refused(cards.sell, offline.uow, offline.store.manager, card.code, authoriser=offline.server).key \
        == "voucher_already_active"
    assert refused(cards.correct, offline.uow, offline.store.manager, card.code, eur(-6000), reason="x",
                   authoriser=offline.server).key == "gift_amount_exceeded"
