"""The scan area of the cashier screen: the camera's picture with the code it found outlined, or, without a
camera, a big scanner sign saying the till is ready for one. API: ``ScanArea(ctx)``.

It paints what ``events.camera_frame`` brings (a :class:`~pos_app.ui.scan.preview.Preview`, already scaled down on
the camera's thread) and says what ``events.scanner_state`` says. When no picture has come for a couple of
seconds (no camera, or it stopped) it shows the scanner sign again. In the demo shop a row of the demo cards sits
below: clicking one holds it up to the (demo) camera. Nothing here takes the keyboard focus: the amount field keeps
it while the cashier clicks a card.
"""

from __future__ import annotations

import time
from pathlib import Path

from PySide6.QtCore import QSize, Qt, QTimer
from PySide6.QtGui import QImage, QPixmap, QResizeEvent
from PySide6.QtWidgets import (
    QFrame,
    QGridLayout,
    QLabel,
    QSizePolicy,
    QStackedWidget,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from pos_app.ui.context import UiContext
from pos_app.ui.icons import icon
from pos_app.ui.messages import tr
from pos_app.ui.scan.demo_camera import desk_for
from pos_app.ui.scan.demo_cards import caption, card_files, short_caption
from pos_app.ui.scan.preview import Preview
from pos_app.ui.scan.preview_view import PreviewView
from pos_app.ui.theme import restyle

STALE_SECONDS = 2.0  # no picture for this long: the camera is gone, show the scanner sign
THUMB_SIZE = QSize(112, 71)
THUMB_CELL = 136  # px a thumbnail button needs, its label under it and margins included
SIGN_SIZE, SIGN_COMPACT = 128, 56  # px of the scanner sign's icon: big, and beside its sentence at 1024×768


class ScanArea(QFrame):
    def __init__(self, ctx: UiContext) -> None:
        super().__init__()
        self.ctx = ctx
        self.setObjectName("ScanArea")
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setMinimumWidth(260)  # the height is the layout's: the demo's cards are never squeezed over each other
        layout = self._layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 12, 12, 12)
        layout.setSpacing(8)

        self.demo_buttons: list[QToolButton] = []
        self.pages = QStackedWidget()
        self.scanner_page = self._scanner_page()
        self.preview = PreviewView()
        self.pages.addWidget(self.scanner_page)
        self.pages.addWidget(self.preview)
        layout.addWidget(self.pages, 1)

        self.state_label = QLabel(tr("Scanner: starting…"))
        self.state_label.setObjectName("ScanState")
        self.state_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.state_label.setWordWrap(True)
        layout.addWidget(self.state_label)

        self.demo_row: QWidget | None = None
        if ctx.demo is not None and ctx.demo.images is not None and ctx.demo.codes:
            self.demo_row = self._demo_row(ctx.demo.codes, ctx.demo.images)
            layout.addWidget(self.demo_row)

        self._last_frame = 0.0
        self._stale = QTimer(self)
        self._stale.setInterval(500)
        self._stale.timeout.connect(self._check_stale)
        ctx.events.camera_frame.connect(self.show_preview)
        ctx.events.scanner_state.connect(self._on_state)

    # ---- pages -------------------------------------------------------------------------------------------------

    def _scanner_page(self) -> QWidget:
        page = QWidget()
        page.setObjectName("ScannerReady")
        self._sign = QGridLayout(page)
        self._sign.setContentsMargins(0, 0, 0, 0)
        self.scanner_icon = QLabel()
        self.scanner_icon.setObjectName("ScannerIcon")
        self.scanner_icon.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.hint = QLabel(tr("Ready for scanner — scan a card or type its code"))
        self.hint.setObjectName("ScanHint")
        self.hint.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.hint.setWordWrap(True)
        self._compact: bool | None = None
        self.set_compact(False)
        return page

    def set_compact(self, compact: bool) -> None:
        """Where the height is short (a 1024×768 till) the scanner sign is a small icon beside its sentence, not a
        big one above it, so that a camera picture and the history below keep their room."""
        if compact == self._compact:
            return
        self._compact = compact
        # short of height, the card's history below comes first: the scan area takes what it asks for, no more
        self.setSizePolicy(QSizePolicy.Policy.Expanding,
                           QSizePolicy.Policy.Preferred if compact else QSizePolicy.Policy.Expanding)
        for button in self.demo_buttons:
            restyle(button, compact=compact)  # lower buttons (the style sheet's DemoCard[compact="true"])
        sign = self._sign
        for part in (self.scanner_icon, self.hint):
            sign.removeWidget(part)
        side = SIGN_COMPACT if compact else SIGN_SIZE
        pixmap = icon("scanner").pixmap(QSize(side, side))
        if not pixmap.isNull():
            self.scanner_icon.setPixmap(pixmap)
        for row in range(4):
            sign.setRowStretch(row, 0)
        if compact:
            sign.addWidget(self.scanner_icon, 1, 0)
            sign.addWidget(self.hint, 1, 1)
            sign.setColumnStretch(1, 1)
            self.hint.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        else:
            sign.addWidget(self.scanner_icon, 1, 0, 1, 2)
            sign.addWidget(self.hint, 2, 0, 1, 2)
            self.hint.setAlignment(Qt.AlignmentFlag.AlignCenter)
        sign.setRowStretch(0, 1)
        sign.setRowStretch(3, 1)

    @property
    def showing_camera(self) -> bool:
        return self.pages.currentWidget() is self.preview

    def show_preview(self, preview: object) -> None:
        if not isinstance(preview, Preview):
            return
        self._last_frame = time.monotonic()
        self.preview.set_preview(preview)
        if not self.showing_camera:
            self.pages.setCurrentWidget(self.preview)
            self._stale.start()

    def _check_stale(self) -> None:
        if time.monotonic() - self._last_frame > STALE_SECONDS:
            self._stale.stop()
            self.pages.setCurrentWidget(self.scanner_page)
            self.preview.clear()

    def _on_state(self, state: str, text: str) -> None:
        self.state_label.setText(text)
        self.state_label.setProperty("state", state)
        self.state_label.style().unpolish(self.state_label)
        self.state_label.style().polish(self.state_label)

    # ---- the demo's cards ----------------------------------------------------------------------------------------

    def _demo_row(self, codes: dict[str, str], folder: Path) -> QWidget:
        row = QWidget()
        row.setObjectName("DemoCards")
        column = QVBoxLayout(row)
        column.setContentsMargins(0, 0, 0, 0)
        self.demo_title = QLabel(tr("Hold a card to the camera"))
        self.demo_title.setObjectName("DemoCardsTitle")
        column.addWidget(self.demo_title)
        self._grid = QGridLayout()
        self._grid.setSpacing(6)
        self._columns = 0
        files = card_files(codes, folder)
        for state, path in files:
            button = QToolButton()
            button.setObjectName("DemoCard")
            button.setText(short_caption(state))
            button.setToolTip(tr("Hold the “{card}” card up to the camera").format(card=caption(state)))
            button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
            button.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
            button.setProperty("state", state)
            button.clicked.connect(lambda _=False, p=path: self.hold_up(p))
            self.demo_buttons.append(button)
        column.addLayout(self._grid)
        self._reflow(3)
        self.ctx.ops.read(lambda: _thumbnails([p for _, p in files]), owner=self, label="demo thumbnails") \
            .success(self._set_thumbnails).run()
        return row

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        if self.demo_buttons:
            self._reflow(len(self.demo_buttons) if self.width() - 24 >= len(self.demo_buttons) * THUMB_CELL else 3)

    def _reflow(self, columns: int) -> None:
        """All cards in a row, pictures above labels, where they fit (full HD); else rows of three labels (at
        1024×768 a picture too small to read is worth less than the room its label needs)."""
        if columns == self._columns:
            return
        self._columns = columns
        wide = columns == len(self.demo_buttons)
        margin = 12 if wide else 6  # at 1024×768 every line of height counts
        self._layout.setContentsMargins(margin, margin, margin, margin)
        self._layout.setSpacing(8 if wide else 4)
        self.demo_title.setVisible(wide)  # narrow: the pictures and their labels say it
        for button in self.demo_buttons:
            button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextUnderIcon if wide
                                      else Qt.ToolButtonStyle.ToolButtonTextOnly)
            button.setIconSize(THUMB_SIZE)
        for button in self.demo_buttons:
            self._grid.removeWidget(button)
        for i, button in enumerate(self.demo_buttons):
            self._grid.addWidget(button, i // columns, i % columns)

    def _set_thumbnails(self, images: list[QImage | None]) -> None:
        for button, image in zip(self.demo_buttons, images, strict=False):
            if image is not None:
                button.setIcon(QPixmap.fromImage(image))

    def hold_up(self, picture: Path) -> None:
        desk_for(self.ctx).hold(picture)


def _thumbnails(paths: list[Path]) -> list[QImage | None]:
    """Small pictures of the cards (off the GUI thread: decoding the PNGs takes a few ms each)."""
    out: list[QImage | None] = []
    for path in paths:
        image = QImage(str(path))
        out.append(None if image.isNull() else image.scaled(THUMB_SIZE, Qt.AspectRatioMode.KeepAspectRatio,
                                                             Qt.TransformationMode.SmoothTransformation))
    return out
