"""The sync worker's state, brought to the GUI thread as ``events.sync_state``.

An enrolled till runs :class:`~pos_app.sync.worker.SyncWorker` on its own thread (push, pull, backoff); its
observer hands each new state to the GUI thread through :meth:`Ops.call_soon`. After every sale the worker is
woken, so that an offline sale goes up as soon as the server answers again. A standalone till has no worker:
its state (mode ``standalone``) is read once at start. Nothing here blocks the GUI thread: even stopping the
worker when the window closes waits at most a few seconds for the request in flight.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

from pos_app.ui.context import UiContext

if TYPE_CHECKING:
    from pos_app.sync.state import SyncState
    from pos_app.sync.worker import SyncWorker

log = logging.getLogger(__name__)
#: Changes per pull page for the window's worker: parsing and applying a page holds Python's GIL most of the
#: time, so a page of 1,000 stalled the window's thread for over 100 ms; pages of 100 keep it responsive.
WINDOW_PULL_PAGE = 100


class SyncBridge:
    def __init__(self, ctx: UiContext, **worker_options: Any) -> None:
        self._ctx = ctx
        self._worker: SyncWorker | None = None
        self._options = {"pull_page": WINDOW_PULL_PAGE} | worker_options
        ctx.events.sale_done.connect(lambda _sale: self.wake())

    @property
    def worker(self) -> SyncWorker | None:
        return self._worker

    def start(self) -> None:
        """Read the till's mode (on the writer thread: it uses the till's own unit of work), then start the
        worker if it is enrolled."""
        self._ctx.ops.write(self._begin, label="sync start").success(self._started).run()

    def _begin(self) -> SyncState:
        till = self._ctx.session.till
        if till.enrolment() is None:
            from pos_app.sync.state import standalone_state

            return standalone_state(till.units())
        worker = till.sync_worker(**self._options)
        worker.observe(lambda state: self._ctx.ops.call_soon(lambda: self._ctx.events.sync_state.emit(state)))
        self._worker = worker
        worker.start()
        return worker.state

    def _started(self, state: SyncState) -> None:
        self._ctx.events.sync_state.emit(state)

    def wake(self) -> None:
        if self._worker is not None:
            self._worker.wake()
        else:
            self._ctx.ops.read(self._standalone, label="sync state").success(self._started).run()

    def _standalone(self) -> SyncState:
        from pos_app.sync.state import standalone_state

        return standalone_state(self._ctx.session.till.units())

    def stop(self) -> None:
        worker, self._worker = self._worker, None
        if worker is not None:
            worker.stop(timeout=5.0)
