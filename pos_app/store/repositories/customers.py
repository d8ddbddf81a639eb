"""Customers, and finding them by part of a name, e-mail address or phone number.

``customers_search`` (migration 0008) is an FTS5 table with the trigram tokenizer: any three characters or more of
its columns are found through its index. It holds each customer's name and e-mail address as
``domain.customers.search_key`` makes them (no accents, case folded), and the digits of the phone number; a
search is made the same way. This repository is its only writer: every write of a customer's details writes the
customer's row there too, under :func:`search_rowid`, in the same transaction.
A search word shorter than three characters cannot use a trigram index: when every word is that short, the
table is scanned.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import (
    Connection,
    Row,
    String,
    bindparam,
    column,
    delete,
    insert,
    literal_column,
    or_,
    select,
    table,
    update,
)
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.exc import IntegrityError

from pos_app.domain import errors
from pos_app.domain.customers import phone_digits, search_key
from pos_app.services.ports import Customer, CustomerRepository
from pos_app.store.models import customers
from pos_app.store.repositories._errors import translate

#: Words of a search shorter than this are not looked up in the trigram index.
TRIGRAM = 3
DETAILS = ("source_id", "name", "email", "phone")

_BY_ID = select(customers).where(customers.c.id == bindparam("b_id"))
_BY_SOURCE = select(customers).where(customers.c.source_id == bindparam("b_source"))
_INSERT = insert(customers)
_SAVE = update(customers).where(customers.c.id == bindparam("b_id"))
_GIVE_WAY = update(customers).where(customers.c.source_id == bindparam("b_source"),
                                    customers.c.id != bindparam("b_id")).values(source_id=None)
_upsert = sqlite_insert(customers)
_UPSERT = _upsert.on_conflict_do_update(index_elements=[customers.c.id],
                                        set_={name: _upsert.excluded[name] for name in DETAILS})
# ``customers_search`` is an FTS5 virtual table, which the models cannot declare (migration 0008 creates it in SQL
# and Alembic leaves it alone: ``migrate.include_name``). A lightweight table names its columns for Core
# statements; FTS5's own syntax, ``customers_search MATCH :query`` on the table itself, is the one thing SQLAlchemy
# cannot express, so it is a custom operator on the table's name.
_search = table("customers_search", column("rowid"), column("customer_id"), column("name"), column("email"),
                column("phone"))
_UNINDEX = delete(_search).where(_search.c.rowid == bindparam("b_rowid"))
_INDEX = insert(_search)
_FOUND = (
    select(customers)
    .select_from(_search.join(customers, customers.c.id == _search.c.customer_id))
    .order_by(customers.c.name, customers.c.id)
    .limit(bindparam("b_limit"))
)
_MATCH = _FOUND.where(literal_column("customers_search").op("MATCH")(bindparam("b_match", type_=String)))
_LIKE = _FOUND.where(or_(_search.c.name.like(bindparam("b_like", type_=String), escape="\\"),
                         _search.c.email.like(bindparam("b_like", type_=String), escape="\\")))


def search_rowid(customer_id: str) -> int:
    """The customer's row in ``customers_search``: 63 bits of a hash of the id (stable, unlike ``rowid``)."""
    return int.from_bytes(hashlib.blake2b(customer_id.encode(), digest_size=8).digest(), "big") >> 1


def customer_from_row(row: Row[Any]) -> Customer:
    return Customer(id=row.id, source_id=row.source_id, name=row.name, email=row.email, phone=row.phone)


def _phrase(words: str) -> str:
    return '"' + words.replace('"', '""') + '"'


def match_expression(text: str, phone: str | None) -> str | None:
    """FTS5's query: every word of ``text`` (three characters or more) in the name or the e-mail address, or the
    ``phone`` digits in the phone number; None when nothing can use the index."""
    words = [word for word in search_key(text).split() if len(word) >= TRIGRAM]
    found = [" AND ".join(f"{{name email}} : {_phrase(word)}" for word in words)] if words else []
    if phone is not None and len(phone) >= TRIGRAM:
        found.append(f"phone : {_phrase(phone)}")
    return " OR ".join(f"({part})" for part in found) or None


class SqlCustomerRepository(CustomerRepository):
    def __init__(self, conn: Connection) -> None:
        self._conn = conn

    def add(self, customer: Customer) -> None:
        values = {name: getattr(customer, name) for name in DETAILS}
        values.update(id=customer.id, created_at=datetime.now(UTC))
        try:
            self._conn.execute(_INSERT, values)
        except IntegrityError as exc:
            raise (translate(exc, "customer") or exc) from exc
        self._index(customer)

    def get(self, customer_id: str) -> Customer | None:
        row = self._conn.execute(_BY_ID, {"b_id": customer_id}).first()
        return None if row is None else customer_from_row(row)

    def get_by_source_id(self, source_id: str) -> Customer | None:
        row = self._conn.execute(_BY_SOURCE, {"b_source": source_id}).first()
        return None if row is None else customer_from_row(row)

    def save(self, customer: Customer) -> None:
        values: dict[str, Any] = {name: getattr(customer, name) for name in DETAILS}
        values["b_id"] = customer.id
        try:
            result = self._conn.execute(_SAVE, values)
        except IntegrityError as exc:
            raise (translate(exc, "customer") or exc) from exc
        if result.rowcount != 1:
            raise errors.NotFound(f"customer {customer.id} is not in the store")
        self._index(customer)

    def upsert(self, customers: Sequence[Customer]) -> None:
        now = datetime.now(UTC)
        for customer in customers:
            if customer.source_id is not None:
                self._conn.execute(_GIVE_WAY, {"b_source": customer.source_id, "b_id": customer.id})
            values: dict[str, Any] = {name: getattr(customer, name) for name in DETAILS}
            values.update(id=customer.id, created_at=now)
            self._conn.execute(_UPSERT, values)
            self._index(customer)

    def search(self, text: str, *, phone: str | None = None, limit: int = 50) -> list[Customer]:
        match = match_expression(text, phone)
        if match is not None:
            rows = self._conn.execute(_MATCH, {"b_match": match, "b_limit": limit})
        else:
            key = search_key(text)
            like = "%" + key.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
            rows = self._conn.execute(_LIKE, {"b_like": like, "b_limit": limit})
        return [customer_from_row(row) for row in rows]

    def _index(self, customer: Customer) -> None:
        rowid = search_rowid(customer.id)
        self._conn.execute(_UNINDEX, {"b_rowid": rowid})
        self._conn.execute(_INDEX, {
            "rowid": rowid, "customer_id": customer.id,
            "name": None if customer.name is None else search_key(customer.name),
            "email": None if customer.email is None else search_key(customer.email),
            "phone": None if customer.phone is None else phone_digits(customer.phone),
        })
