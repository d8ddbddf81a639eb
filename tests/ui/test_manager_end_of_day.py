"""The manager's End of day page on the demo shop: the day's figures per till and cashier on screen, printed on
the receipt printer (ESC/POS read back) and exported as CSV, through the real window and store."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from PySide6.QtCore import Qt

from pos_app.demo import DEMO_PRINTER_FILE
from pos_app.domain.ledger import PaymentMethod
from pos_app.domain.money import Money
from pos_app.ui.manager.end_of_day_page import EndOfDayPage
from tests.printing.escpos_reader import read
from tests.ui.conftest import manager_page


@pytest.fixture
def page(window, ctx, settle) -> EndOfDayPage:
    opened = manager_page(window, ctx, settle, EndOfDayPage)
    settle()
    return opened


def test_the_days_takings_per_till_and_cashier(page, ctx, codes, settle, qtbot, qtmodeltester) -> None:
    before = page.report
    assert before is not None and before.total.sales == 8  # the demo sold eight cards today (cash and card)
    ctx.session.sell(codes["not_sold"], price=Money(4000, "EUR"), payment=PaymentMethod.OTHER)
    page.refresh()
    settle()
    total = page.report.total
    assert (total.sales, total.paid) == (9, before.total.paid + 4000)
    assert total.paid_by(PaymentMethod.OTHER) == 4000
    assert page.takings.value.text() == f"€{total.paid / 100:,.2f}"
    qtmodeltester.check(page.model)
    texts = [page.model.index(row, 0).data() for row in range(page.model.rowCount())]
    assert texts[:2] == ["Whole shop", "This till"]
    assert any("Maria (manager)" in text for text in texts[2:])
    assert page.model.index(0, 5).data() == "€40.00"  # the "Other" column of the whole shop


def test_print_sends_the_report_to_the_receipt_printer(page, ctx, till, settle, qtbot) -> None:
    printer = Path(till.data_dir) / DEMO_PRINTER_FILE
    printer.unlink(missing_ok=True)
    with qtbot.waitSignal(ctx.events.message) as said:
        qtbot.mouseClick(page.print_button, Qt.MouseButton.LeftButton)
    settle()
    assert said.args == ["The end-of-day report was printed.", "done"]
    printout = read(printer.read_bytes())
    assert "END OF DAY" in printout.text and "Cashier Maria (manager)" in printout.text


def test_export_writes_the_csv(page, ctx, settle, qtbot, tmp_path) -> None:
    target = tmp_path / "z.csv"
    with qtbot.waitSignal(ctx.events.message) as said:
        page.export_to(str(target))
    settle()
    assert said.args[1] == "done"
    rows = list(csv.DictReader(target.open(encoding="utf-8")))
    assert rows[-1]["device_id"] == "" and int(rows[-1]["sales"]) == page.report.total.sales
