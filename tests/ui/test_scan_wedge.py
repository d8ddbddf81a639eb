"""The USB keyboard wedge in the window: a scanner's burst becomes one scan and types nothing; a person's keys
reach their widget intact and in order. Time is a fake clock that the key events' timestamps follow."""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from dataclasses import replace

import pytest
from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QKeyEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import QApplication, QLineEdit, QPushButton, QTableView, QVBoxLayout, QWidget

from pos_app.ui.context import UiContext
from pos_app.ui.scan.wedge_filter import EventClock, WedgeFilter

CODE = "GC-KCGQ-TXET-7BU3-T8S4"
NONE = Qt.KeyboardModifier.NoModifier
KEYS = {"\r": Qt.Key.Key_Return, "\t": Qt.Key.Key_Tab, " ": Qt.Key.Key_Space, "\b": Qt.Key.Key_Backspace}


class Clock:
    def __init__(self) -> None:
        self.now = 5000.0

    def __call__(self) -> float:
        return self.now


class Keyboard:
    """Presses keys on a widget at the fake clock's time, as the window system would deliver them."""

    def __init__(self, clock: Clock) -> None:
        self.clock = clock

    def key(self, widget: QWidget, ch: str, *, after_ms: float = 0, modifiers: Qt.KeyboardModifier = NONE,
            key: int | None = None, text: str | None = None) -> None:
        self.clock.now += after_ms / 1000
        code = key if key is not None else KEYS.get(ch, ord(ch.upper()))
        shown = ch if text is None else text
        if modifiers == NONE and ch.isupper():
            modifiers = Qt.KeyboardModifier.ShiftModifier
        for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
            event = QKeyEvent(kind, code, modifiers, shown)
            event.setTimestamp(round(self.clock.now * 1000))
            QApplication.sendEvent(widget, event)

    def burst(self, widget: QWidget, text: str, *, gap_ms: float = 5) -> None:
        for ch in text:
            self.key(widget, ch, after_ms=gap_ms)

    def slowly(self, widget: QWidget, text: str, *, gap_ms: float = 150) -> None:
        for ch in text:
            self.key(widget, ch, after_ms=gap_ms)


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def keyboard(clock: Clock) -> Keyboard:
    return Keyboard(clock)


@pytest.fixture
def wedge(ctx: UiContext, clock: Clock) -> Iterator[WedgeFilter]:
    wedge = WedgeFilter(ctx, clock=clock)
    wedge.install()
    yield wedge
    wedge.remove()


@pytest.fixture
def form(qtbot) -> tuple[QWidget, QLineEdit, QPushButton, QTableView]:
    page = QWidget()
    layout = QVBoxLayout(page)
    line, button, table = QLineEdit(), QPushButton("Redeem"), QTableView()
    for widget in (line, button, table):
        layout.addWidget(widget)
    qtbot.addWidget(page)
    page.show()
    line.setFocus()
    return page, line, button, table


@pytest.fixture
def scans(ctx: UiContext) -> list[str]:
    seen: list[str] = []
    ctx.events.scanned.connect(seen.append)
    return seen


def settle_keys(qtbot, wedge: WedgeFilter, clock: Clock) -> None:
    """Let the silence after the last key pass, so that anything held is released."""
    clock.now += 1.0
    qtbot.waitUntil(lambda: not wedge.holding, timeout=2000)


def test_a_burst_is_one_scan_and_types_nothing(qtbot, wedge, keyboard, clock, form, scans) -> None:
    _, line, _, _ = form
    keyboard.burst(line, CODE + "\r")
    assert scans == [CODE]
    settle_keys(qtbot, wedge, clock)
    assert line.text() == ""
    assert scans == [CODE]


def test_slow_typing_reaches_the_field_in_order_with_its_enter(qtbot, wedge, keyboard, clock, form, scans) -> None:
    _, line, _, _ = form
    entered: list[str] = []
    line.returnPressed.connect(lambda: entered.append(line.text()))
    keyboard.slowly(line, "12.50\r")
    settle_keys(qtbot, wedge, clock)
    assert line.text() == "12.50"
    assert entered == ["12.50"]
    assert scans == []


def test_fast_short_typing_is_still_typing(qtbot, wedge, keyboard, clock, form, scans) -> None:
    """Two keys 20 ms apart and Enter: too short for a code, so they are the person's."""
    _, line, _, _ = form
    entered: list[str] = []
    line.returnPressed.connect(lambda: entered.append(line.text()))
    keyboard.burst(line, "12\r", gap_ms=20)
    settle_keys(qtbot, wedge, clock)
    assert (line.text(), entered, scans) == ("12", ["12"], [])


def test_typing_then_a_scan_then_typing(qtbot, wedge, keyboard, clock, form, scans) -> None:
    _, line, _, _ = form
    keyboard.slowly(line, "7")
    settle_keys(qtbot, wedge, clock)  # the cashier looks up from the keyboard, then scans
    keyboard.burst(line, CODE + "\r", gap_ms=8)
    keyboard.slowly(line, "5")
    settle_keys(qtbot, wedge, clock)
    assert line.text() == "75"
    assert scans == [CODE]


def test_backspace_keeps_its_place(qtbot, wedge, keyboard, clock, form, scans) -> None:
    """The 5 is still held when Backspace comes: it must land first, so Backspace deletes it and not the 2."""
    _, line, _, _ = form
    keyboard.slowly(line, "125")
    keyboard.key(line, "\b", after_ms=10, text="\x08")
    keyboard.slowly(line, "0")
    settle_keys(qtbot, wedge, clock)
    assert line.text() == "120"
    assert scans == []


def test_arrows_and_shortcuts_keep_their_place(qtbot, wedge, keyboard, clock, form) -> None:
    _, line, _, _ = form
    keyboard.slowly(line, "15")
    keyboard.key(line, "", after_ms=10, key=Qt.Key.Key_Left, text="")
    keyboard.slowly(line, "2")
    keyboard.key(line, "a", after_ms=10, key=Qt.Key.Key_A, modifiers=Qt.KeyboardModifier.ControlModifier,
                 text="\x01")  # select all
    keyboard.slowly(line, "9")
    settle_keys(qtbot, wedge, clock)
    assert line.text() == "9"


def test_prefix_and_suffix_are_taken_off(qtbot, ctx, wedge, keyboard, clock, form, scans) -> None:
    _, line, _, _ = form
    settings = replace(ctx.settings, scanner_prefix="]Q1", scanner_suffix="#")
    ctx.settings = settings
    ctx.events.settings_changed.emit(settings)
    assert wedge.config.prefix == "]Q1"
    keyboard.burst(line, f"]Q1{CODE}#\r")
    settle_keys(qtbot, wedge, clock)
    assert scans == [CODE]
    assert line.text() == ""


def test_a_prefixed_scan_may_be_short_and_slower(qtbot, ctx, wedge, keyboard, clock, form, scans) -> None:
    _, line, _, _ = form
    settings = replace(ctx.settings, scanner_prefix="~")
    ctx.events.settings_changed.emit(settings)
    keyboard.burst(line, "~AB\r", gap_ms=60)
    settle_keys(qtbot, wedge, clock)
    assert (scans, line.text()) == (["AB"], "")


@pytest.mark.parametrize("target", ["button", "table"])
def test_a_scan_works_whatever_has_the_focus(qtbot, wedge, keyboard, clock, form, scans, target) -> None:
    _, line, button, table = form
    widget = button if target == "button" else table
    clicks: list[bool] = []
    button.clicked.connect(lambda *_: clicks.append(True))
    widget.setFocus()
    keyboard.burst(widget, CODE + "\r")
    settle_keys(qtbot, wedge, clock)
    assert scans == [CODE]
    assert clicks == []
    assert line.text() == ""


def test_space_on_a_focused_button_clicks_it_once(qtbot, wedge, keyboard, clock, form, scans) -> None:
    """The press is held and its release with it: the button sees press, then release, and clicks once."""
    _, _, button, _ = form
    clicks: list[bool] = []
    button.clicked.connect(lambda *_: clicks.append(True))
    keyboard.key(button, " ", after_ms=200)
    assert clicks == []  # held, until the silence says it is a person's
    settle_keys(qtbot, wedge, clock)
    assert clicks == [True]
    assert not button.isDown()


def test_removed_filter_gives_back_held_keys_and_lets_keys_through(qtbot, wedge, keyboard, form, scans) -> None:
    _, line, _, _ = form
    keyboard.slowly(line, "4")
    wedge.remove()
    assert line.text() == "4"
    keyboard.burst(line, "GC-AB\r")
    assert line.text() == "4GC-AB"
    assert scans == []
    wedge.remove()  # idempotent


def test_enter_shortcuts_see_a_persons_enter_but_never_a_scanners(qtbot, wedge, clock, form, scans) -> None:
    """Through Qt's own key path (QTest: shortcut override first): a lone Enter still fires the Enter shortcut,
    the Enter that ends a burst is the scanner's and fires nothing."""
    page, line, _, _ = form
    fired: list[bool] = []
    shortcut = QShortcut(QKeySequence(Qt.Key.Key_Return), page)
    shortcut.setContext(Qt.ShortcutContext.ApplicationShortcut)
    shortcut.activated.connect(lambda: fired.append(True))
    qtbot.keyClicks(line, CODE)  # QTest types at once: a burst
    qtbot.keyClick(line, Qt.Key.Key_Return)
    assert (scans, fired) == ([CODE], [])
    settle_keys(qtbot, wedge, clock)
    qtbot.keyClick(line, Qt.Key.Key_Return)
    assert (scans, fired, line.text()) == ([CODE], [True], "")


def test_the_event_clock_keeps_a_late_bursts_gaps() -> None:
    clock = Clock()
    times = EventClock(clock)
    assert times.at(1_000) == clock.now  # the first key anchors the mapping
    clock.now += 0.300  # the GUI thread was busy: the next keys arrive together, 300 ms late
    late = [times.at(1_000 + 5 * i) for i in range(1, 4)]
    assert [round((b - a) * 1000) for a, b in itertools.pairwise(late)] == [5, 5]
    assert times.at(0) == clock.now  # a key without a timestamp is "now"
    clock.now += 10.0
    assert times.at(1_100) == clock.now  # far later than the mapping says: anchored again
