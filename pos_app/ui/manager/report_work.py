"""What the Reports page asks of the till, in plain Python: the liability outstanding and the redemptions of a
period, read on a reader thread (``ctx.ops.read``) from the store's own aggregates.

Periods are in this machine's local time: "Today" runs from last midnight to the next, "Last 7 days" is today
and the six days before it, "This month" runs from the first of the month to the end of today. Days are grouped
with the UTC offset of now (a period that spans a change to or from summer time puts the hour around midnight
of the days before the change on the neighbouring day; the totals are unaffected).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, time, timedelta
from enum import StrEnum

from pos_app.services import reports
from pos_app.services.reports import LiabilityReport, RedemptionsReport
from pos_app.ui.session import TillSession


class Period(StrEnum):
    TODAY = "today"
    LAST_7_DAYS = "last_7_days"
    LAST_30_DAYS = "last_30_days"
    THIS_MONTH = "this_month"


def bounds(period: Period, now: datetime) -> tuple[datetime, datetime]:
    """``[since, until)`` of ``period`` as seen at ``now`` (an aware local time): whole local days."""
    today = datetime.combine(now.date(), time(0, 0), tzinfo=now.tzinfo)
    until = today + timedelta(days=1)
    if period is Period.TODAY:
        return today, until
    if period is Period.LAST_7_DAYS:
        return today - timedelta(days=6), until
    if period is Period.LAST_30_DAYS:
        return today - timedelta(days=29), until
    return today.replace(day=1), until


@dataclass(frozen=True, slots=True)
class ReportData:
    period: Period
    liability: LiabilityReport
    redemptions: RedemptionsReport
    this_till: str  # this till's device id (its row is called "This till")
    currency: str  # the shop's currency: the one the charts show


def fetch(session: TillSession, period: Period, *, now: datetime | None = None) -> ReportData:
    """Both reports, each from its own read-only unit of work (a reader thread)."""
    who = session.who
    local_now = (now or datetime.now()).astimezone()
    since, until = bounds(period, local_now)
    offset = local_now.utcoffset()
    minutes = int(offset.total_seconds() // 60) if offset is not None else 0
    new_reader = session.till.new_reader
    liability = reports.liability(new_reader(), who)
    redemptions = reports.redemptions(new_reader(), who, since=since, until=until, utc_offset_minutes=minutes)
    profile = session.profile
    return ReportData(period=period, liability=liability, redemptions=redemptions, this_till=profile.device_id,
                      currency=profile.currency)
