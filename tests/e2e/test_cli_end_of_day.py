"""``pos-app report day``: the end-of-day report of a standalone shop on screen, as JSON, as CSV through the one
export writer, and printed on the receipt printer (ESC/POS read back as a printer would)."""

from __future__ import annotations

import csv
from pathlib import Path

from tests.e2e.conftest import CASHIER_PIN, Shop
from tests.printing.escpos_reader import read


def _a_day(shop: Shop) -> None:
    """On top of the template's sale (€50, cash by default): a promotion sale by card, a cashier's sale in cash,
    a redemption and a correction."""
    first, second = shop.codes("Winter")[1:3]
    shop.ok("policy", "set", "--cashiers-sell", "yes")
    shop.ok("sell", first, "--price", "45.00", "--payment", "card", "--no-print")
    shop.ok("sell", second, "--payment", "cash", "--no-print", pin=CASHIER_PIN)
    shop.ok("redeem", second, "12.00", "--no-print", pin=CASHIER_PIN)
    shop.ok("correct", first, "-5.00", "--reason", "counted wrong", "--no-print")


def test_the_day_as_json_and_on_screen(shop: Shop) -> None:
    _a_day(shop)
    total = shop.ok("report", "day", "--json").json()["total"]
    assert (total["sales"], total["sold"], total["paid"]) == (3, 15000, 14500)
    assert [(t["payment"], t["count"], t["paid"]) for t in total["takings"]] == [("cash", 2, 10000),
                                                                               ("card", 1, 4500)]
    assert (total["redemptions"], total["redeemed"], total["corrections"], total["corrected"]) == (1, 1200, 1, -500)
    screen = shop.ok("report", "day").out
    assert "END OF DAY" in screen and "Cashier Chris" in screen and "Cashier Manager" in screen
    assert any(line.startswith("Takings") and line.endswith("€145.00") for line in screen.splitlines())
    assert shop.run("report", "day", pin=CASHIER_PIN).code == 1  # a manager's report


def test_the_day_as_csv_through_the_export_writer(shop: Shop, tmp_path: Path) -> None:
    _a_day(shop)
    out = tmp_path / "z.csv"
    said = shop.ok("report", "day", "--csv", out, "--json").json()
    assert said == {"export": "end-of-day rows", "file": str(out), "rows": 4}
    rows = list(csv.DictReader(out.open(encoding="utf-8")))
    assert rows[-1]["paid"] == "14500" and rows[-1]["paid_card"] == "4500"
    assert not (tmp_path / "z.csv.part").exists()
    refused = shop.run("report", "day", "--csv", tmp_path / "nowhere" / "z.csv")
    assert refused.code == 1 and "invalid_payload" in refused.err


def test_the_day_printed_on_the_receipt_printer_reads_back(shop: Shop, tmp_path: Path) -> None:
    _a_day(shop)
    printer = tmp_path / "printer.bin"
    shop.ok("printer", "set", "--destination", f"file:{printer}", "--paper", "80mm")
    said = shop.ok("report", "day", "--print").out
    assert f"Printed the end-of-day report on file:{printer}" in said
    printout = read(printer.read_bytes())
    text = printout.text
    assert "END OF DAY" in text and "Cashier Chris" in text
    takings = [line.text for line in printout.lines if line.text.startswith("Takings")]
    assert takings and takings[0].rstrip().endswith("145.00")  # the shop's, first
    assert any(line.text.startswith("Paid by card") and "45.00" in line.text for line in printout.lines)
    assert printout.cuts  # the report is cut off like a receipt
    written = tmp_path / "z.bin"
    shop.ok("report", "day", "--escpos", written)
    assert "END OF DAY" in read(written.read_bytes()).text


def test_without_a_printer_printing_is_refused_with_its_key(shop: Shop) -> None:
    refused = shop.run("report", "day", "--print")
    assert refused.code == 1 and "printer_not_configured" in refused.err
