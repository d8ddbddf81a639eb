"""The camera in the window: a :class:`~pos_app.scanning.camera.ScanWorker` whose callbacks hop to the GUI thread.

The worker captures and decodes on its own two threads; nothing here runs on the GUI thread but the hops, which go
through ``ctx.ops.call_soon``: a confirmed code becomes ``events.scanned``, text that is not a card a refusal
sentence, the worker's state a scanner-state sentence for the status bar, and every few frames a
:class:`~pos_app.ui.scan.preview.Preview` (made on the decode thread) ``events.camera_frame``. Previews are dropped,
never queued, while the GUI thread has not painted the last one yet.

A camera that cannot be opened is a sentence ("Camera: not found — use the scanner"), never an exception: the USB
scanner and typing still work. Everything a stopped run still had on its way is dropped (a generation count), so a
stopped camera never paints or scans afterwards.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from typing import Any

import numpy as np

from pos_app.domain.errors import InvalidCode
from pos_app.scanning.camera import ScannerStatus, ScanWorker, WorkerState
from pos_app.scanning.confirm import Confirmer
from pos_app.scanning.payload import ParsedCode
from pos_app.scanning.results import Read
from pos_app.scanning.sources import FrameSource, open_source
from pos_app.ui.context import Level, UiContext
from pos_app.ui.messages import sentence, tr
from pos_app.ui.scan.preview import make_preview

log = logging.getLogger(__name__)

Report = Callable[[str, str], None]  # (state, sentence), as events.scanner_state


class CameraBridge:
    """One camera (or a stand-in for one) for the window. ``start``/``stop`` any number of times; ``stop`` returns
    within about a second."""

    def __init__(self, ctx: UiContext, opener: Callable[[], FrameSource], *, report: Report | None = None,
                 ready_text: str | None = None, confirmer: Confirmer | None = None, chain: Any = None,
                 preview_fps: float = 15.0) -> None:
        self._ctx = ctx
        self._report = report or ctx.events.scanner_state.emit
        self._ready_text = ready_text or tr("Camera: ready")
        settings = ctx.settings
        self.worker = ScanWorker(opener, chain=chain, confirmer=confirmer, prefix=settings.scanner_prefix,
                                 suffix=settings.scanner_suffix, on_scan=self._on_scan,
                                 on_refused=self._on_refused, on_frame=self._on_frame, on_state=self._on_state,
                                 preview_fps=preview_fps)
        self._generation = 0
        self._lock = threading.Lock()
        self._frame_pending = False
        self._seen_picture = False

    @classmethod
    def for_spec(cls, ctx: UiContext, spec: str, **kwargs: Any) -> CameraBridge:
        """A camera index or device ("0", "/dev/video0"), or an image, folder or video standing in for one."""
        return cls(ctx, lambda: open_source(spec), **kwargs)

    @property
    def running(self) -> bool:
        return self.worker.running

    def start(self) -> None:
        with self._lock:
            self._generation += 1
            self._seen_picture = False
            self._frame_pending = False
        self.worker.start()

    def stop(self) -> bool:
        """Stop the worker (joins its threads, < 1 s); what it still had on its way is dropped."""
        with self._lock:
            self._generation += 1
        stopped = self.worker.stop()
        with self._lock:
            self._generation += 1  # the worker's own "scanner off" is not news: the caller stopped it
        return stopped

    # ---- worker threads -> GUI thread ----------------------------------------------------------------------------

    def _soon(self, fn: Callable[[], None]) -> None:
        """Run ``fn`` on the GUI thread, unless the run it belongs to has been stopped by then."""
        with self._lock:
            generation = self._generation

        def call() -> None:
            if generation == self._generation:
                fn()

        self._ctx.ops.call_soon(call)

    def _on_scan(self, parsed: ParsedCode, _read: Read) -> None:
        code = parsed.code
        self._soon(lambda: self._ctx.events.scanned.emit(code))

    def _on_refused(self, _text: str, reason: str) -> None:
        log.info("camera: refused a read: %s", reason)
        self._soon(lambda: self._ctx.tell(sentence(InvalidCode(reason)), Level.REFUSED))

    def _on_frame(self, frame: np.ndarray, reads: list[Read]) -> None:
        with self._lock:
            if self._frame_pending:
                return  # the GUI thread has not taken the last one yet: drop, never queue
            self._frame_pending = True
            generation = self._generation
        preview = make_preview(frame, reads)

        def show() -> None:
            with self._lock:
                self._frame_pending = False
            if generation == self._generation:
                self._ctx.events.camera_frame.emit(preview)

        self._ctx.ops.call_soon(show)

    def _on_state(self, status: ScannerStatus) -> None:
        log.info("camera: %s (%s)", status.state, status.message)
        with self._lock:
            first = not self._seen_picture
            if status.state is WorkerState.RUNNING:
                self._seen_picture = True
        if status.state is WorkerState.RUNNING:
            state, text = "camera", self._ready_text
        elif status.state is WorkerState.ERROR and first:
            state, text = "no_camera", tr("Camera: not found — use the scanner")
        elif status.state is WorkerState.ERROR:
            state, text = "failed", tr("Camera: no picture — check the camera; the scanner still works")
        else:
            state, text = "no_camera", tr("Camera: stopped — use the scanner")
        self._soon(lambda: self._report(state, text))
