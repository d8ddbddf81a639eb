"""Reports for managers: the liability outstanding, redemptions per day and per till (ready for a chart), and
the end of a day per till and cashier (:func:`end_of_day`, in the shop's local days: :func:`day_bounds`).

The figures come from the store's own aggregates (:class:`~pos_app.services.ports.ReportQueries`); a million
cards are never loaded here. ``liability`` also checks the whole-store invariant — everything loaded =
everything outstanding + everything redeemed - everything refunded — and, when asked (``verify_ledger``), that
the cards' cached figures agree with the sum of the ledger's entries, which streams every entry once.
"""

from __future__ import annotations

import csv
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, timedelta, tzinfo
from typing import TextIO, TypeVar

from pos_app.domain import errors
from pos_app.domain.day_report import DayReport, summarise
from pos_app.domain.ledger import EntryKind, PaymentMethod
from pos_app.domain.people import Permission
from pos_app.domain.shop_time import start_of_day
from pos_app.services.context import Caller
from pos_app.services.modes import ENROLLED, MODE_KEY
from pos_app.services.ports import LiabilityRow, RedemptionBucket, UnitOfWork

MAX_UTC_OFFSET_MINUTES = 14 * 60
MAX_FILLED_DAYS = 3 * 366  # zero days are filled in for charts over at most this many days
K = TypeVar("K")


@dataclass(frozen=True, slots=True)
class LiabilityTotal:
    """All cards of one currency. ``difference`` is loaded - (outstanding + redeemed - refunded): 0 when sound."""

    currency: str
    cards: int
    active_cards: int
    loaded: int
    redeemed: int
    refunded: int
    outstanding: int
    difference: int


@dataclass(frozen=True, slots=True)
class LiabilityReport:
    at: datetime
    rows: tuple[LiabilityRow, ...]
    totals: tuple[LiabilityTotal, ...]
    balanced: bool  # the whole-store invariant holds for every campaign and every currency
    ledger_matches: bool | None = None  # cached figures = sums of the entries; None when not verified


@dataclass(frozen=True, slots=True)
class DayRow:
    """One local day: successful redemptions (``count``, ``redeemed``), refunds, and net = redeemed - refunded."""

    day: date
    count: int
    redeemed: int
    refunded: int
    net: int
    currency: str


@dataclass(frozen=True, slots=True)
class TillRow:
    device_id: str
    count: int
    redeemed: int
    refunded: int
    net: int
    currency: str


@dataclass(frozen=True, slots=True)
class RedemptionsReport:
    """Successful redemptions (``count``, ``redeemed``) and refunds, by the local day and the till where each
    happened. With ``since`` and ``until`` given, every day in between has a row (zeros included)."""

    since: datetime | None
    until: datetime | None
    utc_offset_minutes: int
    per_day: tuple[DayRow, ...]
    per_till: tuple[TillRow, ...]
    totals: tuple[TillRow, ...]  # one row per currency, device_id "" (all tills)


def liability(uow: UnitOfWork, caller: Caller, *, verify_ledger: bool = False) -> LiabilityReport:
    caller.require(Permission.REPORTS)
    with uow:
        rows = tuple(uow.reports.liability())
        ledger = _ledger_sums(uow) if verify_ledger else None
    return liability_of(rows, at=caller.clock(), ledger=ledger)


def liability_of(rows: tuple[LiabilityRow, ...], *, at: datetime,
                 ledger: dict[str, tuple[int, int, int, int]] | None = None) -> LiabilityReport:
    """The report of the per-campaign figures ``rows`` (a till's or the server's): totals and the checks."""
    sums: dict[str, list[int]] = defaultdict(lambda: [0] * 6)
    for row in rows:
        for i, value in enumerate((row.cards, row.active_cards, row.loaded, row.redeemed, row.refunded,
                                   row.outstanding)):
            sums[row.currency][i] += value
    totals = tuple(
        LiabilityTotal(currency, cards, active, loaded, redeemed, refunded, outstanding,
                       difference=loaded - (outstanding + redeemed - refunded))
        for currency, (cards, active, loaded, redeemed, refunded, outstanding) in sorted(sums.items())
    )
    balanced = all(r.loaded == r.outstanding + r.redeemed - r.refunded for r in rows) and all(
        t.difference == 0 for t in totals)
    matches = None
    if ledger is not None:
        cached = {t.currency: (t.loaded, t.redeemed, t.refunded, t.outstanding) for t in totals}
        zero = (0, 0, 0, 0)
        matches = all(cached.get(c, zero) == ledger.get(c, zero) for c in cached.keys() | ledger.keys())
    return LiabilityReport(at=at, rows=rows, totals=totals, balanced=balanced,
                           ledger_matches=matches)


def _ledger_sums(uow: UnitOfWork) -> dict[str, tuple[int, int, int, int]]:
    """Per currency: (loaded, redeemed, refunded, balance) summed over every successful entry."""
    sums: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0, 0])
    for e in uow.entries.iter_all():
        s = sums[e.currency]
        s[0] += e.loaded_delta
        if e.succeeded and e.kind is EntryKind.CREDITS_REDEMPTION:
            s[1] += -e.amount
        if e.succeeded and e.kind is EntryKind.CREDITS_REFUND:
            s[2] += e.amount
        s[3] += e.balance_delta
    return {c: (s[0], s[1], s[2], s[3]) for c, s in sums.items()}


def redemptions(uow: UnitOfWork, caller: Caller, *, since: datetime | None, until: datetime | None,
                utc_offset_minutes: int = 0) -> RedemptionsReport:
    """Redemptions in [since, until), grouped by day in local time (UTC + ``utc_offset_minutes``) and by till."""
    caller.require(Permission.REPORTS)
    check_period(since, until, utc_offset_minutes)
    with uow:
        buckets = uow.reports.redemptions(since, until, utc_offset_minutes)
        store_currency = uow.settings.get("currency")
    return redemptions_of(buckets, since=since, until=until, utc_offset_minutes=utc_offset_minutes,
                          currency=str(store_currency) if store_currency else None)


def check_period(since: datetime | None, until: datetime | None, utc_offset_minutes: int) -> None:
    if not -MAX_UTC_OFFSET_MINUTES <= utc_offset_minutes <= MAX_UTC_OFFSET_MINUTES:
        raise errors.InvalidPayload(f"a UTC offset is between -{MAX_UTC_OFFSET_MINUTES} and "
                                    f"{MAX_UTC_OFFSET_MINUTES} minutes")
    for when in (since, until):
        if when is not None and when.tzinfo is None:
            raise errors.InvalidPayload("give since and until with a time zone")
    if since is not None and until is not None and until <= since:
        raise errors.InvalidPayload("until must be after since")


def redemptions_of(buckets: list[RedemptionBucket], *, since: datetime | None, until: datetime | None,
                   utc_offset_minutes: int, currency: str | None) -> RedemptionsReport:
    """The report of per-day-and-till ``buckets`` (a till's or the server's); ``currency``: the store's, so
    that empty days have a row in it."""
    days = _sum_by(buckets, lambda b: (b.day, b.currency))
    currencies = {b.currency for b in buckets} | ({currency} if currency else set())
    for day in _days(since, until, utc_offset_minutes):
        for each in currencies:
            days.setdefault((day, each), (0, 0, 0))
    tills = _sum_by(buckets, lambda b: (b.device_id, b.currency))
    totals = _sum_by(buckets, lambda b: ("", b.currency))
    return RedemptionsReport(
        since=since, until=until, utc_offset_minutes=utc_offset_minutes,
        per_day=tuple(DayRow(day, *_figures(v), currency=cur) for (day, cur), v in sorted(days.items())),
        per_till=tuple(TillRow(dev, *_figures(v), currency=cur) for (dev, cur), v in sorted(tills.items())),
        totals=tuple(TillRow(dev, *_figures(v), currency=cur) for (dev, cur), v in sorted(totals.items())),
    )


def _sum_by(buckets: list[RedemptionBucket], key: Callable[[RedemptionBucket], K]
               ) -> dict[K, tuple[int, int, int]]:
    out: dict[K, tuple[int, int, int]] = {}
    for b in buckets:
        count, redeemed, refunded = out.get(key(b), (0, 0, 0))
        out[key(b)] = (count + b.count, redeemed + b.redeemed, refunded + b.refunded)
    return out


def _figures(summed: tuple[int, int, int]) -> tuple[int, int, int, int]:
    count, redeemed, refunded = summed
    return count, redeemed, refunded, redeemed - refunded


def _days(since: datetime | None, until: datetime | None, offset: int) -> list[date]:
    """The local days from ``since`` up to (not including the instant) ``until``, if not too many."""
    if since is None or until is None:
        return []
    shift = timedelta(minutes=offset)
    first = (since.astimezone(UTC) + shift).date()
    last = (until.astimezone(UTC) - timedelta(microseconds=1) + shift).date()
    count = (last - first).days + 1
    return [first + timedelta(days=i) for i in range(count)] if count <= MAX_FILLED_DAYS else []


# ---- end of day ---------------------------------------------------------------------------------------------


def day_bounds(day: date, zone: tzinfo) -> tuple[datetime, datetime]:
    """``[since, until)`` of the local ``day`` in the shop's ``zone``: from its midnight to the next, each with the
    offset of its own date (a day across a change of summer time is 23 or 25 hours long)."""
    return start_of_day(day, zone).astimezone(zone), start_of_day(day + timedelta(days=1), zone).astimezone(zone)


def shop_today(now: datetime, zone: tzinfo) -> date:
    """The shop's local date at ``now``."""
    return now.astimezone(zone).date()


def end_of_day(uow: UnitOfWork, caller: Caller, day: date | None = None, *, zone: tzinfo | None = None
               ) -> DayReport:
    """The shift (Z) report of ``day`` (default: the shop's today) for every till and cashier: cards sold and
    their takings by payment method, top-ups, redemptions, refunds, corrections, and the entries still
    unsynced (an enrolled till's; a standalone till has no server to sync with). A manager's. The day is the
    shop's (``zone``; default: the caller's, which is the shop's time zone)."""
    caller.require(Permission.REPORTS)
    zone = zone if zone is not None else caller.zone
    at = caller.clock()
    day = day or shop_today(at, zone)
    since, until = day_bounds(day, zone)
    with uow:
        lines = uow.reports.day_lines(since, until)
        if uow.settings.get(MODE_KEY) != ENROLLED:  # no server: the outbox is nobody's business
            lines = [replace(line, unsynced=0) for line in lines]
        currency = str(uow.settings.get("currency") or "")
        wanted = {line.operator_id for line in lines if line.operator_id}
        names = {user.id: user.name for user in uow.users.list() if user.id in wanted}
    return summarise(lines, day=day, since=since, until=until, currency=currency, names=names, at=at)


DAY_CSV_COLUMNS = (
    "day", "device_id", "operator_id", "operator_name", "currency", "sales", "sold_value", "paid",
    "paid_cash", "paid_card", "paid_other", "paid_not_recorded", "top_ups", "topped_up", "redemptions",
    "redeemed", "refunds", "refunded", "corrections", "corrected", "unsynced",
)


def write_day_csv(report: DayReport, out: TextIO) -> int:
    """The report as CSV for machines (minor units): one row per shift, per till (``operator_id`` empty) and
    for the shop (both empty); returns how many rows. Text cells a spreadsheet would take for a formula are
    quoted with a leading apostrophe."""
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(DAY_CSV_COLUMNS)
    rows = [*report.shifts, *report.tills, report.total]
    for f in rows:
        writer.writerow([
            report.day.isoformat(), _cell(f.device_id), _cell(f.operator_id), _cell(f.operator_name), f.currency,
            f.sales, f.sold, f.paid, f.paid_by(PaymentMethod.CASH), f.paid_by(PaymentMethod.CARD),
            f.paid_by(PaymentMethod.OTHER), f.paid_by(None), f.top_ups, f.topped_up, f.redemptions, f.redeemed,
            f.refunds, f.refunded, f.corrections, f.corrected, f.unsynced,
        ])
    return len(rows)


def _cell(text: str | None) -> str:
    if not text:
        return ""
    return f"'{text}" if text[0] in "=+-@\t\r" else text
