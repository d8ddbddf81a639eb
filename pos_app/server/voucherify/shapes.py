"""Our objects in the shapes the official SDK reads (VOUCHERIFY-API.md, "Shapes the SDK needs"): amounts are
JSON integers, dates ISO-8601 UTC with milliseconds, enum values exactly Voucherify's."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any
from urllib.parse import quote

from pos_app.domain.cards import CardStatus, GiftCard


def iso(at: datetime | None) -> str | None:
    """``2027-12-31T23:59:59.000Z``; None stays None."""
    if at is None:
        return None
    utc = at.astimezone(UTC)
    return f"{utc:%Y-%m-%dT%H:%M:%S}.{utc.microsecond // 1000:03d}Z"


def days_of_week(days: frozenset[int] | None) -> list[int] | None:
    """Voucherify counts days from Sunday (0); the domain from Monday (0)."""
    return None if days is None else sorted((d + 1) % 7 for d in days)


def validity_hours(card: GiftCard) -> dict[str, Any] | None:
    v = card.validity
    if v.start is None and v.end is None:
        return None
    return {"daily": [{
        "start_time": None if v.start is None else f"{v.start:%H:%M}",
        "expiration_time": None if v.end is None else f"{v.end:%H:%M}",
        "days_of_week": days_of_week(v.days) or [0, 1, 2, 3, 4, 5, 6],
    }]}


def voucher_path(code: str) -> str:
    return f"/v1/vouchers/{quote(code, safe='')}"


def voucher(card: GiftCard, *, campaign: str | None, base_url: str,
            assets: dict[str, Any] | None = None) -> dict[str, Any]:
    """A gift card as Voucherify's gift voucher. ``gift.amount`` is what was loaded (its value, additions and
    removals), ``gift.balance`` what is left; ``active`` is false only for a disabled or frozen card (a card not
    sold yet is active and refuses redemptions with ``voucher_not_active``)."""
    path = base_url + voucher_path(card.code)
    return {
        "id": card.id,
        "code": card.code,
        "object": "voucher",
        "type": "GIFT_VOUCHER",
        "campaign": campaign,
        "campaign_id": card.campaign_id,
        "category": card.category,
        "gift": {"amount": card.loaded, "subtracted_amount": card.redeemed - card.refunded,
                 "balance": card.balance, "effect": "APPLY_TO_ORDER"},
        "start_date": iso(card.start_date),
        "expiration_date": iso(card.expiration_date),
        "validity_timeframe": None,
        "validity_day_of_week": days_of_week(card.validity.days),
        "validity_hours": validity_hours(card),
        "active": card.status not in (CardStatus.DISABLED, CardStatus.FROZEN),
        "metadata": dict(card.metadata),
        "assets": assets,
        "redemption": {"quantity": card.redemption_limit, "redeemed_quantity": card.redemption_count,
                       "redeemed_amount": card.redeemed - card.refunded, "object": "list",
                       "url": f"{path}/redemptions"},
        "publish": {"object": "list", "count": 1 if card.customer_id else 0, "url": f"{path}/publications"},
        "holder_id": card.customer_id,
        "created_at": iso(card.created_at),
        "updated_at": None,
    }


def listing(data: Sequence[dict[str, Any]], *, data_ref: str = "data", **extra: Any) -> dict[str, Any]:
    """Voucherify's list object: ``{object: "list", data_ref, <data_ref>: [...], ...extra}``."""
    return {"object": "list", "data_ref": data_ref, data_ref: list(data), **extra}
