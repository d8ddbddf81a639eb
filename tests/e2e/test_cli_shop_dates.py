"""Expiry dates on the real ``pos-app`` (issue 13): an expiry is a local date of the shop, valid through that day
in the shop's time zone, everywhere: the stored instant, ``card show``, the receipt and the export. In December,
``--expires 2027-06-30`` in New York used to become 2027-07-01T05:00Z ("Expires Jul 1, 2027, 1:00 AM"), and
``--expires 2027-12-31`` showed as "Jan 1, 2028" in ``card show`` but Dec 31 on receipts."""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime
from pathlib import Path

import pytest

from tests.e2e.conftest import MANAGER_PIN, Shop

DATES = [  # the last day typed, the instant it ends at (New York's midnight after it), the day as shown
    ("2027-06-30", datetime(2027, 7, 1, 4, 0, tzinfo=UTC), "Jun 30, 2027"),  # summer time: UTC−4
    ("2027-12-31", datetime(2028, 1, 1, 5, 0, tzinfo=UTC), "Dec 31, 2027"),  # winter time: UTC−5
]


def _shop(tmp_path: Path, env: dict[str, str], *zone: str) -> Shop:
    shop = Shop(tmp_path / "till")
    shop.ok("init", "--store-name", "Deli", "--currency", "USD", "--manager-pin", MANAGER_PIN, *zone, pin=None,
            env=env)
    return shop


def _card(shop: Shop, env: dict[str, str], *dates: str) -> str:
    shop.ok("campaign", "create", "--name", "Dated", "--amount", "50.00", "--count", "1", *dates, env=env)
    (code,) = shop.codes("Dated")
    shop.ok("sell", code, env=env)
    return code


@pytest.mark.parametrize(("last", "ends", "day"), DATES)
def test_an_expiry_typed_in_new_york_is_valid_through_that_day_everywhere(
        tmp_path: Path, last: str, ends: datetime, day: str) -> None:
    new_york = {"TZ": "America/New_York"}  # the machine's zone, and so the shop's (nothing else is said)
    shop = _shop(tmp_path, new_york)
    code = _card(shop, new_york, "--expires", last)

    shown = shop.ok("card", "show", code, "--json", env=new_york).json()
    assert datetime.fromisoformat(shown["expiration_date"]) == ends
    text = shop.ok("card", "show", code, env=new_york).out
    assert f"Expires   end of {day} (America/New_York)" in text

    receipt = tmp_path / "receipt.txt"
    shop.ok("redeem", code, "1.00", "--receipt", str(receipt), env=new_york)
    assert f"Valid until {day}" in " ".join(receipt.read_text(encoding="utf-8").split())

    exported = next(csv.DictReader(io.StringIO(shop.ok("export", "vouchers", "--out", "-", env=new_york).out)))
    assert datetime.fromisoformat(exported["expiration_date"].replace("Z", "+00:00")) == ends


@pytest.mark.parametrize(("last", "ends", "day"), DATES)
def test_the_shops_zone_decides_not_the_machines(tmp_path: Path, last: str, ends: datetime, day: str) -> None:
    tokyo = {"TZ": "Asia/Tokyo"}  # the machine; the shop is in New York
    shop = _shop(tmp_path, tokyo, "--time-zone", "America/New_York")
    # 2027-03-14: New York's clocks go forward that night; the day starts at midnight winter time (05:00 UTC)
    code = _card(shop, tokyo, "--starts", "2027-03-14", "--expires", last)
    shown = shop.ok("card", "show", code, "--json", env=tokyo).json()
    assert datetime.fromisoformat(shown["expiration_date"]) == ends
    assert datetime.fromisoformat(shown["start_date"]) == datetime(2027, 3, 14, 5, 0, tzinfo=UTC)
    text = shop.ok("card", "show", code, env=tokyo).out
    assert f"Expires   end of {day} (America/New_York)" in text
    assert "Starts    Mar 14, 2027 (America/New_York)" in text


def test_an_unknown_time_zone_is_refused_with_its_key(tmp_path: Path) -> None:
    refused = Shop(tmp_path / "till").run("init", "--store-name", "Deli", "--currency", "USD", "--manager-pin",
                                          MANAGER_PIN, "--time-zone", "Mars/Olympus_Mons", pin=None)
    assert refused.code == 1 and "invalid_payload" in refused.err and "Mars/Olympus_Mons" in refused.err
