"""``/v1/customers``: the shop's customers (the server's ``customers`` table, which tills pull), made, read,
changed, listed and deleted through the API.

A customer is known by the shop's own id for them, ``source_id`` (one is made from the customer's id when none is
given); their name, e-mail and phone are checked by the till's and the server's one check
(``services.customers.customer_fields``), and details given replace the ones kept while details not given stay
(``services.customers.with_details``). Making a customer whose ``source_id`` exists changes that customer, as
Voucherify's ``create_customer`` does. ``metadata`` is the API's own (tills do not pull it); its keys are merged, a
key set to ``null`` removed. Every change is a line in the change log, so tills learn it at their next pull.

Deleting a customer cannot remove them where cards name them: their name, e-mail, phone and metadata are erased,
their ``source_id`` is freed (a new customer may take it), the erased customer reaches the tills at their next
pull, and the API answers 404 for them from then on. Their cards stay theirs (a card goes to one customer only).
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Body, Query, Response
from pydantic import Field
from sqlalchemy import ColumnElement, Connection, RowMapping, func, insert, or_, select, update
from sqlalchemy.exc import IntegrityError

from pos_app.domain import errors
from pos_app.domain.cards import check_metadata
from pos_app.server.db.engine import read, write
from pos_app.server.db.models import customers
from pos_app.server.ledger import CUSTOMER, append_changes, new_id, now
from pos_app.server.voucherify import shapes
from pos_app.server.voucherify.deps import Api
from pos_app.server.voucherify.fields import Lenient, Metadata, Name
from pos_app.server.voucherify.paths import code_of
from pos_app.services.customers import customer_fields, with_details
from pos_app.services.ports import Customer

router = APIRouter(tags=["customers"])
Email = Annotated[str, Field(max_length=320)]


class CustomerBody(Lenient):
    """``create_customer``'s and ``update_customer``'s body, what of it the shop keeps."""

    source_id: Name | None = None
    name: Name | None = None
    email: Email | None = None
    phone: Name | None = None
    metadata: Metadata | None = None


def shape(row: RowMapping) -> dict[str, Any]:
    """A customer as the SDK reads it."""
    return {"id": row["id"], "source_id": row["source_id"], "object": "customer", "name": row["name"],
            "email": row["email"], "phone": row["phone"], "metadata": dict(row["metadata"] or {}),
            "created_at": shapes.iso(row["created_at"]), "updated_at": None, "address": None}


def _ref(text: str) -> str:
    ref = code_of(text).strip()
    if not ref or len(ref) > 200 or not ref.isprintable():
        raise errors.InvalidPayload("a customer is named by their id or source_id: 1 to 200 printable characters")
    return ref


def _found(conn: Connection, ref: str, *, lock: bool = False) -> RowMapping:
    """The customer with id or source_id ``ref`` (not deleted)."""
    stmt = select(customers).where(or_(customers.c.id == ref, customers.c.source_id == ref),
                                   customers.c.deleted_at.is_(None)).order_by((customers.c.id == ref).desc())
    row = conn.execute(stmt.with_for_update() if lock else stmt).mappings().first()
    if row is None:
        raise errors.NotFound(f"no customer {ref[:64]!r}")
    return row


def _metadata(kept: dict[str, Any] | None, given: dict[str, Any] | None) -> dict[str, Any]:
    merged = dict(kept or {})
    for key, value in (given or {}).items():
        if value is None:
            merged.pop(key, None)
        else:
            merged[key] = value
    return check_metadata(merged)


def _change(conn: Connection, row: RowMapping, body: CustomerBody) -> None:
    """``body``'s details in place of the customer's, logged for the tills."""
    _, name, email, phone = customer_fields(row["source_id"], body.name, body.email, body.phone)
    kept = Customer(id=row["id"], source_id=row["source_id"], name=row["name"], email=row["email"],
                    phone=row["phone"])
    new = with_details(kept, name, email, phone)
    conn.execute(update(customers).where(customers.c.id == row["id"]).values(
        name=new.name, email=new.email, phone=new.phone, metadata=_metadata(row["metadata"], body.metadata)))
    if new != kept:
        append_changes(conn, [(CUSTOMER, row["id"])])


def _created(conn: Connection, body: CustomerBody) -> str:
    made = new_id("cust")
    source, name, email, phone = customer_fields(body.source_id or made, body.name, body.email, body.phone)
    known = conn.execute(select(customers).where(customers.c.source_id == source).with_for_update()
                         ).mappings().first()
    if known is not None:
        _change(conn, known, body)
        return str(known["id"])
    conn.execute(insert(customers).values(id=made, source_id=source, name=name, email=email, phone=phone,
                                          metadata=_metadata(None, body.metadata), created_at=now()))
    append_changes(conn, [(CUSTOMER, made)])
    return made


def _answer(engine: Any, ref: str) -> dict[str, Any]:
    return shape(read(engine, lambda conn: _found(conn, ref)))


@router.post("/customers")
def create_customer(call: Api, body: Annotated[CustomerBody | None, Body()] = None) -> dict[str, Any]:
    body = body or CustomerBody()
    try:
        made = write(call.engine, lambda conn: _created(conn, body))
    except IntegrityError:  # the same source_id made at the same instant: that customer is changed instead
        made = write(call.engine, lambda conn: _created(conn, body))
    return _answer(call.engine, made)


@router.get("/customers/{ref}")
def get_customer(ref: str, call: Api) -> dict[str, Any]:
    return _answer(call.engine, _ref(ref))


@router.put("/customers/{ref}")
def update_customer(ref: str, call: Api, body: Annotated[CustomerBody | None, Body()] = None) -> dict[str, Any]:
    ref, body = _ref(ref), body or CustomerBody()

    def work(conn: Connection) -> str:
        row = _found(conn, ref, lock=True)
        _change(conn, row, body)
        return str(row["id"])

    return _answer(call.engine, write(call.engine, work))


@router.delete("/customers/{ref}", status_code=204, response_class=Response)
def delete_customer(ref: str, call: Api) -> Response:
    """Erase the customer's details and free their ``source_id`` (see the module)."""
    ref = _ref(ref)

    def work(conn: Connection) -> None:
        row = _found(conn, ref, lock=True)
        conn.execute(update(customers).where(customers.c.id == row["id"]).values(
            source_id=f"deleted:{row['id']}", name=None, email=None, phone=None, metadata=None, deleted_at=now()))
        append_changes(conn, [(CUSTOMER, row["id"])])

    write(call.engine, work)
    return Response(status_code=204)


@router.get("/customers")
def list_customers(call: Api, limit: Annotated[int, Query(ge=1, le=100)] = 10,
                   page: Annotated[int, Query(ge=1, le=100_000)] = 1,
                   email: Annotated[str | None, Query(max_length=320)] = None,
                   name: Annotated[str | None, Query(max_length=200)] = None) -> dict[str, Any]:
    """A page of the customers (not those deleted), oldest first, with ``total`` and ``has_more``."""
    where: list[ColumnElement[bool]] = [customers.c.deleted_at.is_(None)]
    if email is not None:
        where.append(customers.c.email == email)
    if name is not None:
        where.append(customers.c.name == name)

    def work(conn: Connection) -> tuple[list[RowMapping], int]:
        total = conn.execute(select(func.count()).select_from(customers).where(*where)).scalar_one()
        rows = conn.execute(select(customers).where(*where).order_by(customers.c.created_at, customers.c.id)
                            .limit(limit).offset((page - 1) * limit)).mappings().all()
        return list(rows), int(total)

    rows, total = read(call.engine, work)
    return shapes.listing([shape(r) for r in rows], data_ref="customers", total=total,
                          has_more=page * limit < total)
