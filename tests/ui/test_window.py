"""The window's frame: login gate, the manager screen behind a manager, the lock, scans routed to the screen."""

from __future__ import annotations

from tests.ui.conftest import CASHIER_PIN, MANAGER_PIN, log_in


def test_starts_at_the_login_and_a_scan_there_is_turned_away(window, ctx, qtbot) -> None:
    assert window.screens.currentWidget() is window.login
    with qtbot.waitSignal(ctx.events.message) as told:
        ctx.events.scanned.emit("anything")
    assert "Log in first" in told.args[0]


def test_a_cashier_logs_in_to_the_till_and_a_lock_goes_back_to_the_login(window, ctx, settle) -> None:
    log_in(ctx, settle, CASHIER_PIN)
    assert window.screens.currentWidget() is window.cashier
    window.lock()
    assert ctx.session.caller is None
    assert window.screens.currentWidget() is window.login


def test_a_manager_reaches_the_manager_screen(window, ctx, settle) -> None:
    log_in(ctx, settle, MANAGER_PIN)
    window.show_manager()
    assert window.screens.currentWidget() is window.manager
