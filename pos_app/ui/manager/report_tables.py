"""The columns of the Reports page's tables (each a :class:`~pos_app.ui.table_model.RowsModel`) and the text of
their cells: amounts in the row's currency and counts as the shop's locale writes them."""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from babel.dates import format_date
from babel.numbers import format_decimal

from pos_app.formatting import format_money
from pos_app.services.ports import LiabilityRow
from pos_app.services.reports import DayRow, TillRow
from pos_app.ui.messages import tr
from pos_app.ui.table_model import Column

R = TypeVar("R", LiabilityRow, DayRow, TillRow)


def count_text(number: int, locale: str) -> str:
    return str(format_decimal(number, locale=locale))


def day_label(row: DayRow, locale: str) -> str:
    """A day as a chart's bar label: short ("3 Mar"), the weekday in the table."""
    return str(format_date(row.day, "d MMM", locale=locale))


def till_label(device_id: str, this_till: str) -> str:
    if device_id == this_till:
        return tr("This till")
    return tr("Till {id}").format(id=device_id[:8]) if device_id else tr("Unknown till")


def _amount_column(title: str, locale: str, figure: Callable[[R], int]) -> Column[R]:
    """An amount in the row's own currency, aligned right, sorted by its value."""
    return Column(title, lambda row: format_money(figure(row), row.currency, locale=locale), sort_key=figure,
                  right=True)


def liability_columns(locale: str) -> list[Column[LiabilityRow]]:
    return [
        Column(tr("Campaign"), lambda r: r.campaign_name or tr("Cards without a campaign"),
               sort_key=lambda r: (r.campaign_name or "").casefold()),
        Column(tr("Cards"), lambda r: count_text(r.cards, locale), sort_key=lambda r: r.cards, right=True),
        Column(tr("Sold"), lambda r: count_text(r.active_cards, locale), sort_key=lambda r: r.active_cards,
               right=True, tooltip=lambda r: tr("Cards sold and usable now")),
        _amount_column(tr("Issued"), locale, lambda r: r.loaded),
        _amount_column(tr("Redeemed"), locale, lambda r: r.redeemed),
        _amount_column(tr("Refunded"), locale, lambda r: r.refunded),
        _amount_column(tr("Outstanding"), locale, lambda r: r.outstanding),
    ]


def day_columns(locale: str) -> list[Column[DayRow]]:
    return [
        Column(tr("Day"), lambda r: str(format_date(r.day, "EEE d MMM yyyy", locale=locale)),
               sort_key=lambda r: r.day),
        Column(tr("Redemptions"), lambda r: count_text(r.count, locale), sort_key=lambda r: r.count, right=True),
        _amount_column(tr("Redeemed"), locale, lambda r: r.redeemed),
        _amount_column(tr("Refunded"), locale, lambda r: r.refunded),
        _amount_column(tr("Net"), locale, lambda r: r.net),
    ]


def till_columns(locale: str, this_till: Callable[[], str]) -> list[Column[TillRow]]:
    return [
        Column(tr("Till"), lambda r: till_label(r.device_id, this_till()), tooltip=lambda r: r.device_id),
        Column(tr("Redemptions"), lambda r: count_text(r.count, locale), sort_key=lambda r: r.count, right=True),
        _amount_column(tr("Redeemed"), locale, lambda r: r.redeemed),
        _amount_column(tr("Refunded"), locale, lambda r: r.refunded),
        _amount_column(tr("Net"), locale, lambda r: r.net),
    ]
