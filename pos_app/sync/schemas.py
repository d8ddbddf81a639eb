"""The sync protocol between tills and the central server: wire schemas (pydantic), shared by both sides.

All amounts are integer minor units; times are ISO-8601 with an offset; ids of entries are the UUIDs made where
the entry happened (the idempotency key end to end). Every request but enrolment carries the device's token:
``Authorization: Bearer <token>``; a revoked or unknown token gets 401 ``device_revoked`` / ``unauthorized``.
A till may say how many entries it holds unacknowledged with the header ``X-Unsynced-Entries: N``
(:data:`UNSYNCED_HEADER`; anything but a whole number is 400 ``invalid_payload``).
Errors have Voucherify's shape ``{code, key, message, details, request_id}`` (:class:`ErrorBody`): a body that is
not JSON or fails validation is 400 ``invalid_payload``, an unknown route 404 ``not_found``.

Endpoints (prefix ``/sync/v1``):

=========================  =====================================================================================
``GET  /health``           no auth; ``{"status": "ok", "server_time": …}`` — the till's "is the server there?"
``POST /enrol``            :class:`EnrolRequest` → :class:`EnrolResponse`; the one-time code is spent (case, spaces
                           and hyphens forgiven). Refused with 401: ``unauthorized`` (unknown code),
                           ``enrol_code_used``, ``enrol_code_expired`` (codes live 24 h). ``device_id`` is the
                           till's id on the server: put it on the till's entries (``WireEntry.device_id``).
``POST /authorise``        :class:`AuthoriseRequest` → :class:`AuthoriseResponse` — online: the server decides a
                           value change, serialising all changes to one card, and records the entry ``confirmed``.
                           A refusal is HTTP 200 with ``result: FAILURE`` and the error (the attempt is recorded
                           too). An unknown code is HTTP 200 ``FAILURE`` ``not_found`` with ``entry`` and ``card``
                           null (nothing recorded). Replaying the same ``entry_id`` answers exactly as the first time
                           (byte for byte); an ``entry_id`` used already for another card or by a push is 409
                           ``duplicate_found``. The rules are checked at the server's clock; ``created_at`` is only
                           stored (answered in UTC). The till
                           reserves its next ``device_seq`` for the request; when no answer comes, its offline
                           entry keeps that ``entry_id`` and ``device_seq``, so that should the server have
                           recorded the attempt after all, the push of it is a ``duplicate``, never a second one.
``POST /push``             :class:`PushRequest` → :class:`PushResponse` — entries the till made offline (or any
                           not yet acknowledged). Each is stored at most once (by id); a replayed or half-delivered
                           batch answers the same again. Offline redemptions are applied even when they overdraw
                           the card (the goods have left the shop): the card is frozen, a conflict opened, and the
                           overdrawing entries get status ``conflict`` (so do offline redemptions of a card that
                           was frozen or disabled; they join the card's one open conflict). Within a batch the
                           entries are applied in ``(device_id, device_seq)`` order. ``duplicate``: the id was
                           recorded otherwise (e.g. authorised online) with the same facts. ``rejected`` entries are
                           not stored (unknown card, other currency, a refund of a redemption the server lacks or
                           of more than is left of it, a correction below zero, a malformed entry) and may be pushed
                           again later. A known id with *other facts* is a divergence (see below).
``GET  /pull?cursor=N``    :class:`PullResponse` — everything that changed after ``cursor`` (campaigns, customers,
                           ``limit`` ≤ 1000 changes a page (default 500); the till applies a page idempotently and
                           asks again from ``next_cursor`` while ``has_more``. Campaigns, cards and users come in
                           their current state (it may be newer than the page; a card's ``version`` grows with
                           every change of it, so a till takes a card's state only when its version is above the
                           one it holds: a page fetched before an online authorisation must not put back the
                           state from before it); a campaign comes before its first card. Entries are every
                           till's, the asking till's own included, with the server's ``server_seq``, ``status``
                           and ``balance_after``.
                           ``next_cursor`` is the last change's seq (the cursor itself on an empty page).
``POST /publish``          :class:`PublishRequest` → :class:`PublishResponse` — give a card to a customer (made on
                           first use, by the shop's own id for them); the card and the customer as they now
                           stand. 404 ``not_found`` (no such card), 409 ``voucher_already_published`` (another
                           customer has it), 403 ``unknown_operator`` / ``forbidden`` (``operator_id`` is not an
                           active manager), 400 ``invalid_payload`` (e.g. a phone number with letters in it).
                           Every till learns both with its next pull.
``GET  /conflicts``        list of :class:`ConflictOut` (a manager's till shows them); ``?status=open`` (default),
                           ``resolved`` or ``all``
``POST /conflicts/{id}/resolve``  :class:`ResolveConflict` → :class:`ConflictOut`; 404 ``not_found``, 409
                           ``conflict_resolved`` (resolved already), 403 ``forbidden`` (``operator_id`` names a
                           cashier)
=========================  =====================================================================================

**Divergence** — one id, two different facts. The till asked the server to authorise entry X, the server decided
it (e.g. refused it: a FAILURE entry X), the answer was lost, and the till, offline, decided X itself (e.g.
accepted the sale: the customer has left with the goods); or the converse. The facts compared are the card, the
kind, the amount and the result (two FAILUREs of one card moved nothing, whatever their amounts or error keys:
the same facts). On push, a known id with other facts is neither dropped nor a ``duplicate``:

* the server keeps its own entry X as it is, and records the till's under :func:`till_fact_id` (X) — a UUID made
  from X, the same every time, so that a replay finds it — with the till's ``device_id``, ``device_seq`` 0 (the
  number stays X's) and everything else as pushed. It is applied like any other offline entry (an overdraft
  freezes the card), and joins the card's open conflict (opened now if there is none; the card is frozen only by
  the usual rules), whose ``notes`` say what happened; X is listed with it.
* The answer for X is ``outcome: conflict`` with the status and ``server_seq`` of the till's entry and
  ``recorded_as`` its id. A replayed push answers the same and writes nothing. A ``rejected`` till's fact (e.g. a
  refund of more than is left of its redemption) is not stored and answered ``rejected`` as usual.
* X is logged again, so the till's next pull carries X (the server's facts) and the till's entry under its new
  id: the till replaces its copy of X with the server's (only once the server has acknowledged the till's own, so
  that it is never lost) and adds the other, and both ledgers are the same.
"""

from __future__ import annotations

import uuid
from typing import Annotated, Literal

from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, Field, RootModel

from pos_app.domain import errors
from pos_app.domain.shop_time import MAX_ZONE_NAME, shop_zone
from pos_app.sync.fields import (
    Amount,
    Balance,
    Code,
    Count,
    Currency,
    DayTime,
    Email,
    ErrorKey,
    Id,
    Metadata,
    Moment,
    Name,
    OrderRef,
    Phone,
    Price,
    Reason,
    Total,
    Weekdays,
)

EntryKindName = Literal["CREDITS_ADDITION", "CREDITS_REMOVAL", "CREDITS_REDEMPTION", "CREDITS_REFUND"]
EntryStatusName = Literal["local", "confirmed", "provisional", "conflict"]
CardStatusName = Literal["inactive", "active", "disabled", "frozen"]
Operation = Literal["redeem", "sell", "top_up", "correct", "refund"]
PaymentName = Literal["cash", "card", "other"]
MAX_PUSH = 1000
MAX_PULL = 1000
#: A till's count of the entries it holds that the server has not acknowledged, a whole number, sent with push and
#: pull (the server keeps it, with when the till was last seen, for head office; optional: older tills do not).
UNSYNCED_HEADER = "X-Unsynced-Entries"
#: The namespace of :func:`till_fact_id` (a constant of the protocol: never change it).
TILL_FACT_NAMESPACE = uuid.UUID("5b0c7d4e-8a61-4f0e-9a57-3d2f6c1e0b94")


def till_fact_id(entry_id: uuid.UUID) -> uuid.UUID:
    """The id under which the server records a till's facts of ``entry_id`` when it holds other facts under that
    id itself (a divergence, see the module's docstring): deterministic, so that a replayed push finds it."""
    return uuid.uuid5(TILL_FACT_NAMESPACE, str(entry_id))


class Wire(BaseModel):
    model_config = ConfigDict(extra="ignore", frozen=True)


def _cut(longest: int) -> BeforeValidator:
    """Text the server writes about a refusal may quote what it was sent: cut, never refused (an error about an
    error would be a 500)."""
    return BeforeValidator(lambda text: text[:longest] if isinstance(text, str) else text)


class ErrorBody(Wire):
    code: int = Field(ge=100, le=599)
    key: Annotated[ErrorKey, _cut(64)]
    message: Annotated[str, _cut(500)]
    details: Annotated[str, _cut(2000)] = ""
    request_id: Annotated[str | None, Field(max_length=64)] = None


def _zone_name(name: str) -> str:
    try:
        shop_zone(name)
    except errors.InvalidPayload as exc:
        raise ValueError(exc.details or str(exc)) from None
    return name


class StoreInfo(Wire):
    """The store as head office set it. ``time_zone``: the shop's IANA zone, in which cards' dates, days and hours
    are read (None: a server from before it was sent; the till keeps its own)."""

    name: Name
    currency: Currency
    locale: str = Field(default="en_US", min_length=2, max_length=35)
    time_zone: Annotated[str, Field(max_length=MAX_ZONE_NAME), AfterValidator(_zone_name)] | None = None


class WireLimits(Wire):
    """Offline limits set by head office (minor units of the store's currency, durations in seconds), and head
    office's maxima for value put on a card, which a till applies offline too (None: no maximum)."""

    per_redemption: Count = 10_000
    per_device_unsynced: Count = 50_000
    max_offline_seconds: Count = 24 * 3600
    max_card_age_seconds: Count = 72 * 3600
    max_balance: Count | None = None
    max_per_operation: Count | None = None
    cashiers_sell: bool = False  # cashiers may sell cards (else only managers)


class WireEntry(Wire):
    id: uuid.UUID
    card_id: Id
    code: Code
    kind: EntryKindName
    amount: Amount
    currency: Currency
    balance_after: Balance
    created_at: Moment
    device_id: Id
    device_seq: Count = 0  # the device's own numbering 1, 2, 3 …, unique per device_id; 0: none (server-made entries)
    operator_id: Id | None = None
    result: Literal["SUCCESS", "FAILURE"] = "SUCCESS"
    error_key: ErrorKey | None = None
    order_ref: OrderRef | None = None
    reason: Reason | None = None
    refund_of: uuid.UUID | None = None
    override_by: Id | None = None
    status: EntryStatusName = "local"
    server_seq: Count | None = None
    price: Price | None = None  # a sale's: what the customer paid (minor units; None on any other entry)
    payment: PaymentName | None = None  # a sale's: how


class WireCard(Wire):
    id: Id
    code: Code
    currency: Currency
    campaign_id: Id | None = None
    status: CardStatusName
    loaded: Total
    balance: Balance
    redeemed: Total
    refunded: Total
    redemption_count: Count = 0
    redemption_limit: Count | None = None
    initial_amount: Price | None = None
    start_date: Moment | None = None
    expiration_date: Moment | None = None
    validity_days: Weekdays | None = None  # weekdays, Monday = 0: "01234"
    validity_start: DayTime | None = None  # "HH:MM", shop's local time
    validity_end: DayTime | None = None
    min_order_amount: Total | None = None
    customer_id: Id | None = None
    category: Name | None = None
    metadata: Metadata = Field(default_factory=dict)
    activated_at: Moment | None = None
    created_at: Moment | None = None
    version: Count = 0


class WireCampaign(Wire):
    """A campaign as tills keep it (its cards name it by ``id``): what a card sheet, a report and an export show.
    ``vouchers_count`` is how many cards the server has made or imported in it so far."""

    id: Id
    name: Name
    currency: Currency
    amount: Price  # each card's value when sold, minor units
    code_config: dict[str, Annotated[str, Field(max_length=200)] | int | bool | None] = Field(
        default_factory=dict, max_length=16)
    vouchers_count: Count = 0
    start_date: Moment | None = None
    expiration_date: Moment | None = None
    redemption_limit: Count | None = None
    min_order_amount: Total | None = None
    category: Name | None = None
    active: bool = True
    created_at: Moment | None = None


class WireUser(Wire):
    id: Id
    name: Name
    role: Literal["cashier", "manager"]
    pin_hash: str = Field(min_length=1, max_length=200)
    active: bool = True


class WireCustomer(Wire):
    """A customer: ``source_id`` is the shop's own id for them; a card names one by ``id``."""

    id: Id
    source_id: Name
    name: Name | None = None
    email: Email | None = None
    phone: Phone | None = None


class PublishRequest(Wire):
    """Give the card ``code`` to the customer the shop knows as ``source_id`` (made on first use; the details
    given replace the ones kept), done by ``operator_id`` (a manager)."""

    code: Code
    source_id: Name
    name: Name | None = None
    email: Email | None = None
    phone: Phone | None = None
    operator_id: Id | None = None


class PublishResponse(Wire):
    card: WireCard
    customer: WireCustomer


class EnrolRequest(Wire):
    code: str = Field(min_length=4, max_length=64)
    device_name: str = Field(min_length=1, max_length=80)


class EnrolResponse(Wire):
    device_id: Id
    token: str = Field(min_length=1, max_length=200)
    store: StoreInfo
    limits: WireLimits
    server_time: Moment


class AuthoriseRequest(Wire):
    """One value change, decided by the server. ``amount`` is positive minor units, except ``correct``, where it
    is the signed change. ``entry_id`` is made by the till and makes a retry safe."""

    op: Operation
    entry_id: uuid.UUID
    code: Code
    amount: Amount | None = None  # None: sell with the card's preset value; refund of all that is left of it
    currency: Currency
    operator_id: Id | None = None
    created_at: Moment
    device_seq: Count = 0
    order_ref: OrderRef | None = None
    order_amount: Total | None = None
    reason: Reason | None = None
    refund_of: uuid.UUID | None = None
    override_by: Id | None = None
    price: Price | None = None  # sell: what the customer paid (None: the value sold)
    payment: PaymentName | None = None  # sell: cash, card or other


class AuthoriseResponse(Wire):
    result: Literal["SUCCESS", "FAILURE"]
    entry: WireEntry | None = None  # the recorded entry (also for a FAILURE of an existing card)
    card: WireCard | None = None  # the card as it stands after the operation
    error: ErrorBody | None = None


class PushRequest(Wire):
    entries: list[WireEntry] = Field(max_length=MAX_PUSH)


class PushResult(Wire):
    id: uuid.UUID
    outcome: Literal["stored", "duplicate", "conflict", "rejected"]
    status: EntryStatusName | None = None
    server_seq: Count | None = None
    error: ErrorBody | None = None  # for "rejected": e.g. an unknown card; the till keeps the entry for review
    recorded_as: uuid.UUID | None = None  # a divergence: the id under which the server keeps the till's facts


class PushResponse(Wire):
    results: list[PushResult]
    server_time: Moment


class WireRule(Wire):
    """A validation rule: ``definition`` its JSON as ``domain.validation_rules.parse_rule`` reads it."""

    id: Id
    name: Name
    definition: Metadata


class WireRuleAssignment(Wire):
    """A validation rule assigned to a campaign or a card (``voucher``) by its id."""

    id: Id
    rule_id: Id
    related_object_type: Literal["campaign", "voucher"]
    related_object_id: Id


class PullResponse(Wire):
    campaigns: list[WireCampaign] = Field(default_factory=list)  # before the cards that name them
    #: Validation rules and assignments changed on the page; ``removed_…``: the ids of those deleted.
    validation_rules: list[WireRule] = Field(default_factory=list)
    rule_assignments: list[WireRuleAssignment] = Field(default_factory=list)
    removed_rules: list[Id] = Field(default_factory=list)
    removed_assignments: list[Id] = Field(default_factory=list)
    customers: list[WireCustomer] = Field(default_factory=list)  # before the cards that name them
    cards: list[WireCard]
    entries: list[WireEntry]
    users: list[WireUser]
    limits: WireLimits
    store: StoreInfo
    next_cursor: Count
    has_more: bool
    server_time: Moment


class ConflictOut(Wire):
    id: Id
    card_id: Id
    code: Code
    status: Literal["open", "resolved"]
    overdraft: Total  # how far below zero the card is (open) or was when resolved (positive minor units)
    currency: Currency
    entry_ids: list[uuid.UUID]
    opened_at: Moment
    resolution: str | None = Field(default=None, max_length=16)
    reason: Reason | None = None
    resolved_at: Moment | None = None
    notes: list[str] = Field(default_factory=list)  # what happened, besides an overdraft (e.g. a divergence)


class ConflictList(RootModel[list[ConflictOut]]):
    """``GET /conflicts`` answers a bare JSON list."""


class ResolveConflict(Wire):
    """``recover``: the customer pays the difference (the card is unfrozen at zero); ``write_off``: the shop bears
    the loss; ``correct``: a manager's correction by ``amount`` (signed; the card may not stay below zero) with the
    reason. Each writes its entry (recover and write_off: a CREDITS_ADDITION back to zero; they take no amount)
    and unfreezes the card (to active — or disabled if it was disabled before the conflict — or disabled when
    ``disable`` is set)."""

    action: Literal["recover", "write_off", "correct"]
    reason: Annotated[Reason, Field(min_length=1)]
    amount: Amount | None = None
    disable: bool = False
    operator_id: Id | None = None
