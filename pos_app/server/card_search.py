"""Finding cards at head office: by the whole code, by part of a code, by customer; and a card's history across every
till. The console's card pages read through these (``console.cards``); each query is served by an index at a
million cards (migration ``0018_card_search``).

* **Whole code**: exactly as typed, or a readable code forgiven its case, spaces and hyphens (``cards_admin``).
* **Part of a code**: at least :data:`MIN_PART` characters, case-insensitive, hyphens and spaces ignored on both
  sides (``7xzp-ab`` finds ``GC-7XZP-AB…``). On PostgreSQL a trigram GIN index (``pg_trgm``) on the code so
  folded serves ``LIKE '%part%'``; on SQLite it is a scan of the cards (about a second at a million: acceptable for
  the small chains that run the server on SQLite, and said so in the README).
* **History**: a card's entries, newest first, each with its till's and shop's names (``devices.shop_id`` →
  ``shops.name``), an API key's name, or head office.
* **Customer**: part of their name, e-mail or ``source_id`` (at least :data:`MIN_CUSTOMER` characters, case-
  insensitive; trigram indexes on PostgreSQL), with the cards given to each (an index on ``cards.customer_id``).
  Customers deleted through the API are not found: their details were erased on purpose.

Lists page by cursor, never by OFFSET: cards and customers by id (``after``), a card's history by the server's
sequence number (``before``). A cursor is an id, never a code: codes are bearer money and stay out of URLs.

A search that finds nothing is a failed look-up of its caller (a console user, ``console:<id>``), recorded and
rate-limited like a till's or an API key's (``server.lookups``): the search box is no way to guess codes.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Generic, TypeVar

from sqlalchemy import (
    ColumnElement,
    Connection,
    RowMapping,
    Select,
    String,
    bindparam,
    func,
    literal_column,
    or_,
    select,
)
from sqlalchemy.sql.elements import BindParameter

from pos_app.domain import errors
from pos_app.domain.cards import GiftCard
from pos_app.domain.codes import fixed_tail, mask
from pos_app.domain.ledger import Entry
from pos_app.domain.terms import CardChange
from pos_app.server import lookups
from pos_app.server.cards_admin import changes_of, code_candidates
from pos_app.server.conflicts import SERVER_DEVICE
from pos_app.server.db.console_models import console_users
from pos_app.server.db.models import (
    api_keys,
    campaigns,
    cards,
    customers,
    deleted_vouchers,
    devices,
    entries,
    users,
)
from pos_app.server.db.shop_models import shops
from pos_app.server.rows import card_from_row, entry_from_row
from pos_app.server.rules import with_rules
from pos_app.server.staff import OPERATOR_PREFIX, operator_of

PAGE = 50
MIN_PART = 4
MIN_CUSTOMER = 3
MAX_QUERY = 200
CARDS_PER_CUSTOMER = 20

T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class Page(Generic[T]):
    """One page of a list; ``next``: the cursor of the page after it (None: this is the last)."""

    rows: list[T]
    next: str | None = None


@dataclass(frozen=True, slots=True)
class CardLine:
    """A card as a list shows it: masked, never its whole code."""

    id: str
    masked: str
    status: str
    balance: int
    currency: str
    campaign: str | None
    expires_at: datetime | None


@dataclass(frozen=True, slots=True)
class CustomerLine:
    id: str
    source_id: str
    name: str | None
    email: str | None
    phone: str | None
    cards: list[CardLine] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class Found:
    """What the search box found: the card of a whole code (``card_id``), else cards by part of their code and
    customers."""

    query: str
    card_id: str | None = None
    cards: Page[CardLine] = field(default_factory=lambda: Page([]))
    customers: Page[CustomerLine] = field(default_factory=lambda: Page([]))

    @property
    def nothing(self) -> bool:
        return self.card_id is None and not self.cards.rows and not self.customers.rows


@dataclass(frozen=True, slots=True)
class HistoryLine:
    """One entry of a card with where it was made — a till (``till``: its name; ``shop``: its shop's), an API key
    (``api_key``: its name), or head office (``by_head_office``) — and who made it (``operator``: a till person's
    name, a console user's e-mail, or the operator id as recorded)."""

    entry: Entry
    till: str | None
    api_key: str | None
    operator: str | None
    shop: str | None = None  # the till's shop (None: a till enrolled before shops, or not made at a till)
    shop_zone: str | None = None  # its time zone (IANA name), in which the shop read the entry's time

    @property
    def by_head_office(self) -> bool:
        return self.entry.device_id == SERVER_DEVICE

    @property
    def made_by(self) -> str:
        """Where it was made, in English (the console's page says it in the viewer's language)."""
        if self.till is not None:
            return self.till
        if self.api_key is not None:
            return f"API key {self.api_key}"
        return "head office" if self.by_head_office else self.entry.device_id


@dataclass(frozen=True, slots=True)
class CardPage:
    card: GiftCard  # with its validation rules
    masked: str
    campaign: str | None
    customer: CustomerLine | None
    changes: list[CardChange]
    deleted_at: datetime | None = None  # deleted through the API (``voucher_changes.delete_voucher``): hidden there


def part_key(text: str) -> str:
    """What a part of a code is compared as: lower case, without spaces and hyphens."""
    return "".join(text.split()).replace("-", "").lower()


def folded_code() -> ColumnElement[str]:
    """The code as :func:`part_key` folds it, written as the trigram index's expression is: literals, not bound
    parameters, so that PostgreSQL matches the query to the index in a prepared statement's generic plan too
    (psycopg prepares a statement run five times)."""
    return func.lower(func.replace(cards.c.code, literal_column("'-'"), literal_column("''")))


def _contains(text: str) -> BindParameter[str]:
    """``LIKE '%text%'``'s pattern, written into the statement (``literal_execute``) rather than bound: a prepared
    statement's generic plan (psycopg prepares a statement run five times, whatever its parameters) cannot tell a
    rare part from a common one and walks the whole table by id — 0.5 s for a customer at 200,000, measured —
    where the pattern's own plan reads the trigram index."""
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return bindparam(None, f"%{escaped}%", type_=String(), literal_execute=True)


def _card_lines(conn: Connection, stmt: Select[Any]) -> list[CardLine]:
    return [_line(r) for r in conn.execute(stmt).mappings()]


def _listed() -> Select[Any]:
    return (select(cards.c.id, cards.c.code, cards.c.status, cards.c.balance, cards.c.currency, cards.c.customer_id,
                   cards.c.expiration_date, campaigns.c.name.label("campaign"),
                   campaigns.c.code_config.label("code_config"))
            .outerjoin(campaigns, campaigns.c.id == cards.c.campaign_id))


def _line(r: RowMapping) -> CardLine:
    return CardLine(id=r["id"], masked=mask(r["code"], tail=fixed_tail(r["code_config"] or {})), status=r["status"],
                    balance=int(r["balance"]), currency=r["currency"], campaign=r["campaign"],
                    expires_at=r["expiration_date"])


def by_code(conn: Connection, text: str) -> str | None:
    """The id of the card whose whole code ``text`` is (exactly, else a readable code's canonical form)."""
    try:
        typed, candidates = code_candidates(text)
    except errors.InvalidCode:  # too long, control characters: no card has it
        return None
    rows = conn.execute(select(cards.c.id, cards.c.code).where(cards.c.code.in_(sorted(candidates)))).all()
    exact = [r.id for r in rows if r.code == typed]
    return exact[0] if exact else (rows[0].id if rows else None)


def by_part(conn: Connection, text: str, *, after: str | None = None, limit: int = PAGE) -> Page[CardLine]:
    """Cards whose code contains ``text`` (see :func:`part_key`), by id; ``invalid_query_params`` when it is
    shorter than :data:`MIN_PART`."""
    return _paged(_card_lines(conn, part_query(text, after=after, limit=limit + 1)), limit, lambda line: line.id)


def part_query(text: str, *, after: str | None = None, limit: int = PAGE) -> Select[Any]:
    """The statement of :func:`by_part` (``limit`` rows)."""
    part = part_key(text)
    if len(part) < MIN_PART:
        raise errors.InvalidQueryParams(f"part of a code has at least {MIN_PART} characters")
    stmt = _listed().where(folded_code().like(_contains(part), escape="\\")).order_by(cards.c.id).limit(limit)
    return stmt if not after else stmt.where(cards.c.id > after)


def by_customer(conn: Connection, text: str, *, after: str | None = None, limit: int = PAGE) -> Page[CustomerLine]:
    """Customers whose name, e-mail or ``source_id`` contains ``text`` (case-insensitive), by id, each with the
    cards given to them (the first :data:`CARDS_PER_CUSTOMER`)."""
    found = [dict(r) for r in conn.execute(customer_query(text, after=after, limit=limit + 1)).mappings()]
    page = _paged(found, limit, lambda c: str(c["id"]))
    owned = _cards_of(conn, [c["id"] for c in page.rows])
    return Page([CustomerLine(**c, cards=owned.get(c["id"], [])) for c in page.rows], page.next)


def customer_query(text: str, *, after: str | None = None, limit: int = PAGE) -> Select[Any]:
    """The statement of :func:`by_customer`'s customers (``limit`` rows)."""
    wanted = " ".join(text.split()).lower()
    if len(wanted) < MIN_CUSTOMER:
        raise errors.InvalidQueryParams(f"a customer is looked up by at least {MIN_CUSTOMER} characters")
    like = _contains(wanted)
    stmt = (select(customers.c.id, customers.c.source_id, customers.c.name, customers.c.email, customers.c.phone)
            .where(customers.c.deleted_at.is_(None),
                   or_(func.lower(customers.c.name).like(like, escape="\\"),
                       func.lower(customers.c.email).like(like, escape="\\"),
                       func.lower(customers.c.source_id).like(like, escape="\\")))
            .order_by(customers.c.id).limit(limit))
    return stmt if not after else stmt.where(customers.c.id > after)


def _cards_of(conn: Connection, customer_ids: Sequence[str]) -> dict[str, list[CardLine]]:
    if not customer_ids:
        return {}
    owned: dict[str, list[CardLine]] = {}
    for r in conn.execute(_listed().where(cards.c.customer_id.in_(customer_ids)).order_by(cards.c.id)).mappings():
        lines = owned.setdefault(r["customer_id"], [])
        if len(lines) < CARDS_PER_CUSTOMER:
            lines.append(_line(r))
    return owned


def _paged(rows: list[T], limit: int, key: Any) -> Page[T]:
    if len(rows) > limit:
        return Page(rows[:limit], key(rows[limit - 1]))
    return Page(rows)


def search(conn: Connection, text: str, *, caller: str, at: datetime, after: str | None = None,
           after_customer: str | None = None) -> Found:
    """What the search box finds for ``text``: the card of a whole code, else cards by part of their code (at least
    :data:`MIN_PART` characters) and customers (:data:`MIN_CUSTOMER`). ``caller`` waits first when their failed
    look-ups say they may be guessing (429); a search that finds nothing is recorded as one (needs a write
    transaction: ``conn``)."""
    query = " ".join(text.split())[:MAX_QUERY]
    if not query:
        return Found(query)
    lookups.check(conn, caller, at)
    card_id = by_code(conn, query) if after is None and after_customer is None else None
    if card_id is not None:
        return Found(query, card_id=card_id)
    found = Found(
        query,
        cards=by_part(conn, query, after=after) if len(part_key(query)) >= MIN_PART and after_customer is None
        else Page([]),
        customers=by_customer(conn, query, after=after_customer) if len(query) >= MIN_CUSTOMER and after is None
        else Page([]),
    )
    if found.nothing and after is None and after_customer is None:
        lookups.record(conn, caller, query, at, channel="console")
    return found


def card_page(conn: Connection, card_id: str) -> CardPage:
    """The card with ``card_id`` (with its rules), its masked code, campaign, customer and latest changes of its
    terms; ``not_found`` for an unknown id."""
    row = conn.execute(select(cards, campaigns.c.name.label("campaign"), campaigns.c.code_config.label("code_config"))
                       .outerjoin(campaigns, campaigns.c.id == cards.c.campaign_id)
                       .where(cards.c.id == card_id)).mappings().first()
    if row is None:
        raise errors.NotFound("no card with that id")
    card = card_from_row(row)
    with_rules(conn, card)
    customer = None
    if card.customer_id is not None:
        who = conn.execute(select(customers.c.id, customers.c.source_id, customers.c.name, customers.c.email,
                                  customers.c.phone).where(customers.c.id == card.customer_id)).mappings().first()
        customer = None if who is None else CustomerLine(**dict(who))
    deleted = conn.execute(select(deleted_vouchers.c.deleted_at).where(deleted_vouchers.c.card_id == card.id))
    return CardPage(card=card, masked=_line(row).masked, campaign=row["campaign"], customer=customer,
                    changes=changes_of(conn, card.id), deleted_at=deleted.scalar_one_or_none())


def history(conn: Connection, card_id: str, *, before: int | None = None, limit: int = PAGE) -> Page[HistoryLine]:
    """The card's entries from every till, newest first (by the server's sequence), with where and by whom each
    was made."""
    stmt = (select(entries, devices.c.name.label("till_name"), shops.c.name.label("shop_name"),
                   shops.c.time_zone.label("shop_zone"),
                   api_keys.c.name.label("key_name"), users.c.name.label("operator_name"))
            .outerjoin(devices, devices.c.id == entries.c.device_id)
            .outerjoin(shops, shops.c.id == devices.c.shop_id)
            .outerjoin(api_keys, api_keys.c.id == entries.c.device_id)
            .outerjoin(users, users.c.id == entries.c.operator_id)
            .where(entries.c.card_id == card_id).order_by(entries.c.server_seq.desc()).limit(limit + 1))
    if before is not None:
        stmt = stmt.where(entries.c.server_seq < before)
    rows = conn.execute(stmt).mappings().all()
    people = _console_people(conn, {r["operator_id"] for r in rows})
    lines = [HistoryLine(entry=entry_from_row(r), till=r["till_name"], shop=r["shop_name"], shop_zone=r["shop_zone"],
                         api_key=r["key_name"],
                         operator=r["operator_name"] or people.get(r["operator_id"]) or r["operator_id"])
             for r in rows]
    return _paged(lines, limit, lambda line: str(line.entry.server_seq))


def _console_people(conn: Connection, operator_ids: set[str | None]) -> dict[str, str]:
    """The e-mail of each console user among ``operator_ids`` (``staff.operator_of``), by operator id."""
    wanted = {o.removeprefix(OPERATOR_PREFIX) for o in operator_ids if o and o.startswith(OPERATOR_PREFIX)}
    if not wanted:
        return {}
    rows = conn.execute(select(console_users.c.id, console_users.c.email).where(console_users.c.id.in_(wanted)))
    return {operator_of(r.id): r.email for r in rows}
