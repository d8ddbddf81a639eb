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
from pos_app.server.db.engine import Stale
from pos_app.server.db.models import cards, devices, entries, failed_lookups, settings, users
from pos_app.server.db.shop_models import shops
from pos_app.server.holds import held_on
from pos_app.server.ledger import (
    CARD,
    DEFAULT_STORE,
    ENTRY,
    SAVE_CARD,
    STORE_KEY,
    append_changes,
    save_cards,
    store_zone,
)
from pos_app.server.rows import card_from_row, card_update, entry_from_row
from pos_app.server.rules import any_rule, campaign_active
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
         devices.c.last_seen_at, devices.c.unsynced,
         any_rule(LOCKED_CARD.c.id, LOCKED_CARD.c.campaign_id).label("has_rules"),
         campaign_active(LOCKED_CARD.c.campaign_id).label("campaign_active"),
         held_on(LOCKED_CARD.c.id, bindparam("at")).label("held"))
#: The first read, one round trip for what the request's credentials say: the device behind the token, an
#: entry with the request's id (a replay), whether the device failed a lookup lately, and the operator if active;
#: the store's setting and the till's shop's time zone (the days and hours the card's rules are read in), when the
#: till was last seen (``tills.note_seen``); whether any
#: validation rule applies to the card and its campaign's ``active`` flag (``rules.any_rule``,
#: ``rules.campaign_active``); what the API's LOCK sessions hold on it (``holds``; see :data:`SAVE_REDEEMED`);
#: and the card, locked (``LOCKED_CARD``). One statement where there were four (the card's rules, its campaign's
#: flag and its holds were each read by one of their own; the rules still are, for a card that has some), and an
#: authorisation cost 3.2-3.8 ms of the server's CPU on a quiet machine (p99 265-516 ms from one server process,
#: 28-93 ms from two, for 16 tills sending 350 a second). Measured side by side on the shared machine (load
#: average 4-13 on its two cores), seven runs of each, the paced rows of ``tests/server/benchmark.py``
#: (2026-12-07): 2.7-4.4 ms of the server's CPU (6.7 once, at load 13) and 0.9-1.6 ms of PostgreSQL's per
#: authorisation with those statements, 1.7-2.8 ms and 0.7-1.2 ms with this one; at the quietest (load 4-6) a p99
#: of 642-1536/845-1742 ms before, 211-215/156-350 ms after (one/two server processes): the target (p99 ≤ 50 ms)
#: waits for a quiet machine to be shown.
#: Nothing of the card is used before the token, the replay and the till's failed lookups are checked
#: (``authorise.authorise``); on a refusal the transaction rolls back, and its lock goes with it.
FIRST = (
    select(*_HEAD, *LOCKED_CARD.c)
    .select_from(
        devices.outerjoin(entries, entries.c.id == bindparam("entry_id"))
        .outerjoin(users, and_(users.c.id == bindparam("operator_id"), users.c.active.is_(True)))
        .outerjoin(LOCKED_CARD, true())
    )
    .where(devices.c.token_hash == bindparam("token_hash"))
)
#: The card's update after a successful redemption, done only if the API's sessions hold no more on it than the
#: redemption was decided with (``:b_held``, read by :data:`FIRST`). On PostgreSQL a statement reads as of its
#: start: a validation that held the card's lock while :data:`FIRST` waited for it, or took and released it just
#: before, may have committed a hold that :data:`FIRST` did not see. This statement starts once the card is locked:
#: it sees every hold there is (a hold is made under the card's lock), and when there is more, the transaction is
#: run again (``db.engine.Stale``), its first read now seeing it. A refusal changes nothing a validation read, and a
#: hold released meanwhile only held back more than needed: neither needs the check. Read in a statement of its
#: own after the first read, the hold took 16% of the server's Python time under the paced load (py-spy, --gil).
SAVE_REDEEMED = SAVE_CARD.where(held_on(cards.c.id, bindparam("b_at")) <= bindparam("b_held"))
ENTRY_BY_ID = select(entries).where(entries.c.id == bindparam("id"))
INSERT_ENTRY = insert(entries)  # built once: a statement made anew on every call is keyed anew for the cache
REFUNDED = select(func.coalesce(func.sum(entries.c.amount), 0)).where(
    entries.c.refund_of == bindparam("id"), entries.c.result == literal_column("'SUCCESS'")
)


class First(NamedTuple):
    """The device behind the token (``id``, ``revoked_at``), an entry with the request's id if any, whether the
    device failed a card lookup lately, the request's operator if they are an active person, the store's
    setting (None: not set yet), the till's shop's time zone (None: no shop), when the till was last seen and the
    unsynced entries it said it held, whether any rule applies to the card and its campaign's flag (None: no campaign),
    what sessions hold on it (as of the statement's start: see :data:`SAVE_REDEEMED`), and the card with the
    request's code, locked (None: no such card), without its rules yet (``authorise``)."""

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
    has_rules: bool
    campaign_active: bool | None
    held: int
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

    def first(self, token_hash: str, entry_id: str, operator_id: str | None, code: str, at: datetime,
              since: datetime) -> First | None:
        row = self.conn.execute(FIRST, {"token_hash": token_hash, "entry_id": entry_id, "operator_id": operator_id,
                                        "code": code, "since": since, "at": at}).first()
        if row is None:
            return None
        head = len(_HEAD)
        card = None if row[head] is None else card_from_row(dict(zip(_CARD_KEYS, row[head:], strict=True)))
        return First._make((*row[:head - 1], int(row[head - 1]), card))  # (a sum: NUMERIC on PostgreSQL)

    def entry(self, entry_id: str) -> Entry | None:
        row = self.conn.execute(ENTRY_BY_ID, {"id": entry_id}).mappings().first()
        return None if row is None else entry_from_row(row)

    def refunded(self, entry_id: str) -> int:
        """What the successful refunds naming ``entry_id`` gave back (read under the card's lock)."""
        return int(self.conn.execute(REFUNDED, {"id": entry_id}).scalar_one())

    def write(self, changed: GiftCard | None, row: dict[str, Any], *, held: int | None = None,
              at: datetime | None = None) -> int:
        """The card (when it changed), the entry and the change-log lines; returns the entry's ``server_seq``.
        ``held``: a redemption's, what the sessions held on the card at ``at`` as it was decided with (see
        :data:`SAVE_REDEEMED`)."""
        lines = [(ENTRY, row["id"])]
        if changed is not None:
            if held is None:
                save_cards(self.conn, [changed])
            elif self.conn.execute(SAVE_REDEEMED, {**card_update(changed), "b_held": held, "b_at": at}).rowcount != 1:
                raise Stale("a validation session held more on the card once it was locked")
            lines.insert(0, (CARD, changed.id))
        seq = append_changes(self.conn, lines)[-1]  # the card is locked: its entries are numbered in their order
        self.conn.execute(INSERT_ENTRY, {**row, "server_seq": seq})
        return seq
