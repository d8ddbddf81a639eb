"""Customers: find one by part of their name, e-mail or phone, see their cards and balances, and publish a card to
one (Voucherify's publication: a card goes to one customer only).

Where a publication is decided: a standalone till's store is the authority, so the card is given here. An
enrolled till asks the server (``publisher``), which gives it across the chain and logs it for every till's next
pull; the till keeps the answer at once, so the customer is found here before the next pull. A publication is no
value change, and nothing stands in for the server: offline it is refused (``server_unavailable``), and done
again once the till is online. Finding works offline on what the till holds: the customers (and their cards)
that came with its pulls, and its own.
"""

from __future__ import annotations

from dataclasses import dataclass

from pos_app.domain import errors
from pos_app.domain.cards import GiftCard
from pos_app.domain.customers import check_phone, looks_like_phone, phone_digits, search_text
from pos_app.domain.people import Permission
from pos_app.services.campaigns import new_id
from pos_app.services.context import Caller
from pos_app.services.enrolled import cache_server_cards
from pos_app.services.lookup import find_card
from pos_app.services.modes import require_standalone
from pos_app.services.online import Publication, Publisher, ServerUnavailable
from pos_app.services.ports import Customer, UnitOfWork

#: A customer's source id, name, e-mail and phone, checked (:func:`customer_fields`).
Fields = tuple[str, str | None, str | None, str | None]
#: How many customers a search lists at most.
FOUND = 20


@dataclass(frozen=True, slots=True)
class CustomerCards:
    """A customer with the cards published to them (oldest first)."""

    customer: Customer
    cards: list[GiftCard]

    def balances(self) -> dict[str, int]:
        """What the customer's cards hold together, minor units by currency (a card's own balance is on it)."""
        totals: dict[str, int] = {}
        for card in self.cards:
            totals[card.currency] = totals.get(card.currency, 0) + card.balance
        return totals


def _text(value: str | None, what: str, limit: int) -> str | None:
    if value is None:
        return None
    value = value.strip()
    if not value or len(value) > limit or not value.isprintable():
        raise errors.InvalidPayload(f"a customer's {what} has 1 to {limit} printable characters")
    return value


def customer_fields(source_id: str, name: str | None, email: str | None, phone: str | None = None) -> Fields:
    """A customer's id in the shop, name, e-mail and phone, checked (the till's and the server's one check)."""
    source = _text(source_id, "id", 200)
    assert source is not None
    return source, _text(name, "name", 200), _text(email, "e-mail", 320), check_phone(phone)


def with_details(customer: Customer, name: str | None, email: str | None, phone: str | None) -> Customer:
    """``customer`` with the details given (checked by :func:`customer_fields`) in place of the ones kept."""
    return Customer(id=customer.id, source_id=customer.source_id, name=name or customer.name,
                    email=email or customer.email, phone=phone or customer.phone)


@dataclass(frozen=True, slots=True)
class Decision:
    """What a publication changes: the customer (``customer_changed``: new, or new details) and the card
    (``card_changed``: it was not theirs yet)."""

    customer: Customer
    customer_changed: bool
    card_changed: bool


def decide_publication(card: GiftCard, known: Customer | None, fields: Fields, *, new_customer_id: str) -> Decision:
    """The one rule of a publication, the till's and the server's: the customer the shop knows as the source id in
    ``fields`` (checked by :func:`customer_fields`), made when ``known`` is None, else with the details given in
    place of the ones kept; the card is given to them (the domain refuses a card of another customer)."""
    source, name, email, phone = fields
    if known is None:
        customer = Customer(id=new_customer_id, source_id=source, name=name, email=email, phone=phone)
    else:
        customer = with_details(known, name, email, phone)
    card_changed = card.customer_id != customer.id
    card.publish(customer.id)
    return Decision(customer, known is None or customer != known, card_changed)


def find(uow: UnitOfWork, caller: Caller, text: str, *, limit: int = FOUND) -> list[CustomerCards]:
    """The customers with ``text`` in their name, e-mail address or phone number (a phone number is compared by
    its digits: "0171 234" finds "(0171) 2345678"), each with their cards."""
    caller.require(Permission.CHECK_BALANCE)
    wanted = search_text(text)
    phone = phone_digits(wanted) if looks_like_phone(wanted) else None
    with uow:
        found = uow.customers.search(wanted, phone=phone, limit=limit)
        return [CustomerCards(customer, uow.cards.of_customer(customer.id)) for customer in found]


def show(uow: UnitOfWork, caller: Caller, customer: str) -> CustomerCards:
    """One customer, by the till's id for them or the shop's own (``source_id``), with their cards."""
    caller.require(Permission.CHECK_BALANCE)
    wanted = customer.strip()
    with uow:
        found = uow.customers.get(wanted) or (uow.customers.get_by_source_id(wanted) if wanted else None)
        if found is None:
            raise errors.NotFound(f"no customer {wanted[:64]!r}")
        return CustomerCards(found, uow.cards.of_customer(found.id))


def publish_to(uow: UnitOfWork, caller: Caller, code: str, source_id: str, *, name: str | None = None,
               email: str | None = None, phone: str | None = None,
               publisher: Publisher | None = None) -> tuple[GiftCard, Customer]:
    """Give the card ``code`` to the customer the shop knows as ``source_id``, made on first use; the details
    given replace the ones kept. A card belongs to one customer only (``voucher_already_published``).

    ``publisher`` (an enrolled till): the server does it; without one, the store here (standalone only)."""
    caller.require(Permission.PUBLISH)
    fields = customer_fields(source_id, name, email, phone)
    if publisher is not None:
        source, name, email, phone = fields
        return _published_by_server(uow, caller, publisher, Publication(
            code=code, source_id=source, name=name, email=email, phone=phone, operator_id=caller.actor.user_id))
    with uow:
        require_standalone(uow, "giving a card to a customer", "pos-server publish CODE --customer ID")
        card = find_card(uow, code)
        known = uow.customers.get_by_source_id(fields[0])
        decision = decide_publication(card, known, fields, new_customer_id=new_id("cust"))
        if known is None:
            uow.customers.add(decision.customer)
        elif decision.customer_changed:
            uow.customers.save(decision.customer)
        if decision.card_changed:
            uow.cards.save(card)
        uow.commit()
        return card, decision.customer


def _published_by_server(uow: UnitOfWork, caller: Caller, publisher: Publisher, publication: Publication
                         ) -> tuple[GiftCard, Customer]:
    try:
        card, customer = publisher.publish(publication)
    except ServerUnavailable as exc:
        raise errors.ServerUnreachable(f"giving a card to a customer needs the central server: {exc}") from exc
    with uow:  # the server's answer, kept at once (the next pull brings the same again)
        uow.customers.upsert([customer])
        cache_server_cards(uow, [card], synced_at=caller.clock())
        uow.commit()
    return card, customer
