"""Kiosk mode: full screen, and no way out of it — closing the window or leaving full screen — without a manager's
PIN; a cashier's PIN is refused with a sentence. The setting, the command-line flag and the keys' list."""

from __future__ import annotations

from collections.abc import Callable

from click.testing import CliRunner
from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence, QShortcut

from pos_app.ui.context import UiContext
from tests.ui.conftest import CASHIER_PIN, MANAGER_PIN, log_in


def _type_pin(qtbot, dialog, pin: str) -> None:  # type: ignore[no-untyped-def]
    for digit in pin:
        qtbot.keyClick(dialog.pad, digit)
    qtbot.keyClick(dialog.pad, Qt.Key.Key_Return)


def test_in_kiosk_mode_the_window_fills_the_screen_and_only_a_managers_pin_closes_it(
        window, ctx: UiContext, qtbot, settle: Callable[..., None]) -> None:  # type: ignore[no-untyped-def]
    log_in(ctx, settle, CASHIER_PIN)
    window.kiosk.enter()
    qtbot.waitUntil(window.isVisible)
    assert window.isFullScreen()
    assert window.windowFlags() & Qt.WindowType.FramelessWindowHint

    window.close()  # Alt+F4, the window manager's close: refused, a manager's PIN is asked for
    assert window.isVisible()
    dialog = window.kiosk.dialog
    assert dialog is not None and dialog.isVisible()

    _type_pin(qtbot, dialog, CASHIER_PIN)  # a cashier may not
    settle()
    assert window.isVisible()
    assert dialog.pad.error() == "Only a manager can do this. Ask a manager to enter their PIN."

    dialog.pad.clear()
    _type_pin(qtbot, dialog, MANAGER_PIN)
    settle()
    qtbot.waitUntil(lambda: not window.isVisible())


def test_cancel_keeps_the_kiosk_and_f11_leaves_it_with_a_managers_pin(
        window, ctx: UiContext, qtbot, settle: Callable[..., None]) -> None:  # type: ignore[no-untyped-def]
    log_in(ctx, settle, CASHIER_PIN)
    window.kiosk.enter()
    window.kiosk.toggle()  # F11
    dialog = window.kiosk.dialog
    dialog.reject()  # Cancel (Esc)
    assert window.isFullScreen() and window.kiosk.on

    window.kiosk.toggle()
    _type_pin(qtbot, window.kiosk.dialog, MANAGER_PIN)
    settle()
    qtbot.waitUntil(lambda: not window.kiosk.on)
    assert not window.isFullScreen()
    assert not window.windowFlags() & Qt.WindowType.FramelessWindowHint


def test_the_window_has_the_keys_its_list_names(window, ctx: UiContext, settle) -> None:  # type: ignore[no-untyped-def]
    from pos_app.ui.keys_help import KeysDialog, window_keys

    keys = {QShortcut.key(s).toString() for s in window.findChildren(QShortcut)}
    for key, _what in window_keys():
        if key.startswith(("F", "Ctrl")):
            assert QKeySequence(key).toString() in keys, key
    window.show_keys()
    dialog = window.keys_dialog
    assert isinstance(dialog, KeysDialog)
    names = {dialog.table.item(row, 0).text() for row in range(dialog.table.rowCount())}
    assert {"F11", "Ctrl+Shift+Q", "F1"} <= names
    dialog.close()


def test_the_kiosk_setting_puts_the_window_in_kiosk_mode_at_once(
        window, ctx: UiContext, qtbot, settle: Callable[..., None]) -> None:  # type: ignore[no-untyped-def]
    from pos_app.ui.manager.settings_till import TillSection

    log_in(ctx, settle, MANAGER_PIN)
    section = TillSection(ctx)
    qtbot.addWidget(section)
    section.kiosk.setChecked(True)
    section.save()
    settle()
    qtbot.waitUntil(lambda: window.kiosk.on)
    assert window.isFullScreen()
    assert ctx.settings.kiosk
    section.kiosk.setChecked(False)  # a manager saving it off: no PIN asked, they are the manager
    section.save()
    settle()
    qtbot.waitUntil(lambda: not window.kiosk.on)


def test_pos_app_kiosk_starts_the_till_in_kiosk_mode(monkeypatch, tmp_path) -> None:  # type: ignore[no-untyped-def]
    from pos_app.cli import main
    from pos_app.qt_printing import qt_app
    from pos_app.ui import app

    seen: dict[str, object] = {}
    monkeypatch.setattr(qt_app, "needs_offscreen", lambda: False)
    monkeypatch.setattr(app, "run_till", lambda till, **kw: seen.update(kw) or 0)
    monkeypatch.setattr("pos_app.ui.demo.demo_info", lambda till: None)
    result = CliRunner().invoke(main, ["--data-dir", str(tmp_path), "--demo", "--kiosk"])
    assert result.exit_code == 0, result.output
    assert seen["kiosk"] is True
    assert "--kiosk" in CliRunner().invoke(main, ["--help"]).output
