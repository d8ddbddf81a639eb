"""The server's unit of work: the till's card use cases (``services.cards``) run on the central server's ledger,
so that head office's top-up, correction, disabling and enabling are the same code, and the same rules, as a
manager's at a till.

:class:`ServerUnitOfWork` is one write transaction (``BEGIN IMMEDIATE`` on SQLite; on PostgreSQL a card is locked
``FOR UPDATE`` when it is read, as the online authorisation locks it). What it writes reaches the tills by pull:

* a card saved and an entry added each get their line in the change log (``ledger``);
* an entry made here is confirmed at once, made on the server itself (:data:`SERVER_DEVICE`, origin ``server``, no
  till number), and takes its line's number as its ``server_seq``;
* head office's maxima (setting ``policy``) are the ones the server applies to tills, without a till's daily cap.

Who acts is :data:`HEAD_OFFICE`, a manager who is nobody in particular: its entries name no operator.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import replace
from datetime import datetime
from types import TracebackType
from typing import Any, Self

from sqlalchemy import Connection, Engine, func, insert, select, update

from pos_app.domain.cards import GiftCard
from pos_app.domain.ledger import Entry, EntryStatus
from pos_app.domain.people import Actor, Role
from pos_app.server.conflicts import SERVER_DEVICE
from pos_app.server.db.engine import read
from pos_app.server.db.models import entries, settings
from pos_app.server.ledger import (
    CARD,
    ENTRY,
    lock_cards,
    log_one,
    now,
    policy_values,
    save_cards,
    store_info,
    store_zone,
)
from pos_app.server.rows import entry_from_row, entry_to_row
from pos_app.server.rules import with_rules
from pos_app.services.context import Caller
from pos_app.services.enrolment import POLICY
from pos_app.services.ports import (
    CardLookup,
    CardsUnitOfWork,
    EntryLedger,
    SettingsRepository,
)

#: Head office on the server: may do what a manager may; its entries name no operator.
HEAD_OFFICE = Actor(user_id="", name="head office", role=Role.MANAGER)


def head_office(engine: Engine, clock: Callable[[], datetime] = now) -> Caller:
    """Head office as the caller of a use case, in the shop's time zone (the store's setting)."""
    zone = read(engine, lambda conn: store_zone(store_info(conn)))
    return Caller(actor=HEAD_OFFICE, device_id=SERVER_DEVICE, clock=clock, zone=zone)


class _Cards(CardLookup):
    def __init__(self, conn: Connection) -> None:
        self._conn = conn

    def get_by_code(self, code: str) -> GiftCard | None:
        found = lock_cards(self._conn, [], [code])
        return with_rules(self._conn, found[0]) if found else None

    def get(self, card_id: str) -> GiftCard | None:
        found = lock_cards(self._conn, [card_id], [])
        return with_rules(self._conn, found[0]) if found else None

    def save(self, card: GiftCard) -> None:
        save_cards(self._conn, [card])
        log_one(self._conn, CARD, card.id)


class _Entries(EntryLedger):
    def __init__(self, conn: Connection, clock: Callable[[], datetime]) -> None:
        self._conn, self._clock = conn, clock
        self.added: list[Entry] = []  # in this transaction

    def add(self, entry: Entry) -> Entry:
        entry = replace(entry, status=EntryStatus.CONFIRMED, server_seq=log_one(self._conn, ENTRY, str(entry.id)))
        self._conn.execute(insert(entries), entry_to_row(entry, received_at=self._clock(), origin="server"))
        self.added.append(entry)
        return entry

    def get(self, entry_id: uuid.UUID) -> Entry | None:
        row = self._conn.execute(select(entries).where(entries.c.id == str(entry_id))).mappings().first()
        return None if row is None else entry_from_row(row)

    def for_card(self, card_id: str, limit: int | None = None) -> list[Entry]:
        stmt = select(entries).where(entries.c.card_id == card_id).order_by(entries.c.server_seq.desc()).limit(limit)
        return [entry_from_row(r) for r in self._conn.execute(stmt).mappings()]

    def refunded(self, redemption_id: uuid.UUID) -> int:
        stmt = select(func.coalesce(func.sum(entries.c.amount), 0)).where(
            entries.c.refund_of == str(redemption_id), entries.c.result == "SUCCESS")
        return int(self._conn.execute(stmt).scalar_one())


class _Settings(SettingsRepository):
    """The server's settings as the use cases read them. ``policy`` is head office's maxima as the server applies
    them (its defaults when never set), without a till's daily cap: what head office does itself is not capped.
    What the use cases write here (head office's own failed look-ups) is not the tills' business: not logged."""

    def __init__(self, conn: Connection) -> None:
        self._conn = conn

    def get(self, key: str, default: Any = None) -> Any:
        if key == POLICY:
            return {**policy_values(self._conn), "daily_created_per_till": None}
        value = self._conn.execute(select(settings.c.value).where(settings.c.key == key)).scalar_one_or_none()
        return default if value is None else value

    def set(self, key: str, value: Any) -> None:
        if self._conn.execute(update(settings).where(settings.c.key == key).values(value=value)).rowcount == 0:
            self._conn.execute(insert(settings).values(key=key, value=value))


class ServerUnitOfWork(CardsUnitOfWork):
    """One write transaction on the server's ledger (see the module); rolled back unless committed. After a
    commit the next statement begins the next transaction.

    ``before_commit``: run in the transaction just before each commit, with the entries it wrote (the
    Voucherify API records there the request a ``source_id`` names, so that request and record commit as one)."""

    def __init__(self, engine: Engine, *, clock: Callable[[], datetime] = now,
                 before_commit: Callable[[Connection, list[Entry]], None] | None = None) -> None:
        self._engine, self._clock, self._before_commit = engine, clock, before_commit
        self._conn: Connection | None = None

    def __enter__(self) -> Self:
        self._conn = conn = self._engine.connect()
        self.cards = _Cards(conn)
        self.entries = self._entries = _Entries(conn, self._clock)
        self.settings = _Settings(conn)
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        if self._conn is not None:
            self._conn.close()  # rolls back what was not committed
            self._conn = None

    def commit(self) -> None:
        assert self._conn is not None, "commit outside the unit of work"
        if self._before_commit is not None:
            self._before_commit(self._conn, self._entries.added)
        self._conn.commit()
        self._entries.added = []

    def rollback(self) -> None:
        if self._conn is not None:
            self._conn.rollback()
            self._entries.added = []


class OneTransaction(ServerUnitOfWork):
    """Several use cases in ONE transaction, all applied or none (the API's stacked redemptions and rollbacks).

    The caller enters it once; a use case's own ``with uow:`` inside opens nothing and its ``commit`` commits
    nothing: only the caller's :meth:`commit`, outside any use case, does. :meth:`mark` remembers where the
    transaction stands (a savepoint, taken once the cards are locked) and :meth:`undo` goes back there, keeping
    the locks: a refusal recorded by a use case after a part had been applied can be kept alone."""

    def __init__(self, engine: Engine, *, clock: Callable[[], datetime] = now,
                 before_commit: Callable[[Connection, list[Entry]], None] | None = None) -> None:
        super().__init__(engine, clock=clock, before_commit=before_commit)
        self._depth = 0
        self._mark: Any = None
        self._marked = 0

    @property
    def connection(self) -> Connection:
        assert self._conn is not None, "outside the unit of work"
        return self._conn

    @property
    def added(self) -> list[Entry]:
        """The entries written in this transaction so far."""
        return list(self._entries.added)

    def __enter__(self) -> Self:
        if self._depth == 0:
            super().__enter__()
        self._depth += 1
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self._depth -= 1
        if self._depth == 0:
            super().__exit__(exc_type, exc, tb)

    def commit(self) -> None:
        if self._depth == 1:
            if self._mark is not None:
                self._mark.commit()  # releases the savepoint
                self._mark = None
            super().commit()

    def rollback(self) -> None:
        if self._depth <= 1:
            self._mark = None
            super().rollback()

    def mark(self) -> None:
        self._mark = self.connection.begin_nested()
        self._marked = len(self._entries.added)

    def undo(self) -> None:
        """Back to :meth:`mark`: what was written since is gone, the locks taken before it are kept."""
        assert self._mark is not None, "undo without a mark"
        self._mark.rollback()
        self._mark = None
        self._entries.added = self._entries.added[:self._marked]
