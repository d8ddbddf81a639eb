"""Validity by day of week and hours, in the shop's local time."""

from __future__ import annotations

from datetime import datetime, time

import pytest

from pos_app.domain.cards import Validity

MONDAY = datetime(2026, 11, 23)  # a Monday; naive = local wall-clock time for Validity.allows


def at(hour: int, minute: int = 0, *, days_later: int = 0) -> datetime:
    return MONDAY.replace(day=MONDAY.day + days_later, hour=hour, minute=minute)


@pytest.mark.parametrize(("validity", "moment", "allowed"), [
    (Validity(start=time(9), end=time(17)), at(8, 59), False),
    (Validity(start=time(9), end=time(17)), at(9), True),
    (Validity(start=time(9), end=time(17)), at(17), False),
    (Validity(start=time(9)), at(8), False),
    (Validity(start=time(9)), at(23), True),
    (Validity(end=time(12)), at(11, 59), True),
    (Validity(end=time(12)), at(12), False),
    (Validity(start=time(9), end=time(9)), at(3), True),  # start == end: the whole day
    (Validity(start=time(22), end=time(2)), at(23), True),
    (Validity(start=time(22), end=time(2)), at(1), True),
    (Validity(start=time(22), end=time(2)), at(12), False),
    (Validity(days=frozenset({0})), at(12), True),
    (Validity(days=frozenset({0})), at(12, days_later=1), False),
    # a Friday-night window (days={4}, 22:00–02:00) still holds at 01:00 on Saturday, not on Friday 01:00
    (Validity(days=frozenset({4}), start=time(22), end=time(2)), at(1, days_later=5), True),
    (Validity(days=frozenset({4}), start=time(22), end=time(2)), at(1, days_later=4), False),
])
def test_days_and_hours(validity: Validity, moment: datetime, allowed: bool) -> None:
    assert validity.allows(moment) is allowed
