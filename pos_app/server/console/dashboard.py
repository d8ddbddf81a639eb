"""The dashboard: what the chain owes on its cards, sales and redemptions per shop today, in 7 and in 30 days (in
figures, bars per shop and a 30-day line, drawn as inline SVG), the open conflicts and the tills offline for longer
than they may be; and the same figures as CSV for finance (``campaigns.export``).

The figures are ``server.dashboard``'s; this module only turns them into a page (formatted for the viewer's
language) and a file.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from typing import Annotated, Any

from babel.dates import format_date, format_time
from babel.numbers import format_decimal
from fastapi import APIRouter, Depends
from fastapi.responses import HTMLResponse
from starlette.requests import Request
from starlette.responses import Response

from pos_app.domain.money import exponent
from pos_app.formatting import format_datetime, format_money
from pos_app.server import dashboard as figures
from pos_app.server.console.dashboard_charts import BarChart, LineChart, bar_chart, line_chart
from pos_app.server.console.deps import Db, Viewer, allowed
from pos_app.server.console.i18n import N_, _
from pos_app.server.console.pages import render
from pos_app.server.dashboard_rollup import catch_up
from pos_app.server.db.engine import read
from pos_app.server.ledger import now

router = APIRouter()

#: Babel's locale for each language of the console.
LOCALES = {"en": "en_GB", "de": "de_DE"}
#: The periods: their key in ``ShopFigures`` and CSV, and their heading.
PERIODS = (("today", N_("Today")), ("week", N_("7 days")), ("month", N_("30 days")))
SERIES_NAMES = {"sold": N_("Sold"), "redeemed": N_("Redeemed")}
#: The most shops a period's bar chart shows (the busiest by sales); the table below it shows them all.
MOST_BARS = 12


@dataclass(frozen=True, slots=True)
class PeriodChart:
    key: str
    heading: str
    chart: BarChart
    more: int  # shops left out of the chart (they are in the table)


def _locale(viewer: Viewer) -> str:
    return LOCALES.get(viewer.locale, "en_GB")


def group_name(shop: figures.ShopFigures) -> str:
    return shop.name if shop.group_id != figures.HEAD_OFFICE else _("Head office and API")


def _days(board: figures.Dashboard, currency: str) -> list[tuple[date, int, int]]:
    """Every day of the 30 (the store's), the days without an entry as zeros."""
    found = {d.day: d.figures for d in board.days if d.currency == currency}
    last = board.at.astimezone(board.zone).date()
    days = [last - timedelta(days=figures.DAYS - 1 - i) for i in range(figures.DAYS)]
    return [(day, found[day].sold if day in found else 0, found[day].redeemed if day in found else 0)
            for day in days]


def _view(board: figures.Dashboard, viewer: Viewer) -> dict[str, Any]:
    locale = _locale(viewer)
    currency = board.currency

    def money(amount: int, in_currency: str = currency) -> str:
        return format_money(amount, in_currency, locale=locale)

    def series(name: str) -> str:
        return _(SERIES_NAMES[name])

    def day_label(day: date) -> str:
        return str(format_date(day, "d MMM", locale=locale))

    mine = [s for s in board.shops if s.currency == currency]
    charts = []
    for key, heading in PERIODS:
        period = [(group_name(s), getattr(s, key).sold, getattr(s, key).redeemed) for s in mine]
        rows = sorted(period, key=lambda row: -row[1])[:MOST_BARS]
        busiest = rows
        charts.append(PeriodChart(key, _(heading), bar_chart(rows, money=money, series_names=series),
                                  len(mine) - len(busiest)))
    days = _days(board, currency)
    line: LineChart = line_chart(days, money=money, day_label=day_label, series_names=series)
    totals: dict[str, dict[str, figures.Figures]] = {}
    for shop in board.shops:
        sums = totals.setdefault(shop.currency, {key: figures.Figures() for key, _ in PERIODS})
        for key, _heading in PERIODS:
            sums[key] = sums[key] + getattr(shop, key)
    return {
        "money": money, "group_name": group_name, "periods": [(key, _(heading)) for key, heading in PERIODS],
        "charts": charts, "line": line, "days": days, "day_label": day_label, "currency": currency,
        "totals": totals, "seen": lambda when: format_datetime(when, locale=locale, zone=board.zone),
        "clock": lambda when: str(format_time(when.astimezone(board.zone), "HH:mm", locale=locale)),
        "hours": lambda seconds: f"{seconds / 3600:g}",
        "number": lambda n: format_decimal(n, locale=locale),
        "overdraft": ", ".join(money(v, c) for c, v in board.conflicts.overdraft.items()),
    }


@router.get("/dashboard", response_class=HTMLResponse)
def dashboard_page(request: Request, viewer: Annotated[Viewer, Depends(allowed("dashboard.view"))],
                   engine: Db) -> HTMLResponse:
    catch_up(engine)
    board = read(engine, lambda conn: figures.dashboard(conn, at=now()))
    return render(request, viewer, "dashboard.html", title=_("Dashboard"), board=board,
                  may_export=viewer.may("campaigns.export"), **_view(board, viewer))


CSV_COLUMNS = ("figure", "period", "day", "shop_id", "shop", "currency", "count", "amount", "amount_minor")


def _cell(text: str) -> str:
    """A text cell a spreadsheet would take for a formula, quoted with a leading apostrophe."""
    return f"'{text}" if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def _major(amount: int, currency: str) -> str:
    return str(Decimal(amount).scaleb(-exponent(currency)))


def write_csv(board: figures.Dashboard, out: io.StringIO) -> None:
    """The figures, one a row (a long table a spreadsheet pivots): ``liability`` (count: cards), ``sold`` and
    ``redeemed`` per shop and period (``today``, ``7_days``, ``30_days``) and per day of the chain
    (``period`` ``day``), ``open_conflicts`` (amount: their overdraft). Amounts in major units (``12.50``) and in
    minor units."""
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)

    def row(figure: str, period: str, day: str, shop_id: str, shop: str, currency: str, count: int,
            amount: int) -> None:
        writer.writerow([figure, period, day, _cell(shop_id), _cell(shop), currency, count,
                         _major(amount, currency), amount])

    for owed in board.liability:
        row("liability", "", "", "", "", owed.currency, owed.cards, owed.outstanding)
    names = {"today": "today", "week": "7_days", "month": "30_days"}
    for shop in board.shops:
        name = shop.name if shop.group_id != figures.HEAD_OFFICE else "head office and API"
        for key, _heading in PERIODS:
            f = getattr(shop, key)
            row("sold", names[key], "", shop.group_id, name, shop.currency, f.sales, f.sold)
            row("redeemed", names[key], "", shop.group_id, name, shop.currency, f.redemptions, f.redeemed)
    for d in board.days:
        row("sold", "day", d.day.isoformat(), "", "", d.currency, d.figures.sales, d.figures.sold)
        row("redeemed", "day", d.day.isoformat(), "", "", d.currency, d.figures.redemptions, d.figures.redeemed)
    for currency, overdraft in board.conflicts.overdraft.items():
        row("open_conflicts", "", "", "", "", currency, board.conflicts.count, overdraft)


@router.get("/dashboard.csv")
def dashboard_csv(viewer: Annotated[Viewer, Depends(allowed("campaigns.export"))], engine: Db) -> Response:
    catch_up(engine)
    at = now()
    board = read(engine, lambda conn: figures.dashboard(conn, at=at))
    out = io.StringIO()
    write_csv(board, out)
    name = f"dashboard-{at.astimezone(board.zone):%Y-%m-%d-%H%M}.csv"
    return Response(out.getvalue(), media_type="text/csv; charset=utf-8",
                    headers={"Content-Disposition": f'attachment; filename="{name}"'})
