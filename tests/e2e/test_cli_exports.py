"""Exports that reach a manager's spreadsheet (issue 13): what a cashier typed is text there, never a formula;
the file and the store are readable by their owner only (full codes, PIN hashes)."""

from __future__ import annotations

import csv
import stat
from pathlib import Path

from tests.e2e.conftest import CASHIER_PIN, Shop

ATTACK = "=cmd|' /C calc'!A0"


def test_a_cashiers_order_reference_is_text_in_the_managers_spreadsheet(shop: Shop, sold_card: str,
                                                                       tmp_path: Path) -> None:
    shop.ok("redeem", sold_card, "1.00", "--order", ATTACK, pin=CASHIER_PIN)
    shop.ok("redeem", sold_card, "1.00", "--order", "@SUM(A1)", pin=CASHIER_PIN)
    shop.ok("redeem", sold_card, "1.00", "--order", "-2+3", pin=CASHIER_PIN)
    out = tmp_path / "exports" / "redemptions.csv"
    out.parent.mkdir()
    shop.ok("export", "redemptions", "--out", out)
    orders = [row["order_ref"] for row in csv.DictReader(out.open(encoding="utf-8")) if row["order_ref"]]
    assert orders == ["'" + ATTACK, "'@SUM(A1)", "'-2+3"]
    assert stat.S_IMODE(out.stat().st_mode) == 0o600
    assert sorted(p.name for p in out.parent.iterdir()) == ["redemptions.csv"]
    transactions = list(csv.DictReader(shop.ok("export", "transactions", "--out", "-").out.splitlines()))
    assert "'" + ATTACK in {row["order_ref"] for row in transactions}
    assert {row["amount"] for row in transactions if row["order_ref"]} == {"-100"}  # a number stays a number


def test_the_store_is_readable_by_its_owner_only(tmp_path: Path) -> None:
    shop = Shop(tmp_path / "new")
    shop.ok("init", "--store-name", "Corner", "--currency", "EUR", "--manager-pin", "9876", pin=None)
    shop.ok("campaign", "create", "--name", "W", "--amount", "10.00", "--count", "1")
    files = {p.name: stat.S_IMODE(p.stat().st_mode) for p in shop.data_dir.iterdir()
             if p.name.startswith("till.sqlite3")}
    assert "till.sqlite3" in files
    assert files == dict.fromkeys(files, 0o600)
