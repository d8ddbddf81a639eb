"""Settings › Camera: which camera (or pictures standing in for one) the till reads cards with, and a live test.

"Test camera" runs a :class:`~pos_app.scanning.camera.ScanWorker` on its own two threads for at most
:data:`TEST_SECONDS`: each preview frame (at most ten a second) becomes a ``QImage`` on the decode thread, with
the codes it found outlined, and reaches the GUI thread through ``ops.call_soon``; what it reads is listed below.
Stopping joins the worker's threads on a reader thread, so the window never waits for a camera driver. A
camera that cannot open is a sentence, not a traceback. (A webcam that the till is already scanning with may
refuse a second reader: the sentence then says to check it is not in use.)
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

import shiboken6
from babel.dates import format_time
from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QColor, QImage, QPainter, QPen, QPixmap, QPolygonF
from PySide6.QtWidgets import QHBoxLayout, QHeaderView, QLabel, QLineEdit, QSizePolicy, QTableView

from pos_app.ui.context import Level, UiContext
from pos_app.ui.manager.settings_common import Section, save_ui, with_hint
from pos_app.ui.messages import tr, tr_noop
from pos_app.ui.table_model import Column, RowsModel

if TYPE_CHECKING:
    from pos_app.scanning.camera import ScannerStatus, ScanWorker
    from pos_app.scanning.payload import ParsedCode
    from pos_app.scanning.results import Read

TEST_SECONDS = 15
PREVIEW_FPS = 10.0


@dataclass(frozen=True, slots=True)
class CameraRead:
    at: datetime
    text: str  # the code read (a manager's screen: shown whole), or the raw text refused
    symbology: str
    accepted: bool
    reason: str = ""


def reads_model(locale: str) -> RowsModel[CameraRead]:
    return RowsModel([
        Column(tr("Time"), lambda r: format_time(r.at, format="medium", locale=locale), sort_key=lambda r: r.at),
        Column(tr("Read"), lambda r: r.text if r.accepted else r.reason,
               colour=lambda r: None if r.accepted else "#b00020",
               tooltip=lambda r: f"{r.symbology}: {r.text}" if r.symbology else r.text),
    ])


def frame_image(frame: Any, reads: list[Read]) -> QImage:
    """A camera frame (numpy, BGR or grey) as a QImage with each code outlined; made on the worker's thread."""
    height, width = frame.shape[:2]
    fmt = QImage.Format.Format_Grayscale8 if frame.ndim == 2 else QImage.Format.Format_BGR888
    image = QImage(frame.data, width, height, int(frame.strides[0]), fmt).convertToFormat(
        QImage.Format.Format_RGB32)  # a copy: the frame's buffer is the worker's
    outlined = [r.corners for r in reads if r.corners]
    if outlined:
        painter = QPainter(image)
        painter.setPen(QPen(QColor("#22c55e"), max(3, width // 160)))
        for corners in outlined:
            painter.drawPolygon(QPolygonF([_point(x, y) for x, y in corners]))
        painter.end()
    return image


def _point(x: float, y: float) -> Any:
    from PySide6.QtCore import QPointF

    return QPointF(x, y)


class CameraSection(Section):
    title = tr_noop("Camera")
    icon_name = "camera"

    def __init__(self, ctx: UiContext) -> None:
        super().__init__(ctx, tr("Camera"), tr("A webcam reads the cards' QR codes and barcodes; a USB scanner "
                                               "works with or without one."))
        self.source = QLineEdit(ctx.settings.camera)
        self.source.setPlaceholderText(tr("empty: no camera"))
        self.form.addRow(tr("Camera"), with_hint(self.source, tr(
            "Empty: no camera (a USB scanner only) · 0: the first webcam, 1: the second · or the path of a "
            "picture, a folder of pictures or a video.")))
        self.save_button = self.button(tr("Save"), "ok", self.save, role="primary", shortcut="Ctrl+S")
        self.test_button = self.button(tr("Test camera"), "camera", self.start_test, shortcut="Ctrl+T")
        self.stop_button = self.button(tr("Stop"), "clear", self.stop_test)
        self.stop_button.setEnabled(False)
        self.end_buttons()
        self.preview = QLabel(tr("The picture appears here during a test."))
        self.preview.setObjectName("CameraPreview")
        self.preview.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.preview.setMinimumSize(320, 200)
        self.preview.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.reads = reads_model(ctx.locale)
        self.table = QTableView()
        self.table.setObjectName("CameraReads")
        self.table.setModel(self.reads)
        self.table.verticalHeader().setVisible(False)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.setMinimumHeight(120)
        self.preview.setProperty("role", "card")
        shown = QHBoxLayout()
        shown.addWidget(self.preview, 1)
        shown.addWidget(self.table, 1)
        self.body.takeAt(self.body.count() - 1)  # the form's closing stretch: the picture takes the room instead
        self.body.addLayout(shown, 1)
        self.worker: ScanWorker | None = None
        self._run = 0  # callbacks of a stopped test carry an older number and are ignored
        self._limit = QTimer(self)
        self._limit.setSingleShot(True)
        self._limit.timeout.connect(self._time_up)

    def on_shown(self) -> None:
        if self.worker is None:
            self.source.setText(self.ctx.settings.camera)

    def save(self) -> None:
        save_ui(self, {"camera": self.source.text().strip()}, buttons=[self.save_button])

    # ---- the test ------------------------------------------------------------------------------------------

    def start_test(self) -> None:
        from pos_app.scanning.camera import ScanWorker

        spec = self.source.text().strip()
        if not spec:
            self.refuse(tr("Enter a camera first: 0 for the first webcam, or a folder of pictures."), self.source)
            return
        self.stop_test()
        self.clear_marks()
        self._run += 1
        run, settings = self._run, self.ctx.settings
        self.reads.set_rows([])
        self.worker = ScanWorker.for_source(
            spec, prefix=settings.scanner_prefix, suffix=settings.scanner_suffix, preview_fps=PREVIEW_FPS,
            on_frame=lambda frame, reads: self._later(run, self._show_frame, frame_image(frame, reads)),
            on_scan=lambda parsed, read: self._later(run, self._scanned, parsed, read),
            on_refused=lambda text, why: self._later(run, self._refused_read, text, why),
            on_state=lambda status: self._later(run, self._state, spec, status),
        )
        self.worker.start()
        self._limit.start(TEST_SECONDS * 1000)
        self.test_button.setEnabled(False)
        self.stop_button.setEnabled(True)
        self.feedback.say(tr("Testing for {n} seconds: hold a card in front of the camera.").format(n=TEST_SECONDS))

    def stop_test(self) -> None:
        worker, self.worker = self.worker, None
        self._limit.stop()
        self._run += 1
        self.test_button.setEnabled(True)
        self.stop_button.setEnabled(False)
        if worker is not None:  # joining the threads may take a moment: never on the GUI thread
            self.ctx.ops.read(worker.stop, label="camera test stop").run()

    def _time_up(self) -> None:
        self.stop_test()
        self.feedback.say(tr("The test has ended: {n} read.").format(n=len(self.reads.rows)))

    def hideEvent(self, event: Any) -> None:  # leaving the page ends the test: the camera is not left on
        if self.worker is not None:
            self.stop_test()
        super().hideEvent(event)

    # ---- from the worker's threads -------------------------------------------------------------------------

    def _later(self, run: int, fn: Any, *args: Any) -> None:
        def deliver() -> None:
            if shiboken6.isValid(self) and run == self._run:
                fn(*args)

        self.ctx.ops.call_soon(deliver)

    def _show_frame(self, image: QImage) -> None:
        pixmap = QPixmap.fromImage(image)
        self.preview.setPixmap(pixmap.scaled(self.preview.size(), Qt.AspectRatioMode.KeepAspectRatio,
                                             Qt.TransformationMode.SmoothTransformation))

    def _scanned(self, parsed: ParsedCode, read: Read) -> None:
        self.reads.prepend(CameraRead(at=datetime.now().astimezone(), text=parsed.code,
                                      symbology=str(read.symbology), accepted=True))
        self.table.resizeColumnToContents(0)
        self.feedback.say(tr("Read {code}: the camera works.").format(code=parsed.code), Level.DONE)

    def _refused_read(self, text: str, why: str) -> None:
        self.reads.prepend(CameraRead(at=datetime.now().astimezone(), text=text[:60], symbology="",
                                      accepted=False, reason=tr("not a gift card code")))
        self.table.resizeColumnToContents(0)

    def _state(self, spec: str, status: ScannerStatus) -> None:
        if status.state.value != "error":
            return
        if "retrying" in status.message:  # a live camera that drops out is opened again by the worker
            self.feedback.say(tr("The camera gives no picture; trying again…"), Level.REFUSED)
            return
        self.stop_test()
        if spec.isdigit() or spec.startswith("/dev/video"):
            text = tr("The camera {spec} could not be opened. Check that it is plugged in and not in use by "
                      "another program.").format(spec=spec)
        else:
            text = tr("“{spec}” is not a camera, a picture, a folder of pictures or a video.").format(spec=spec)
        self.refuse(text, self.source)
        self.feedback.setToolTip(status.message)
