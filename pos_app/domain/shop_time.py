"""The shop's calendar: a card's start and expiry are local dates of the shop (DESIGN.md §11).

A card "expiring on 2027-06-30" is usable all that day in the shop's time zone, and expires at the next
midnight there; a card "starting on 2027-03-01" is usable from that day's first midnight there. The zone is an
IANA zone (``Europe/Berlin``), never the offset of today: 2027-06-30 in New York ends at 04:00 UTC (summer time),
2027-12-31 at 05:00 UTC. The instants are stored (in UTC); the dates are what people type and read.

Every entry point turns a typed day into an instant with :func:`start_of_day` / :func:`expiry_end_of_day`, and
every screen, receipt, sheet and export turns an instant back into the day with :func:`first_day` /
:func:`last_day`, in the shop's zone (``StoreProfile.zone`` at a till, ``store_info(conn).zone`` at the
server), whatever the zone of the machine that runs them.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta, tzinfo
from functools import lru_cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pos_app.domain import errors

#: The longest zone name accepted (the longest IANA name has 32 characters).
MAX_ZONE_NAME = 64
_TICK = timedelta(microseconds=1)


@lru_cache(maxsize=64)
def shop_zone(name: str) -> tzinfo:
    """The IANA time zone ``name`` (``Europe/Berlin``, ``America/New_York``, ``UTC``), or ``invalid_payload``."""
    if not name or len(name) > MAX_ZONE_NAME or not name.isprintable():
        raise errors.InvalidPayload(f"{name[:MAX_ZONE_NAME]!r} is not a time zone such as Europe/Berlin")
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError, OSError) as exc:
        raise errors.InvalidPayload(f"{name!r} is not a time zone such as Europe/Berlin") from exc


def zone_name(zone: tzinfo) -> str:
    """The name :func:`shop_zone` takes back (``UTC`` for :data:`datetime.UTC`)."""
    return zone.key if isinstance(zone, ZoneInfo) else str(zone.tzname(None) or "UTC")


def _aware(when: datetime) -> datetime:
    return when if when.tzinfo is not None else when.replace(tzinfo=UTC)  # a naive instant is UTC (as stored)


def start_of_day(day: date, zone: tzinfo) -> datetime:
    """The first instant of ``day`` in ``zone``, in UTC. Where a clock change skips midnight, the day starts
    when the clock does (fold 0 reads the missing hour with the offset before the change). A day whose instant
    Python cannot hold (year 1 east of UTC, the day after 9999-12-31) is ``invalid_payload``."""
    try:
        return datetime.combine(day, time(0), tzinfo=zone).astimezone(UTC)
    except OverflowError:
        raise errors.InvalidPayload(f"{day.isoformat()} is beyond the dates this programme can hold") from None


def expiry_end_of_day(day: date, zone: tzinfo) -> datetime:
    """The expiry of a card valid through ``day`` in ``zone``: the next midnight there, in UTC."""
    if day == date.max:
        raise errors.InvalidPayload(f"{day.isoformat()} is beyond the dates this programme can hold")
    return start_of_day(day + timedelta(days=1), zone)


def first_day(start: datetime, zone: tzinfo) -> date:
    """The day (in ``zone``) a card starting at ``start`` is first usable."""
    return _aware(start).astimezone(zone).date()


def last_day(expiry: datetime, zone: tzinfo) -> date:
    """The last day (in ``zone``) a card expiring at ``expiry`` is usable: the day before the midnight it
    expires at (an expiry at another time is usable on the day it falls on, until then)."""
    return (_aware(expiry).astimezone(UTC) - _TICK).astimezone(zone).date()  # the tick taken in UTC: wall-clock
    # arithmetic would land in the hour a clock change skips (Santiago's 00:00–01:00 on 2027-09-05): the wrong day


def local(at: datetime, zone: tzinfo) -> datetime:
    """``at`` as the shop's clock shows it (a naive ``at`` is taken as UTC)."""
    return _aware(at).astimezone(zone)
