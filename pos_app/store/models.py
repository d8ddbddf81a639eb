"""The till's tables as typed SQLAlchemy 2 declarative models (the schema; Alembic migrations create it).

The models describe the schema only: repositories read and write these tables with Core statements executed
through SQLAlchemy and build the domain's dataclasses from the rows (the domain never imports the store). Every
conversion between a Python value and its stored form lives once, in a column type below, and runs as the
type's bind and result processor: the repositories hand the domain's values over as they are.

- Datetimes are stored as fixed-width UTC ISO strings (``2026-11-21T09:30:00.000000+00:00``), so that text
  order is time order and SQLite's date functions can read them; :class:`UTCDateTime` refuses naive datetimes
  and always returns aware UTC ones.
- Entry ids are UUIDs stored as their 36-character text (:class:`UUIDText`).
- States and kinds are ``StrEnum`` members stored as their value (:class:`EnumText`).
- A card's validity by weekday and by hours are short texts (:class:`Weekdays`, :class:`LocalTime`).
- A card's changed terms are a JSON list of ``[name, before, after]`` (:class:`FieldChanges`).

Money columns are integer minor units next to a 3-letter currency column. The types change no column of the
schema: each stores what the plain ``String`` column it decorates stored before.
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, time
from enum import StrEnum
from typing import Any, TypeVar, cast

from sqlalchemy import JSON, ForeignKey, Index, LargeBinary, MetaData, String, Table, text
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column
from sqlalchemy.types import TypeDecorator

from pos_app.domain.cards import CardStatus
from pos_app.domain.ledger import EntryKind, EntryResult, EntryStatus, PaymentMethod
from pos_app.domain.people import Role
from pos_app.domain.terms import FieldChange
from pos_app.services.ports import PrintJobStatus

E = TypeVar("E", bound=StrEnum)

NAMING_CONVENTION = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def datetime_to_db(value: datetime) -> str:
    """An aware datetime as the stored text (UTC, microseconds, fixed width). Naive datetimes are refused."""
    if value.tzinfo is None or value.utcoffset() is None:
        raise ValueError(f"refusing to store a naive datetime {value!r}: give it a time zone")
    return value.astimezone(UTC).isoformat(timespec="microseconds")


def datetime_from_db(value: str) -> datetime:
    """The stored text as an aware UTC datetime (text without an offset is taken as UTC)."""
    parsed = datetime.fromisoformat(value)
    if parsed.tzinfo is None:
        return parsed.replace(tzinfo=UTC)
    return parsed.astimezone(UTC)


class UTCDateTime(TypeDecorator[datetime]):
    """An aware datetime stored as UTC ISO text; never returns a naive datetime."""

    impl = String(32)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> str | None:
        return None if value is None else datetime_to_db(value)

    def process_result_value(self, value: Any | None, dialect: Dialect) -> datetime | None:
        return None if value is None else datetime_from_db(value)


class UUIDText(TypeDecorator[uuid.UUID]):
    """A UUID stored as its canonical 36-character text (a string in that form is taken as it is)."""

    impl = String(36)
    cache_ok = True

    def process_bind_param(self, value: uuid.UUID | str | None, dialect: Dialect) -> str | None:
        if value is None or isinstance(value, uuid.UUID):
            return None if value is None else str(value)
        return str(uuid.UUID(value))  # refuses what is not a UUID

    def process_result_value(self, value: Any | None, dialect: Dialect) -> uuid.UUID | None:
        return None if value is None else uuid.UUID(value)


class EnumText(TypeDecorator[E]):
    """A ``StrEnum`` member stored as its value (a plain string is checked against the enum first)."""

    impl = String
    cache_ok = True

    def __init__(self, enum: type[E], length: int) -> None:
        super().__init__(length)
        self.enum = enum

    def process_bind_param(self, value: E | str | None, dialect: Dialect) -> str | None:
        return None if value is None else self.enum(value).value

    def process_result_value(self, value: Any | None, dialect: Dialect) -> E | None:
        return None if value is None else self.enum(value)


class Weekdays(TypeDecorator[frozenset[int]]):
    """Weekdays (Monday = 0) as digits, e.g. ``"01234"``; NULL when every day is allowed."""

    impl = String(7)
    cache_ok = True

    def process_bind_param(self, value: frozenset[int] | None, dialect: Dialect) -> str | None:
        return None if value is None else "".join(str(day) for day in sorted(value))

    def process_result_value(self, value: Any | None, dialect: Dialect) -> frozenset[int] | None:
        return None if value is None else frozenset(int(day) for day in value)


class LocalTime(TypeDecorator[time]):
    """A local time of day without a zone: ``HH:MM`` (``HH:MM:SS`` only if it has seconds)."""

    impl = String(8)
    cache_ok = True

    def process_bind_param(self, value: time | None, dialect: Dialect) -> str | None:
        if value is None:
            return None
        plain = value.replace(tzinfo=None)
        return plain.isoformat(timespec="seconds" if plain.second or plain.microsecond else "minutes")

    def process_result_value(self, value: Any | None, dialect: Dialect) -> time | None:
        return None if value is None else time.fromisoformat(value)


class FieldChanges(TypeDecorator[tuple[FieldChange, ...]]):
    """A card's changed terms as JSON: a list of ``[name, before, after]``."""

    impl = JSON
    cache_ok = True

    def process_bind_param(self, value: tuple[FieldChange, ...] | None, dialect: Dialect) -> Any:
        return None if value is None else [[change.name, change.before, change.after] for change in value]

    def process_result_value(self, value: Any | None, dialect: Dialect) -> tuple[FieldChange, ...] | None:
        return None if value is None else tuple(FieldChange(name, before, after) for name, before, after in value)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)
    type_annotation_map = {datetime: UTCDateTime(), uuid.UUID: UUIDText(), dict[str, Any]: JSON()}


class SettingRow(Base):
    __tablename__ = "settings"

    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    value: Mapped[Any] = mapped_column(JSON)


class CampaignRow(Base):
    __tablename__ = "campaigns"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    currency: Mapped[str] = mapped_column(String(3))
    amount: Mapped[int]
    code_config: Mapped[dict[str, Any]]
    vouchers_count: Mapped[int]
    start_date: Mapped[datetime | None]
    expiration_date: Mapped[datetime | None]
    redemption_limit: Mapped[int | None]
    min_order_amount: Mapped[int | None]
    category: Mapped[str | None] = mapped_column(String(200))
    active: Mapped[bool]
    created_at: Mapped[datetime]


class CustomerRow(Base):
    """A customer (found by part of name, e-mail or phone through the full-text table ``customers_search``,
    which the customers repository keeps: see migration 0008)."""

    __tablename__ = "customers"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    source_id: Mapped[str | None] = mapped_column(String(200), unique=True)
    name: Mapped[str | None] = mapped_column(String(200))
    email: Mapped[str | None] = mapped_column(String(320))
    created_at: Mapped[datetime]
    phone: Mapped[str | None] = mapped_column(String(60))  # as given, tidied (domain.customers.check_phone)


class CardRow(Base):
    __tablename__ = "cards"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    code: Mapped[str] = mapped_column(String(100), unique=True)  # BINARY collation: case-sensitive
    campaign_id: Mapped[str | None] = mapped_column(ForeignKey("campaigns.id"), index=True)
    currency: Mapped[str] = mapped_column(String(3))
    status: Mapped[CardStatus] = mapped_column(EnumText(CardStatus, 16))
    loaded: Mapped[int]
    balance: Mapped[int]
    redeemed: Mapped[int]
    refunded: Mapped[int]
    redemption_count: Mapped[int]
    redemption_limit: Mapped[int | None]
    initial_amount: Mapped[int | None]
    start_date: Mapped[datetime | None]
    expiration_date: Mapped[datetime | None]
    validity_days: Mapped[frozenset[int] | None] = mapped_column(Weekdays())  # Monday = 0: "01234"
    validity_start: Mapped[time | None] = mapped_column(LocalTime())  # "HH:MM" (or "HH:MM:SS"), local time
    validity_end: Mapped[time | None] = mapped_column(LocalTime())
    min_order_amount: Mapped[int | None]
    customer_id: Mapped[str | None] = mapped_column(ForeignKey("customers.id"), index=True)
    category: Mapped[str | None] = mapped_column(String(200))
    # "metadata" is reserved on declarative classes, hence the attribute name.
    meta: Mapped[dict[str, Any]] = mapped_column("metadata")
    activated_at: Mapped[datetime | None]
    created_at: Mapped[datetime]
    version: Mapped[int]
    synced_at: Mapped[datetime | None]  # when its state last came from the server (None: never)
    # The server's ``version`` of that state: a state from the server replaces it only when newer (None: any).
    server_version: Mapped[int | None]


class EntryRow(Base):
    __tablename__ = "entries"
    __table_args__ = (
        # Each device numbers its entries 1, 2, 3 …; 0 is "no number" (entries the server itself made may carry
        # it), which must not collide.
        Index(
            "uq_entries_device_id_device_seq", "device_id", "device_seq", unique=True,
            sqlite_where=text("device_seq > 0"),
        ),
        Index("ix_entries_card_id_created_at", "card_id", "created_at"),
        Index("ix_entries_created_at", "created_at"),
        # A redemption's successful refunds (a refund sums them). That together they never give back more than
        # the redemption took is the domain's decision, and the database's too: a trigger refuses a refund of
        # this till's that would (migration 0007_part_refunds).
        Index(
            "ix_entries_refund_of_success", "refund_of",
            sqlite_where=text("result = 'SUCCESS' AND refund_of IS NOT NULL"),
        ),
    )

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True)  # the UUID made where it happened
    card_id: Mapped[str] = mapped_column(ForeignKey("cards.id"))
    code: Mapped[str] = mapped_column(String(100))
    kind: Mapped[EntryKind] = mapped_column(EnumText(EntryKind, 32))
    amount: Mapped[int]
    currency: Mapped[str] = mapped_column(String(3))
    balance_after: Mapped[int]
    result: Mapped[EntryResult] = mapped_column(EnumText(EntryResult, 8))
    error_key: Mapped[str | None] = mapped_column(String(64))
    device_id: Mapped[str] = mapped_column(String(64))
    device_seq: Mapped[int]
    operator_id: Mapped[str | None] = mapped_column(String(64))
    created_at: Mapped[datetime]
    order_ref: Mapped[str | None] = mapped_column(String(200))
    reason: Mapped[str | None] = mapped_column(String(500))
    refund_of: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("entries.id"))
    override_by: Mapped[str | None] = mapped_column(String(64))
    status: Mapped[EntryStatus] = mapped_column(EnumText(EntryStatus, 16))
    server_seq: Mapped[int | None]
    price: Mapped[int | None]  # a sale's: what the customer paid (minor units)
    payment: Mapped[PaymentMethod | None] = mapped_column(EnumText(PaymentMethod, 8))  # a sale's: cash, card, other


class CardChangeRow(Base):
    """A card's audit trail: a change of its terms (expiry, category, metadata), which moves no value.
    ``changes``: a list of ``[name, before, after]`` (see ``domain.terms.FieldChange``)."""

    __tablename__ = "card_changes"
    __table_args__ = (Index("ix_card_changes_card_id_created_at", "card_id", "created_at"),)

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    card_id: Mapped[str] = mapped_column(ForeignKey("cards.id"))
    code: Mapped[str] = mapped_column(String(100))
    changes: Mapped[tuple[FieldChange, ...]] = mapped_column(FieldChanges())
    reason: Mapped[str] = mapped_column(String(500))
    device_id: Mapped[str] = mapped_column(String(64))
    operator_id: Mapped[str | None] = mapped_column(String(64))
    created_at: Mapped[datetime]


class OutboxRow(Base):
    """Entries the server has not acknowledged yet; written in the same transaction as the entry."""

    __tablename__ = "outbox"

    entry_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("entries.id"), primary_key=True)
    enqueued_at: Mapped[datetime]
    attempts: Mapped[int] = mapped_column(server_default=text("0"))
    last_error: Mapped[str | None] = mapped_column(String(1000))


class DeviceSequenceRow(Base):
    __tablename__ = "device_sequences"

    device_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    last_seq: Mapped[int]


class UserRow(Base):
    __tablename__ = "users"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    role: Mapped[Role] = mapped_column(EnumText(Role, 16))
    pin_hash: Mapped[str] = mapped_column(String(200))
    active: Mapped[bool]
    failed_attempts: Mapped[int]
    locked_until: Mapped[datetime | None]
    lockouts: Mapped[int]
    created_at: Mapped[datetime]


class PrintJobRow(Base):
    """A rendered receipt with its bytes (a reprint sends them as they are), and what became of sending it."""

    __tablename__ = "print_jobs"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    entry_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("entries.id"), index=True)
    format: Mapped[str] = mapped_column(String(16))  # escpos | text | pdf
    destination: Mapped[str | None] = mapped_column(String(500))
    data: Mapped[bytes] = mapped_column(LargeBinary)
    created_at: Mapped[datetime]
    status: Mapped[PrintJobStatus] = mapped_column(EnumText(PrintJobStatus, 16))
    attempts: Mapped[int] = mapped_column(server_default=text("0"))
    last_error: Mapped[str | None] = mapped_column(String(1000))
    printed_at: Mapped[datetime | None]


class ValidationRuleRow(Base):
    """A validation rule pulled from the server: its JSON as ``domain.validation_rules`` reads it."""

    __tablename__ = "validation_rules"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    definition: Mapped[dict[str, Any]]


class RuleAssignmentRow(Base):
    """A validation rule assigned to a campaign (``campaign``) or a card (``voucher``) by its id."""

    __tablename__ = "validation_rule_assignments"
    __table_args__ = (Index("ix_validation_rule_assignments_related", "related_object_id", "related_object_type"),)

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    rule_id: Mapped[str] = mapped_column(String(64), index=True)
    related_object_type: Mapped[str] = mapped_column(String(16))
    related_object_id: Mapped[str] = mapped_column(String(64))


# Core tables for the repositories (statements on tables: the domain's dataclasses are not mapped).
settings = cast(Table, SettingRow.__table__)
campaigns = cast(Table, CampaignRow.__table__)
customers = cast(Table, CustomerRow.__table__)
cards = cast(Table, CardRow.__table__)
entries = cast(Table, EntryRow.__table__)
outbox = cast(Table, OutboxRow.__table__)
device_sequences = cast(Table, DeviceSequenceRow.__table__)
users = cast(Table, UserRow.__table__)
print_jobs = cast(Table, PrintJobRow.__table__)
card_changes = cast(Table, CardChangeRow.__table__)
validation_rules = cast(Table, ValidationRuleRow.__table__)
rule_assignments = cast(Table, RuleAssignmentRow.__table__)
