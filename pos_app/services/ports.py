"""The ports the use cases need: small ABCs. The store implements them; tests use the fakes in ``fakes.py``.

Repositories never commit; the unit of work rolls back unless told to commit (cosmicpython's rule).
"""

from __future__ import annotations

import abc
import uuid
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime
from enum import StrEnum
from types import TracebackType
from typing import Any, Self

from pos_app.domain.cards import Campaign, GiftCard
from pos_app.domain.day_report import DayLine
from pos_app.domain.ledger import Entry, EntryStatus
from pos_app.domain.people import TillAttempts, User
from pos_app.domain.terms import CardChange
from pos_app.domain.validation_rules import ValidationRule


@dataclass(frozen=True, slots=True)
class Customer:
    """A shop's customer: ``source_id`` is the shop's own id for them; ``phone`` as given (searched by its digits,
    ``domain.customers``)."""

    id: str
    source_id: str | None = None
    name: str | None = None
    email: str | None = None
    phone: str | None = None


@dataclass(frozen=True, slots=True)
class Acknowledgement:
    """The server has an entry of this till's outbox: drop it from the outbox, note its status and number."""

    entry_id: uuid.UUID
    status: EntryStatus | None = None  # None: keep the entry's status
    server_seq: int | None = None


@dataclass(frozen=True, slots=True)
class LiabilityRow:
    """Outstanding balances of one campaign (``campaign_id`` None: cards without a campaign)."""

    campaign_id: str | None
    campaign_name: str | None
    currency: str
    cards: int
    active_cards: int
    loaded: int
    redeemed: int
    refunded: int
    outstanding: int


@dataclass(frozen=True, slots=True)
class RedemptionBucket:
    """Successful redemptions (net of refunds) grouped by local day and till."""

    day: date
    device_id: str
    currency: str
    count: int
    redeemed: int
    refunded: int


class CardLookup(abc.ABC):
    """What a card's use cases need of its store: the till's and the server's (which locks what it reads)."""

    @abc.abstractmethod
    def get_by_code(self, code: str) -> GiftCard | None: ...

    @abc.abstractmethod
    def get(self, card_id: str) -> GiftCard | None: ...

    @abc.abstractmethod
    def save(self, card: GiftCard) -> None:
        """Write a changed card's state and cached figures."""


class CardRepository(CardLookup):
    """The till's cards."""

    @abc.abstractmethod
    def add_many(self, cards: Sequence[GiftCard]) -> None:
        """Insert new cards; a code that exists already raises ``DuplicateFound``."""

    def add_copies(self, template: GiftCard, ids_and_codes: Sequence[tuple[str, str]]) -> None:
        """Insert cards that are ``template`` but for their id and code (a campaign's batch; a store may do this
        without building a card object per code)."""
        self.add_many([replace(template, id=card_id, code=code) for card_id, code in ids_and_codes])

    @abc.abstractmethod
    def existing_codes(self, codes: Sequence[str]) -> set[str]: ...

    @abc.abstractmethod
    def iter_all(self, campaign_id: str | None = None) -> Iterator[GiftCard]:
        """Every card (of one campaign), in creation order, streamed."""

    @abc.abstractmethod
    def search(self, text: str, limit: int = 50) -> list[GiftCard]:
        """Cards whose code contains ``text`` (case-insensitive), for the manager's card search."""

    @abc.abstractmethod
    def of_customer(self, customer_id: str) -> list[GiftCard]:
        """The cards published to that customer, oldest first."""

    @abc.abstractmethod
    def upsert(self, cards: Sequence[GiftCard], *, synced_at: datetime) -> None:
        """Insert or replace the whole state of cards that came from the server, noting when (``synced_at``).

        A card here is replaced only by a newer state: the server's ``version`` above the one it last gave for
        that card (a pull page fetched before an online operation must not put the older state back); the same
        version again only refreshes ``synced_at``. A campaign or customer the card refers to and the till does
        not know is recorded by its id alone."""

    @abc.abstractmethod
    def synced_at(self, card_id: str) -> datetime | None:
        """When this card's state last came from the server (None: never; a card made on this till)."""


class EntryLedger(abc.ABC):
    """What a card's use cases need of the ledger: the till's and the server's."""

    @abc.abstractmethod
    def add(self, entry: Entry) -> Entry:
        """Write an entry made here. On a till: with the next per-device sequence number (or the one it carries,
        reserved with :meth:`EntryRepository.next_seq`), queued in the outbox if its status is local or
        provisional. On the server: confirmed, with its place in the change log."""

    @abc.abstractmethod
    def get(self, entry_id: uuid.UUID) -> Entry | None: ...

    @abc.abstractmethod
    def for_card(self, card_id: str, limit: int | None = None) -> list[Entry]:
        """A card's entries, newest first in the ledger's order: this till's entries the server has not numbered
        yet (newest first as made here), then the server's by ``server_seq``, highest first. The server's order
        is the card's (offline entries of several tills merge there, whatever their clocks said); a standalone
        till's entries are all its own."""

    @abc.abstractmethod
    def refunded(self, redemption_id: uuid.UUID) -> int:
        """What the successful refunds of that redemption gave back so far, in minor units (0: none)."""


class EntryRepository(EntryLedger):
    """The till's ledger, with its outbox."""

    @abc.abstractmethod
    def next_seq(self, device_id: str) -> int:
        """Reserve the device's next sequence number (for an entry the server is asked to record first)."""

    @abc.abstractmethod
    def merge(self, entries: Sequence[Entry]) -> None:
        """Entries as the server has them (other tills', head office's, this till's confirmed ones): insert the
        new ones as they are (device id and sequence kept, never queued), update status and server number of
        those already here; one that the server has (``server_seq``) leaves the outbox. An entry whose facts
        differ from the till's copy (the server decided otherwise; see ``sync.schemas``, "Divergence") replaces
        it once the server has acknowledged the till's own, and is left alone while the till's is still queued.
        Idempotent."""

    @abc.abstractmethod
    def pending(self, limit: int) -> list[Entry]:
        """Outbox entries to send, in device sequence order; those set aside come last (the server may take
        them later: a refund of a redemption another till has not pushed yet)."""

    @abc.abstractmethod
    def acknowledge(self, acks: Sequence[Acknowledgement]) -> None:
        """The server has these entries: out of the outbox, with the status and number it gave them."""

    @abc.abstractmethod
    def set_aside(self, entry_id: uuid.UUID, error: str) -> None:
        """The server refused to store this entry (e.g. an unknown card): it stays in the outbox with the reason,
        for a manager to review, and is sent again only after the others."""

    @abc.abstractmethod
    def refuse(self, entry_id: uuid.UUID, error_key: str) -> Entry | None:
        """The server will not take this till's own queued entry as a value change (e.g. a refund of more than is
        left of its redemption): it moves nothing from now on (result FAILURE with the server's key, its effect
        taken off the till's copy of the card) and stays queued, to be pushed as the refused attempt it now is.
        Returns the entry as it was; None (nothing changed) when it is not queued or moved nothing already."""

    @abc.abstractmethod
    def unsynced_spent(self) -> int:
        """This till's provisional successful redemptions that the server has not acknowledged yet, as positive
        minor units (the per-device offline cap counts them)."""

    @abc.abstractmethod
    def unsynced_for(self, card_id: str) -> list[Entry]:
        """This till's successful provisional entries of one card that the server has not acknowledged yet
        (redemptions, refunds, sales and top-ups made offline), in the till's order."""

    @abc.abstractmethod
    def iter_all(self, since: datetime | None = None, until: datetime | None = None) -> Iterator[Entry]:
        """Every entry, oldest first, streamed."""

    @abc.abstractmethod
    def outbox_count(self) -> int:
        """Entries not acknowledged by a server yet (set-aside ones included)."""

    @abc.abstractmethod
    def set_aside_count(self) -> int: ...


class CampaignRepository(abc.ABC):
    @abc.abstractmethod
    def add(self, campaign: Campaign) -> None: ...

    @abc.abstractmethod
    def get(self, campaign_id: str) -> Campaign | None: ...

    @abc.abstractmethod
    def get_by_name(self, name: str) -> Campaign | None: ...

    @abc.abstractmethod
    def save(self, campaign: Campaign) -> None: ...

    @abc.abstractmethod
    def list(self) -> list[Campaign]: ...

    @abc.abstractmethod
    def upsert(self, campaigns: Sequence[Campaign]) -> None:
        """Campaigns as the server has them, added or replaced by id (a stand-in that a card of the server made
        for its unknown campaign is replaced too). Another campaign here with the same name gives way: it keeps
        its cards and is renamed ``name (id)``; the server decides."""


class UserRepository(abc.ABC):
    @abc.abstractmethod
    def add(self, user: User) -> None: ...

    @abc.abstractmethod
    def get(self, user_id: str) -> User | None: ...

    @abc.abstractmethod
    def get_by_name(self, name: str) -> User | None: ...

    @abc.abstractmethod
    def list(self) -> list[User]: ...

    @abc.abstractmethod
    def save(self, user: User) -> None: ...

    @abc.abstractmethod
    def upsert(self, users: Sequence[User]) -> None:
        """People as the server has them: name, role, PIN hash and whether active, by id (the wrong-PIN
        bookkeeping stays the till's). Another user here with the same name gives way: the server decides."""


class CustomerRepository(abc.ABC):
    @abc.abstractmethod
    def add(self, customer: Customer) -> None: ...

    @abc.abstractmethod
    def get(self, customer_id: str) -> Customer | None: ...

    @abc.abstractmethod
    def get_by_source_id(self, source_id: str) -> Customer | None: ...

    @abc.abstractmethod
    def save(self, customer: Customer) -> None:
        """Write a known customer's details (id, name, e-mail, phone)."""

    @abc.abstractmethod
    def upsert(self, customers: Sequence[Customer]) -> None:
        """Customers as the server has them: insert or replace each by id. Another customer here with the same
        ``source_id`` gives it up (the server decides who is who)."""

    @abc.abstractmethod
    def search(self, text: str, *, phone: str | None = None, limit: int = 50) -> list[Customer]:
        """Customers with ``text`` in their name or e-mail address (any case), or whose phone number has the
        digits ``phone`` (when given) in it; by name."""


class SettingsRepository(abc.ABC):
    """Key/value settings of the store (shop name, currency, device id, limits …) as JSON values."""

    @abc.abstractmethod
    def get(self, key: str, default: Any = None) -> Any: ...

    @abc.abstractmethod
    def set(self, key: str, value: Any) -> None: ...

    def till_attempts(self) -> TillAttempts:
        raw = self.get("till_attempts") or {}
        until = raw.get("locked_until")
        return TillAttempts(
            failures=[datetime.fromisoformat(t) for t in raw.get("failures", [])],
            pending=[(datetime.fromisoformat(t), who) for t, who in raw.get("pending", [])],
            lockouts=int(raw.get("lockouts", 0)), locked_until=datetime.fromisoformat(until) if until else None,
        )

    def save_till_attempts(self, attempts: TillAttempts) -> None:
        until = attempts.locked_until.isoformat() if attempts.locked_until else None
        self.set("till_attempts", {"failures": [t.isoformat() for t in attempts.failures],
                                   "pending": [[t.isoformat(), who] for t, who in attempts.pending],
                                   "lockouts": attempts.lockouts, "locked_until": until})


class PrintJobStatus(StrEnum):
    PENDING = "pending"  # stored, not (yet) sent to a printer: e.g. the till stopped before sending it
    PRINTED = "printed"  # the printer took the whole job
    FAILED = "failed"  # the last send did not reach the printer; ``last_error`` says why


@dataclass(frozen=True, slots=True, kw_only=True)
class PrintJob:
    """A rendered receipt kept with its bytes, so that a reprint sends exactly what was (or would have been)
    printed. ``format``: ``escpos``, ``text`` or ``pdf``; ``destination``: the printer it last went to."""

    id: str
    entry_id: uuid.UUID
    format: str
    data: bytes
    created_at: datetime
    destination: str | None = None
    status: PrintJobStatus = PrintJobStatus.PENDING
    attempts: int = 0
    last_error: str | None = None
    printed_at: datetime | None = None


@dataclass(frozen=True, slots=True)
class RuleAssignment:
    """A validation rule assigned to a campaign (``related_object_type`` ``campaign``) or a card (``voucher``)."""

    id: str
    rule_id: str
    related_object_type: str
    related_object_id: str


class RuleRepository(abc.ABC):
    """The validation rules a till has pulled, and what they are assigned to. The card repository puts a card's
    rules on it when it reads one (``get``, ``get_by_code``): :meth:`for_card`."""

    @abc.abstractmethod
    def upsert(self, rules: Sequence[ValidationRule], assignments: Sequence[RuleAssignment]) -> None:
        """Rules and assignments as the server has them, added or replaced by id."""

    @abc.abstractmethod
    def remove(self, rule_ids: Sequence[str], assignment_ids: Sequence[str]) -> None:
        """The server deleted these (a rule's assignments go with it)."""

    @abc.abstractmethod
    def for_card(self, card_id: str, campaign_id: str | None) -> tuple[ValidationRule, ...]:
        """The rules assigned to the card or its campaign, each once, by id."""


class CardChangeRepository(abc.ABC):
    """The cards' audit trail: changes of their terms (expiry, category, metadata), which move no value."""

    @abc.abstractmethod
    def add(self, change: CardChange) -> None: ...

    @abc.abstractmethod
    def for_card(self, card_id: str, limit: int | None = None) -> list[CardChange]:
        """A card's changes, newest first."""


class PrintJobRepository(abc.ABC):
    """Print jobs. Written in short transactions of their own, after the sale's commit, never inside it."""

    @abc.abstractmethod
    def add(self, job: PrintJob) -> None: ...

    @abc.abstractmethod
    def get(self, job_id: str) -> PrintJob | None: ...

    @abc.abstractmethod
    def for_entry(self, entry_id: uuid.UUID, format: str) -> PrintJob | None:
        """The first job stored for that entry in that format (the original: a reprint sends its bytes)."""

    @abc.abstractmethod
    def mark_printed(self, job_id: str, *, destination: str, at: datetime) -> None:
        """One more send, and the printer took it."""

    @abc.abstractmethod
    def mark_failed(self, job_id: str, *, destination: str | None, error: str) -> None:
        """One more send, and it did not reach the printer (``error``: why, for a manager)."""

    @abc.abstractmethod
    def recent(self, limit: int = 20) -> list[PrintJob]:
        """The newest jobs first."""


class ReportQueries(abc.ABC):
    """Aggregates the store computes itself (a million cards are not loaded to add them up)."""

    @abc.abstractmethod
    def liability(self) -> list[LiabilityRow]: ...

    @abc.abstractmethod
    def redemptions(self, since: datetime | None, until: datetime | None, utc_offset_minutes: int = 0
                    ) -> list[RedemptionBucket]: ...

    @abc.abstractmethod
    def day_lines(self, since: datetime, until: datetime) -> list[DayLine]:
        """Successful entries made in ``[since, until)``, grouped by till, operator, currency, kind, payment
        method and whether they carry a price and a reason; with how many of them are still in the outbox."""


class CardsUnitOfWork(abc.ABC):
    """One transaction over what a card's use cases (``services.cards``) need: the till's store is one, and the
    central server runs the same use cases over its own (``server.uow``)."""

    cards: CardLookup
    entries: EntryLedger
    settings: SettingsRepository

    def __enter__(self) -> Self:
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.rollback()

    @abc.abstractmethod
    def commit(self) -> None: ...

    @abc.abstractmethod
    def rollback(self) -> None: ...


class UnitOfWork(CardsUnitOfWork):
    """One transaction over the till's store."""

    cards: CardRepository
    entries: EntryRepository
    campaigns: CampaignRepository
    users: UserRepository
    customers: CustomerRepository
    reports: ReportQueries
    print_jobs: PrintJobRepository
    card_changes: CardChangeRepository
    rules: RuleRepository
