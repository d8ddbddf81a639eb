"""Publishing on an enrolled till: the server decides (a Publisher), the till keeps its answer at once; while the
server does not answer, nothing stands in for it and nothing is written."""

from __future__ import annotations

import dataclasses

import pytest

from pos_app.domain import errors
from pos_app.domain.cards import GiftCard
from pos_app.services import customers
from pos_app.services.online import Publication, Publisher, ServerUnavailable
from pos_app.services.ports import Customer
from tests.unit.conftest import Store


class FakeHeadOffice(Publisher):
    """The server's side of a publication, on its own copy of the cards; ``offline``: it does not answer."""

    def __init__(self, cards: dict[str, GiftCard]) -> None:
        self.cards = cards
        self.customers: dict[str, Customer] = {}
        self.asked: list[Publication] = []
        self.offline = False

    def publish(self, publication: Publication) -> tuple[GiftCard, Customer]:
        self.asked.append(publication)
        if self.offline:
            raise ServerUnavailable("connection refused")
        card = self.cards.get(publication.code)
        if card is None:
            raise errors.NotFound("no such card")
        fields = customers.customer_fields(publication.source_id, publication.name, publication.email,
                                           publication.phone)
        decision = customers.decide_publication(card, self.customers.get(publication.source_id), fields,
                                                new_customer_id=f"cust_{len(self.customers) + 1}")
        self.customers[publication.source_id] = decision.customer
        card.version += 1
        return dataclasses.replace(card), decision.customer


@pytest.fixture
def enrolled(store: Store) -> tuple[Store, FakeHeadOffice, GiftCard]:
    card = store.sold_card(5000)
    with store.uow as uow:
        uow.settings.set("mode", "enrolled")
        uow.commit()
    return store, FakeHeadOffice({card.code: dataclasses.replace(card)}), card


def test_the_server_publishes_and_the_till_keeps_its_answer(enrolled: tuple[Store, FakeHeadOffice, GiftCard]
                                                            ) -> None:
    store, server, card = enrolled
    given, customer = customers.publish_to(store.uow, store.manager, card.code, " K-1 ", name="Eva",
                                           phone="0171 555 0101", publisher=server)
    assert server.asked[0] == Publication(code=card.code, source_id="K-1", name="Eva", phone="0171 555 0101",
                                          operator_id=store.manager.actor.user_id)
    assert given.customer_id == customer.id == "cust_1"
    assert store.card(card.code).customer_id == "cust_1"  # kept at once, before any pull
    (found,) = customers.find(store.uow, store.cashier, "555 01")
    assert found.customer == customer and [c.code for c in found.cards] == [card.code]


def test_offline_nothing_stands_in_for_the_server(enrolled: tuple[Store, FakeHeadOffice, GiftCard]) -> None:
    store, server, card = enrolled
    server.offline = True
    with pytest.raises(errors.ServerUnreachable) as refused:
        customers.publish_to(store.uow, store.manager, card.code, "K-1", name="Eva", publisher=server)
    assert refused.value.key == "server_unavailable"
    assert store.card(card.code).customer_id is None and store.uow.state.customers == {}


def test_the_server_is_not_asked_what_the_till_can_refuse(enrolled: tuple[Store, FakeHeadOffice, GiftCard]
                                                          ) -> None:
    store, server, card = enrolled
    with pytest.raises(errors.Forbidden):
        customers.publish_to(store.uow, store.cashier, card.code, "K-1", publisher=server)
    with pytest.raises(errors.InvalidPayload):
        customers.publish_to(store.uow, store.manager, card.code, "K-1", phone="12", publisher=server)
    assert server.asked == []


def test_without_a_publisher_an_enrolled_till_refuses(enrolled: tuple[Store, FakeHeadOffice, GiftCard]) -> None:
    store, _server, card = enrolled
    with pytest.raises(errors.ManagedByServer):
        customers.publish_to(store.uow, store.manager, card.code, "K-1")
