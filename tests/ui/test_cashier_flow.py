"""The whole cashier flow as it happens at a till, through the real input path: a USB scanner's burst of keys
(caught by the window's keyboard-wedge filter wherever the focus is) → the card on screen → an amount typed at a
person's pace → Enter → the redemption committed → its receipt job stored and printed → the balance updated; and
all the while, not one unit of work opened on the GUI thread.
"""

from __future__ import annotations

import threading
import traceback
import uuid
from pathlib import Path

from PySide6.QtCore import Qt

from pos_app.demo import DEMO_PRINTER_FILE
from pos_app.store.uow import SqlUnitOfWork
from tests.ui.conftest import CASHIER_PIN
from tests.ui.keys import scanner_burst


def test_scanner_burst_to_card_to_redeem_to_receipt_to_balance(window, ctx, settle, qtbot, codes, till,
                                                               monkeypatch) -> None:
    on_gui_thread: list[str] = []
    watching = [True]
    real_enter = SqlUnitOfWork.__enter__

    def watched_enter(self):  # type: ignore[no-untyped-def]
        if watching[0] and threading.current_thread() is threading.main_thread():
            on_gui_thread.append("".join(traceback.format_stack(limit=6)))
        return real_enter(self)

    monkeypatch.setattr(SqlUnitOfWork, "__enter__", watched_enter)
    window.start_background()  # the wedge filter, the (standalone) sync state
    qtbot.waitUntil(lambda: "Scanner: ready" in window.status.scanner.text())
    for digit in CASHIER_PIN:  # the PIN pad, as a cashier logs in
        window.login.pad.press(digit)
    window.login.pad.submit()
    qtbot.waitUntil(lambda: window.screens.currentWidget() is window.cashier)
    screen = window.cashier
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    screen.pad.field.setFocus()

    code = codes["partly_used"]
    with qtbot.waitSignal(ctx.events.scanned) as scanned:
        scanner_burst(screen.pad.field, code + "\r")  # the focus is in the amount field: nothing is typed there
    assert scanned.args == [code]
    settle()
    assert screen.panel.card is not None and screen.panel.card.code == code
    assert screen.panel.card.balance == 3750
    assert screen.pad.field.text() == ""

    for ch in "12.50":  # a person's pace: the wedge filter lets these through to the field
        qtbot.keyClick(screen.pad.field, ch)
        qtbot.wait(60)
    qtbot.waitUntil(lambda: screen.pad.field.text() == "12.50")
    with qtbot.waitSignal(ctx.events.sale_done, timeout=10_000) as done:
        qtbot.keyClick(screen.pad.field, Qt.Key.Key_Return)
    settle()
    sale = done.args[0]
    assert sale.entry.balance_after == 2500 and sale.receipt is not None and sale.receipt.printed
    assert screen.banner.text.text() == "Redeemed €12.50 — €25.00 left on the card"
    qtbot.waitUntil(lambda: screen.panel.card is not None and screen.panel.card.balance == 2500)
    assert window.status.printer.text() == "Printer: receipt printed"

    watching[0] = False  # from here on the test reads the store itself
    assert on_gui_thread == [], "the window used the store on the GUI thread:\n" + "\n".join(on_gui_thread)
    with till.new_reader() as uow:
        job = uow.print_jobs.for_entry(uuid.UUID(str(sale.entry.id)), "escpos")
        stored = uow.entries.get(sale.entry.id)
    assert job is not None and stored is not None and stored.balance_after == 2500
    printed = Path(till.data_dir / DEMO_PRINTER_FILE).read_bytes()
    assert printed == job.data and b"25.00" in printed
