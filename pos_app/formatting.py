"""Formatting for people, at the edge only (screen, receipt, terminal): Babel with an explicit locale."""

from __future__ import annotations

from datetime import datetime, tzinfo
from decimal import Decimal
from functools import lru_cache

from babel import Locale, UnknownLocaleError
from babel.dates import format_date
from babel.dates import format_datetime as _format_datetime
from babel.numbers import format_currency, get_decimal_symbol

from pos_app.domain.money import Money, exponent
from pos_app.domain.shop_time import first_day, last_day


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


def format_datetime(value: datetime | None, *, locale: str, zone: tzinfo | None = None) -> str:
    """``value`` in the time zone ``zone`` (the shop's, for what happened in the shop; None: this machine's)."""
    if value is None:
        return "—"
    return str(_format_datetime(value.astimezone(zone), "medium", locale=locale))


def format_last_day(expiry: datetime | None, *, zone: tzinfo, locale: str) -> str:
    """The last day a card expiring at ``expiry`` may be used, in the shop's ``zone`` ("Jun 30, 2027")."""
    return "—" if expiry is None else str(format_date(last_day(expiry, zone), "medium", locale=locale))


def format_first_day(start: datetime | None, *, zone: tzinfo, locale: str) -> str:
    """The first day a card starting at ``start`` may be used, in the shop's ``zone``."""
    return "—" if start is None else str(format_date(first_day(start, zone), "medium", locale=locale))
