"""The scan inputs as the window runs them: the wedge on the whole application, the camera from the settings,
one sentence for the status bar, a setting changed while running, and a prompt, idempotent stop."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest
from PySide6.QtWidgets import QApplication, QLineEdit

from pos_app.ui.context import UiContext
from pos_app.ui.scan.demo_cards import draw_card
from pos_app.ui.scan.inputs import ScanInputs
from tests.ui.keys import scanner_burst

CODE = "GC-KCGQ-TXET-7BU3-T8S4"


@pytest.fixture
def inputs(ctx: UiContext) -> Iterator[ScanInputs]:
    made = ScanInputs(ctx)
    yield made
    made.stop()


def test_without_a_camera_the_scanner_is_ready_and_bursts_are_scans(qtbot, ctx, inputs) -> None:
    line = QLineEdit()
    qtbot.addWidget(line)
    with qtbot.waitSignal(ctx.events.scanner_state) as state:
        inputs.start()
    assert state.args == ["ready", "Scanner: ready"]
    with qtbot.waitSignal(ctx.events.scanned) as scan:
        scanner_burst(line, CODE + "\r")
    assert scan.args == [CODE]
    assert line.text() == ""
    inputs.stop()
    inputs.stop()
    scanner_burst(line, "GC-AB")
    assert line.text() == "GC-AB"  # no filter any more: straight through


def test_a_camera_from_the_settings_and_a_setting_changed_while_running(qtbot, ctx, inputs, tmp_path: Path) -> None:
    picture = tmp_path / "card.png"
    assert draw_card(CODE, "active").save(str(picture))
    ctx.settings = replace(ctx.settings, camera=str(picture))
    with qtbot.waitSignal(ctx.events.scanned, timeout=10_000) as scan:
        inputs.start()
    assert scan.args == [CODE]
    assert inputs.camera is not None and inputs.camera.running
    camera = inputs.camera
    settings = replace(ctx.settings, camera="")
    ctx.settings = settings
    with qtbot.waitSignal(ctx.events.scanner_state, timeout=5_000,
                          check_params_cb=lambda state, text: (state, text) == ("ready", "Scanner: ready")):
        ctx.events.settings_changed.emit(settings)
    qtbot.waitUntil(lambda: not camera.running, timeout=5_000)
    assert inputs.camera is None


def test_a_missing_camera_leaves_the_scanner_working(qtbot, ctx, inputs) -> None:
    ctx.settings = replace(ctx.settings, camera="/dev/video-that-is-not-there")
    with qtbot.waitSignal(ctx.events.scanner_state, timeout=10_000,
                          check_params_cb=lambda state, _text: state == "no_camera") as state:
        inputs.start()
    assert state.args == ["no_camera", "Camera: not found — use the scanner"]
    line = QLineEdit()
    qtbot.addWidget(line)
    with qtbot.waitSignal(ctx.events.scanned):
        scanner_burst(line, CODE + "\r")


def test_stop_returns_promptly_with_a_camera_running(qtbot, ctx, inputs, tmp_path: Path) -> None:
    picture = tmp_path / "card.png"
    assert draw_card(CODE, "active").save(str(picture))
    ctx.settings = replace(ctx.settings, camera=str(picture))
    with qtbot.waitSignal(ctx.events.camera_frame, timeout=10_000):
        inputs.start()
    camera = inputs.camera
    assert camera is not None
    inputs.stop()
    assert not camera.running  # joined within stop(), not left behind
    assert not inputs.started


def test_a_scan_on_the_login_screen_is_turned_away(qtbot, ctx, window, settle) -> None:
    window.start_background()
    messages: list[str] = []
    ctx.events.message.connect(lambda text, _level: messages.append(text))
    target = QApplication.focusWidget() or window
    with qtbot.waitSignal(ctx.events.scanned):
        scanner_burst(target, CODE + "\r")
    assert messages == ["Log in first, then scan the card."]
