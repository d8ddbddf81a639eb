"""What the API's request bodies share: Voucherify's objects read leniently (unknown fields ignored, as the SDK
sends many), each field bounded, and dates read in the shop's time zone."""

from __future__ import annotations

from datetime import date, datetime, tzinfo
from typing import Annotated, Any, Self

from pydantic import BaseModel, ConfigDict, Field, model_validator

from pos_app.domain import errors
from pos_app.domain.money import max_minor
from pos_app.domain.shop_time import expiry_end_of_day, start_of_day
from pos_app.server.edge import unstorable

#: Any amount: within int64 (the ceiling of a currency, ``max_minor``, is checked where the currency is known).
Amount = Annotated[int, Field(ge=-(2**63 - 1), le=2**63 - 1, strict=True)]
Text = Annotated[str, Field(max_length=500)]
Name = Annotated[str, Field(max_length=200)]
Metadata = Annotated[dict[str, Any], Field(max_length=100)]


class Lenient(BaseModel):
    """A body (or a part of one): unknown fields ignored; no text with a NUL character or an unpaired surrogate,
    no number that is not finite, in any field (``edge.unstorable``: what no database holds)."""

    model_config = ConfigDict(extra="ignore")

    @model_validator(mode="after")
    def _storable(self) -> Self:
        reason = unstorable([v for v in self.__dict__.values() if not isinstance(v, BaseModel)])
        if reason is not None:
            raise ValueError(reason)
        return self


def when(text: str | None, zone: tzinfo, *, end_of_day: bool = False) -> datetime | None:
    """An ISO-8601 instant, or a date (the shop's: its first moment, or with ``end_of_day`` the moment after its
    last, so that a card is valid through that day). A time without a zone is the shop's time."""
    if text is None or not text.strip():
        return None
    text = text.strip()
    try:
        if len(text) == 10:
            day = date.fromisoformat(text)
            return expiry_end_of_day(day, zone) if end_of_day else start_of_day(day, zone)
        at = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        raise errors.InvalidPayload(f"{text[:40]!r} is not an ISO-8601 date or date and time") from None
    if not 1900 <= at.year <= 9998:
        raise errors.InvalidPayload(f"{text[:40]!r} is not a date this programme takes")
    return at if at.tzinfo is not None else at.replace(tzinfo=zone)


def within_currency(amount: int, currency: str, what: str = "amount") -> int:
    if abs(amount) > max_minor(currency):
        raise errors.InvalidAmount(f"{what} {amount} is more than any gift card may hold")
    return amount


Quantity = Annotated[int, Field(ge=0, le=1_000_000_000, strict=True)]
DateText = Annotated[str, Field(max_length=40)]
