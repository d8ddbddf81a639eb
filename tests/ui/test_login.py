"""The login screen, the PIN pad and the manager's PIN prompt, on the real demo store (PINs checked for real)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QWidget

from pos_app.domain.people import Role
from pos_app.ui.context import UiContext
from pos_app.ui.login import LoginScreen
from pos_app.ui.messages import sentence
from pos_app.ui.widgets.pin_pad import DOT, PinPad
from tests.ui.conftest import CASHIER_PIN, MANAGER_PIN, log_in

WRONG_PIN = "5555"


def _sentence(key: str) -> str:
    from pos_app.domain import errors

    kinds = {"unauthorized": errors.Unauthorized, "locked_out": errors.LockedOut, "forbidden": errors.Forbidden}
    return sentence(kinds[key]())


def click_pin(qtbot, pad: PinPad, pin: str) -> None:
    for digit in pin:
        qtbot.mouseClick(pad.keys[digit], Qt.MouseButton.LeftButton)
    qtbot.mouseClick(pad.keys["ok"], Qt.MouseButton.LeftButton)


def type_pin(qtbot, pad: PinPad, pin: str) -> None:
    qtbot.keyClicks(pad, pin)
    qtbot.keyClick(pad, Qt.Key.Key_Return)


def visible_texts(widget: QWidget) -> list[str]:
    return [label.text() for label in widget.findChildren(QLabel) if label.isVisibleTo(widget)]


# ---- the pad on its own ------------------------------------------------------------------------------------------


@pytest.fixture
def pad(qtbot) -> PinPad:
    widget = PinPad()
    qtbot.addWidget(widget)
    widget.show()
    return widget


def test_the_pad_takes_the_top_row_the_numpad_backspace_and_escape(qtbot, pad) -> None:
    qtbot.keyClicks(pad, "12")
    qtbot.keyClick(pad, Qt.Key.Key_3, Qt.KeyboardModifier.KeypadModifier)
    assert pad.length == 3
    qtbot.keyClick(pad, Qt.Key.Key_Backspace)
    assert pad.length == 2
    qtbot.keyClick(pad, Qt.Key.Key_Escape)
    assert pad.length == 0
    qtbot.keyClicks(pad, "0123456789")  # a PIN has 8 digits at most
    assert pad.length == 8
    qtbot.mouseClick(pad.keys["clear"], Qt.MouseButton.LeftButton)
    assert pad.length == 0


def test_the_pad_shows_dots_and_never_the_digits(qtbot, pad) -> None:
    qtbot.keyClicks(pad, "4711")
    assert pad.dots.text().replace(" ", "") == DOT * 4
    assert not any(ch.isdigit() for text in visible_texts(pad) for ch in text)


def test_enter_submits_the_pin_once_and_the_busy_pad_takes_nothing(qtbot, pad) -> None:
    with qtbot.waitSignal(pad.submitted) as sent:
        type_pin(qtbot, pad, "4711")
    assert sent.args == ["4711"]
    pad.set_busy(True)
    with qtbot.assertNotEmitted(pad.submitted):
        qtbot.keyClicks(pad, "9")
        qtbot.keyClick(pad, Qt.Key.Key_Enter)
        qtbot.mouseClick(pad.keys["ok"], Qt.MouseButton.LeftButton)
    assert pad.length == 4
    assert not pad.keys["5"].isEnabled()
    pad.set_busy(False)
    assert pad.keys["5"].isEnabled()


def test_a_too_short_pin_is_turned_away_without_a_check_and_the_error_goes_when_typing_again(qtbot, pad) -> None:
    with qtbot.assertNotEmitted(pad.submitted):
        type_pin(qtbot, pad, "12")
    assert "4 to 8 digits" in pad.error()
    assert pad.message.property("level") == "refused"
    qtbot.keyClicks(pad, "1")
    assert pad.error() == ""
    with qtbot.assertNotEmitted(pad.submitted):
        pad.clear()
        qtbot.keyClick(pad, Qt.Key.Key_Return)
    assert pad.error()  # "Enter your PIN first."


# ---- logging in --------------------------------------------------------------------------------------------------


def test_a_cashier_logs_in_with_the_pad_and_lands_on_the_till(window, ctx, qtbot, settle) -> None:
    assert window.screens.currentWidget() is window.login
    with qtbot.waitSignal(ctx.events.logged_in) as logged:
        click_pin(qtbot, window.login.pad, CASHIER_PIN)
    assert logged.args[0].actor.role is Role.CASHIER
    settle()
    assert window.screens.currentWidget() is window.cashier
    assert ctx.session.caller.actor.name == "Chris (cashier)"
    assert window.login.pad.length == 0  # nothing of the PIN stays behind


def test_a_cashier_logs_in_with_the_keyboard(window, ctx, qtbot, settle) -> None:
    with qtbot.waitSignal(ctx.events.logged_in):
        type_pin(qtbot, window.login.pad, CASHIER_PIN)
    settle()
    assert window.screens.currentWidget() is window.cashier


def test_a_wrong_pin_shows_its_sentence_and_stays(window, ctx, qtbot, settle) -> None:
    pad = window.login.pad
    type_pin(qtbot, pad, WRONG_PIN)
    settle()
    assert pad.error() == _sentence("unauthorized")
    assert window.screens.currentWidget() is window.login
    assert ctx.session.caller is None
    assert pad.length == 0 and not pad.busy


def test_five_wrong_pins_lock_out_even_the_right_one(window, ctx, qtbot, settle) -> None:
    pad = window.login.pad
    for _ in range(5):
        type_pin(qtbot, pad, WRONG_PIN)
        settle()
    type_pin(qtbot, pad, CASHIER_PIN)
    settle()
    assert pad.error() == _sentence("locked_out")
    assert "Wait" in pad.error()
    assert ctx.session.caller is None
    assert window.screens.currentWidget() is window.login


def test_the_pad_is_busy_while_the_pin_is_checked_so_a_second_enter_does_nothing(window, ctx, qtbot, settle,
                                                                               monkeypatch) -> None:
    calls: list[str] = []
    real_login = ctx.session.login

    def counted(pin: str):
        calls.append(pin)
        return real_login(pin)

    monkeypatch.setattr(ctx.session, "login", counted)
    pad = window.login.pad
    qtbot.keyClicks(pad, CASHIER_PIN)
    qtbot.keyClick(pad, Qt.Key.Key_Return)
    assert pad.busy and not pad.keys["ok"].isEnabled()
    qtbot.keyClick(pad, Qt.Key.Key_Return)
    qtbot.mouseClick(pad.keys["ok"], Qt.MouseButton.LeftButton)
    settle()
    assert calls == [CASHIER_PIN]
    assert window.screens.currentWidget() is window.cashier


def test_the_pin_is_never_shown_as_digits(window, qtbot) -> None:
    pad = window.login.pad
    qtbot.keyClicks(pad, MANAGER_PIN)  # a PIN the demo panel does not show next to a dot count
    assert pad.dots.text().replace(" ", "") == DOT * len(MANAGER_PIN)
    assert not any(MANAGER_PIN in text for text in visible_texts(window.login))


# ---- the demo panel ----------------------------------------------------------------------------------------------


def test_the_demo_shows_its_people_and_pins(window, qtmodeltester) -> None:
    panel = window.login.demo_panel
    assert panel is not None and panel.isVisible()
    model = panel.model
    lines = [model.index(row, 0).data().replace("\N{NO-BREAK SPACE}", " ") for row in range(model.rowCount())]
    assert lines == ["Chris (cashier) — PIN 1234", "Maria (manager) — PIN 9876"]
    assert any("demo" in text.lower() for text in visible_texts(panel))
    qtmodeltester.check(model)


def test_tapping_a_demo_person_logs_them_in(window, ctx, qtbot, settle) -> None:
    people = window.login.demo_panel.people
    first = people.visualRect(people.model().index(0, 0)).center()
    with qtbot.waitSignal(ctx.events.logged_in):
        qtbot.mouseClick(people.viewport(), Qt.MouseButton.LeftButton, pos=first)
    settle()
    assert window.screens.currentWidget() is window.cashier


@pytest.fixture
def shop_ctx(qapp, till) -> Iterator[UiContext]:
    """A real shop's context: no demo."""
    from pos_app.ui.app import build_context

    context = build_context(till, language="en")
    yield context
    context.ops.shutdown(wait=True)


def test_a_real_shop_shows_no_demo_panel_and_no_pins(qtbot, shop_ctx) -> None:
    screen = LoginScreen(shop_ctx)
    qtbot.addWidget(screen)
    screen.show()
    assert screen.demo_panel is None
    name = shop_ctx.session.profile.store_name  # "Demo Gift Shop": the copied demo store's own name
    assert screen.shop_name.text() == name
    texts = " ".join(visible_texts(screen)).replace(name, "").lower()
    assert "demo" not in texts and CASHIER_PIN not in texts and MANAGER_PIN not in texts


# ---- the manager's PIN over a cashier's shoulder -----------------------------------------------------------------


def test_a_cashier_pin_is_refused_for_the_manager_screen_and_a_manager_pin_opens_it(window, ctx, qtbot,
                                                                                    settle) -> None:
    log_in(ctx, settle, CASHIER_PIN)
    window.show_manager()
    dialog = window.login.manager_dialog
    assert dialog is not None and dialog.isVisible() and dialog.isModal()

    type_pin(qtbot, dialog.pad, CASHIER_PIN)
    settle()
    assert dialog.pad.error() == _sentence("forbidden")
    assert window.login.manager_dialog is dialog and dialog.isVisible()
    assert ctx.session.caller.actor.role is Role.CASHIER
    assert window.screens.currentWidget() is window.cashier

    with qtbot.waitSignal(ctx.events.logged_in):
        click_pin(qtbot, dialog.pad, MANAGER_PIN)
    settle()
    assert window.login.manager_dialog is None
    assert ctx.session.caller.actor.role is Role.MANAGER
    assert window.screens.currentWidget() is window.manager
    assert window.login.wants_manager is False  # used once, by the window


def test_a_wrong_pin_in_the_manager_prompt_shows_its_sentence(window, ctx, qtbot, settle) -> None:
    log_in(ctx, settle, CASHIER_PIN)
    window.show_manager()
    dialog = window.login.manager_dialog
    type_pin(qtbot, dialog.pad, WRONG_PIN)
    settle()
    assert dialog.pad.error() == _sentence("unauthorized")
    assert ctx.session.caller.actor.role is Role.CASHIER


@pytest.mark.parametrize("how", ["escape", "cancel"])
def test_escape_or_cancel_closes_the_manager_prompt_with_nothing_changed(window, ctx, qtbot, settle, how) -> None:
    log_in(ctx, settle, CASHIER_PIN)
    window.show_manager()
    dialog = window.login.manager_dialog
    qtbot.waitUntil(dialog.isActiveWindow)  # as on screen: the keys go to the prompt, not to the till behind
    qtbot.keyClicks(dialog.pad, "98")
    with qtbot.waitSignal(dialog.finished):
        if how == "escape":
            qtbot.keyClick(dialog.pad, Qt.Key.Key_Escape)
        else:
            qtbot.mouseClick(dialog.cancel_button, Qt.MouseButton.LeftButton)
    assert window.login.manager_dialog is None
    assert ctx.session.caller.actor.role is Role.CASHIER
    assert window.screens.currentWidget() is window.cashier


# ---- switching user: the lock ------------------------------------------------------------------------------------


def _assert_cleared_login(window) -> None:
    login = window.login
    assert window.screens.currentWidget() is login
    assert login.pad.length == 0 and login.pad.error() == "" and not login.pad.busy
    assert window.focusWidget() is login.pad


def test_the_lock_returns_to_a_cleared_login(window, ctx, qtbot, settle) -> None:
    pad = window.login.pad
    type_pin(qtbot, pad, WRONG_PIN)
    settle()
    assert pad.error()
    type_pin(qtbot, pad, CASHIER_PIN)
    settle()
    assert window.screens.currentWidget() is window.cashier
    window.lock()
    assert ctx.session.caller is None
    _assert_cleared_login(window)


def test_the_automatic_lock_returns_to_a_cleared_login(window, ctx, qtbot, settle) -> None:
    log_in(ctx, settle, CASHIER_PIN)
    window._lock_timer.start(1)
    qtbot.waitUntil(lambda: window.screens.currentWidget() is window.login)
    assert ctx.session.caller is None
    _assert_cleared_login(window)


def test_a_lock_while_the_manager_prompt_is_open_closes_it(window, ctx, qtbot, settle) -> None:
    log_in(ctx, settle, CASHIER_PIN)
    window.show_manager()
    qtbot.keyClicks(window.login.manager_dialog.pad, "98")
    window._auto_lock()
    assert window.login.manager_dialog is None
    _assert_cleared_login(window)
