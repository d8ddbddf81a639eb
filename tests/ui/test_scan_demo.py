"""The demo shop's camera: card pictures that decode to their codes, a desk that shows a card only while it is
held up, and the scan inputs turning one click on a card into one scan of its code."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest
from PySide6.QtCore import Qt

from pos_app.scanning.chain import default_chain
from pos_app.scanning.frames import load_gray, to_gray
from pos_app.ui.context import UiContext
from pos_app.ui.scan.demo_camera import DemoDesk, DeskSource, desk_for
from pos_app.ui.scan.demo_cards import card_files, write_demo_cards
from pos_app.ui.scan.inputs import ScanInputs
from pos_app.ui.scan.scan_area import ScanArea


@pytest.fixture
def demo_ctx(ctx: UiContext, codes: dict[str, str], tmp_path: Path) -> UiContext:
    assert ctx.demo is not None
    ctx.demo = replace(ctx.demo, images=write_demo_cards(codes, tmp_path / "cards"))
    return ctx


@pytest.fixture
def inputs(demo_ctx: UiContext) -> Iterator[ScanInputs]:
    made = ScanInputs(demo_ctx)
    yield made
    made.stop()


def test_demo_cards_decode_to_their_codes(qapp, codes: dict[str, str], tmp_path: Path) -> None:
    folder = write_demo_cards(codes, tmp_path / "cards")
    files = card_files(codes, folder)
    assert [state for state, _ in files] == ["active", "partly_used", "spent", "disabled", "not_sold", "expired"]
    chain = default_chain()
    for state, path in files:
        assert [r.text for r in chain.decode(load_gray(path), still=True)] == [codes[state]], state


def test_pictures_already_there_are_kept(qapp, codes: dict[str, str], tmp_path: Path) -> None:
    folder = write_demo_cards(codes, tmp_path / "cards")
    first = card_files(codes, folder)[0][1]
    first.write_bytes(b"kept")
    write_demo_cards(codes, folder)
    assert first.read_bytes() == b"kept"


def test_the_desk_shows_a_card_only_while_it_is_held(qapp, codes: dict[str, str], tmp_path: Path) -> None:
    folder = write_demo_cards(codes, tmp_path / "cards")
    now = [100.0]
    desk = DemoDesk(seed=1, clock=lambda: now[0])
    chain = default_chain()
    assert chain.decode(to_gray(desk.frame()), still=True) == []
    desk.hold(card_files(codes, folder)[2][1])
    frame = desk.frame()
    assert frame.shape == (480, 640, 3) and frame.dtype == np.uint8
    assert [r.text for r in chain.decode(to_gray(frame), still=True)] == [codes["spent"]]
    now[0] += 1.6
    assert desk.holding is None
    assert chain.decode(to_gray(desk.frame()), still=True) == []
    source = DeskSource(desk, fps=50)
    assert source.read() is not None
    source.interrupt()
    assert source.read() is None


def test_holding_up_a_card_is_one_scan_of_its_code(qtbot, demo_ctx: UiContext, codes, inputs) -> None:
    scans: list[str] = []
    demo_ctx.events.scanned.connect(scans.append)
    with qtbot.waitSignal(demo_ctx.events.scanner_state, timeout=10_000,
                          check_params_cb=lambda state, _text: state == "camera"):
        inputs.start()
    area = ScanArea(demo_ctx)
    qtbot.addWidget(area)
    qtbot.waitUntil(lambda: all(not b.icon().isNull() for b in area.demo_buttons), timeout=5_000)
    desk = desk_for(demo_ctx)
    with qtbot.waitSignal(demo_ctx.events.scanned, timeout=10_000) as scan:
        qtbot.mouseClick(area.demo_buttons[1], Qt.MouseButton.LeftButton)
    assert scan.args == [codes["partly_used"]]
    qtbot.waitUntil(lambda: desk.holding is None, timeout=5_000)  # the card goes back in the hand
    with qtbot.waitSignal(demo_ctx.events.camera_frame, timeout=5_000):
        pass
    assert scans == [codes["partly_used"]]

