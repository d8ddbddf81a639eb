"""The domain's objects as the sync protocol's wire schemas (``pos_app.sync.schemas``)."""

from __future__ import annotations

from typing import Any, cast

from pos_app.domain.cards import GiftCard
from pos_app.domain.errors import GiftCardError
from pos_app.domain.ledger import Entry
from pos_app.server.rows import days_text, time_text
from pos_app.sync.schemas import ErrorBody, WireCard, WireEntry


def wire_card(card: GiftCard) -> WireCard:
    v = card.validity
    return WireCard(
        id=card.id, code=card.code, currency=card.currency, campaign_id=card.campaign_id,
        status=card.status.value, loaded=card.loaded, balance=card.balance, redeemed=card.redeemed,
        refunded=card.refunded, redemption_count=card.redemption_count, redemption_limit=card.redemption_limit,
        initial_amount=card.initial_amount, start_date=card.start_date, expiration_date=card.expiration_date,
        validity_days=days_text(v.days), validity_start=time_text(v.start), validity_end=time_text(v.end),
        min_order_amount=card.min_order_amount, customer_id=card.customer_id, category=card.category,
        metadata=card.metadata, activated_at=card.activated_at, created_at=card.created_at, version=card.version,
    )


def wire_entry(entry: Entry) -> WireEntry:
    return WireEntry(
        id=entry.id, card_id=entry.card_id, code=entry.code, kind=entry.kind.value, amount=entry.amount,
        currency=entry.currency, balance_after=entry.balance_after, created_at=entry.created_at,
        device_id=entry.device_id, device_seq=entry.device_seq, operator_id=entry.operator_id,
        result=entry.result.value, error_key=entry.error_key, order_ref=entry.order_ref, reason=entry.reason,
        refund_of=entry.refund_of, override_by=entry.override_by, status=cast(Any, entry.status.value),
        server_seq=entry.server_seq,
    )


def error_body(exc: GiftCardError, request_id: str | None = None) -> ErrorBody:
    return ErrorBody(code=exc.code, key=exc.key, message=exc.message, details=exc.details, request_id=request_id)
