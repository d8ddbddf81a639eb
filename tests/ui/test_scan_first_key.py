"""A USB scanner whose first key comes late (its first gap longer than the rest, as USB polling, a Bluetooth link
or the window system make it), through the real window: the whole code is the scan, nothing is left in the
field, and the amount the cashier types next goes into the amount field. Before the fix the first key was taken
for the cashier's: a "G" stayed in the field, the card was "not known to the till", and the amount went after
the "G". The window's wedge runs on a fake clock that the key events' timestamps follow, so the gaps it sees are
the ones written here, however loaded the machine."""

from __future__ import annotations

import random

import pytest
from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QApplication, QWidget

from pos_app.ui.scan import inputs
from pos_app.ui.scan.wedge_filter import WedgeFilter
from tests.ui.conftest import CASHIER_PIN


class Clock:
    def __init__(self) -> None:
        self.now = 7000.0

    def __call__(self) -> float:
        return self.now


def test_a_burst_whose_first_key_comes_late_is_scanned_whole(window, ctx, settle, qtbot, codes,
                                                             monkeypatch: pytest.MonkeyPatch) -> None:
    clock = Clock()
    monkeypatch.setattr(inputs, "WedgeFilter", lambda ctx, **_: WedgeFilter(ctx, clock=clock))
    window.start_background()
    qtbot.waitUntil(lambda: "Scanner: ready" in window.status.scanner.text())
    for digit in CASHIER_PIN:
        window.login.pad.press(digit)
    window.login.pad.submit()
    qtbot.waitUntil(lambda: window.screens.currentWidget() is window.cashier)
    screen = window.cashier
    field = screen.pad.field
    field.setFocus()

    def press(widget: QWidget, ch: str, *, after_ms: float) -> None:
        """A key as the window system delivers it, when it happens (the fake clock moves with it)."""
        clock.now += after_ms / 1000
        key = Qt.Key.Key_Return if ch == "\r" else ord(ch.upper())
        mods = Qt.KeyboardModifier.ShiftModifier if ch.isupper() else Qt.KeyboardModifier.NoModifier
        for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
            event = QKeyEvent(kind, key, mods, ch)
            event.setTimestamp(round(clock.now * 1000))
            QApplication.sendEvent(widget, event)

    rng = random.Random(13)
    for code in (codes["partly_used"], codes["active"]):
        text = code + "\r"
        gaps = [2000] + [rng.randint(7, 12)] + [rng.randint(3, 5) for _ in text[2:]]  # 4±1 ms, the first late
        with qtbot.waitSignal(ctx.events.scanned) as scanned:
            for ch, gap in zip(text, gaps, strict=True):
                press(field, ch, after_ms=gap)
        assert scanned.args == [code]
        settle()
        assert screen.panel.card is not None and screen.panel.card.code == code
        assert field.text() == ""

    for ch in "12.50":  # the cashier's pace
        press(field, ch, after_ms=150)
    clock.now += 1.0
    qtbot.waitUntil(lambda: field.text() == "12.50")
