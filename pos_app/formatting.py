"""Formatting for people, at the edge only (screen, receipt, terminal): Babel with an explicit locale."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from functools import lru_cache

from babel import Locale, UnknownLocaleError
from babel.dates import format_datetime as _format_datetime
from babel.numbers import format_currency, get_decimal_symbol

from pos_app.domain.money import Money, exponent


@lru_cache(maxsize=32)
def check_locale(locale: str) -> str:
    try:
        Locale.parse(locale)
    except (UnknownLocaleError, ValueError) as exc:
        raise ValueError(f"unknown locale {locale!r}; use one such as en_US or de_DE") from exc
    return locale


def format_money(amount: Money | int, currency: str | None = None, *, locale: str) -> str:
    """``€12.50`` / ``12,50 €``: the amount as people of ``locale`` read it (never through a float)."""
    money = amount if isinstance(amount, Money) else Money(amount, currency or "")
    value = Decimal(money.minor).scaleb(-exponent(money.currency))
    return str(format_currency(value, money.currency, locale=locale))


def decimal_separator(locale: str) -> str:
    """The decimal symbol people of ``locale`` type ("," in de_DE); "." is always accepted as well."""
    symbol = get_decimal_symbol(locale)
    return symbol if symbol in {".", ","} else "."


def format_datetime(value: datetime | None, *, locale: str) -> str:
    if value is None:
        return "—"
    return str(_format_datetime(value.astimezone(), "medium", locale=locale))
