"""The camera worker (DESIGN.md §8, §10): capture and decoding off the GUI thread, results by callback.

Two threads per run, because a camera delivers frames at its own pace whatever the decoder does:

* the **capture** thread opens the source (opening a camera can take a second: never on the GUI thread) and
  reads frames into a one-frame slot. A frame still in the slot when the next arrives is dropped and counted:
  when decoding lags, the preview and the scan follow the card where it is *now*, never a queue of old frames;
* the **decode** thread takes the latest frame, runs the chain (``still=False``: fallbacks at a lower rate),
  feeds the texts to the :class:`~pos_app.scanning.confirm.Confirmer`, and parses each confirmed text with
  :func:`~pos_app.scanning.payload.parse_payload`: a code is reported by ``on_scan``, anything else by
  ``on_refused`` with the reason (once per presentation, like a scan). Two texts of one card (a URL in the QR
  code, the bare code in the barcode) held in view together are one scan.

Callbacks run on these worker threads (the GUI hops to its own thread, e.g. by emitting a Qt signal). An
exception in a callback, a decoder or a source is logged and counted; it never ends the worker. ``stop()``
returns within about a second and joins both threads; ``start()``/``stop()`` may be called any number of times.
"""

from __future__ import annotations

import functools
import logging
import statistics
import threading
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any, Protocol

import numpy as np

from pos_app.domain.errors import GiftCardError
from pos_app.scanning.confirm import Confirmer
from pos_app.scanning.frames import to_gray
from pos_app.scanning.payload import ParsedCode, parse_payload
from pos_app.scanning.results import Read
from pos_app.scanning.sources import FrameSource, SourceError, open_source

log = logging.getLogger("pos_app.scanning")

STOP_TIMEOUT = 0.9  # seconds stop() waits for the threads: it returns within a second
NO_PICTURE_AFTER = 1.0  # seconds without a frame before a live source is reported as failing
DEFAULT_PREVIEW_FPS = 15.0


class FrameDecoder(Protocol):
    """What the worker needs of a :class:`~pos_app.scanning.chain.DecoderChain` (a test may wrap one)."""

    def decode(self, gray: np.ndarray, *, still: bool = False) -> list[Read]: ...


class WorkerState(StrEnum):
    RUNNING = "running"
    STOPPED = "stopped"
    ERROR = "error"


@dataclass(frozen=True, slots=True)
class ScannerStatus:
    """For the status bar: the state and a sentence (``"scanning camera 0 (640x480)"``, the camera's error)."""

    state: WorkerState
    message: str


@dataclass(frozen=True, slots=True)
class ScanStats:
    """One run's counters, for the status bar and benchmarks. ``captured = decoded + dropped``, plus frames a
    decoder failed on and the one in flight when stopped; ``decode_ms_*`` over the last 500 decoded frames."""

    captured: int = 0
    decoded: int = 0
    dropped: int = 0
    scans: int = 0
    refused: int = 0
    errors: int = 0  # exceptions in decoders, sources and callbacks (logged)
    decode_ms_last: float = 0.0
    decode_ms_median: float = 0.0
    decode_ms_p95: float = 0.0


@dataclass(eq=False)
class _Run:
    """The state of one start()…stop(), shared by its two threads only (a late thread never sees the next run)."""

    stop: threading.Event = field(default_factory=threading.Event)
    cond: threading.Condition = field(default_factory=threading.Condition)
    slot: np.ndarray | None = None
    capture_done: bool = False
    source: FrameSource | None = None
    outcome: ScannerStatus | None = None  # how the run ended by itself (source ended, failed to open)
    finished: bool = False  # the final state has been reported
    counts: dict[str, int] = field(default_factory=lambda: dict.fromkeys(
        ("captured", "decoded", "dropped", "scans", "refused", "errors"), 0))
    decode_ms: deque[float] = field(default_factory=lambda: deque(maxlen=500))
    codes: dict[str, str] = field(default_factory=dict)  # confirmed text → its code, while held
    last_preview: float = float("-inf")


class ScanWorker:
    """Reads codes from a frame source in the background; see the module docstring.

    ``open_source`` makes the source (called on the capture thread, at every start); ``for_source`` builds one
    from a camera index, device path, file or folder. ``prefix``/``suffix`` are the scanner affixes
    :func:`parse_payload` strips. Callbacks may be set after construction; None means not interested.
    """

    def __init__(self, open_source: Callable[[], FrameSource], *, chain: FrameDecoder | None = None,
                 confirmer: Confirmer | None = None, prefix: str = "", suffix: str = "",
                 on_scan: Callable[[ParsedCode, Read], Any] | None = None,
                 on_refused: Callable[[str, str], Any] | None = None,
                 on_frame: Callable[[np.ndarray, list[Read]], Any] | None = None,
                 on_state: Callable[[ScannerStatus], Any] | None = None,
                 preview_fps: float = DEFAULT_PREVIEW_FPS) -> None:
        self._open_source = open_source
        self.chain = chain  # None: the default chain, built on the decode thread (it imports the libraries)
        self.confirmer = confirmer or Confirmer()
        self.prefix, self.suffix = prefix, suffix
        self.on_scan, self.on_refused, self.on_frame, self.on_state = on_scan, on_refused, on_frame, on_state
        self.preview_interval = 1.0 / preview_fps if preview_fps > 0 else float("inf")
        self._control = threading.Lock()
        self._run = _Run(finished=True)
        self._threads: tuple[threading.Thread, ...] = ()
        self._status = ScannerStatus(WorkerState.STOPPED, "scanner off")

    @classmethod
    def for_source(cls, spec: str, *, width: int = 640, height: int = 480, **kwargs: Any) -> ScanWorker:
        """A worker on ``spec`` ("0", "/dev/video0", an image, a folder, a video) at ``width``×``height``."""
        return cls(functools.partial(open_source, spec, width=width, height=height), **kwargs)

    # --- control (any thread) -------------------------------------------------------------------------------

    def start(self) -> None:
        """Start capturing and decoding; nothing happens when already running."""
        with self._control:
            if any(t.is_alive() for t in self._threads):
                return
            run = self._run = _Run()
            self.confirmer.reset()
            reset = getattr(self.chain, "reset", None)  # a DecoderChain forgets the last stream's frame count
            if callable(reset):
                reset()
            self._threads = (
                threading.Thread(target=self._capture_loop, args=(run,), name="scan-capture", daemon=True),
                threading.Thread(target=self._decode_loop, args=(run,), name="scan-decode", daemon=True),
            )
            for thread in self._threads:
                thread.start()

    def stop(self, timeout: float = STOP_TIMEOUT) -> bool:
        """Stop and join both threads (from a callback too: its own thread is not joined). True when they
        ended in time; a thread stuck in a driver is left behind as a daemon and logged."""
        with self._control:
            run, threads, self._threads = self._run, self._threads, ()
        self._halt(run)
        deadline = time.monotonic() + timeout
        for thread in threads:
            if thread is not threading.current_thread():
                thread.join(max(0.0, deadline - time.monotonic()))
        stuck = [t.name for t in threads if t.is_alive() and t is not threading.current_thread()]
        if stuck:
            log.warning("scanning: %s did not stop within %.1f s", ", ".join(stuck), timeout)
        self._finish(run, ScannerStatus(WorkerState.STOPPED, "scanner off"))
        return not stuck

    def switch_source(self, open_source: Callable[[], FrameSource]) -> None:
        """Another device or resolution: stop, swap, and start again if it was running."""
        was_running = self.running
        self.stop()
        self._open_source = open_source
        if was_running:
            self.start()

    def wait(self, timeout: float | None = None) -> bool:
        """Wait until the run ends by itself (a file source played out, a source that failed); True if so."""
        deadline = None if timeout is None else time.monotonic() + timeout
        for thread in self._threads:
            thread.join(None if deadline is None else max(0.0, deadline - time.monotonic()))
        return not self.running

    @property
    def running(self) -> bool:
        return any(t.is_alive() for t in self._threads)

    @property
    def status(self) -> ScannerStatus:
        return self._status

    @property
    def stats(self) -> ScanStats:
        run = self._run
        with run.cond:
            last = run.decode_ms[-1] if run.decode_ms else 0.0
            times = sorted(run.decode_ms)
            counts = dict(run.counts)
        p95 = times[min(len(times) - 1, int(0.95 * len(times)))] if times else 0.0
        return ScanStats(**counts, decode_ms_last=last, decode_ms_median=statistics.median(times) if times else 0.0,
                         decode_ms_p95=p95)

    # --- the threads ------------------------------------------------------------------------------------------

    def _halt(self, run: _Run) -> None:
        run.stop.set()
        if run.source is not None:
            run.source.interrupt()
        with run.cond:
            run.cond.notify_all()

    def _capture_loop(self, run: _Run) -> None:
        try:
            source = self._open_source()
        except Exception as exc:  # SourceError is the expected one; anything else is a bug, but still a sentence
            if not isinstance(exc, SourceError):
                log.exception("scanning: opening the frame source failed")
            run.outcome = ScannerStatus(WorkerState.ERROR, str(exc) or type(exc).__name__)
            self._capture_done(run)
            return
        run.source = source
        if run.stop.is_set():  # stop() came while the source was opening
            source.interrupt()
        else:
            self._report(ScannerStatus(WorkerState.RUNNING, f"scanning {source.description}"))
        try:
            self._capture_frames(run, source)
        except Exception as exc:  # a bug of ours: say so on the status bar rather than look alive
            log.exception("scanning: the capture loop failed")
            run.outcome = ScannerStatus(WorkerState.ERROR, f"the scanner stopped: {exc}")
        finally:
            try:
                source.close()
            except Exception:
                log.exception("scanning: closing %s failed", source.description)
            self._capture_done(run)

    def _capture_frames(self, run: _Run, source: FrameSource) -> None:
        last_frame, failing = time.monotonic(), False
        while not run.stop.is_set():
            try:
                frame = source.read()
            except Exception:
                log.exception("scanning: reading from %s failed", source.description)
                self._count(run, "errors")
                run.stop.wait(0.2)
                frame = None
            if frame is None:
                if source.ended:
                    run.outcome = ScannerStatus(WorkerState.STOPPED, f"end of {source.description}")
                    return
                if not failing and time.monotonic() - last_frame > NO_PICTURE_AFTER and not run.stop.is_set():
                    failing = True
                    self._report(ScannerStatus(WorkerState.ERROR, f"{source.description} gives no picture; "
                                                                  "retrying"))
                continue
            last_frame = time.monotonic()
            if failing:
                failing = False
                self._report(ScannerStatus(WorkerState.RUNNING, f"scanning {source.description}"))
            with run.cond:
                if run.slot is not None:
                    run.counts["dropped"] += 1
                run.slot = frame
                run.counts["captured"] += 1
                run.cond.notify_all()

    def _capture_done(self, run: _Run) -> None:
        with run.cond:
            run.capture_done = True
            run.cond.notify_all()

    def _decode_loop(self, run: _Run) -> None:
        if self.chain is None:
            from pos_app.scanning.chain import default_chain

            self.chain = default_chain()
        while True:
            with run.cond:
                while run.slot is None and not run.capture_done and not run.stop.is_set():
                    run.cond.wait(0.25)
                frame, run.slot = run.slot, None
            if run.stop.is_set() or frame is None:
                break
            try:
                self._decode(run, frame)
            except Exception:  # a bug of ours must not end scanning either
                log.exception("scanning: processing a frame failed")
                self._count(run, "errors")
        if not run.stop.is_set() and run.outcome is not None:
            self._finish(run, run.outcome)

    def _decode(self, run: _Run, frame: np.ndarray) -> None:
        assert self.chain is not None, "built when the decode thread starts"
        gray = to_gray(frame)
        started = time.perf_counter()
        try:
            reads = self.chain.decode(gray, still=False)
        except Exception:
            log.exception("scanning: the decoder failed on a frame")
            self._count(run, "errors")
            return  # a frame the decoder failed on says nothing: not fed to the confirmer
        elapsed = (time.perf_counter() - started) * 1000
        with run.cond:
            run.counts["decoded"] += 1
            run.decode_ms.append(elapsed)
        now = time.monotonic()
        if self.on_frame is not None and now - run.last_preview >= self.preview_interval:
            run.last_preview = now
            self._call(run, "on_frame", frame, reads)
        confirmed = self.confirmer.feed(r.text for r in reads)
        held = self.confirmer.held
        run.codes = {text: code for text, code in run.codes.items() if text in held}
        for text in confirmed:
            self._deliver(run, next(r for r in reads if r.text == text))

    def _deliver(self, run: _Run, read: Read) -> None:
        try:
            parsed = parse_payload(read.text, prefix=self.prefix, suffix=self.suffix)
        except GiftCardError as exc:
            self._count(run, "refused")
            self._call(run, "on_refused", read.text, exc.details or exc.message)
            return
        if parsed.code in run.codes.values():  # the other symbol of a card already scanned and still in view
            run.codes[read.text] = parsed.code
            return
        run.codes[read.text] = parsed.code
        self._count(run, "scans")
        self._call(run, "on_scan", parsed, read)

    # --- callbacks --------------------------------------------------------------------------------------------

    def _call(self, run: _Run, name: str, *args: Any) -> None:
        callback = getattr(self, name)
        if callback is None:
            return
        try:
            callback(*args)
        except Exception:
            log.exception("scanning: the %s callback failed", name)
            self._count(run, "errors")

    def _count(self, run: _Run, name: str) -> None:
        with run.cond:
            run.counts[name] += 1

    def _report(self, status: ScannerStatus) -> None:
        self._status = status
        if self.on_state is not None:
            try:
                self.on_state(status)
            except Exception:
                log.exception("scanning: the on_state callback failed")

    def _finish(self, run: _Run, status: ScannerStatus) -> None:
        """Report how a run ended, once: an error stays on the status bar when stop() follows it."""
        with run.cond:
            if run.finished:
                return
            run.finished = True
        self._report(status)
