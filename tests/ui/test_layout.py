"""The till window at the sizes of real tills: nothing clipped at 1024×768, and still right at 1920×1080.

The real main window on the demo shop, with its demo card buttons (their pictures drawn as ``pos-app --demo``
does), a card with a history longer than the screen, and a camera picture in the scan area. Every button, field
and list on the screen on show must lie wholly inside the window and be at least as large as its minimum size
hint (a squeezed button is a clipped one), the history must show five rows or more, and the camera picture must
keep its aspect and stay more than a strip.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

import numpy as np
import pytest
from PySide6.QtCore import QPoint, QRect
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QAbstractSpinBox,
    QHeaderView,
    QLineEdit,
    QScrollArea,
    QWidget,
)

from pos_app.bootstrap import Till
from pos_app.domain.money import Money
from pos_app.ui.context import UiContext
from tests.ui.conftest import CASHIER_PIN, MANAGER_PIN, log_in

SIZES = [(1024, 768), (1920, 1080)]
INTERACTIVE = (QAbstractButton, QLineEdit, QAbstractItemView)


@pytest.fixture
def demo_ctx(qapp: object, till: Till) -> Iterator[UiContext]:
    from pos_app.ui.app import build_context
    from pos_app.ui.demo import demo_info

    context = build_context(till, demo=demo_info(till), language="en")
    yield context
    context.ops.shutdown(wait=True)


@pytest.fixture
def demo_window(qtbot, demo_ctx: UiContext) -> Iterator[object]:  # type: ignore[no-untyped-def]
    from pos_app.ui.app import build_window

    win = build_window(demo_ctx)
    qtbot.addWidget(win)
    win.show()
    yield win
    win.close()


@pytest.fixture
def wait(qtbot, demo_ctx: UiContext) -> Callable[[], None]:  # type: ignore[no-untyped-def]
    def settle() -> None:
        qtbot.waitUntil(lambda: demo_ctx.ops.busy == 0, timeout=10_000)

    return settle


def _resize(window, qtbot, size: tuple[int, int]) -> None:  # type: ignore[no-untyped-def]
    window.resize(*size)
    qtbot.waitUntil(lambda: (window.width(), window.height()) == size, timeout=5_000)
    qtbot.wait(50)  # layouts settle in the event loop


def clipped(window: QWidget, screen: QWidget) -> list[str]:
    """Each interactive widget of ``screen`` that is outside the window, or smaller than its minimum size hint."""
    problems = []
    for widget in screen.findChildren(QWidget):
        if not isinstance(widget, INTERACTIVE) or isinstance(widget, QHeaderView) or not widget.isVisibleTo(window):
            continue  # a table's header is the table's
        if isinstance(widget.parent(), QAbstractSpinBox):
            continue  # the line edit inside a spin box is the spin box's
        shown = _scrolled_by(widget) or widget  # in a scroll area: it is reached by scrolling, the area must fit
        where = QRect(shown.mapTo(window, QPoint(0, 0)), shown.size())
        hint = widget.minimumSizeHint()
        name = f"{type(widget).__name__} {widget.objectName()!r} {getattr(widget, 'text', lambda: '')()!r}"
        if not window.rect().contains(where):
            problems.append(f"{name} at {where.getRect()} is outside the window {window.rect().getRect()}")
        if widget.width() < hint.width() or widget.height() < hint.height():
            problems.append(f"{name} is {widget.width()}×{widget.height()}, less than its minimum "
                            f"{hint.width()}×{hint.height()}")
    return problems


def _scrolled_by(widget: QWidget) -> QScrollArea | None:
    parent = widget.parentWidget()
    while parent is not None:
        if isinstance(parent, QScrollArea) and parent.widget() is not None and parent.widget().isAncestorOf(widget):
            return parent
        parent = parent.parentWidget()
    return None


def rows_shown(view: QAbstractItemView) -> int:
    viewport = view.viewport().rect()
    model = view.model()
    return sum(1 for row in range(model.rowCount())
               if viewport.contains(view.visualRect(model.index(row, 0))))


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_the_cashier_screen_fits_with_a_card_its_history_and_the_demo_cards(demo_window, demo_ctx, qtbot, wait,
                                                                         size) -> None:
    window, ctx = demo_window, demo_ctx
    code = ctx.demo.codes["active"]
    log_in(ctx, wait, CASHIER_PIN)
    for _ in range(7):  # a history longer than any screen
        ctx.session.redeem(code, Money(100, ctx.currency))
    _resize(window, qtbot, size)
    cashier = window.cashier
    cashier.look_up(code)
    wait()
    qtbot.waitUntil(lambda: cashier.panel.card is not None and cashier.panel.model.rowCount() >= 8)
    qtbot.wait(50)

    assert len(cashier.scan_area.demo_buttons) == 6
    assert clipped(window, cashier) == []
    assert clipped(window, window.header) == []
    assert rows_shown(cashier.panel.entries) >= 5


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_the_camera_picture_keeps_its_aspect_and_leaves_the_history_its_rows(demo_window, demo_ctx, qtbot, wait,
                                                                           size) -> None:
    from pos_app.ui.scan.preview import make_preview

    window, ctx = demo_window, demo_ctx
    code = ctx.demo.codes["active"]
    log_in(ctx, wait, CASHIER_PIN)
    for _ in range(7):
        ctx.session.redeem(code, Money(100, ctx.currency))
    _resize(window, qtbot, size)
    cashier = window.cashier
    ctx.events.camera_frame.emit(make_preview(np.full((480, 640), 128, dtype=np.uint8)))
    cashier.look_up(code)
    wait()
    view = cashier.scan_area.preview
    qtbot.waitUntil(lambda: view.isVisible() and cashier.panel.model.rowCount() >= 8)
    qtbot.wait(50)
    picture = view._target()
    assert picture.height() >= 120  # a picture, not a strip
    assert picture.width() / picture.height() == pytest.approx(640 / 480, rel=0.02)
    assert clipped(window, cashier) == []
    assert rows_shown(cashier.panel.entries) >= 5


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_each_manager_page_fits(demo_window, demo_ctx, qtbot, wait, size) -> None:
    window, ctx = demo_window, demo_ctx
    log_in(ctx, wait, MANAGER_PIN)
    window.show_manager()
    _resize(window, qtbot, size)
    manager = window.manager
    for row in range(manager.nav.count()):
        manager.nav.setCurrentRow(row)
        wait()
        qtbot.wait(50)
        page = manager.pages.currentWidget()
        assert clipped(window, page) == [], manager.nav.item(row).text()
