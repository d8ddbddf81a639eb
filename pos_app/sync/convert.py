"""The wire schemas (``schemas``) ↔ the domain's objects and the Authoriser port's, explicitly, field by field."""

from __future__ import annotations

from datetime import time, timedelta
from typing import cast

from pos_app.domain import errors
from pos_app.domain.cards import Campaign, CardStatus, GiftCard, Validity
from pos_app.domain.ledger import Entry, EntryKind, EntryResult, EntryStatus, PaymentMethod
from pos_app.domain.offline import OfflineLimits
from pos_app.domain.operations import Policy
from pos_app.domain.people import Role, User
from pos_app.services.online import OnlineOperation, OnlineOutcome, Publication
from pos_app.services.ports import Customer
from pos_app.sync.schemas import (
    AuthoriseRequest,
    AuthoriseResponse,
    ErrorBody,
    PaymentName,
    PublishRequest,
    WireCampaign,
    WireCard,
    WireCustomer,
    WireEntry,
    WireLimits,
    WireUser,
)


def error_to_body(exc: errors.GiftCardError, request_id: str | None = None) -> ErrorBody:
    return ErrorBody(code=exc.code, key=exc.key, message=exc.message, details=exc.details, request_id=request_id)


def error_from_body(body: ErrorBody) -> errors.GiftCardError:
    """The domain's error for the server's key; an unknown key keeps the server's key, code and message."""
    cls = errors.ERRORS_BY_KEY.get(body.key)
    if cls is not None:
        return cls(body.details or body.message)
    error = errors.GiftCardError(body.details or body.message)
    error.key, error.code, error.message = body.key, body.code, body.message
    return error


def campaign_from_wire(wire: WireCampaign) -> Campaign:
    return Campaign(
        id=wire.id, name=wire.name, currency=wire.currency, amount=wire.amount, code_config=dict(wire.code_config),
        vouchers_count=wire.vouchers_count, start_date=wire.start_date, expiration_date=wire.expiration_date,
        redemption_limit=wire.redemption_limit, min_order_amount=wire.min_order_amount, category=wire.category,
        active=wire.active, created_at=wire.created_at,
    )


def customer_from_wire(wire: WireCustomer) -> Customer:
    return Customer(id=wire.id, source_id=wire.source_id, name=wire.name, email=wire.email, phone=wire.phone)


def customer_to_wire(customer: Customer) -> WireCustomer:
    assert customer.source_id is not None, "the server knows every customer by the shop's id for them"
    return WireCustomer(id=customer.id, source_id=customer.source_id, name=customer.name, email=customer.email,
                        phone=customer.phone)


def publication_to_wire(publication: Publication) -> PublishRequest:
    return PublishRequest(code=publication.code, source_id=publication.source_id, name=publication.name,
                          email=publication.email, phone=publication.phone, operator_id=publication.operator_id)


def entry_from_wire(wire: WireEntry) -> Entry:
    return Entry(
        id=wire.id, card_id=wire.card_id, code=wire.code, kind=EntryKind(wire.kind), amount=wire.amount,
        currency=wire.currency, balance_after=wire.balance_after, created_at=wire.created_at,
        device_id=wire.device_id, operator_id=wire.operator_id, device_seq=wire.device_seq,
        result=EntryResult(wire.result), error_key=wire.error_key, order_ref=wire.order_ref, reason=wire.reason,
        refund_of=wire.refund_of, override_by=wire.override_by, status=EntryStatus(wire.status),
        server_seq=wire.server_seq, price=wire.price,
        payment=None if wire.payment is None else PaymentMethod(wire.payment),
    )


def entry_to_wire(entry: Entry) -> WireEntry:
    return WireEntry(
        id=entry.id, card_id=entry.card_id, code=entry.code, kind=entry.kind.value,
        amount=entry.amount, currency=entry.currency, balance_after=entry.balance_after,
        created_at=entry.created_at, device_id=entry.device_id, device_seq=entry.device_seq,
        operator_id=entry.operator_id, result=entry.result.value, error_key=entry.error_key,
        order_ref=entry.order_ref, reason=entry.reason, refund_of=entry.refund_of, override_by=entry.override_by,
        status=entry.status.value, server_seq=entry.server_seq, price=entry.price,
        payment=None if entry.payment is None else entry.payment.value,
    )


def _time(text: str | None) -> time | None:
    return None if text is None else time.fromisoformat(text)


def time_text(value: time | None) -> str | None:
    """``HH:MM`` (``HH:MM:SS`` only when there are seconds), the shop's local time without a zone: the text of a
    card's validity hours on the wire and in the server's rows."""
    if value is None:
        return None
    plain = value.replace(tzinfo=None)
    return plain.isoformat(timespec="seconds" if plain.second or plain.microsecond else "minutes")


def days_text(days: frozenset[int] | None) -> str | None:
    """A card's weekdays (Monday = 0) as text: ``"01234"``."""
    return None if days is None else "".join(str(day) for day in sorted(days))


def card_from_wire(wire: WireCard) -> GiftCard:
    return GiftCard(
        id=wire.id, code=wire.code, currency=wire.currency, campaign_id=wire.campaign_id,
        status=CardStatus(wire.status), loaded=wire.loaded, balance=wire.balance, redeemed=wire.redeemed,
        refunded=wire.refunded, redemption_count=wire.redemption_count, redemption_limit=wire.redemption_limit,
        initial_amount=wire.initial_amount, start_date=wire.start_date, expiration_date=wire.expiration_date,
        validity=Validity(
            days=None if wire.validity_days is None else frozenset(int(d) for d in wire.validity_days),
            start=_time(wire.validity_start), end=_time(wire.validity_end),
        ),
        min_order_amount=wire.min_order_amount, customer_id=wire.customer_id, category=wire.category,
        metadata=dict(wire.metadata), activated_at=wire.activated_at, created_at=wire.created_at,
        version=wire.version,
    )


def card_to_wire(card: GiftCard) -> WireCard:
    v = card.validity
    return WireCard(
        id=card.id, code=card.code, currency=card.currency, campaign_id=card.campaign_id, status=card.status.value,
        loaded=card.loaded, balance=card.balance, redeemed=card.redeemed, refunded=card.refunded,
        redemption_count=card.redemption_count, redemption_limit=card.redemption_limit,
        initial_amount=card.initial_amount, start_date=card.start_date, expiration_date=card.expiration_date,
        validity_days=days_text(v.days), validity_start=time_text(v.start), validity_end=time_text(v.end),
        min_order_amount=card.min_order_amount, customer_id=card.customer_id, category=card.category,
        metadata=card.metadata, activated_at=card.activated_at, created_at=card.created_at, version=card.version,
    )


def user_from_wire(wire: WireUser) -> User:
    return User(id=wire.id, name=wire.name, role=Role(wire.role), pin_hash=wire.pin_hash, active=wire.active)


def policy_from_wire(wire: WireLimits) -> Policy:
    """Head office's maxima of a card (the daily cap per till is the server's to count), and whether cashiers
    may sell."""
    return Policy(max_balance=wire.max_balance, max_per_operation=wire.max_per_operation,
                  cashiers_sell=wire.cashiers_sell)


def limits_from_wire(wire: WireLimits) -> OfflineLimits:
    return OfflineLimits(
        per_redemption=wire.per_redemption, per_device_unsynced=wire.per_device_unsynced,
        max_offline=timedelta(seconds=wire.max_offline_seconds),
        max_card_age=timedelta(seconds=wire.max_card_age_seconds),
    )


def operation_to_wire(op: OnlineOperation) -> AuthoriseRequest:
    return AuthoriseRequest(
        op=op.op, entry_id=op.entry_id, code=op.code, amount=op.amount, currency=op.currency,
        operator_id=op.operator_id, created_at=op.created_at, device_seq=op.device_seq, order_ref=op.order_ref,
        order_amount=op.order_amount, reason=op.reason, refund_of=op.refund_of, override_by=op.override_by,
        price=op.price, payment=cast(PaymentName | None, op.payment),  # (the wire's Literal checks it)
    )


def outcome_from_wire(response: AuthoriseResponse) -> OnlineOutcome:
    error = response.error
    if error is None and response.result == "FAILURE":
        error = ErrorBody(code=400, key="error", message="the server refused the change")
    return OnlineOutcome(
        entry=None if response.entry is None else entry_from_wire(response.entry),
        card=None if response.card is None else card_from_wire(response.card),
        error=None if error is None else error_from_body(error),
    )
