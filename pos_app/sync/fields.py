"""The lengths and ranges of every field on the wire, in one place: the till builds its requests with these
types and the server parses them with the same, so a till never sends what its own server refuses.

Anything outside is 400 ``invalid_payload`` at the server's edge, before a transaction starts: an id or a code
longer than its column, a text field of a megabyte, a date in year 1 or 9999 (Python cannot even convert those to
UTC), an amount beyond what any card may hold, a number that does not fit a BIGINT.

* Ids (cards, tills, people, campaigns, conflicts): 1 to 64 characters, the server's columns.
* Codes: 1 to :data:`~pos_app.domain.codes.MAX_CODE_LENGTH` characters.
* Amounts (what one operation moves, signed where the wire says so) and balances: at most
  :data:`MAX_AMOUNT` either way — the largest card any currency may hold (``pos_app.domain.money.max_minor``).
  The domain refuses finer: each currency's own maximum, and head office's.
* Running totals, counters, sequence numbers: within a signed 64-bit integer (a BIGINT); sequence numbers ≥ 0.
* Dates and times: with a UTC offset, from :data:`EARLIEST` to :data:`LATEST` (a till's clock outside is broken).
* A card's metadata: a JSON object of at most :data:`MAX_METADATA_BYTES` bytes.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated, Any

from pydantic import AfterValidator, AwareDatetime, Field, StringConstraints
from pydantic_core import to_json

from pos_app.domain.cards import FIRST_DATE, MAX_METADATA_BYTES
from pos_app.domain.codes import MAX_CODE_LENGTH
from pos_app.domain.customers import MAX_PHONE
from pos_app.domain.money import CURRENCY_EXPONENTS, max_minor

INT64_MAX = 2**63 - 1
INT64_MIN = -(2**63)
#: The largest amount (minor units) an operation may move and a card may hold, in any currency.
MAX_AMOUNT = max(max_minor(currency) for currency in CURRENCY_EXPONENTS)
MAX_ID = 64
MAX_ORDER_REF = 200
MAX_REASON = 500
MAX_NAME = 200
MAX_ERROR_KEY = 64
EARLIEST = FIRST_DATE
LATEST = datetime(2200, 1, 1, tzinfo=UTC)  # far enough for any expiry a campaign may set

Id = Annotated[str, StringConstraints(min_length=1, max_length=MAX_ID)]
Code = Annotated[str, StringConstraints(min_length=1, max_length=MAX_CODE_LENGTH)]
Currency = Annotated[str, StringConstraints(pattern=r"^[A-Z]{3}$")]
ErrorKey = Annotated[str, StringConstraints(min_length=1, max_length=MAX_ERROR_KEY)]
OrderRef = Annotated[str, StringConstraints(max_length=MAX_ORDER_REF)]
Reason = Annotated[str, StringConstraints(max_length=MAX_REASON)]
Name = Annotated[str, StringConstraints(min_length=1, max_length=MAX_NAME)]
#: A customer's e-mail address and phone number as given (``services.customers.customer_fields`` checks them).
Email = Annotated[str, StringConstraints(min_length=1, max_length=320)]
Phone = Annotated[str, StringConstraints(min_length=1, max_length=MAX_PHONE)]
#: A time of day in the shop, ``HH:MM`` or ``HH:MM:SS``; weekdays as digits, Monday = 0.
DayTime = Annotated[str, StringConstraints(pattern=r"^\d\d:\d\d(:\d\d)?$")]
Weekdays = Annotated[str, StringConstraints(pattern=r"^[0-6]{0,7}$")]

#: What one operation moves (signed: an entry's amount, a correction).
Amount = Annotated[int, Field(ge=-MAX_AMOUNT, le=MAX_AMOUNT)]
#: A positive-or-zero amount: a card's preset value, an order's minimum.
Price = Annotated[int, Field(ge=0, le=MAX_AMOUNT)]
#: A card's balance (below zero only when offline redemptions overdrew it).
Balance = Annotated[int, Field(ge=-MAX_AMOUNT, le=MAX_AMOUNT)]
#: A running total or a figure that only has to fit a BIGINT (an order's amount, a card's loaded total).
Total = Annotated[int, Field(ge=INT64_MIN, le=INT64_MAX)]
#: A count or a sequence number: 0 up to a BIGINT's largest.
Count = Annotated[int, Field(ge=0, le=INT64_MAX)]


def _in_range(value: datetime) -> datetime:
    if not EARLIEST <= value < LATEST:
        raise ValueError(f"must be from {EARLIEST:%Y-%m-%d} to before {LATEST:%Y-%m-%d}")
    return value


#: A moment with its UTC offset, within [EARLIEST, LATEST).
Moment = Annotated[AwareDatetime, AfterValidator(_in_range)]


def _small_document(value: dict[str, Any]) -> dict[str, Any]:
    if len(to_json(value)) > MAX_METADATA_BYTES:
        raise ValueError(f"must be at most {MAX_METADATA_BYTES} bytes as JSON")
    return value


Metadata = Annotated[dict[str, Any], AfterValidator(_small_document)]
