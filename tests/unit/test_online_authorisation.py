"""Online, the server decides every value change of an enrolled till; the till records what it decided."""

from __future__ import annotations

import pytest

from pos_app.domain import errors
from pos_app.domain.cards import CardStatus
from pos_app.domain.errors import GiftCardError
from pos_app.domain.ledger import EntryKind, EntryResult, EntryStatus
from pos_app.domain.money import Money
from pos_app.services import cards, enrolment
from pos_app.services.enrolled import cache_server_cards
from tests.unit.conftest import Enrolled, Store


def eur(minor: int) -> Money:
    return Money(minor, "EUR")


def refused(call, *args, **kwargs) -> str:  # type: ignore[no-untyped-def]
    with pytest.raises(GiftCardError) as caught:
        call(*args, **kwargs)
    return caught.value.key


def test_an_online_redemption_is_recorded_as_the_server_confirmed_it_and_not_queued(enrolled: Enrolled) -> None:
    card = enrolled.card(5000)
    enrolled.store.clock.advance(minutes=5)
    entry = enrolled.redeem(enrolled.store.cashier, card.code, 1250, order_ref="R-1")
    assert (entry.status, entry.server_seq, entry.amount, entry.balance_after) == (
        EntryStatus.CONFIRMED, enrolled.server.seq, -1250, 3750)
    assert enrolled.entries(card.code) == [entry]
    assert enrolled.outbox() == []
    assert enrolled.server.entries[entry.id] == entry
    assert entry.device_id == enrolled.store.profile.device_id and entry.device_seq > 0
    asked = enrolled.server.operations[-1]
    assert (asked.op, asked.code, asked.amount, asked.currency, asked.order_ref, asked.operator_id) == (
        "redeem", card.code, 1250, "EUR", "R-1", enrolled.store.cashier.actor.user_id)


def test_the_till_keeps_the_server_s_state_of_the_card(enrolled: Enrolled) -> None:
    card = enrolled.card(5000)
    enrolled.server.cards[card.code].balance = 4000  # another till spent 10.00 meanwhile
    enrolled.server.cards[card.code].redeemed = 1000
    enrolled.store.clock.advance(hours=1)
    enrolled.redeem(enrolled.store.cashier, card.code, 500)
    assert enrolled.till_card(card.code) == enrolled.server_card(card.code)
    assert enrolled.till_card(card.code).balance == 3500
    with enrolled.uow as uow:
        assert uow.cards.synced_at(card.id) == enrolled.store.clock()
        assert enrolment.online_last(uow.settings) == enrolled.store.clock()


def test_a_card_head_office_just_made_can_be_used_before_the_till_has_pulled_it(enrolled: Enrolled) -> None:
    card = enrolled.card(5000, cached=False)
    entry = enrolled.redeem(enrolled.store.cashier, card.code.lower().replace("-", " "), 100)  # as typed
    assert enrolled.server.operations[-1].code == card.code
    assert entry.status is EntryStatus.CONFIRMED
    assert enrolled.till_card(card.code).balance == 4900


def test_a_refusal_by_the_server_is_raised_with_its_key_and_the_attempt_recorded(enrolled: Enrolled) -> None:
    card = enrolled.card(2000)
    assert refused(enrolled.redeem, enrolled.store.cashier, card.code, 2001) == "gift_amount_exceeded"
    failure = enrolled.entries(card.code)[-1]
    assert (failure.result, failure.error_key, failure.status) == (
        EntryResult.FAILURE, "gift_amount_exceeded", EntryStatus.CONFIRMED)
    assert failure.server_seq is not None
    assert enrolled.outbox() == []  # the server recorded it already
    assert enrolled.till_card(card.code).balance == 2000


def test_the_server_decides_even_where_the_till_s_copy_would_have_refused(enrolled: Enrolled) -> None:
    card = enrolled.card(2000)
    enrolled.server.cards[card.code].balance = 9000  # topped up at head office; the till has not pulled yet
    enrolled.server.cards[card.code].loaded = 9000
    assert enrolled.redeem(enrolled.store.cashier, card.code, 5000).balance_after == 4000


def test_an_unknown_card_is_refused_by_the_server_and_nothing_is_recorded(enrolled: Enrolled, store: Store) -> None:
    before = store.entries()
    code = enrolled.card(100, cached=False).code
    del enrolled.server.cards[code]
    assert refused(enrolled.redeem, store.cashier, code, 100) == "not_found"
    assert store.entries() == before


def test_a_revoked_till_is_told_so_and_does_not_fall_back_to_offline(enrolled: Enrolled) -> None:
    card = enrolled.card(5000)
    enrolled.server.refusal = errors.DeviceRevoked("this till was removed")
    before = enrolled.store.entries()
    assert refused(enrolled.redeem, enrolled.store.cashier, card.code, 100) == "device_revoked"
    assert enrolled.store.entries() == before
    assert enrolled.till_card(card.code).balance == 5000


def test_when_the_server_does_not_answer_the_till_stands_in(enrolled: Enrolled) -> None:
    card = enrolled.card(5000)
    enrolled.redeem(enrolled.store.cashier, card.code, 1000)
    enrolled.server.offline = True
    offline = enrolled.redeem(enrolled.store.cashier, card.code, 1000)
    enrolled.server.offline = False
    online = enrolled.redeem(enrolled.store.cashier, card.code, 1000)
    statuses = [e.status for e in enrolled.entries(card.code)]
    assert statuses == [EntryStatus.CONFIRMED, EntryStatus.PROVISIONAL, EntryStatus.CONFIRMED]
    assert enrolled.outbox() == [offline]
    # No gaps in the till's own numbering, whichever way each went.
    assert [e.device_seq for e in enrolled.entries(card.code)] == [1, 2, 3]
    # The server (which never got the offline one in this fake) now says 30.00; the unsynced 10.00 stays off.
    assert online.balance_after == 3000
    assert enrolled.till_card(card.code).balance == 2000


def test_every_value_change_is_decided_by_the_server(enrolled: Enrolled) -> None:
    manager, server = enrolled.store.manager, enrolled.server
    card = enrolled.card(0, initial_amount=2500)
    sale = cards.sell(enrolled.uow, manager, card.code, authoriser=server)
    top_up = cards.top_up(enrolled.uow, manager, card.code, eur(1000), reason="gift", authoriser=server)
    correction = cards.correct(enrolled.uow, manager, card.code, eur(-500), reason="miscount", authoriser=server)
    redemption = enrolled.redeem(enrolled.store.cashier, card.code, 700)
    refund = cards.refund(enrolled.uow, manager, redemption.id, authoriser=server)
    made = [sale, top_up, correction, redemption, refund]
    assert [op.op for op in server.operations] == ["sell", "top_up", "correct", "redeem", "refund"]
    assert [op.amount for op in server.operations] == [None, 1000, -500, 700, None]
    assert server.operations[-1].refund_of == redemption.id
    assert [e.kind for e in made] == [EntryKind.CREDITS_ADDITION, EntryKind.CREDITS_ADDITION,
                                      EntryKind.CREDITS_REMOVAL, EntryKind.CREDITS_REDEMPTION,
                                      EntryKind.CREDITS_REFUND]
    assert {e.status for e in made} == {EntryStatus.CONFIRMED}
    assert enrolled.outbox() == []
    till = enrolled.till_card(card.code)
    assert (till.status, till.balance) == (CardStatus.ACTIVE, 3000)
    assert till == enrolled.server_card(card.code)


def test_permissions_are_checked_before_the_server_is_asked(enrolled: Enrolled) -> None:
    card = enrolled.card(5000)
    cashier, server = enrolled.store.cashier, enrolled.server
    assert refused(cards.top_up, enrolled.uow, cashier, card.code, eur(100), authoriser=server) == "forbidden"
    assert refused(cards.correct, enrolled.uow, enrolled.store.manager, card.code, eur(100), reason=" ",
                   authoriser=server) == "invalid_add_balance_params"
    assert refused(cards.redeem, enrolled.uow, cashier, card.code, Money(100, "USD"),
                   authoriser=server) == "currency_mismatch"
    assert server.operations == []


def test_an_override_means_nothing_online(enrolled: Enrolled) -> None:
    card = enrolled.card(5000)
    entry = enrolled.redeem(enrolled.store.cashier, card.code, 4000, override=enrolled.store.manager.actor)
    assert entry.override_by is None and entry.status is EntryStatus.CONFIRMED


def test_a_standalone_till_works_as_it_always_did(store: Store) -> None:
    card = store.sold_card(5000)
    entry = cards.redeem(store.uow, store.cashier, card.code, eur(1000))
    assert (entry.status, entry.server_seq) == (EntryStatus.LOCAL, None)
    assert entry.id in store.uow.state.outbox  # queued, harmlessly: nobody sends it
    with store.uow as uow:
        assert uow.entries.unsynced_spent() == 0  # standalone spending is not "offline" spending


def test_the_server_s_state_keeps_this_till_s_offline_refund_and_its_refusal_takes_it_back_once(
        enrolled: Enrolled) -> None:
    """A pull brings the server's state of a card while this till's offline refund is still queued: the refund
    stays on the till's copy; when the server then refuses it, taking it back leaves exactly the server's."""
    card = enrolled.card(5000)
    spent = enrolled.redeem(enrolled.store.cashier, card.code, 1000)  # online: 40.00 on both
    enrolled.server.offline = True
    refund = cards.refund(enrolled.uow, enrolled.store.cashier, spent.id, authoriser=enrolled.server)
    assert (refund.status, enrolled.till_card(card.code).balance) == (EntryStatus.PROVISIONAL, 5000)
    stated = enrolled.server_card(card.code)  # another till's sale moved the card on: a newer state, 40.00
    stated.version += 1
    with enrolled.uow as uow:
        cache_server_cards(uow, [stated], synced_at=enrolled.store.clock())
        uow.commit()
    assert enrolled.till_card(card.code).balance == 5000  # the queued refund is still counted
    with enrolled.uow as uow:
        uow.entries.refuse(refund.id, "already_rolled_back")  # the server refused it
        uow.commit()
    after = enrolled.till_card(card.code)
    assert (after.balance, after.refunded, after.redeemed) == (4000, 0, 1000) and after.invariant_holds()
