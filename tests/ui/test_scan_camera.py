"""The camera in the window: a real ScanWorker on a picture of a card (the real decoder chain), its scans, previews
and states arriving on the GUI thread as events; a camera that cannot open is a sentence; stop() is prompt."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest
import serial
from PySide6.QtGui import QImage
from PySide6.QtWidgets import QApplication

from pos_app.scanning.sources import FolderSource, ImageSource
from pos_app.ui.context import UiContext
from pos_app.ui.scan.camera_bridge import CameraBridge
from pos_app.ui.scan.demo_cards import draw_card
from pos_app.ui.scan.preview import Preview, make_preview
from pos_app.ui.scan.serial_bridge import SerialBridge, strip_affixes

CODE = "GC-KCGQ-TXET-7BU3-T8S4"


@pytest.fixture
def card_png(qapp, tmp_path: Path) -> Path:
    path = tmp_path / "card.png"
    assert draw_card(CODE, "active").save(str(path))
    return path


@pytest.fixture
def bridges() -> Iterator[list[CameraBridge]]:
    made: list[CameraBridge] = []
    yield made
    for bridge in made:
        bridge.stop()


def test_a_card_in_view_is_one_scan_and_previews(qtbot, ctx: UiContext, card_png, bridges) -> None:
    bridge = CameraBridge(ctx, lambda: ImageSource(card_png, fps=20))
    bridges.append(bridge)
    scans: list[str] = []
    ctx.events.scanned.connect(scans.append)
    with qtbot.waitSignal(ctx.events.camera_frame, timeout=10_000,
                          check_params_cb=lambda p: isinstance(p, Preview) and p.found) as frame, \
            qtbot.waitSignal(ctx.events.scanned, timeout=10_000) as scan:
        bridge.start()
    assert scan.args == [CODE]
    preview = frame.args[0]
    assert not preview.image.isNull() and preview.image.width() <= 640
    assert all(len(outline) == 4 for outline in preview.outlines)
    with qtbot.waitSignal(ctx.events.camera_frame, timeout=5_000):
        pass  # more frames of the same card held still …
    assert scans == [CODE]  # … are no new scan
    assert bridge.stop() is True
    assert not bridge.running


def test_the_state_sentences(qtbot, ctx: UiContext, card_png, bridges) -> None:
    bridge = CameraBridge(ctx, lambda: FolderSource(card_png.parent, fps=20, loop=False))
    bridges.append(bridge)
    states: list[tuple[str, str]] = []
    ctx.events.scanner_state.connect(lambda state, text: states.append((state, text)))
    with qtbot.waitSignal(ctx.events.scanner_state, timeout=10_000, check_params_cb=lambda s, _t: s == "no_camera"):
        bridge.start()  # one picture, played to its end
    assert states[0] == ("camera", "Camera: ready")
    assert states[-1] == ("no_camera", "Camera: stopped — use the scanner")


def test_a_camera_that_cannot_open_is_a_sentence(qtbot, ctx: UiContext, bridges) -> None:
    bridge = CameraBridge.for_spec(ctx, "/dev/video-that-is-not-there")
    bridges.append(bridge)
    with qtbot.waitSignal(ctx.events.scanner_state, timeout=10_000) as state:
        bridge.start()
    assert state.args == ["no_camera", "Camera: not found — use the scanner"]


def test_stop_is_prompt_idempotent_and_silences_the_run(qtbot, ctx: UiContext, card_png, bridges) -> None:
    bridge = CameraBridge(ctx, lambda: ImageSource(card_png, fps=20))
    bridges.append(bridge)
    with qtbot.waitSignal(ctx.events.camera_frame, timeout=10_000):
        bridge.start()
    assert bridge.stop() is True
    assert bridge.stop() is True
    frames: list[object] = []
    ctx.events.camera_frame.connect(frames.append)
    ctx.events.scanner_state.connect(lambda *a: frames.append(a))
    QApplication.processEvents()  # deliver anything the stopped run had queued for the GUI thread: dropped
    QApplication.processEvents()
    assert frames == []
    with qtbot.waitSignal(ctx.events.camera_frame, timeout=10_000):
        bridge.start()  # and it starts again


def test_a_refused_text_is_the_sentence(qtbot, ctx: UiContext, tmp_path: Path, bridges) -> None:
    path = tmp_path / "not-a-card.png"
    assert draw_card("hello world, not a card at all", "active").save(str(path))
    bridge = CameraBridge(ctx, lambda: ImageSource(path, fps=20))
    bridges.append(bridge)
    with qtbot.waitSignal(ctx.events.message, timeout=10_000) as message:
        bridge.start()
    assert message.args == ["That is not a gift card code. Scan the card again or type its code.", "refused"]


def test_preview_copies_the_frame_and_scales_the_outline(qapp) -> None:
    from pos_app.scanning.results import Read, Symbology

    frame = np.zeros((720, 1280, 3), np.uint8)
    frame[:, :, 2] = 200  # red, in OpenCV's BGR order
    read = Read("x", Symbology.QR_CODE, "zxing", ((100.0, 100.0), (300.0, 100.0), (300.0, 300.0), (100.0, 300.0)))
    preview = make_preview(frame, [read])
    frame[:] = 0  # the camera reuses its buffer: the preview must not change
    assert (preview.image.width(), preview.image.height()) == (640, 360)
    assert QImage.Format.Format_BGR888 == preview.image.format()
    assert preview.image.pixelColor(10, 10).red() == 200
    assert [(p.x(), p.y()) for p in preview.outlines[0]] == [(50, 50), (150, 50), (150, 150), (50, 150)]
    gray = make_preview(np.full((480, 640), 77, np.uint8))
    assert gray.image.pixelColor(5, 5).red() == 77 and not gray.found


def test_serial_scanner_lines_are_scans(qtbot, ctx: UiContext) -> None:
    from dataclasses import replace

    ctx.settings = replace(ctx.settings, scanner_prefix="~")
    port = serial.serial_for_url("loop://", timeout=0.02)
    bridge = SerialBridge(ctx, "loop://", opener=lambda: port)
    try:
        with qtbot.waitSignal(ctx.events.scanner_state, timeout=5_000) as state:
            bridge.start()
        assert state.args == ["ready", "Serial scanner: ready"]
        with qtbot.waitSignal(ctx.events.scanned, timeout=5_000) as scan:
            port.write(f"~{CODE}\r\n".encode())
        assert scan.args == [CODE]
    finally:
        bridge.stop()
    assert strip_affixes(" ]Q1GC-AB# ", "]Q1", "#") == "GC-AB"
