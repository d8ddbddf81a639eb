"""The scan area: the scanner sign without a camera, the camera picture with the code outlined in green when
previews come, the state sentence, and the demo's row of cards that hold a card up when clicked."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest
from PySide6.QtCore import Qt

from pos_app.scanning.results import Read, Symbology
from pos_app.ui.context import UiContext
from pos_app.ui.scan.demo_camera import desk_for
from pos_app.ui.scan.demo_cards import card_files, write_demo_cards
from pos_app.ui.scan.preview import make_preview
from pos_app.ui.scan.scan_area import ScanArea


@pytest.fixture
def area(qtbot, ctx: UiContext) -> ScanArea:
    widget = ScanArea(ctx)
    qtbot.addWidget(widget)
    widget.resize(640, 480)
    widget.show()
    return widget


def _preview():  # type: ignore[no-untyped-def]
    frame = np.full((480, 640, 3), 180, np.uint8)
    corners = ((220.0, 140.0), (420.0, 140.0), (420.0, 340.0), (220.0, 340.0))
    return make_preview(frame, [Read("GC-X", Symbology.QR_CODE, "zxing", corners)])


def test_without_a_camera_it_is_ready_for_the_scanner(area: ScanArea, ctx: UiContext) -> None:
    assert not area.showing_camera
    assert area.hint.text() == "Ready for scanner — scan a card or type its code"
    ctx.events.scanner_state.emit("ready", "Scanner: ready")
    assert area.state_label.text() == "Scanner: ready"
    assert area.demo_row is None


def test_a_preview_is_shown_with_the_code_outlined(qtbot, area: ScanArea, ctx: UiContext) -> None:
    ctx.events.camera_frame.emit(_preview())
    assert area.showing_camera
    picture = area.preview.grab().toImage()
    greens = [(x, y) for x in range(0, picture.width(), 2) for y in range(0, picture.height(), 2)
              if (c := picture.pixelColor(x, y)).green() > 150 and c.red() < 120 and c.blue() < 120]
    assert greens, "the outline is drawn"
    xs = [x for x, _ in greens]
    centre = area.preview.width() / 2
    assert min(xs) < centre < max(xs)  # around the code, in the middle of the picture
    area._last_frame -= 10  # no picture for a while: the camera is gone
    area._check_stale()
    assert not area.showing_camera


def test_the_demo_row_holds_a_card_up(qtbot, ctx: UiContext, codes: dict[str, str], tmp_path: Path) -> None:
    assert ctx.demo is not None
    ctx.demo = replace(ctx.demo, images=write_demo_cards(codes, tmp_path / "cards"))
    area = ScanArea(ctx)
    qtbot.addWidget(area)
    area.show()
    assert [b.text() for b in area.demo_buttons] == ["Active", "Partly used", "Spent", "Disabled", "Not sold",
                                                     "Expired"]
    assert "Disabled (reported lost)" in area.demo_buttons[3].toolTip()
    assert all(b.focusPolicy() == Qt.FocusPolicy.NoFocus for b in area.demo_buttons)
    qtbot.waitUntil(lambda: all(not b.icon().isNull() for b in area.demo_buttons), timeout=5_000)
    qtbot.mouseClick(area.demo_buttons[2], Qt.MouseButton.LeftButton)
    assert desk_for(ctx).holding == card_files(codes, ctx.demo.images)[2][1]
