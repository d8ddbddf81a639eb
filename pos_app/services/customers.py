"""Customers, and publishing a card to one (Voucherify's publication: a card goes to one customer only)."""

from __future__ import annotations

from pos_app.domain import errors
from pos_app.domain.cards import GiftCard
from pos_app.domain.people import Permission
from pos_app.services.campaigns import new_id
from pos_app.services.cards import publish
from pos_app.services.context import Caller
from pos_app.services.modes import require_standalone
from pos_app.services.ports import CardsUnitOfWork, Customer


def _text(value: str | None, what: str, limit: int) -> str | None:
    if value is None:
        return None
    value = value.strip()
    if not value or len(value) > limit or not value.isprintable():
        raise errors.InvalidPayload(f"a customer's {what} has 1 to {limit} printable characters")
    return value


def customer_fields(source_id: str, name: str | None, email: str | None) -> tuple[str, str | None, str | None]:
    """A customer's id in the shop, name and e-mail, checked (the till's and the server's one check)."""
    source = _text(source_id, "id", 200)
    assert source is not None
    return source, _text(name, "name", 200), _text(email, "e-mail", 320)


def get_or_create_customer(uow: CardsUnitOfWork, caller: Caller, source_id: str, *, name: str | None = None,
                           email: str | None = None) -> Customer:
    """The customer known by ``source_id`` (the shop's own id for them), created on first use."""
    caller.require(Permission.PUBLISH)
    source, name, email = customer_fields(source_id, name, email)
    with uow:
        require_standalone(uow, "adding a customer", "pos-server publish CODE --customer ID")
        found = uow.customers.get_by_source_id(source)
        if found is not None:
            return found
        customer = Customer(id=new_id("cust"), source_id=source, name=name, email=email)
        uow.customers.add(customer)
        uow.commit()
        return customer


def publish_to(uow: CardsUnitOfWork, caller: Caller, code: str, source_id: str, *, name: str | None = None,
               email: str | None = None) -> tuple[GiftCard, Customer]:
    customer = get_or_create_customer(uow, caller, source_id, name=name, email=email)
    return publish(uow, caller, code, customer.id), customer
