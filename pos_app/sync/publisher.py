"""The Publisher port over the sync API: an enrolled till's publication of a card to a customer, decided by the
server. One request, no retry: a publication moves no money, and one that did not answer is simply done again
(the server's answer to the same publication is the same)."""

from __future__ import annotations

from collections.abc import Callable

from pos_app.domain import errors
from pos_app.domain.cards import GiftCard
from pos_app.services.online import Publication, Publisher
from pos_app.services.ports import Customer
from pos_app.sync.client import SyncClient
from pos_app.sync.convert import card_from_wire, customer_from_wire, publication_to_wire


class ServerPublisher(Publisher):
    """``connect``: a client of the till's server, made for each publication and closed after it."""

    def __init__(self, connect: Callable[[], SyncClient]) -> None:
        self._connect = connect

    def publish(self, publication: Publication) -> tuple[GiftCard, Customer]:
        try:
            request = publication_to_wire(publication)
        except ValueError as exc:  # pydantic's: longer than the wire allows (the use case checked it already)
            raise errors.InvalidPayload(str(exc).splitlines()[0]) from exc
        with self._connect() as client:
            answer = client.publish(request)
        return card_from_wire(answer.card), customer_from_wire(answer.customer)
