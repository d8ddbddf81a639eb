"""``/v1/publications``: a voucher given to a customer (``create_publication``), and the list of vouchers given.

A publication here is the server's own (``cards_admin.publish``, head office's and a till's through the sync API):
the till's rule of a publication (``services.customers.decide_publication``) in one transaction, the customer made
on first use of their ``source_id`` (the details given replace the ones kept), the card given to them — a card
goes to one customer only (``voucher_already_published``), and the same card to the same customer again changes
nothing, which is what ``join_once=true`` asks for. Customer and card reach the tills at their next pull.

This server publishes a voucher named by its code (``voucher``); publishing "any free code of a campaign"
(``campaign``) is not supported and refused as ``invalid_payload``. A card has one publication, so its id is the
card's (``pub_`` + the card's id) and the list is of the cards given to a customer.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Body, Query
from sqlalchemy import ColumnElement, Connection, RowMapping, func, select

from pos_app.domain import errors
from pos_app.domain.cards import GiftCard
from pos_app.server import cards_admin
from pos_app.server.db.engine import read, write
from pos_app.server.db.models import cards, customers
from pos_app.server.ledger import now
from pos_app.server.rows import card_from_row
from pos_app.server.voucherify import customers as customers_api
from pos_app.server.voucherify import shapes
from pos_app.server.voucherify.deps import Api, ApiCall
from pos_app.server.voucherify.fields import Lenient, Metadata, Name, Text
from pos_app.server.voucherify.vouchers import found_or_recorded, path_code, visible
from pos_app.services.ports import Customer

router = APIRouter(tags=["publications"])


class PublishedCustomer(Lenient):
    id: Name | None = None
    source_id: Name | None = None
    name: Name | None = None
    email: customers_api.Email | None = None
    phone: Name | None = None


class PublicationBody(Lenient):
    voucher: Text | None = None
    source_id: Name | None = None
    customer: PublishedCustomer | None = None
    metadata: Metadata | None = None


def _source_id(conn: Connection, customer: PublishedCustomer) -> str:
    """The ``source_id`` of the customer with the ``id`` given, else the one given (Voucherify's order)."""
    if customer.id:
        return str(customers_api._found(conn, customer.id)["source_id"])
    if customer.source_id:
        return customer.source_id
    raise errors.InvalidPayload("name the customer: customer.source_id, or customer.id of a customer made before")


def publication(call: ApiCall, card: GiftCard, campaign: str | None, customer: RowMapping, *,
                metadata: dict[str, Any] | None = None, source_id: str | None = None) -> dict[str, Any]:
    return {"id": f"pub_{card.id}", "object": "publication", "created_at": shapes.iso(now()),
            "customer_id": customer["id"], "tracking_id": customer["source_id"], "metadata": metadata or {},
            "channel": "API", "source_id": source_id, "result": "SUCCESS", "customer": customers_api.shape(customer),
            "vouchers_id": [card.id], "voucher": shapes.voucher(card, campaign=campaign, base_url=call.base_url),
            "vouchers": [card.code]}


@router.post("/publications")
def create_publication(call: Api, join_once: bool = False,
                       body: Annotated[PublicationBody | None, Body()] = None) -> dict[str, Any]:
    """Give the voucher to the customer (made on first use of their ``source_id``)."""
    body = body or PublicationBody()
    if not body.voucher:
        raise errors.InvalidPayload("name the voucher to publish by its code: publishing from a campaign is not "
                                    "supported here")
    if body.customer is None:
        raise errors.InvalidPayload("name the customer: customer.source_id")
    code = path_code(body.voucher)
    _, campaign = found_or_recorded(call, code)
    given = body.customer

    def work(conn: Connection) -> tuple[GiftCard, Customer]:
        return cards_admin.publish(conn, code, _source_id(conn, given), name=given.name, email=given.email,
                                   phone=given.phone, at=now())

    card, customer = write(call.engine, work)
    row = read(call.engine, lambda conn: customers_api._found(conn, customer.id))
    return publication(call, card, campaign, row, metadata=body.metadata, source_id=body.source_id)


@router.get("/publications")
def list_publications(call: Api, limit: Annotated[int, Query(ge=1, le=100)] = 10,
                      page: Annotated[int, Query(ge=1, le=100_000)] = 1,
                      customer: Annotated[str | None, Query(max_length=200)] = None,
                      voucher: Annotated[str | None, Query(max_length=100)] = None) -> dict[str, Any]:
    """The vouchers given to customers (``customer``: by id or source_id; ``voucher``: by code), newest card
    first, with ``total``."""
    where: list[ColumnElement[bool]] = [cards.c.customer_id.is_not(None)]
    if customer is not None:
        where.append(cards.c.customer_id.in_(select(customers.c.id).where(
            (customers.c.id == customer) | (customers.c.source_id == customer))))
    if voucher is not None:
        where.append(cards.c.code == voucher)

    def work(conn: Connection) -> tuple[list[tuple[GiftCard, str | None, RowMapping]], int]:
        listed = visible(*where)
        total = conn.execute(select(func.count()).select_from(listed.subquery())).scalar_one()
        rows = conn.execute(listed.order_by(cards.c.created_at.desc(), cards.c.id.desc())
                            .limit(limit).offset((page - 1) * limit)).mappings().all()
        found = []
        for r in rows:
            owner = conn.execute(select(customers).where(customers.c.id == r["customer_id"])).mappings().one()
            found.append((card_from_row(r), r["campaign_name"], owner))
        return found, int(total)

    found, total = read(call.engine, work)
    return shapes.listing([publication(call, card, campaign, owner) for card, campaign, owner in found],
                          data_ref="publications", total=total)
