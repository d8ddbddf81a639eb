"""Work off the GUI thread, Anki-style: ``ops.write(fn).success(show).failure(refuse).run()``.

Nothing that touches the store, the server, the camera or the printer runs on the GUI thread (DESIGN.md §10).
An op's function runs on a worker thread and never touches a widget; its ``success`` or ``failure`` callback
runs back on the GUI thread, through a queued signal, and only while the widget it was started for (``owner``)
still exists.

* **Writes** (anything that may write the store: sales, login, settings) run on **one** writer thread, in the
  order they were started, so two of them never race for the store's write lock and a cashier's double press
  of Redeem cannot pass a first press.
* **Long writes** that commit in batches (a campaign of 100,000 cards) run on a lane of their own, so that a
  sale started meanwhile is not queued behind the whole job: it takes the store's write lock between two
  batches (every write transaction begins with ``BEGIN IMMEDIATE`` and waits for the lock).
* **Reads** (a card lookup, a report, a search) run on a small pool beside it: a long report never holds up a
  sale.

A failure that is a :class:`~pos_app.domain.errors.GiftCardError` is a refusal, for the cashier; anything else
is a fault, logged with its traceback by :data:`log` and shown as one plain sentence, never a traceback.
:meth:`Ops.progress` makes a thread-safe reporter for long work (a campaign's generation) that updates a
progress bar at most 20 times a second.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Any, Generic, TypeVar

import shiboken6
from PySide6.QtCore import QObject, Signal, Slot

T = TypeVar("T")
log = logging.getLogger("pos_app.ui.ops")

Success = Callable[[T], None]
Failure = Callable[[BaseException], None]


class _Relay(QObject):
    """Lives on the GUI thread; a worker emits ``deliver`` and the callback runs here (queued connection)."""

    deliver = Signal(object)

    def __init__(self) -> None:
        super().__init__()
        self.deliver.connect(self._run)

    @Slot(object)
    def _run(self, call: Callable[[], None]) -> None:
        call()


class Op(Generic[T]):
    """One piece of background work; configure it, then :meth:`run` it (once)."""

    def __init__(self, ops: Ops, fn: Callable[[], T], *, writes: bool, owner: QObject | None, label: str,
                 lane: str = "") -> None:
        self._ops, self._fn, self._writes, self._owner, self.label = ops, fn, writes, owner, label
        self._lane = lane or ("write" if writes else "read")
        self._success: Success[T] | None = None
        self._failure: Failure | None = None
        self._finally: Callable[[], None] | None = None

    def success(self, callback: Success[T]) -> Op[T]:
        self._success = callback
        return self

    def failure(self, callback: Failure) -> Op[T]:
        self._failure = callback
        return self

    def finally_(self, callback: Callable[[], None]) -> Op[T]:
        """Runs on the GUI thread after success or failure (e.g. to enable a button again)."""
        self._finally = callback
        return self

    def run(self) -> Future[T]:
        return self._ops._submit(self)

    # called on the GUI thread
    def _settle(self, result: T | None, error: BaseException | None) -> None:
        if self._owner is not None and not shiboken6.isValid(self._owner):
            return  # the screen it was for is gone
        try:
            if error is None:
                if self._success is not None:
                    self._success(result)  # type: ignore[arg-type]
            elif self._failure is not None:
                self._failure(error)
            else:
                self._ops.unhandled.emit(error)
        finally:
            if self._finally is not None:
                self._finally()


class Ops(QObject):
    """The till window's worker threads. Create one on the GUI thread; :meth:`shutdown` when the window closes."""

    busy_changed = Signal(int)  # how many ops are under way (the window shows a busy cursor while > 0)
    unhandled = Signal(object)  # a failure no op handled: the window shows it
    fault = Signal(str, object)  # an op that crashed (not a refusal): its label and exception, logged already

    def __init__(self, *, readers: int = 2) -> None:
        super().__init__()
        self._relay = _Relay()
        self._writer = ThreadPoolExecutor(1, thread_name_prefix="till-writer")
        self._long_writer = ThreadPoolExecutor(1, thread_name_prefix="till-long-writer")
        self._readers = ThreadPoolExecutor(readers, thread_name_prefix="till-reader")
        self._busy = 0
        self._busy_lock = threading.Lock()
        self._closed = False

    def write(self, fn: Callable[[], T], *, owner: QObject | None = None, label: str = "") -> Op[T]:
        """Work that may write the store: runs on the one writer thread, in order."""
        return Op(self, fn, writes=True, owner=owner, label=label or getattr(fn, "__name__", "write"))

    def long_write(self, fn: Callable[[], T], *, owner: QObject | None = None, label: str = "") -> Op[T]:
        """Long work that commits in batches and never uses ``till.uow``: its own lane, beside the sales."""
        return Op(self, fn, writes=True, owner=owner, label=label or getattr(fn, "__name__", "long write"),
                  lane="long")

    def read(self, fn: Callable[[], T], *, owner: QObject | None = None, label: str = "") -> Op[T]:
        """Work that only reads: runs on the reader pool, beside the writes."""
        return Op(self, fn, writes=False, owner=owner, label=label or getattr(fn, "__name__", "read"))

    def call_soon(self, fn: Callable[[], None]) -> None:
        """Run ``fn`` on the GUI thread (from any thread)."""
        self._relay.deliver.emit(fn)

    def progress(self, callback: Callable[[int, int], None], *, per_second: float = 20.0
                 ) -> Callable[[int, int], None]:
        """A ``(done, total)`` reporter for a worker that calls ``callback`` on the GUI thread, throttled (the
        last report, ``done == total``, always gets through)."""
        gap = 1.0 / per_second
        last = [0.0]

        def report(done: int, total: int) -> None:
            now = time.monotonic()
            if done < total and now - last[0] < gap:
                return
            last[0] = now
            self.call_soon(lambda: callback(done, total))

        return report

    @property
    def busy(self) -> int:
        return self._busy

    def shutdown(self, *, wait: bool = True) -> None:
        """No new ops; with ``wait``, the ones under way finish first (a sale is never cut off)."""
        self._closed = True
        self._writer.shutdown(wait=wait, cancel_futures=False)
        self._long_writer.shutdown(wait=wait, cancel_futures=False)
        self._readers.shutdown(wait=wait, cancel_futures=True)

    # ---- internals -------------------------------------------------------------------------------------------

    def _submit(self, op: Op[T]) -> Future[T]:
        if self._closed:
            raise RuntimeError("the till window is closing; no new work is taken")
        self._count(+1)
        pool = {"write": self._writer, "long": self._long_writer}.get(op._lane, self._readers)
        return pool.submit(self._work, op)

    def _work(self, op: Op[T]) -> T:
        result: T | None = None
        error: BaseException | None = None
        try:
            result = op._fn()
        except BaseException as exc:
            error = exc
            if not _is_refusal(exc):
                log.error("background work %r failed", op.label, exc_info=exc)
                self.fault.emit(op.label, exc)
        finally:
            def settle() -> None:
                self._count(-1)
                op._settle(result, error)

            self.call_soon(settle)
        if error is not None:
            raise error
        return result  # type: ignore[return-value]

    def _count(self, step: int) -> None:
        with self._busy_lock:
            self._busy += step
            busy = self._busy
        if threading.current_thread() is threading.main_thread():
            self.busy_changed.emit(busy)
        else:
            self.call_soon(lambda: self.busy_changed.emit(busy))


def _is_refusal(exc: BaseException) -> bool:
    from pos_app.domain.errors import GiftCardError

    return isinstance(exc, GiftCardError)


def wait_for(future: Future[Any], timeout: float = 10.0) -> Any:
    """The op's result, waiting on the calling thread (for scripts and tests; never on the GUI thread)."""
    return future.result(timeout)
