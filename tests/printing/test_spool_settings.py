"""Printer settings: a bad one is refused when a manager makes it, and whatever a store holds is read without
failing (a sale never fails over a printer setting); the test page fits the paper."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest

from pos_app.printing.escpos_render import printer_model
from pos_app.printing.printer_settings import InvalidPrinterSettings, PrinterSettings, clean_lines, printer_test_page


def test_settings_survive_the_store() -> None:
    settings = PrinterSettings(destination="tcp://10.0.0.9", profile="TM-T20II", paper="58mm",
                               footer=("Thank you!",), shop_lines=("1 Main St", "VAT 123"))
    assert PrinterSettings.from_stored(settings.stored()) == settings
    assert settings.pdf_page == "roll58" and PrinterSettings().pdf_page == "roll80"


@pytest.mark.parametrize("raw", [None, {}, "junk", {"paper": "A4", "footer": 12, "destination": ""},
                                 {"profile": None, "shop_lines": "one line"}])
def test_whatever_a_store_holds_is_read_without_failing(raw: Any) -> None:
    settings = PrinterSettings.from_stored(raw)
    assert settings.destination is None and settings.paper == "80mm" and settings.profile == "default"
    assert settings.shop_lines in {(), ("one line",)} and settings.footer == ()


@pytest.mark.parametrize(("settings", "reason"), [
    (PrinterSettings(destination="bogus:thing"), "not understood"),
    (PrinterSettings(profile="no-such-model"), "unknown printer profile"),
    (PrinterSettings(footer=("x" * 81,)), "at most 80"),
    (PrinterSettings(shop_lines=("bell\a",)), "printable"),
    (PrinterSettings(footer=tuple(f"line {n}" for n in range(9))), "at most 8"),
])
def test_a_bad_setting_is_refused_with_the_reason(settings: PrinterSettings, reason: str) -> None:
    with pytest.raises(InvalidPrinterSettings, match=reason) as refused:
        settings.check()
    assert refused.value.key == "invalid_printer_settings"


def test_good_settings_pass() -> None:
    for destination in ("tcp://10.0.0.9", "tcp://printer:9101", "usb:04b8:0202", "serial:/dev/ttyUSB0",
                        "file:/tmp/receipts.bin", "/dev/usb/lp0", "cups:Receipts"):
        PrinterSettings(destination=destination, profile="TM-T88V", paper="80mm").check()


def test_typed_lines_are_trimmed_and_an_empty_one_clears() -> None:
    assert clean_lines(["  Thank you!  ", ""]) == ("Thank you!",)
    assert clean_lines([""]) == ()


@pytest.mark.parametrize(("profile", "paper"), [("default", "58mm"), ("TM-T20II", "80mm"), ("TM-U220", "80mm")])
def test_the_test_page_is_as_wide_as_the_paper(profile: str, paper: Any) -> None:
    settings = PrinterSettings(destination="tcp://x", profile=profile, paper=paper)
    page = printer_test_page(settings, shop_name="Café Zoë", at=datetime(2026, 3, 1, 9, 0, tzinfo=UTC))
    columns = printer_model(profile, paper).columns
    ruler = ("1234567890" * 10)[:columns].encode()
    assert ruler + b"\n" in page and ("1234567890" * 10)[:columns + 1].encode() not in page
    assert b"PRINTER TEST" in page and b"Caf? Zo?" in page
    assert page.startswith(b"\x1b@")
