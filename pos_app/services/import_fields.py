"""Parsers of single cells of an import file: each returns the value or raises a refusal naming the field."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, tzinfo
from typing import Any

from pos_app.domain import errors
from pos_app.domain.cards import CardStatus, check_date, check_metadata
from pos_app.domain.money import Money, max_minor
from pos_app.domain.shop_time import expiry_end_of_day, start_of_day
from pos_app.services.lookup import clean_code

_TRUE, _FALSE = {"true", "t", "yes", "y", "1"}, {"false", "f", "no", "n", "0"}


def blank(raw: Any) -> bool:
    return raw is None or (isinstance(raw, str) and not raw.strip())


def code(raw: Any) -> str:
    if blank(raw):
        raise errors.InvalidCode("no code")
    if not isinstance(raw, str):
        raise errors.InvalidCode(f"the code must be text, not {raw!r}")
    return clean_code(raw)


def minor(raw: Any, what: str, currency: str) -> int | None:
    if blank(raw):
        return None
    text = raw.strip() if isinstance(raw, str) else raw
    if isinstance(text, str) and text.isascii() and text.isdigit():
        text = int(text)
    if type(text) is not int:
        example = Money(1250, currency).major_str()
        raise errors.InvalidAmount(
            f"{what} {raw!r} is not a whole number of minor units (amounts are integers as in Voucherify's "
            f"API: 1250 means {example} {currency})"
        )
    if text < 0:
        raise errors.InvalidAmount(f"{what} {raw!r} is negative")
    if text > max_minor(currency):
        raise errors.InvalidAmount(f"{what} {raw!r} is more than any gift card may hold")
    return text


def count(raw: Any, what: str, *, minimum: int) -> int | None:
    if blank(raw):
        return None
    text = raw.strip() if isinstance(raw, str) else raw
    if isinstance(text, str) and text.isascii() and text.isdigit():
        text = int(text)
    if type(text) is not int or text < minimum:
        raise errors.InvalidPayload(f"{what} {raw!r} is not a whole number of at least {minimum}")
    return text


def flag(raw: Any) -> bool | None:
    if isinstance(raw, bool) or raw is None:
        return raw
    text = str(raw).strip().lower()
    if not text:
        return None
    if text in _TRUE or text in _FALSE:
        return text in _TRUE
    raise errors.InvalidPayload(f"active {raw!r} is neither true nor false")


def status(raw: Any) -> CardStatus | None:
    if blank(raw):
        return None
    try:
        return CardStatus(str(raw).strip().lower())
    except ValueError:
        raise errors.InvalidPayload(
            f"status {raw!r} is not one of {', '.join(s.value for s in CardStatus)}") from None


def when(raw: Any, what: str, zone: tzinfo, *, end_of_day: bool) -> datetime | None:
    """An ISO date-time (UTC when it names no zone), or a bare date of the shop's ``zone``: from its start, or
    (an expiry) usable all that day (``domain.shop_time``)."""
    if blank(raw):
        return None
    text = raw.strip() if isinstance(raw, str) else ""
    try:
        if len(text) == 10:  # a bare date: from its start, or (an expiry) usable all that day
            day = date.fromisoformat(text)
            return check_date(expiry_end_of_day(day, zone) if end_of_day else start_of_day(day, zone), what)
        when = datetime.fromisoformat(text)
    except ValueError:
        raise errors.InvalidPayload(
            f"{what} {raw!r} is not an ISO-8601 date such as 2027-12-31 or 2027-12-31T23:59:59Z") from None
    return check_date((when if when.tzinfo else when.replace(tzinfo=UTC)).astimezone(UTC), what)


def text(raw: Any, what: str, longest: int) -> str | None:
    if blank(raw):
        return None
    if not isinstance(raw, str) or len(raw.strip()) > longest or not raw.strip().isprintable():
        raise errors.InvalidPayload(f"{what} must be text of at most {longest} printable characters")
    return raw.strip()


def metadata(raw: Any) -> dict[str, Any] | None:
    if blank(raw):
        return None
    try:
        value = json.loads(raw) if isinstance(raw, str) else raw
    except json.JSONDecodeError:
        value = None
    if not isinstance(value, dict):
        raise errors.InvalidPayload("metadata must be a JSON object such as {\"note\": \"x\"}")
    return check_metadata(value)


def same(raw: Any, expected: str, refusal: str,
          error: type[errors.GiftCardError] = errors.InvalidPayload) -> None:
    if not blank(raw) and str(raw).strip().upper() != expected:
        raise error(f"{refusal} {str(raw).strip()!r}")
