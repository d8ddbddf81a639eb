"""Failed card lookups on the server: recorded per caller, counted in the database, refused when too many.

Every lookup of a code that matches no card is a row of ``failed_lookups`` (the caller — a till's device id —,
when, the code masked, the channel) and a warning in the log. Before a lookup, :func:`check` refuses a caller
whose recent failures say it may be guessing (429 ``too_many_requests`` with ``Retry-After``; the rule is
``pos_app.domain.lookups``). The counts live in the database, so every server process sees the same; two
requests of one till that arrive at the same instant on PostgreSQL may both pass the check (a few more guesses,
never many). Head office sets the limit (``pos-server device lookup-limit``); ``pos-server device lookups``
shows who failed how often.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import Connection, delete, func, insert, select, update

from pos_app.domain.codes import mask
from pos_app.domain.lookups import DEFAULT_LIMIT, LookupLimit, refuse, retry_after
from pos_app.server.db.models import failed_lookups, settings
from pos_app.server.ledger import get_setting

log = logging.getLogger("pos_app.server.lookups")
LIMIT_KEY = "lookup_limit"
KEPT = timedelta(days=30)  # rows older than this are deleted as the caller fails again
#: How far back a caller's failures can matter (a caller with none since then is never refused).
HORIZON = DEFAULT_LIMIT.horizon


def lookup_limit(conn: Connection) -> LookupLimit:
    value = get_setting(conn, LIMIT_KEY)
    if value is None:
        return DEFAULT_LIMIT
    return LookupLimit(failures=int(value["failures"]), window=timedelta(seconds=int(value["window_seconds"])))


def set_lookup_limit(conn: Connection, *, failures: int | None = None, window: timedelta | None = None) -> LookupLimit:
    """Change the limit (what is not given stays). Tills do not need it, so it is not in the change log."""
    current = lookup_limit(conn)
    limit = LookupLimit(failures=current.failures if failures is None else failures,
                        window=current.window if window is None else window)
    value = {"failures": limit.failures, "window_seconds": int(limit.window.total_seconds())}
    if conn.execute(update(settings).where(settings.c.key == LIMIT_KEY).values(value=value)).rowcount == 0:
        conn.execute(insert(settings).values(key=LIMIT_KEY, value=value))
    return limit


def _recent(conn: Connection, caller: str, at: datetime, most: int) -> list[datetime]:
    """The newest ``most`` failures of ``caller`` within the last day before ``at``."""
    return list(conn.execute(
        select(failed_lookups.c.at)
        .where(failed_lookups.c.caller == caller, failed_lookups.c.at > at - DEFAULT_LIMIT.horizon)
        .order_by(failed_lookups.c.at.desc()).limit(most)
    ).scalars())


def _wait(conn: Connection, caller: str, at: datetime) -> tuple[int | None, int, LookupLimit]:
    """Seconds ``caller`` must wait (None: none), its failures in the last day, and the limit."""
    recent = _recent(conn, caller, at, DEFAULT_LIMIT.most_kept)
    if not recent:  # the usual case: one indexed read that finds nothing
        return None, 0, DEFAULT_LIMIT
    limit = lookup_limit(conn)
    if limit.most_kept > len(recent) == DEFAULT_LIMIT.most_kept:
        recent = _recent(conn, caller, at, limit.most_kept)
    return retry_after(recent, at, limit), len(recent), limit


def check(conn: Connection, caller: str, at: datetime) -> None:
    """Refuse (429 ``too_many_requests``) a caller that must wait before it looks another code up."""
    seconds, _, _ = _wait(conn, caller, at)
    if seconds is not None:
        log.info("card lookup refused: %s must wait %d s", caller, seconds)
        raise refuse(seconds, caller)


def record(conn: Connection, caller: str, code: str, at: datetime, channel: str = "sync") -> None:
    """Record a lookup of ``code`` that matched no card (in the caller's transaction) and log it, masked."""
    masked = mask(code)
    conn.execute(delete(failed_lookups).where(failed_lookups.c.caller == caller, failed_lookups.c.at < at - KEPT))
    conn.execute(insert(failed_lookups).values(caller=caller, at=at, masked_code=masked, channel=channel))
    seconds, failures, limit = _wait(conn, caller, at)
    log.warning("failed card lookup: %s asked for %s (%s; %d failed in the last day)", caller, masked, channel,
                failures)
    if seconds is not None:
        log.warning("card lookups refused: %s failed %d times in the last day (limit %d per %s); it waits %d s",
                    caller, failures, limit.failures, limit.window, seconds)


@dataclass(frozen=True, slots=True)
class Failures:
    """One caller's failed lookups, as ``pos-server device lookups`` shows them."""

    caller: str
    last_day: int
    in_window: int
    last_at: datetime
    last_code: str
    retry_after: int | None


def failures(conn: Connection, at: datetime) -> list[Failures]:
    """Every caller with failed lookups in the last day, most failures first."""
    since = at - DEFAULT_LIMIT.horizon
    limit = lookup_limit(conn)
    rows = conn.execute(
        select(failed_lookups.c.caller, func.count())
        .where(failed_lookups.c.at > since).group_by(failed_lookups.c.caller)
    ).all()
    found = []
    for caller, count in rows:
        recent = _recent(conn, caller, at, max(limit.most_kept, count))
        last = conn.execute(
            select(failed_lookups.c.at, failed_lookups.c.masked_code).where(failed_lookups.c.caller == caller)
            .order_by(failed_lookups.c.at.desc(), failed_lookups.c.id.desc()).limit(1)
        ).one()
        found.append(Failures(
            caller=caller, last_day=int(count), in_window=sum(1 for f in recent if f > at - limit.window),
            last_at=last.at, last_code=last.masked_code, retry_after=retry_after(recent, at, limit),
        ))
    return sorted(found, key=lambda f: (-f.last_day, f.caller))
