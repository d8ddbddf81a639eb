"""A card's dates are days of the shop (``domain.shop_time``): DST-correct, whatever the machine's own zone."""

from __future__ import annotations

import os
import time
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from pos_app.domain import errors
from pos_app.domain.shop_time import expiry_end_of_day, first_day, last_day, shop_zone, start_of_day, zone_name
from pos_app.services.setup import host_zone_name

NEW_YORK = shop_zone("America/New_York")
ZONES = ["America/New_York", "Europe/Berlin", "Australia/Lord_Howe", "Pacific/Kiritimati", "America/Santiago",
         "Asia/Kathmandu", "UTC"]


@pytest.fixture
def machine_in_tokyo() -> Iterator[None]:
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("TZ", "Asia/Tokyo")
        time.tzset()
        yield
    time.tzset()


@pytest.mark.usefixtures("machine_in_tokyo")
@pytest.mark.parametrize(("day", "ends"), [
    (date(2027, 6, 30), datetime(2027, 7, 1, 4, 0, tzinfo=UTC)),  # summer time, UTC−4
    (date(2027, 12, 31), datetime(2028, 1, 1, 5, 0, tzinfo=UTC)),  # winter time, UTC−5
    (date(2027, 3, 13), datetime(2027, 3, 14, 5, 0, tzinfo=UTC)),  # the night the clocks go forward
    (date(2027, 11, 6), datetime(2027, 11, 7, 4, 0, tzinfo=UTC)),  # the night they go back
])
def test_an_expiry_ends_at_the_shops_next_midnight_by_its_own_offset_that_day(day: date, ends: datetime) -> None:
    assert expiry_end_of_day(day, NEW_YORK) == ends
    assert last_day(ends, NEW_YORK) == day
    assert start_of_day(day + timedelta(days=1), NEW_YORK) == ends
    assert first_day(ends, NEW_YORK) == day + timedelta(days=1)


def test_a_day_whose_midnight_is_skipped_starts_when_the_clock_does() -> None:
    santiago = shop_zone("America/Santiago")  # 2027-09-05: clocks jump from 00:00 to 01:00
    start = start_of_day(date(2027, 9, 5), santiago)
    assert first_day(start, santiago) == date(2027, 9, 5)
    assert last_day(start, santiago) == date(2027, 9, 4)
    assert start.astimezone(santiago).hour == 1


@given(day=st.dates(min_value=date(2000, 1, 2), max_value=date(2100, 12, 31)), zone=st.sampled_from(ZONES))
def test_a_day_round_trips_through_its_instant(day: date, zone: str) -> None:
    tz = shop_zone(zone)
    assert last_day(expiry_end_of_day(day, tz), tz) == day
    assert first_day(start_of_day(day, tz), tz) == day
    assert start_of_day(day, tz) < expiry_end_of_day(day, tz)


@pytest.mark.parametrize("name", ["", "Mars/Olympus_Mons", "../../etc/passwd", "Europe/Berlin\n", "x" * 100])
def test_what_is_not_a_time_zone_is_refused(name: str) -> None:
    with pytest.raises(errors.InvalidPayload):
        shop_zone(name)


def test_a_zone_gives_its_name_back() -> None:
    assert zone_name(NEW_YORK) == "America/New_York"
    assert zone_name(UTC) == "UTC"


def test_the_machines_zone_is_its_name_never_todays_offset(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TZ", "America/New_York")
    assert host_zone_name() == "America/New_York"
    monkeypatch.setenv("TZ", ":Europe/Berlin")
    assert host_zone_name() == "Europe/Berlin"
    monkeypatch.setenv("TZ", "EST+5")  # a POSIX rule is no shop's zone: the machine's file or UTC then
    assert host_zone_name() != "EST+5"
    assert os.environ["TZ"] == "EST+5"
