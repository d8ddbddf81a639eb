"""The status bar, which tells the truth at all times: server, unsynced entries, last sync, printer, scanner.

Each part changes only when something reports it: the sync worker's state (``events.sync_state``), the outcome
of the last receipt (``events.printer_state``), the scan inputs (``events.scanner_state``). Until a part has
heard anything it says so ("checking…") rather than guessing. Times are shown relative ("2 min ago") and
refreshed every 30 s, so "last sync" never goes stale on screen. Messages for the person at the till
(``events.message``) show on the left for a few seconds; refusals stay longer.
"""

from __future__ import annotations

from datetime import UTC, datetime

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QLabel, QStatusBar

from pos_app.ui.context import Level, UiContext
from pos_app.ui.messages import tr
from pos_app.ui.theme import restyle

MESSAGE_MS = {Level.DONE: 6_000, Level.INFO: 6_000, Level.REFUSED: 12_000}


def ago(then: datetime | None, now: datetime | None = None) -> str:
    if then is None:
        return tr("never")
    seconds = max(0, int(((now or datetime.now(UTC)) - then).total_seconds()))
    if seconds < 60:
        return tr("just now")
    if seconds < 3600:
        return tr("{n} min ago").format(n=seconds // 60)
    if seconds < 86400:
        return tr("{n} h ago").format(n=seconds // 3600)
    return tr("{n} days ago").format(n=seconds // 86400)


class TillStatusBar(QStatusBar):
    def __init__(self, ctx: UiContext) -> None:
        super().__init__()
        self.setObjectName("TillStatusBar")
        self.setSizeGripEnabled(False)
        self._ctx = ctx
        self._sync: object | None = None
        self.server = self._part("ServerState", tr("Server: checking…"))
        self.unsynced = self._part("Unsynced", "")
        self.last_sync = self._part("LastSync", "")
        self.printer = self._part("PrinterState", tr("Printer: checking…"))
        self.scanner = self._part("ScannerState", tr("Scanner: starting…"))
        self.unsynced.setVisible(False)  # until the sync worker has said something (a standalone till: never)
        self.last_sync.setVisible(False)
        self._refresh = QTimer(self)
        self._refresh.timeout.connect(self._show_sync)
        self._refresh.start(30_000)
        ctx.events.sync_state.connect(self._on_sync)
        ctx.events.printer_state.connect(self._on_printer)
        ctx.events.scanner_state.connect(self._on_scanner)
        ctx.events.message.connect(self._on_message)
        ctx.ops.read(ctx.session.till.printer_settings, owner=self, label="printer settings") \
            .success(self._printer_set_up).failure(lambda _exc: None).run()

    def _printer_set_up(self, settings: object) -> None:
        """Before the first receipt, say only what is known: whether a printer is set up (not whether it is on)."""
        if self.printer.property("state") != "unknown":
            return  # a receipt or a test page has reported already
        if getattr(settings, "destination", None):
            self._on_printer("ready", tr("Printer: set up, nothing printed yet"))
        else:
            self._on_printer("no_printer", tr("Printer: none set up"))

    def _part(self, name: str, text: str) -> QLabel:
        label = QLabel(text)
        label.setObjectName(name)
        label.setProperty("state", "unknown")
        self.addPermanentWidget(label)
        return label

    @staticmethod
    def _state(label: QLabel, state: str) -> None:
        """The style sheet colours a part by its ``state`` property (ok, warn, bad, unknown)."""
        restyle(label, state=state)

    def _on_sync(self, state: object) -> None:
        self._sync = state
        self._show_sync()

    def _show_sync(self) -> None:
        state = self._sync
        if state is None:
            return
        mode = getattr(state, "mode", "standalone")
        texts = {"standalone": (tr("Standalone till"), "ok"), "online": (tr("Server: online"), "ok"),
                 "offline": (tr("Server: OFFLINE — selling within limits"), "warn"),
                 "revoked": (tr("Server: this till was removed"), "bad"),
                 "stuck": (tr("Server: online, but this till CANNOT SYNC — call support"), "bad")}
        text, colour = texts.get(mode, (mode, "unknown"))
        error = getattr(state, "last_error", None)
        if mode == "online" and error:
            text, colour = tr("Server: online, last sync refused"), "warn"
        self.server.setText(text)
        self.server.setToolTip(error or "")
        self._state(self.server, colour)
        unsynced, aside = getattr(state, "unsynced", 0), getattr(state, "set_aside", 0)
        if mode == "standalone":
            self.unsynced.setVisible(False)
            self.last_sync.setVisible(False)
            return
        self.unsynced.setVisible(True)
        self.last_sync.setVisible(True)
        self.unsynced.setText(tr("Unsynced: {n}").format(n=unsynced) + (
            tr(" ({n} need review)").format(n=aside) if aside else ""))
        self._state(self.unsynced, "ok" if unsynced == 0 else ("bad" if aside else "warn"))
        self.last_sync.setText(tr("Last sync: {when}").format(when=ago(getattr(state, "last_sync", None))))

    def _on_printer(self, state: str, text: str) -> None:
        self.printer.setText(text)
        self._state(self.printer, {"ready": "ok", "printed": "ok", "no_printer": "unknown"}.get(state, "bad"))

    def _on_scanner(self, state: str, text: str) -> None:
        self.scanner.setText(text)
        self._state(self.scanner, {"ready": "ok", "camera": "ok", "no_camera": "unknown"}.get(state, "bad"))

    def _on_message(self, text: str, level: str) -> None:
        self.showMessage(text, MESSAGE_MS.get(Level(level), 6_000))

    def shutdown(self) -> None:
        self._refresh.stop()
