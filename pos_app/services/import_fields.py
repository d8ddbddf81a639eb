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
        raise errors.InvalidCode(f"the code must be text, not {shown(raw)}")
    return clean_code(raw)


#: Digits of a whole number in a CSV cell: more than any amount or count needs (a card holds < 10**18).
MAX_DIGITS = 20
#: The most redemptions a card may be limited to, or have had.
MAX_COUNT = 1_000_000_000


def shown(raw: Any) -> str:
    """``raw`` as a refusal may quote it: short, whatever it is (a list, a number of 5,000 digits)."""
    if isinstance(raw, dict | list):
        return f"a JSON {'object' if isinstance(raw, dict) else 'list'}"
    if isinstance(raw, int) and not isinstance(raw, bool) and abs(raw) >= 10**MAX_DIGITS:
        return f"a number of more than {MAX_DIGITS} digits"
    text = repr(raw)
    return text if len(text) <= 40 else f"{text[:37]}…"


def whole(raw: Any, *, digits: bool) -> int | None:
    """``raw`` as a whole number, or None: a JSON integer (not ``true``, not ``"100"``, not ``100.0``), or with
    ``digits`` (a CSV cell, which is text) a cell of digits 0-9 only."""
    if digits:
        text = raw.strip() if isinstance(raw, str) else None
        if text is None or not (text.isascii() and text.isdigit()):
            return None
        return int(text) if len(text) <= MAX_DIGITS else 10**MAX_DIGITS
    return raw if type(raw) is int else None


def minor(raw: Any, what: str, currency: str, *, digits: bool) -> int | None:
    """An amount: a whole number of minor units (``digits``: see :func:`whole`), from 0 to what a card holds."""
    if blank(raw):
        return None
    value = whole(raw, digits=digits)
    if value is None:
        example = Money(1250, currency).major_str()
        raise errors.InvalidAmount(
            f"{what} {shown(raw)} is not a whole number of minor units (amounts are integers as in Voucherify's "
            f"API: 1250 means {example} {currency})"
        )
    if value < 0:
        raise errors.InvalidAmount(f"{what} {shown(raw)} is negative")
    if value > max_minor(currency):
        raise errors.InvalidAmount(f"{what} {shown(raw)} is more than any gift card may hold")
    return value


def count(raw: Any, what: str, *, minimum: int, digits: bool) -> int | None:
    if blank(raw):
        return None
    value = whole(raw, digits=digits)
    if value is None or not minimum <= value <= MAX_COUNT:
        raise errors.InvalidPayload(f"{what} {shown(raw)} is not a whole number from {minimum} to {MAX_COUNT:,}")
    return value


def flag(raw: Any) -> bool | None:
    if isinstance(raw, bool) or raw is None:
        return raw
    text = str(raw).strip().lower()
    if not text:
        return None
    if text in _TRUE or text in _FALSE:
        return text in _TRUE
    raise errors.InvalidPayload(f"active {shown(raw)} is neither true nor false")


def status(raw: Any) -> CardStatus | None:
    if blank(raw):
        return None
    try:
        return CardStatus(str(raw).strip().lower())
    except ValueError:
        raise errors.InvalidPayload(
            f"status {shown(raw)} is not one of {', '.join(s.value for s in CardStatus)}") from None


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
            f"{what} {shown(raw)} is not an ISO-8601 date such as 2027-12-31 or 2027-12-31T23:59:59Z") from None
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
        raise error(f"{refusal} {shown(str(raw).strip())}")
