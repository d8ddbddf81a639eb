"""Money as integer minor units with an ISO 4217 currency; strict parsing of what a person typed.

No floats anywhere: an amount is an ``int`` of minor units (cents). ``Decimal`` is used only to parse text, and
parsing never rounds: ``12.505`` EUR is refused rather than guessed. Formatting for people lives at the edge
(``pos_app.formatting``, with Babel and an explicit locale).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from pos_app.domain.errors import CurrencyMismatch, InvalidAmount, MissingAmount

# Minor-unit exponents for the currencies a shop is likely to use; anything else defaults to 2 only when it is a
# well-formed code and listed here, so that a typo such as "EUT" is refused rather than silently accepted.
CURRENCY_EXPONENTS: dict[str, int] = {
    "EUR": 2, "USD": 2, "GBP": 2, "CHF": 2, "CAD": 2, "AUD": 2, "NZD": 2, "SEK": 2, "NOK": 2, "DKK": 2,
    "PLN": 2, "CZK": 2, "HUF": 2, "RON": 2, "BGN": 2, "TRY": 2, "ZAR": 2, "BRL": 2, "MXN": 2, "INR": 2,
    "CNY": 2, "HKD": 2, "SGD": 2, "ILS": 2, "AED": 2, "SAR": 2, "THB": 2, "MYR": 2, "PHP": 2, "IDR": 2,
    "JPY": 0, "KRW": 0, "ISK": 0, "CLP": 0, "VND": 0, "XOF": 0, "XAF": 0,
    "KWD": 3, "BHD": 3, "JOD": 3, "OMR": 3, "TND": 3,
}

#: The largest amount any single operation or card may carry, in major units. Anything above is a typo or an
#: attack, never a gift card.
MAX_MAJOR_UNITS = 1_000_000

_TYPED = re.compile(r"^(?P<int>[0-9]+)(?:[.,](?P<frac>[0-9]*))?$")


def check_currency(currency: str) -> str:
    """Return the currency code if it is one we know, else raise ``invalid_amount``."""
    if currency not in CURRENCY_EXPONENTS:
        raise InvalidAmount(f"unknown currency {currency!r}; use an ISO 4217 code such as EUR")
    return currency


def exponent(currency: str) -> int:
    return CURRENCY_EXPONENTS[check_currency(currency)]


def max_minor(currency: str) -> int:
    """The largest amount in minor units that any operation may carry in this currency."""
    return MAX_MAJOR_UNITS * int(10 ** exponent(currency))


@dataclass(frozen=True, slots=True, order=True)
class Money:
    """An amount of one currency in integer minor units (may be negative for signed ledger amounts)."""

    minor: int
    currency: str

    def __post_init__(self) -> None:
        if type(self.minor) is not int:  # bool and float are both refused
            raise InvalidAmount(f"amount must be an integer number of minor units, got {self.minor!r}")
        check_currency(self.currency)

    def _same(self, other: Money) -> None:
        if other.currency != self.currency:
            raise CurrencyMismatch(f"{other.currency} amount used with a {self.currency} amount")

    def __add__(self, other: Money) -> Money:
        self._same(other)
        return Money(self.minor + other.minor, self.currency)

    def __sub__(self, other: Money) -> Money:
        self._same(other)
        return Money(self.minor - other.minor, self.currency)

    def __neg__(self) -> Money:
        return Money(-self.minor, self.currency)

    @classmethod
    def zero(cls, currency: str) -> Money:
        return cls(0, currency)

    def __str__(self) -> str:
        """``12.50 EUR``: unambiguous for logs, the CLI and error details (people get Babel's format)."""
        return f"{self.major_str()} {self.currency}"

    def major_str(self) -> str:
        """Plain text in major units with a dot, e.g. ``-12.50`` (for machines and logs, not for people)."""
        exp = exponent(self.currency)
        sign = "-" if self.minor < 0 else ""
        whole, frac = divmod(abs(self.minor), 10**exp)
        return f"{sign}{whole}.{frac:0{exp}d}" if exp else f"{sign}{whole}"


def parse_amount(
    text: str | None,
    currency: str,
    *,
    decimal_separator: str = ".",
    allow_zero: bool = False,
) -> Money:
    """Parse what a person typed ("12.50", "12,50" with ``decimal_separator=","``) into a positive Money.

    The rule: digits, optionally one decimal separator and at most as many decimals as the currency has.
    ``.`` is always accepted as the decimal separator (amounts on the command line are "12.50"); the locale's
    separator is accepted too. Signs, group separators, exponents, spaces inside the number, NaN and infinity
    are refused, and so are amounts above :data:`MAX_MAJOR_UNITS`. Nothing is ever rounded.
    """
    exp = exponent(currency)
    if text is None or not text.strip():
        raise MissingAmount("type an amount")
    raw = text.strip()
    if raw.startswith("-"):
        raise InvalidAmount(f"{raw!r}: the amount must be positive")
    if decimal_separator not in {".", ","}:
        raise ValueError(f"unsupported decimal separator {decimal_separator!r}")
    if "," in raw and decimal_separator != ",":
        raise InvalidAmount(f"{raw!r}: use a dot for decimals and no thousands separators")
    match = _TYPED.match(raw)
    if match is None or not raw.isascii():
        raise InvalidAmount(f"{raw!r} is not an amount; type digits such as 12.50")
    frac = match["frac"] or ""
    if len(frac) > exp:
        places = f"{exp} decimal places" if exp else "no decimal places"
        raise InvalidAmount(f"{raw!r} has too many decimals: {currency} has {places}")
    try:
        value = Decimal(f"{match['int']}.{frac or '0'}")
    except InvalidOperation as exc:  # pragma: no cover - the regex already guarantees a number
        raise InvalidAmount(f"{raw!r} is not an amount") from exc
    minor = int(value.scaleb(exp))
    if minor > max_minor(currency):
        raise InvalidAmount(f"{raw!r} is larger than any gift card may hold")
    if minor == 0 and not allow_zero:
        raise InvalidAmount("the amount must be more than zero")
    return Money(minor, currency)


def require_positive(amount: Money, *, what: str = "amount") -> Money:
    """Refuse zero, negative and absurd amounts given in minor units (API and service inputs)."""
    if amount.minor <= 0:
        raise InvalidAmount(f"the {what} must be more than zero")
    if amount.minor > max_minor(amount.currency):
        raise InvalidAmount(f"the {what} is larger than any gift card may hold")
    return amount
