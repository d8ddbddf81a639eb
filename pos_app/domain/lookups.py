"""Code guessing is slow: after too many lookups of codes that match no card, a caller waits, longer each time.

One rule for the till (its own lookups, kept in its settings) and the server (each till's, kept in the table
``failed_lookups`` so that every server process counts the same):

* A caller may fail :attr:`LookupLimit.failures` lookups within :attr:`LookupLimit.window`; the one that
  reaches the limit is a *strike*, and the caller's lookups are refused (429 ``too_many_requests``) for the
  window from then on.
* Each further strike within :attr:`LookupLimit.horizon` (a day) doubles both the window it is counted in and the
  wait: someone who waits and guesses again waits 10 minutes, then 20, 40 … up to a day. A cashier who mistypes a
  code now and then never strikes (20 in 10 minutes, by default), however many she mistypes in a day.
* A refused lookup looks nothing up, so it is not a failure, and waiting is all it takes.

:func:`retry_after` is pure: failures are the times of the caller's failed lookups, in any order.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

from pos_app.domain import errors


@dataclass(frozen=True, slots=True)
class LookupLimit:
    failures: int = 20
    window: timedelta = timedelta(minutes=10)
    horizon: timedelta = timedelta(days=1)

    def __post_init__(self) -> None:
        if not 1 <= self.failures <= 10_000:
            raise errors.InvalidPayload("the failed lookups allowed per window are between 1 and 10000")
        if not timedelta(seconds=1) <= self.window <= self.horizon:
            raise errors.InvalidPayload("the window of failed lookups is between a second and a day")

    @property
    def most_kept(self) -> int:
        """How many of the newest failures decide (older ones cannot lengthen the window any more)."""
        runs = 1
        while self.window * 2 ** (runs - 1) < self.horizon:
            runs += 1
        return self.failures * (runs + 1)


DEFAULT_LIMIT = LookupLimit()


def _window(strikes: int, limit: LookupLimit) -> timedelta:
    doubled: timedelta = limit.window * (1 << min(strikes, 32))
    return min(doubled, limit.horizon)


def retry_after(failures: Iterable[datetime], at: datetime, limit: LookupLimit = DEFAULT_LIMIT) -> int | None:
    """None when a caller with these failed lookups may look a code up at ``at``; else the seconds to wait."""
    strikes, first, free_at = 0, 0, None
    recent = sorted(f for f in failures if at - limit.horizon < f <= at)
    for i, failure in enumerate(recent):
        window = _window(strikes, limit)
        while recent[first] <= failure - window:  # counted: this run's failures (since the last strike) within
            first += 1                              # the window that ends here
        if i + 1 - first >= limit.failures:
            strikes, first, free_at = strikes + 1, i + 1, failure + window
    if free_at is None or at >= free_at:
        return None
    return max(1, math.ceil((free_at - at).total_seconds()))


def refuse(seconds: int, caller: str) -> errors.TooManyRequests:
    minutes = max(1, math.ceil(seconds / 60))
    return errors.TooManyRequests(
        f"{caller} looked up too many codes that match no card; try again in {minutes} min", retry_after=seconds)
