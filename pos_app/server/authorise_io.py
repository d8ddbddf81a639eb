"""The statements of online authorisation (SQLAlchemy Core, the same on SQLite and PostgreSQL), run by
``authorise.authorise`` in one write transaction."""

from __future__ import annotations

from datetime import datetime, tzinfo
from typing import Any, NamedTuple

from sqlalchemy import Connection, and_, bindparam, exists, func, insert, literal_column, select, true

from pos_app.domain.cards import GiftCard
from pos_app.domain.ledger import Entry
from pos_app.domain.people import Actor, Role
from pos_app.domain.shop_time import shop_zone
from pos_app.server.db.models import cards, devices, entries, failed_lookups, settings, users
from pos_app.server.db.shop_models import shops
from pos_app.server.ledger import CARD, DEFAULT_STORE, ENTRY, STORE_KEY, append_changes, save_cards, store_zone
from pos_app.server.rows import card_from_row, entry_from_row
from pos_app.sync.schemas import StoreInfo

#: The card the request names, locked until the commit: ``SELECT … FOR UPDATE`` on PostgreSQL (a sub-select, as the
#: card is on the nullable side of the first read's outer join); on SQLite the transaction holds the database's write
#: lock already (``BEGIN IMMEDIATE``) and SQLAlchemy leaves the clause out.
LOCKED_CARD = select(cards).where(cards.c.code == bindparam("code")).with_for_update().subquery("card")
_CARD_KEYS = tuple(c.key for c in cards.c)
_HEAD = (devices.c.id, devices.c.revoked_at, entries.c.code, entries.c.answer,
         exists().where(failed_lookups.c.caller == devices.c.id, failed_lookups.c.at > bindparam("since"))
         .label("failed_lately"),
         users.c.id.label("operator_id"), users.c.name.label("operator_name"), users.c.role.label("operator_role"),
         select(settings.c.value).where(settings.c.key == STORE_KEY).scalar_subquery().label("store"),
         select(shops.c.time_zone).where(shops.c.id == devices.c.shop_id).scalar_subquery().label("shop_zone"),
         devices.c.last_seen_at, devices.c.unsynced)
#: The first read, one round trip for what the request's credentials say: the device behind the token, an
#: entry with the request's id (a replay), whether the device failed a lookup lately, and the operator if active;
#: the store's setting and the till's shop's time zone (the days and hours the card's rules are read in), when the
#: till was last seen (``tills.note_seen``); and the card,
#: locked (``LOCKED_CARD``). One statement where the card's lock was a second: a round trip and a statement fewer
#: per authorisation, for the server's CPU and PostgreSQL's (``tests/server/benchmark.py``). Nothing of the card is
#: used before the token, the replay and the till's failed lookups are checked (``authorise.authorise``); on a
#: refusal the transaction rolls back, and its lock goes with it.
FIRST = (
    select(*_HEAD, *LOCKED_CARD.c)
    .select_from(
        devices.outerjoin(entries, entries.c.id == bindparam("entry_id"))
        .outerjoin(users, and_(users.c.id == bindparam("operator_id"), users.c.active.is_(True)))
        .outerjoin(LOCKED_CARD, true())
    )
    .where(devices.c.token_hash == bindparam("token_hash"))
)
ENTRY_BY_ID = select(entries).where(entries.c.id == bindparam("id"))
INSERT_ENTRY = insert(entries)  # built once: a statement made anew on every call is keyed anew for the cache
REFUNDED = select(func.coalesce(func.sum(entries.c.amount), 0)).where(
    entries.c.refund_of == bindparam("id"), entries.c.result == literal_column("'SUCCESS'")
)


class First(NamedTuple):
    """The device behind the token (``id``, ``revoked_at``), an entry with the request's id if any, whether the
    device failed a card lookup lately, the request's operator if they are an active person, the store's
    setting (None: not set yet), the till's shop's time zone (None: no shop), when the till was last seen and the
    unsynced entries it said it held, and the card with the request's code, locked (None: no such card)."""

    id: str
    revoked_at: datetime | None
    code: str | None
    answer: str | None
    failed_lately: bool
    operator_id: str | None
    operator_name: str | None
    operator_role: str | None
    store: dict[str, Any] | None
    shop_zone: str | None
    last_seen_at: datetime | None
    unsynced: int | None
    card: GiftCard | None

    @property
    def operator(self) -> Actor | None:
        if self.operator_id is None or self.operator_name is None or self.operator_role is None:
            return None
        return Actor(user_id=self.operator_id, name=self.operator_name, role=Role(self.operator_role))

    @property
    def zone(self) -> tzinfo:
        """The till's shop's time zone, else the store's (``shops.till_zone``)."""
        if self.shop_zone is not None:
            return shop_zone(self.shop_zone)
        return store_zone(DEFAULT_STORE if self.store is None else StoreInfo.model_validate(self.store))


class CoreStatements:
    def __init__(self, conn: Connection) -> None:
        self.conn = conn

    def first(self, token_hash: str, entry_id: str, operator_id: str | None, code: str,
              since: datetime) -> First | None:
        row = self.conn.execute(FIRST, {"token_hash": token_hash, "entry_id": entry_id, "operator_id": operator_id,
                                        "code": code, "since": since}).first()
        if row is None:
            return None
        head = len(_HEAD)
        card = None if row[head] is None else card_from_row(dict(zip(_CARD_KEYS, row[head:], strict=True)))
        return First._make((*row[:head], card))

    def entry(self, entry_id: str) -> Entry | None:
        row = self.conn.execute(ENTRY_BY_ID, {"id": entry_id}).mappings().first()
        return None if row is None else entry_from_row(row)

    def refunded(self, entry_id: str) -> int:
        """What the successful refunds naming ``entry_id`` gave back (read under the card's lock)."""
        return int(self.conn.execute(REFUNDED, {"id": entry_id}).scalar_one())

    def write(self, changed: GiftCard | None, row: dict[str, Any]) -> int:
        """The card (when it changed), the entry and the change-log lines; returns the entry's ``server_seq``."""
        lines = [(ENTRY, row["id"])]
        if changed is not None:
            save_cards(self.conn, [changed])
            lines.insert(0, (CARD, changed.id))
        seq = append_changes(self.conn, lines)[-1]  # the card is locked: its entries are numbered in their order
        self.conn.execute(INSERT_ENTRY, {**row, "server_seq": seq})
        return seq
