"""The background sync of an enrolled till: push the outbox, then pull until the server has no more; again and
again, backing off while the server does not answer.

The worker never blocks a sale: it holds the store's write lock only to write what the server answered, never
while waiting on the network (see ``outbox`` and ``apply``). Its :class:`SyncState` is a frozen snapshot, safe to
read from any thread; observers are called with each new snapshot, in the worker's thread (a GUI hands it over to
its own thread). ``pos-app sync --once`` runs one cycle with :meth:`SyncWorker.run_once`; ``pos-app status``
reads what the last cycle left in the store's settings.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from datetime import datetime

from pos_app.domain import errors
from pos_app.services.context import utc_now
from pos_app.services.enrolment import LAST_ERROR, LAST_SYNC
from pos_app.services.online import ServerUnavailable
from pos_app.sync.apply import pull_all
from pos_app.sync.client import SyncApi
from pos_app.sync.outbox import PUSH_BATCH, push_pending
from pos_app.sync.schemas import MAX_PULL
from pos_app.sync.state import LAST_MODE, Mode, Observer, SyncState, read_state, standalone_state
from pos_app.sync.units import Units

__all__ = ["Mode", "Observer", "SyncState", "SyncWorker", "read_state", "standalone_state"]

log = logging.getLogger(__name__)

INTERVAL = 15.0  # seconds between cycles while the server answers
BACKOFF_START = 1.0  # … and while it does not: 1 s, doubling up to BACKOFF_MAX
BACKOFF_MAX = 60.0


class SyncWorker:
    def __init__(self, client: SyncApi, units: Units, *, clock: Callable[[], datetime] = utc_now,
                 interval: float = INTERVAL, backoff_start: float = BACKOFF_START,
                 backoff_max: float = BACKOFF_MAX, batch: int = PUSH_BATCH, pull_page: int = MAX_PULL) -> None:
        self._client = client
        self._units = units
        self._clock = clock
        self._interval = interval
        self._backoff_start = backoff_start
        self._backoff_max = backoff_max
        self._next_backoff = backoff_start
        self._batch = batch
        self._pull_page = pull_page
        self._lock = threading.Lock()
        self._cycle = threading.Lock()  # one cycle at a time (run_once from the CLI, the thread)
        self._observers: list[Observer] = []
        self._stop = threading.Event()
        self._wake = threading.Event()
        self._thread: threading.Thread | None = None
        self._state = read_state(units, "offline")  # until the server has answered
        self._published = False

    # ---- the snapshot ----------------------------------------------------------------------------------------

    @property
    def state(self) -> SyncState:
        with self._lock:
            return self._state

    def observe(self, observer: Observer) -> None:
        with self._lock:
            self._observers.append(observer)

    def _publish(self, state: SyncState) -> None:
        with self._lock:
            changed = state != self._state or not self._published  # the first cycle's state is always news
            self._state, self._published = state, True
            observers = list(self._observers)
        if changed:
            for observer in observers:
                try:
                    observer(state)
                except Exception:  # an observer's bug must not stop the sync
                    log.exception("sync observer failed")

    # ---- one cycle -------------------------------------------------------------------------------------------

    def run_once(self) -> SyncState:
        """Push everything, then pull everything; the new state (also when the server did not answer)."""
        with self._cycle:
            mode, error = self._sync()
            if mode == "online" and error is None:
                self._next_backoff = self._backoff_start
            now = self._clock()
            with self._units.write() as uow:
                if error is None:
                    uow.settings.set(LAST_SYNC, now.isoformat())
                uow.settings.set(LAST_ERROR, error)
                if mode != "offline":  # offline says nothing new of whether this till can sync
                    uow.settings.set(LAST_MODE, mode)
                uow.commit()
            state = read_state(self._units, mode)
            self._publish(state)
            return state

    def _sync(self) -> tuple[Mode, str | None]:
        stopping = self._stop.is_set
        try:
            push_pending(self._client, self._units, clock=self._clock, batch=self._batch, stop=stopping)
            pull_all(self._client, self._units, clock=self._clock, stop=stopping, page_size=self._pull_page)
        except ServerUnavailable as exc:
            return "offline", str(exc)
        except errors.DeviceRevoked as exc:
            return "revoked", f"{exc.key}: {exc.details or exc.message}"
        except errors.GiftCardError as exc:  # the server answered, and refused (or the till cannot apply it)
            log.warning("sync cycle stuck: %s", exc)
            return "stuck", f"{exc.key}: {exc.details or exc.message}"
        except Exception as exc:
            log.exception("sync cycle failed")
            return "stuck", f"internal error: {type(exc).__name__}: {exc}"
        return "online", None

    def step(self) -> float:
        """One cycle; the seconds to wait before the next (the interval, or the backoff after a failure)."""
        state = self.run_once()
        if state.mode == "online" and state.last_error is None:
            return self._interval
        delay, self._next_backoff = self._next_backoff, min(self._next_backoff * 2, self._backoff_max)
        return delay

    # ---- the thread ------------------------------------------------------------------------------------------

    def start(self) -> None:
        if self._thread is not None:
            raise RuntimeError("the sync worker is running already")
        self._stop.clear()
        self._thread = threading.Thread(target=self._loop, name="pos-sync", daemon=True)
        self._thread.start()

    def wake(self) -> None:
        """Sync now (e.g. after an offline sale, or when the network is back)."""
        self._wake.set()

    def stop(self, timeout: float = 15.0) -> bool:
        """Ask the thread to stop after the request in flight (timeouts are short); True when it has."""
        self._stop.set()
        self._wake.set()
        thread, self._thread = self._thread, None
        if thread is None:
            return True
        thread.join(timeout)
        return not thread.is_alive()

    def close(self) -> None:
        """Stop the thread, and let go of the connection to the server."""
        self.stop()
        self._client.close()

    def __enter__(self) -> SyncWorker:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _loop(self) -> None:
        while not self._stop.is_set():
            try:
                delay = self.step()
            except Exception:  # e.g. the store itself failed: keep the thread alive, try again later
                log.exception("sync step failed")
                delay = self._backoff_max
            self._wake.wait(delay)
            self._wake.clear()
