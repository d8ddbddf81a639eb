"""The card-sheet job under the campaigns table: a progress bar and Cancel while the PDF is drawn, then where
it went and a button to open its folder.

The drawing runs on a reader thread (it only reads the store; QPainter may draw on a QPdfWriter off the GUI
thread), so sales and reports carry on meanwhile. Cancel sets an event the renderer asks before every card;
the renderer then removes its temporary file, so a cancelled sheet leaves nothing behind.
"""

from __future__ import annotations

import threading
from pathlib import Path

from PySide6.QtCore import QUrl, Signal
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QHBoxLayout, QLabel, QProgressBar, QPushButton, QWidget

from pos_app.ui.context import Level, UiContext
from pos_app.ui.icons import icon
from pos_app.ui.manager.campaign_work import SheetDone, SheetNotWritten, write_sheet
from pos_app.ui.messages import sentence, tr


class SheetJob(QWidget):
    """Shows one card-sheet job at a time; ``finished(result)``: a SheetDone, None (cancelled) or an error."""

    finished = Signal(object)

    def __init__(self, ctx: UiContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.setObjectName("SheetJob")
        self._cancel: threading.Event | None = None
        self.folder: Path | None = None
        self.text = QLabel("")
        self.text.setObjectName("SheetJobText")
        self.text.setWordWrap(True)
        self.progress = QProgressBar()
        self.progress.setObjectName("SheetProgress")
        self.cancel_button = QPushButton(icon("clear"), tr("Cancel (Esc)"))
        self.cancel_button.setProperty("role", "danger")
        self.cancel_button.clicked.connect(self.cancel)
        self.open_button = QPushButton(tr("Open folder"))
        self.open_button.clicked.connect(self.open_folder)
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.text, 2)
        row.addWidget(self.progress, 2)
        row.addWidget(self.cancel_button)
        row.addWidget(self.open_button)
        self._show(running=False, done=False)
        self.hide()

    @property
    def running(self) -> bool:
        return self._cancel is not None

    def start(self, campaign_id: str, campaign_name: str, out: Path) -> None:
        if self.running:
            return
        cancel = self._cancel = threading.Event()
        self.show()
        self._show(running=True, done=False)
        self.progress.setRange(0, 0)  # busy until the cards are counted
        self.text.setText(tr("Drawing the cards of “{name}”…").format(name=campaign_name))
        report = self.ctx.ops.progress(self._progress)
        session = self.ctx.session
        (self.ctx.ops.read(lambda: write_sheet(session, campaign_id, out, progress=report, cancel=cancel),
                           owner=self, label="card sheet")
         .success(self._done).failure(self._failed).finally_(self._stopped).run())

    def cancel(self) -> None:
        if self._cancel is not None:
            self._cancel.set()
            self.cancel_button.setEnabled(False)
            self.text.setText(tr("Cancelling…"))

    def open_folder(self) -> None:
        if self.folder is not None:
            QDesktopServices.openUrl(QUrl.fromLocalFile(str(self.folder)))

    # ---- results (GUI thread) --------------------------------------------------------------------------------

    def _progress(self, done: int, total: int) -> None:
        if self._cancel is None or self._cancel.is_set():
            return
        if self.progress.maximum() != total:
            self.progress.setRange(0, total)
        self.progress.setValue(done)

    def _done(self, result: SheetDone | None) -> None:
        self._cancel = None
        if result is None:
            self.text.setText(tr("Cancelled: no file was written."))
            self._show(running=False, done=False)
            self.ctx.tell(tr("Card sheet cancelled; no file was written."), Level.INFO)
        else:
            self.folder = result.file.parent
            said = tr("{cards} cards on {pages} pages: {file}").format(cards=result.cards, pages=result.pages,
                                                                        file=result.file.name)
            if result.disabled_left_out:
                said += " " + tr("({n} disabled cards left out.)").format(n=result.disabled_left_out)
            self.text.setText(said)
            self.text.setToolTip(str(result.file))
            self._show(running=False, done=True)
            self.ctx.tell(tr("Card sheet written to {file}.").format(file=str(result.file)), Level.DONE)
        self.finished.emit(result)

    def _failed(self, error: BaseException) -> None:
        self._cancel = None
        if isinstance(error, SheetNotWritten):
            said = tr("The PDF could not be written there ({reason}). Choose another folder.").format(
                reason=error.reason)
        else:
            said = sentence(error, locale=self.ctx.locale)
        self.text.setText(said)
        self._show(running=False, done=False)
        self.ctx.tell(said, Level.REFUSED)
        self.finished.emit(error)

    def _stopped(self) -> None:
        self._cancel = None

    def _show(self, *, running: bool, done: bool) -> None:
        self.progress.setVisible(running)
        self.cancel_button.setVisible(running)
        self.cancel_button.setEnabled(running)
        self.open_button.setVisible(done)
