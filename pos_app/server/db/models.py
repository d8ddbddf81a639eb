"""The central server's tables as typed SQLAlchemy 2 models (the schema; Alembic migrations create it).

The same schema runs on SQLite (one file, the default) and PostgreSQL. Money is integer minor units
(``BIGINT``) next to a 3-letter currency; datetimes are aware UTC (``TIMESTAMPTZ`` on PostgreSQL, fixed-width
UTC ISO text on SQLite, see :class:`UTCDateTime`). The use cases run Core statements on these tables.

The change log: every write transaction writes one ``changes`` row per changed campaign, card, entry, user or
setting, numbered by ``seq`` (PostgreSQL: the sequence ``changes_seq``; SQLite: one more than the last), and tills
page through it by ``pos``, its place in the order they read (see ``server.ledger``: on PostgreSQL it is given
once the line has committed, so that a line that commits late is never skipped).
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any, cast

from sqlalchemy import (
    JSON,
    BigInteger,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    Sequence,
    String,
    Table,
    Text,
    func,
    literal_column,
    text,
)
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column
from sqlalchemy.sql.elements import ColumnElement
from sqlalchemy.types import TIMESTAMP, TypeDecorator, TypeEngine

NAMING_CONVENTION = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}
#: A BIGINT everywhere but SQLite, where ``INTEGER PRIMARY KEY`` is the rowid itself.
SEQ = BigInteger().with_variant(Integer(), "sqlite")
DOC = JSON().with_variant(JSONB(), "postgresql")


class UTCDateTime(TypeDecorator[datetime]):
    """An aware datetime: ``TIMESTAMPTZ`` on PostgreSQL, UTC ISO text (fixed width, sortable) on SQLite.

    Naive datetimes are refused; results are always aware UTC datetimes.
    """

    impl = String(32)
    cache_ok = True

    def load_dialect_impl(self, dialect: Dialect) -> TypeEngine[Any]:
        if dialect.name == "postgresql":
            return dialect.type_descriptor(TIMESTAMP(timezone=True))
        return dialect.type_descriptor(String(32))

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> Any:
        if value is None:
            return None
        if value.tzinfo is None or value.utcoffset() is None:
            raise ValueError(f"refusing to store a naive datetime {value!r}: give it a time zone")
        utc = value.astimezone(UTC)
        return utc if dialect.name == "postgresql" else utc.isoformat(timespec="microseconds")

    def process_result_value(self, value: Any | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        parsed = value if isinstance(value, datetime) else datetime.fromisoformat(value)
        return parsed.replace(tzinfo=UTC) if parsed.tzinfo is None else parsed.astimezone(UTC)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)
    type_annotation_map = {datetime: UTCDateTime(), int: BigInteger(), dict[str, Any]: DOC}


#: The entries that moved money, as the dashboard counts them (``server.dashboard``) and its index
#: ``ix_entries_dashboard`` says, word for word (SQLite's planner takes a partial index whose terms the query
#: repeats as written): successful sales and top-ups (an addition with a payment or a price, or one from before
#: prices without a reason; a correction up is none), redemptions but an import's stand-in, refunds.
MOVES_MONEY = (
    "result = 'SUCCESS' AND (kind = 'CREDITS_REFUND'"
    " OR (kind = 'CREDITS_REDEMPTION' AND (reason IS NULL OR reason <> 'import: redeemed before import'))"
    " OR (kind = 'CREDITS_ADDITION' AND (payment IS NOT NULL OR price IS NOT NULL OR reason IS NULL)))"
)

#: PostgreSQL numbers the change log's lines (``changes.seq``) from this sequence; SQLite has none.
CHANGES_SEQ = Sequence("changes_seq", metadata=Base.metadata)


class SettingRow(Base):
    """``store`` (name, currency, locale) and ``limits`` (the offline limits), as JSON documents."""

    __tablename__ = "settings"

    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    value: Mapped[dict[str, Any]]


class ChangeRow(Base):
    """One line of the change log: ``kind`` is ``campaign``, ``customer``, ``card``, ``entry``, ``user`` or
    ``settings``; ``pos`` is its place in the pull order (NULL on PostgreSQL until it is given, after the line's
    commit)."""

    __tablename__ = "changes"
    __table_args__ = (
        Index("uq_changes_pos", "pos", unique=True),
        Index("ix_changes_unplaced", "seq", sqlite_where=text("pos IS NULL"), postgresql_where=text("pos IS NULL")),
    )

    seq: Mapped[int] = mapped_column(SEQ, primary_key=True, autoincrement=False)
    kind: Mapped[str] = mapped_column(String(16))
    ref_id: Mapped[str] = mapped_column(String(64))
    pos: Mapped[int | None]


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
    """Voucherify's customer, known by the shop's own id for them (``source_id``); a card names one by ``id``."""

    __tablename__ = "customers"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    source_id: Mapped[str] = mapped_column(String(200), unique=True)
    name: Mapped[str | None] = mapped_column(String(200))
    email: Mapped[str | None] = mapped_column(String(320))
    created_at: Mapped[datetime]
    phone: Mapped[str | None] = mapped_column(String(60))  # as given, tidied (domain.customers.check_phone)
    meta: Mapped[dict[str, Any] | None] = mapped_column("metadata", DOC)  # the API's; tills do not pull it
    deleted_at: Mapped[datetime | None]  # deleted through the API: its details erased, the row kept for its cards


class CardRow(Base):
    __tablename__ = "cards"
    __table_args__ = (  # the dashboard's liability: an index-only sum of the active cards' balances
        Index("ix_cards_active_currency_balance", "currency", "balance",
              sqlite_where=text("status = 'active'"), postgresql_where=text("status = 'active'")),
    )

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    code: Mapped[str] = mapped_column(String(100), unique=True)  # case-sensitive on both databases
    campaign_id: Mapped[str | None] = mapped_column(ForeignKey("campaigns.id"), index=True)
    currency: Mapped[str] = mapped_column(String(3))
    status: Mapped[str] = mapped_column(String(16))
    loaded: Mapped[int]
    balance: Mapped[int]
    redeemed: Mapped[int]
    refunded: Mapped[int]
    redemption_count: Mapped[int]
    redemption_limit: Mapped[int | None]
    initial_amount: Mapped[int | None]
    start_date: Mapped[datetime | None]
    expiration_date: Mapped[datetime | None]
    validity_days: Mapped[str | None] = mapped_column(String(7))  # weekdays, Monday = 0: "01234"
    validity_start: Mapped[str | None] = mapped_column(String(8))  # "HH:MM", the shop's local time
    validity_end: Mapped[str | None] = mapped_column(String(8))
    min_order_amount: Mapped[int | None]
    customer_id: Mapped[str | None] = mapped_column(String(64), index=True)  # the cards given to a customer
    category: Mapped[str | None] = mapped_column(String(200))
    meta: Mapped[dict[str, Any]] = mapped_column("metadata", DOC)  # "metadata" is reserved on the class
    activated_at: Mapped[datetime | None]
    created_at: Mapped[datetime]
    version: Mapped[int]


class ConflictRow(Base):
    """An overdrawn (or otherwise disputed) card found at push; at most one open conflict per card."""

    __tablename__ = "conflicts"
    __table_args__ = (
        Index(
            "uq_conflicts_card_id_open", "card_id", unique=True,
            sqlite_where=text("status = 'open'"), postgresql_where=text("status = 'open'"),
        ),
        # the console's pages of open and resolved conflicts, newest first, by cursor (``conflict_views``)
        Index("ix_conflicts_status_opened_at", "status", "opened_at", "id"),
        Index("ix_conflicts_status_resolved_at", "status", "resolved_at", "id"),
    )

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    card_id: Mapped[str] = mapped_column(ForeignKey("cards.id"))
    status: Mapped[str] = mapped_column(String(16))  # open, resolved
    prior_status: Mapped[str] = mapped_column(String(16))  # the card's status before it was frozen
    overdraft: Mapped[int]  # how far below zero the card went (kept up to date until resolved)
    opened_at: Mapped[datetime]
    resolution: Mapped[str | None] = mapped_column(String(16))
    reason: Mapped[str | None] = mapped_column(String(500))
    resolved_at: Mapped[datetime | None]
    resolved_by: Mapped[str | None] = mapped_column(String(64))
    resolution_entry_id: Mapped[str | None] = mapped_column(String(36))
    notes: Mapped[str | None] = mapped_column(Text)  # what happened besides an overdraft, one note a line


class CardChangeRow(Base):
    """A card's audit trail: head office's change of its terms (expiry, category, metadata), which moves no value.
    ``changes``: a list of ``[name, before, after]`` (see ``domain.terms.FieldChange``)."""

    __tablename__ = "card_changes"
    __table_args__ = (Index("ix_card_changes_card_id_created_at", "card_id", "created_at"),)

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    card_id: Mapped[str] = mapped_column(ForeignKey("cards.id"))
    code: Mapped[str] = mapped_column(String(100))
    changes: Mapped[Any] = mapped_column(DOC)
    reason: Mapped[str] = mapped_column(String(500))
    device_id: Mapped[str] = mapped_column(String(64))
    operator_id: Mapped[str | None] = mapped_column(String(64))
    created_at: Mapped[datetime]


class EntryRow(Base):
    """A ledger entry. ``created_at`` is the till's clock as sent; the server orders by ``server_seq`` (the
    change-log seq that recorded it) and ``received_at`` (its own clock). ``balance_after`` is the server's
    balance after the entry; ``till_balance_after`` what the till showed. ``answer`` keeps the response of an
    online authorisation, so that a replay answers exactly the same."""

    __tablename__ = "entries"
    __table_args__ = (
        Index("ix_entries_card_id_server_seq", "card_id", "server_seq"),
        Index(  # a till's numbering is unique; 0 is "none" (server-made entries, a divergence's till facts)
            "uq_entries_device_id_device_seq", "device_id", "device_seq", unique=True,
            sqlite_where=text("device_seq > 0"), postgresql_where=text("device_seq > 0"),
        ),
        Index(  # a redemption's refunds, which a refund sums (under its card's lock) to stay within it
            "ix_entries_refund_of_success", "refund_of",
            sqlite_where=text("result = 'SUCCESS' AND refund_of IS NOT NULL"),
            postgresql_where=text("result = 'SUCCESS' AND refund_of IS NOT NULL"),
        ),
        Index(  # what a till added today, which its daily cap sums at every sale (``authority.created_today``)
            "ix_entries_device_id_received_at_additions", "device_id", "received_at",
            sqlite_where=text("kind = 'CREDITS_ADDITION' AND result = 'SUCCESS'"),
            postgresql_where=text("kind = 'CREDITS_ADDITION' AND result = 'SUCCESS'"),
        ),
        Index(  # the dashboard's sales and redemptions by till and day: every column its sums read
            "ix_entries_dashboard", "created_at", "device_id", "currency", "kind", "amount",
            sqlite_where=text(MOVES_MONEY), postgresql_where=text(MOVES_MONEY),
        ),
    )

    id: Mapped[str] = mapped_column(String(36), primary_key=True)  # the UUID made where it happened
    card_id: Mapped[str] = mapped_column(ForeignKey("cards.id"))
    code: Mapped[str] = mapped_column(String(100))
    kind: Mapped[str] = mapped_column(String(32))
    amount: Mapped[int]
    currency: Mapped[str] = mapped_column(String(3))
    balance_after: Mapped[int]
    till_balance_after: Mapped[int | None]
    result: Mapped[str] = mapped_column(String(8))
    error_key: Mapped[str | None] = mapped_column(String(64))
    device_id: Mapped[str] = mapped_column(String(64))
    device_seq: Mapped[int]
    operator_id: Mapped[str | None] = mapped_column(String(64))
    created_at: Mapped[datetime]
    received_at: Mapped[datetime]
    order_ref: Mapped[str | None] = mapped_column(String(200))
    reason: Mapped[str | None] = mapped_column(String(500))
    refund_of: Mapped[str | None] = mapped_column(String(36))
    override_by: Mapped[str | None] = mapped_column(String(64))
    status: Mapped[str] = mapped_column(String(16))
    server_seq: Mapped[int] = mapped_column(unique=True)
    origin: Mapped[str] = mapped_column(String(8))  # online, push, server
    conflict_id: Mapped[str | None] = mapped_column(ForeignKey("conflicts.id"), index=True)
    answer: Mapped[str | None] = mapped_column(Text)
    price: Mapped[int | None]  # a sale's: what the customer paid (minor units)
    payment: Mapped[str | None] = mapped_column(String(8))  # a sale's: cash, card, other


class UserRow(Base):
    __tablename__ = "users"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    role: Mapped[str] = mapped_column(String(16))
    pin_hash: Mapped[str] = mapped_column(String(200))
    active: Mapped[bool]
    created_at: Mapped[datetime]


class DeviceRow(Base):
    """A till. ``shop_id``: its shop (``db.shop_models``; NULL: enrolled before shops, it keeps the store's zone).
    ``last_seen_at``: its last authenticated sync request; ``unsynced``: the entries it said it still held then
    (NULL: a till that does not say)."""

    __tablename__ = "devices"
    __table_args__ = (Index("ix_devices_shop_id_name", "shop_id", "name"),)

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    name: Mapped[str] = mapped_column(String(80))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)  # sha256 of the bearer token, hex
    created_at: Mapped[datetime]
    revoked_at: Mapped[datetime | None]
    shop_id: Mapped[str | None] = mapped_column(ForeignKey("shops.id"))
    last_seen_at: Mapped[datetime | None]
    unsynced: Mapped[int | None]


class EnrolCodeRow(Base):
    __tablename__ = "enrol_codes"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    code_hash: Mapped[str] = mapped_column(String(64), unique=True)  # sha256 of the normalised code, hex
    created_at: Mapped[datetime]
    expires_at: Mapped[datetime]
    used_at: Mapped[datetime | None]
    device_id: Mapped[str | None] = mapped_column(String(64))
    shop_id: Mapped[str | None] = mapped_column(ForeignKey("shops.id"))  # the shop its till joins


class FailedLookupRow(Base):
    """A lookup of a code the server does not know: ``caller`` is the till's device id (or an API key's id),
    ``masked_code`` what the log may show of the code. Rate limits count these per caller over a window."""

    __tablename__ = "failed_lookups"
    __table_args__ = (Index("ix_failed_lookups_caller_at", "caller", "at"),)

    id: Mapped[int] = mapped_column(SEQ, primary_key=True, autoincrement=True)
    caller: Mapped[str] = mapped_column(String(64))
    at: Mapped[datetime]
    masked_code: Mapped[str] = mapped_column(String(32))
    channel: Mapped[str] = mapped_column(String(16))  # sync, api, console


class ApiKeyRow(Base):
    """Credentials of the Voucherify-compatible API (``pos-server api-key create``): the client sends ``app_id`` as
    ``X-App-Id`` and the token as ``X-App-Token``; only the token's SHA-256 is kept."""

    __tablename__ = "api_keys"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    app_id: Mapped[str] = mapped_column(String(64), unique=True)
    token_hash: Mapped[str] = mapped_column(String(64))  # sha256 of the token, hex
    created_at: Mapped[datetime]
    revoked_at: Mapped[datetime | None]


class ApiRequestRow(Base):
    """A value change asked for through the API under a client's ``source_id`` (an order's, a balance change's):
    its fingerprint and its answer, so that the same request again is answered as the first time and applied
    once, and another request under the same ``source_id`` is refused (``voucherify.replay``)."""

    __tablename__ = "api_requests"

    key_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    scope: Mapped[str] = mapped_column(String(32), primary_key=True)  # which kind of request: balance, redemption…
    source_id: Mapped[str] = mapped_column(String(200), primary_key=True)
    fingerprint: Mapped[str] = mapped_column(String(64))  # sha256 of the request's canonical JSON, hex
    status: Mapped[int] = mapped_column(Integer)
    answer: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime]


class ValidationRuleRow(Base):
    """A validation rule (``/v1/validation-rules``): ``definition`` is its JSON as ``domain.validation_rules``
    reads it (``rule_json``), with the client's ``context_type``."""

    __tablename__ = "validation_rules"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    definition: Mapped[dict[str, Any]] = mapped_column(DOC)
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime | None]


class RuleAssignmentRow(Base):
    """A validation rule assigned to a campaign (``related_object_type`` ``campaign``, its id) or a card
    (``voucher``, the card's id): a redemption of the card must satisfy it."""

    __tablename__ = "validation_rule_assignments"
    __table_args__ = (Index("ix_validation_rule_assignments_related", "related_object_id", "related_object_type"),)

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    rule_id: Mapped[str] = mapped_column(ForeignKey("validation_rules.id"), index=True)
    related_object_type: Mapped[str] = mapped_column(String(16))
    related_object_id: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime]


class ValidationSessionRow(Base):
    """A LOCK session of the API's validations: ``amount`` of a card's balance held for the session ``key`` of the
    API key ``key_id`` until ``expires_at``, unless ended before (``ended``: ``redeemed`` or ``released``). Others
    may redeem the balance less what the live sessions hold (``voucherify.sessions``)."""

    __tablename__ = "validation_sessions"
    __table_args__ = (Index("ix_validation_sessions_card_id_expires_at", "card_id", "expires_at"),)

    key_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    session_key: Mapped[str] = mapped_column(String(200), primary_key=True)
    card_id: Mapped[str] = mapped_column(ForeignKey("cards.id"), primary_key=True)
    amount: Mapped[int]
    created_at: Mapped[datetime]
    expires_at: Mapped[datetime]
    ended_at: Mapped[datetime | None]
    ended: Mapped[str | None] = mapped_column(String(16))  # redeemed, released


class ApiRedemptionRow(Base):
    """What a redemption asked through the API adds to its entry: the stacked request it was part of
    (``parent_id``, a UUID: ``r_<hex>`` to the client), the order and the session it named, and who asked."""

    __tablename__ = "api_redemptions"

    entry_id: Mapped[str] = mapped_column(ForeignKey("entries.id"), primary_key=True)
    parent_id: Mapped[str | None] = mapped_column(String(36), index=True)
    key_id: Mapped[str] = mapped_column(String(64))
    session_key: Mapped[str | None] = mapped_column(String(200))
    tracking_id: Mapped[str | None] = mapped_column(String(200))
    order: Mapped[dict[str, Any]] = mapped_column(DOC)
    created_at: Mapped[datetime]


class AsyncActionRow(Base):
    """A job of the Voucherify API (``voucherify.jobs``): an import (``VOUCHERS.IMPORT``, ``VOUCHERS.IMPORT_CSV``)
    or a campaign's code generation (``CAMPAIGN.VOUCHERS_GENERATION``: ``requested`` cards, ``made`` so far,
    ``sold``: made with their value, as the API's are). ``owner`` and ``heartbeat``: the server process that
    runs it and when it last made progress (a stale one is taken over and resumed)."""

    __tablename__ = "async_actions"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    key_id: Mapped[str] = mapped_column(String(64))
    type: Mapped[str] = mapped_column(String(64))
    status: Mapped[str] = mapped_column(String(16))  # ENQUEUED, IN_PROGRESS, DONE, FAILED
    campaign_id: Mapped[str | None] = mapped_column(ForeignKey("campaigns.id"), index=True)
    sold: Mapped[bool]
    requested: Mapped[int]
    made: Mapped[int]
    result: Mapped[dict[str, Any] | None]
    owner: Mapped[str | None] = mapped_column(String(64))
    heartbeat: Mapped[datetime | None]
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]


class ExportRow(Base):
    """An export asked for through the API: what to export (``parameters``: fields, filters) and the token its
    download URL carries (kept as it is: ``get_export`` shows the URL again; it opens this export's file only,
    until ``expires_at``). The file is written when it is downloaded (``voucherify.exports``)."""

    __tablename__ = "exports"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    key_id: Mapped[str] = mapped_column(String(64))
    exported_object: Mapped[str] = mapped_column(String(32))
    parameters: Mapped[dict[str, Any]]
    token: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime]
    expires_at: Mapped[datetime]


class DeletedVoucherRow(Base):
    """A card deleted through the Voucherify API (``delete_voucher``): disabled, hidden from the API, its code
    still taken; the card and its entries are kept, as every ledger line is."""

    __tablename__ = "deleted_vouchers"

    card_id: Mapped[str] = mapped_column(ForeignKey("cards.id"), primary_key=True)
    key_id: Mapped[str] = mapped_column(String(64))
    deleted_at: Mapped[datetime]


def _table(model: type[Base]) -> Table:
    return cast(Table, model.__table__)


def _trigrams(name: str, expression: ColumnElement[Any]) -> Index:
    """A PostgreSQL trigram GIN index of ``expression`` (``LIKE '%part%'`` on it is served by the index); none on
    SQLite, where such a search scans."""
    return Index(name, expression.label("folded"), postgresql_using="gin",
                 postgresql_ops={"folded": "gin_trgm_ops"}).ddl_if(dialect="postgresql")


_cards, _customers = _table(CardRow), _table(CustomerRow)
#: Head office's search (``server.card_search``; migration ``0018_card_search``, which creates ``pg_trgm``): a card
#: by part of its code, folded as ``card_search.part_key`` folds what is typed; a customer by part of their name,
#: e-mail or ``source_id``. Literal arguments, so that a query written the same way matches the index.
TRIGRAM_INDEXES = (
    _trigrams("ix_cards_code_trgm", func.lower(func.replace(_cards.c.code, literal_column("'-'"),
                                                            literal_column("''")))),
    _trigrams("ix_customers_name_trgm", func.lower(_customers.c.name)),
    _trigrams("ix_customers_email_trgm", func.lower(_customers.c.email)),
    _trigrams("ix_customers_source_id_trgm", func.lower(_customers.c.source_id)),
)

settings = _table(SettingRow)
changes = _table(ChangeRow)
campaigns = _table(CampaignRow)
customers = _table(CustomerRow)
cards = _table(CardRow)
conflicts = _table(ConflictRow)
entries = _table(EntryRow)
card_changes = _table(CardChangeRow)
users = _table(UserRow)
devices = _table(DeviceRow)
enrol_codes = _table(EnrolCodeRow)
failed_lookups = _table(FailedLookupRow)
api_keys = _table(ApiKeyRow)
api_requests = _table(ApiRequestRow)
validation_rules = _table(ValidationRuleRow)
rule_assignments = _table(RuleAssignmentRow)
validation_sessions = _table(ValidationSessionRow)
api_redemptions = _table(ApiRedemptionRow)
async_actions = _table(AsyncActionRow)
exports = _table(ExportRow)
deleted_vouchers = _table(DeletedVoucherRow)

