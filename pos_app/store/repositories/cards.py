"""Gift cards: rows ↔ :class:`GiftCard`, the redemption look-up and the bulk insert of a campaign.

On the hot path (see ``_prepared``): statements are Core, compiled once, run on the driver connection.

A card's state from the server (a pull page, an online authorisation's answer) replaces the one here only when
it is newer: its ``version`` (which grows with every change on the server) above the ``server_version`` kept
with the card. A pull page fetched just before an online operation would otherwise put back, for a while, the
state from before it. The same version again only refreshes ``synced_at`` (the server still says so).
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable, Iterator, Sequence
from datetime import UTC, datetime, time
from typing import Any

from sqlalchemy import (
    BindParameter,
    ColumnClause,
    Connection,
    String,
    and_,
    bindparam,
    case,
    func,
    insert,
    literal_column,
    or_,
    select,
    update,
)
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from pos_app.domain import errors
from pos_app.domain.cards import CardStatus, GiftCard, Validity
from pos_app.services.ports import CardRepository
from pos_app.store.models import campaigns, cards, customers, datetime_from_db, datetime_to_db
from pos_app.store.repositories._errors import translate
from pos_app.store.repositories._prepared import INTEGRITY_ERRORS, Driver, Prepared

#: Look codes up in chunks well below SQLite's limit on bound parameters.
CODES_PER_QUERY = 500

COLUMNS = tuple(cards.c.keys())
#: What a save writes: everything but the id, the code, the campaign, the currency, the creation time and when and
#: in which version the state last came from the server (a change made here does not make it fresher).
MUTABLE = tuple(
    name for name in COLUMNS
    if name not in {"id", "code", "campaign_id", "currency", "created_at", "synced_at", "server_version"}
)

_ROWID: ColumnClause[Any] = literal_column("cards.rowid")
_BY_CODE = Prepared(select(cards).where(cards.c.code == bindparam("b_code")))
_BY_ID = Prepared(select(cards).where(cards.c.id == bindparam("b_id")))
_INSERT = Prepared(insert(cards), COLUMNS)
_SAVE = Prepared(update(cards).where(cards.c.id == bindparam("b_id")), MUTABLE)
_ALL = Prepared(select(cards).order_by(_ROWID))
_OF_CAMPAIGN = Prepared(select(cards).where(cards.c.campaign_id == bindparam("b_campaign")).order_by(_ROWID))
_SEARCH = Prepared(
    select(cards)
    .where(func.instr(func.lower(cards.c.code), func.lower(bindparam("b_text"))) > 0)
    .order_by(_ROWID)
    .limit(bindparam("b_limit"))
)
_OF_CUSTOMER = Prepared(select(cards).where(cards.c.customer_id == bindparam("b_customer")).order_by(_ROWID))
_SYNCED_AT = Prepared(select(cards.c.synced_at).where(cards.c.id == bindparam("b_id")))
_upsert = sqlite_insert(cards)
_newer = or_(cards.c.server_version.is_(None), _upsert.excluded.server_version > cards.c.server_version)
_fresher = and_(_upsert.excluded.server_version == cards.c.server_version,
                or_(cards.c.synced_at.is_(None), _upsert.excluded.synced_at > cards.c.synced_at))
#: A card from the server replaces the whole state of the one here (its id is the server's) if it is newer; the
#: same version again only says when it was still the server's. (One statement: a pull may bring 100,000 cards.)
_UPSERT = Prepared(
    _upsert.on_conflict_do_update(
        index_elements=[cards.c.id],
        set_={
            name: case((or_(_newer, _fresher), _upsert.excluded[name]), else_=cards.c[name]) if name == "synced_at"
            else case((_newer, _upsert.excluded[name]), else_=cards.c[name])
            for name in COLUMNS if name != "id"
        },
    ),
    COLUMNS,
)
# What a card from the server may refer to that the till has never seen: kept by id (pull carries no campaigns).
_KNOWN_CAMPAIGN = Prepared(
    sqlite_insert(campaigns).on_conflict_do_nothing(),
    ("id", "name", "currency", "amount", "code_config", "vouchers_count", "active", "created_at"),
)
_KNOWN_CUSTOMER = Prepared(sqlite_insert(customers).on_conflict_do_nothing(), ("id", "created_at"))
_EXISTING: dict[int, Prepared] = {}  # by number of codes; built on first use
_STATUS_TEXT = {status: status.value for status in CardStatus}


def _existing(n: int) -> Prepared:
    """``SELECT code FROM cards WHERE code IN (?, …)`` with ``n`` parameters ``c0`` … (SQLAlchemy's "expanding"
    IN would render the statement again for every call: a campaign of a million cards makes 2,000 of them)."""
    stmt = _EXISTING.get(n)
    if stmt is None:
        names: list[BindParameter[str]] = [bindparam(f"c{i}", type_=String) for i in range(n)]
        stmt = _EXISTING[n] = Prepared(select(cards.c.code).where(cards.c.code.in_(names)))
    return stmt


def _dt(value: datetime | None) -> str | None:
    return None if value is None else datetime_to_db(value)


def _from_dt(value: str | None) -> datetime | None:
    return None if value is None else datetime_from_db(value)


def _time_to_db(value: time | None) -> str | None:
    """``HH:MM`` (``HH:MM:SS`` only if the time has seconds), local time without a zone."""
    if value is None:
        return None
    plain = value.replace(tzinfo=None)
    return plain.isoformat(timespec="seconds" if plain.second or plain.microsecond else "minutes")


def _time_from_db(value: str | None) -> time | None:
    return None if value is None else time.fromisoformat(value)


def _days_to_db(days: frozenset[int] | None) -> str | None:
    """Weekdays (Monday = 0) as digits, e.g. ``"01234"``; None when every day is allowed."""
    return None if days is None else "".join(str(day) for day in sorted(days))


def _days_from_db(value: str | None) -> frozenset[int] | None:
    return None if value is None else frozenset(int(day) for day in value)


def card_to_db(card: GiftCard) -> dict[str, Any]:
    """Every column of the card's row, encoded as stored."""
    validity = card.validity
    return {
        "id": card.id,
        "code": card.code,
        "campaign_id": card.campaign_id,
        "currency": card.currency,
        "status": card.status.value,
        "loaded": card.loaded,
        "balance": card.balance,
        "redeemed": card.redeemed,
        "refunded": card.refunded,
        "redemption_count": card.redemption_count,
        "redemption_limit": card.redemption_limit,
        "initial_amount": card.initial_amount,
        "start_date": _dt(card.start_date),
        "expiration_date": _dt(card.expiration_date),
        "validity_days": _days_to_db(validity.days),
        "validity_start": _time_to_db(validity.start),
        "validity_end": _time_to_db(validity.end),
        "min_order_amount": card.min_order_amount,
        "customer_id": card.customer_id,
        "category": card.category,
        "metadata": json.dumps(card.metadata),
        "activated_at": _dt(card.activated_at),
        "created_at": _dt(card.created_at),
        "version": card.version,
        "synced_at": None,
        "server_version": None,
    }


def card_from_db(row: Sequence[Any]) -> GiftCard:
    """A card from a row of ``SELECT cards.*`` (columns in :data:`COLUMNS` order)."""
    r = dict(zip(COLUMNS, row, strict=True))
    return GiftCard(
        id=r["id"], code=r["code"], currency=r["currency"], campaign_id=r["campaign_id"],
        status=CardStatus(r["status"]), loaded=r["loaded"], balance=r["balance"], redeemed=r["redeemed"],
        refunded=r["refunded"], redemption_count=r["redemption_count"], redemption_limit=r["redemption_limit"],
        initial_amount=r["initial_amount"], start_date=_from_dt(r["start_date"]),
        expiration_date=_from_dt(r["expiration_date"]),
        validity=Validity(
            days=_days_from_db(r["validity_days"]), start=_time_from_db(r["validity_start"]),
            end=_time_from_db(r["validity_end"]),
        ),
        min_order_amount=r["min_order_amount"], customer_id=r["customer_id"], category=r["category"],
        metadata=json.loads(r["metadata"]), activated_at=_from_dt(r["activated_at"]),
        created_at=_from_dt(r["created_at"]), version=r["version"],
    )


def _new_rows(cards: Iterable[GiftCard], now: str) -> Iterator[tuple[Any, ...]]:
    """Row tuples for the bulk insert, in :data:`COLUMNS` order (a campaign's million cards pass through here).

    The same as ``_INSERT.args(card_to_db(card))``, a few times faster: no dict per card, and each distinct
    datetime (a campaign's cards share their dates) is encoded once.
    """
    encoded: dict[datetime, str] = {}
    validities: dict[Validity, tuple[str | None, str | None, str | None]] = {}

    def dt(value: datetime | None) -> str | None:
        if value is None:
            return None
        text = encoded.get(value)
        if text is None:
            text = encoded[value] = datetime_to_db(value)
        return text

    for card in cards:
        validity = validities.get(card.validity)
        if validity is None:
            v = card.validity
            validity = validities[v] = (_days_to_db(v.days), _time_to_db(v.start), _time_to_db(v.end))
        yield (
            card.id, card.code, card.campaign_id, card.currency, _STATUS_TEXT[card.status], card.loaded,
            card.balance, card.redeemed, card.refunded, card.redemption_count, card.redemption_limit,
            card.initial_amount, dt(card.start_date), dt(card.expiration_date), *validity,
            card.min_order_amount, card.customer_id, card.category,
            json.dumps(card.metadata) if card.metadata else "{}", dt(card.activated_at),
            dt(card.created_at) or now, card.version, None, None,
        )


class SqlCardRepository(CardRepository):
    def __init__(self, conn: Connection) -> None:
        self._driver = Driver(conn)

    def _one(self, cursor: sqlite3.Cursor) -> GiftCard | None:
        row = cursor.fetchone()
        return None if row is None else card_from_db(row)

    def _stream(self, cursor: sqlite3.Cursor) -> Iterator[GiftCard]:
        try:
            for row in cursor:
                yield card_from_db(row)
        finally:
            cursor.close()

    def get_by_code(self, code: str) -> GiftCard | None:
        return self._one(_BY_CODE.run(self._driver(), {"b_code": code}))

    def get(self, card_id: str) -> GiftCard | None:
        return self._one(_BY_ID.run(self._driver(), {"b_id": card_id}))

    def add_many(self, cards: Sequence[GiftCard]) -> None:
        rows = _new_rows(cards, datetime_to_db(datetime.now(UTC)))
        try:
            self._driver().executemany(_INSERT.sql, rows)
        except INTEGRITY_ERRORS as exc:
            raise (translate(exc, "card") or exc) from exc

    def add_copies(self, template: GiftCard, ids_and_codes: Sequence[tuple[str, str]]) -> None:
        """The campaign path: one row is encoded for the template, then only id and code change per card."""
        tail = next(_new_rows([template], datetime_to_db(datetime.now(UTC))))[2:]  # COLUMNS: id, code, …
        try:
            self._driver().executemany(_INSERT.sql, [(card_id, code, *tail) for card_id, code in ids_and_codes])
        except INTEGRITY_ERRORS as exc:
            raise (translate(exc, "card") or exc) from exc

    def save(self, card: GiftCard) -> None:
        values = card_to_db(card)
        values["b_id"] = card.id
        try:
            cursor = _SAVE.run(self._driver(), values)
        except INTEGRITY_ERRORS as exc:
            raise (translate(exc, "card") or exc) from exc
        if cursor.rowcount != 1:
            raise errors.NotFound(f"card {card.masked} is not in the store")

    def existing_codes(self, codes: Sequence[str]) -> set[str]:
        raw = self._driver()
        found: set[str] = set()
        for start in range(0, len(codes), CODES_PER_QUERY):
            chunk = codes[start : start + CODES_PER_QUERY]
            found.update(row[0] for row in raw.execute(_existing(len(chunk)).sql, tuple(chunk)))
        return found

    def iter_all(self, campaign_id: str | None = None) -> Iterator[GiftCard]:
        if campaign_id is None:
            return self._stream(_ALL.run(self._driver(), {}))
        return self._stream(_OF_CAMPAIGN.run(self._driver(), {"b_campaign": campaign_id}))

    def search(self, text: str, limit: int = 50) -> list[GiftCard]:
        return list(self._stream(_SEARCH.run(self._driver(), {"b_text": text, "b_limit": limit})))

    def of_customer(self, customer_id: str) -> list[GiftCard]:
        return list(self._stream(_OF_CUSTOMER.run(self._driver(), {"b_customer": customer_id})))

    def upsert(self, cards: Sequence[GiftCard], *, synced_at: datetime) -> None:
        if not cards:
            return
        raw = self._driver()
        when = datetime_to_db(synced_at)
        self._know_references(raw, cards, when)
        rows = []
        for card in cards:
            values = card_to_db(card)
            values["synced_at"] = when
            values["server_version"] = card.version
            values["created_at"] = values["created_at"] or when
            rows.append(_UPSERT.args(values))
        try:
            raw.executemany(_UPSERT.sql, rows)
        except INTEGRITY_ERRORS as exc:
            raise (translate(exc, "card from the server") or exc) from exc


    @staticmethod
    def _know_references(raw: sqlite3.Connection, cards: Sequence[GiftCard], when: str) -> None:
        campaigns_seen = {card.campaign_id: card for card in cards if card.campaign_id is not None}
        raw.executemany(_KNOWN_CAMPAIGN.sql, [
            _KNOWN_CAMPAIGN.args({
                "id": campaign_id, "name": f"campaign {campaign_id}", "currency": card.currency,
                "amount": card.initial_amount or 0, "code_config": "{}", "vouchers_count": 0, "active": True,
                "created_at": when,
            })
            for campaign_id, card in campaigns_seen.items()
        ])
        customer_ids = {card.customer_id for card in cards if card.customer_id is not None}
        raw.executemany(_KNOWN_CUSTOMER.sql, [(customer_id, when) for customer_id in sorted(customer_ids)])

    def synced_at(self, card_id: str) -> datetime | None:
        row = _SYNCED_AT.run(self._driver(), {"b_id": card_id}).fetchone()
        return None if row is None else _from_dt(row[0])
