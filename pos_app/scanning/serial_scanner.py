"""Scanners on a serial port (pyserial): one reader thread, one line per scan, reconnection when unplugged.

A serial (or USB-CDC) scanner sends each code as a line. The reader thread reads what arrives, splits it into
lines (CR, LF or CRLF by default, or a configured terminator), decodes each (invalid bytes become U+FFFD, which
the payload parser refuses as unreadable: a line never crashes the thread) and hands it to ``on_line``. When the
port vanishes (a USB scanner unplugged) the thread reports it and tries again with a growing delay, so plugging
the scanner back in is all the cashier has to do. ``on_line`` and ``on_status`` run on the reader thread: the GUI
forwards them through a signal.
"""

from __future__ import annotations

import codecs
import logging
import re
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

import serial

log = logging.getLogger(__name__)
_ANY_EOL = re.compile(rb"\r\n|\r|\n")


class PortState(StrEnum):
    STOPPED = "stopped"
    CONNECTING = "connecting"
    CONNECTED = "connected"
    DISCONNECTED = "disconnected"


@dataclass(frozen=True, slots=True)
class SerialStatus:
    """What the status bar shows: the port, its state, and the last error (kept after reconnecting)."""

    port: str
    state: PortState
    last_error: str | None = None


@dataclass(frozen=True, slots=True)
class SerialConfig:
    """``terminator`` None means CR, LF or CRLF. ``idle_flush``: seconds of silence after which a line without
    terminator is delivered anyway (for scanners set to send none); None waits for the terminator."""

    baudrate: int = 9600
    terminator: bytes | None = None
    encoding: str = "utf-8"
    read_timeout: float = 0.05
    idle_flush: float | None = None
    max_line: int = 4096
    backoff_start: float = 0.2
    backoff_max: float = 5.0


class LineSplitter:
    """Bytes in, complete lines out; a terminator split across two reads still ends one line."""

    def __init__(self, terminator: bytes | None, max_line: int) -> None:
        self._terminator = terminator
        self._max_line = max_line
        self._buffer = b""

    def feed(self, data: bytes) -> list[bytes]:
        self._buffer += data
        if self._terminator is None:
            # Keep a trailing CR: its LF may be in the next read (then the empty line between is dropped).
            *lines, self._buffer = _ANY_EOL.split(self._buffer)
        else:
            *lines, self._buffer = self._buffer.split(self._terminator)
        if len(self._buffer) > self._max_line:  # no terminator for far too long: not a scanner's line
            lines.append(self._buffer)
            self._buffer = b""
        return [line for line in lines if line]

    def flush(self) -> bytes:
        line, self._buffer = self._buffer, b""
        return line


def _open_port(port: str, config: SerialConfig) -> Any:
    return serial.serial_for_url(port, baudrate=config.baudrate, timeout=config.read_timeout)


class SerialScanner:
    """Reads scans from ``port`` (a device path or a pyserial URL) on a background thread.

    ``opener`` opens the port (pyserial's ``serial_for_url`` by default); tests pass one that returns a
    ``loop://`` port they write into.
    """

    def __init__(
        self,
        port: str,
        on_line: Callable[[str], None],
        *,
        config: SerialConfig | None = None,
        on_status: Callable[[SerialStatus], None] | None = None,
        opener: Callable[[], Any] | None = None,
    ) -> None:
        self.port = port
        self.config = config or SerialConfig()
        codecs.lookup(self.config.encoding)  # a misspelt encoding fails here, not on the first scan
        self._on_line = on_line
        self._on_status = on_status
        self._opener = opener or (lambda: _open_port(port, self.config))
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._lock = threading.Lock()
        self._status = SerialStatus(port, PortState.STOPPED)

    @property
    def status(self) -> SerialStatus:
        with self._lock:
            return self._status

    def _report(self, state: PortState, error: str | None = None) -> None:
        with self._lock:
            self._status = SerialStatus(self.port, state, error or self._status.last_error)
            status = self._status
        if self._on_status is not None:
            try:
                self._on_status(status)
            except Exception:  # the GUI's callback must not kill the reader
                log.exception("serial scanner status callback failed")

    def start(self) -> None:
        if self._thread is not None and self._thread.is_alive():
            return
        self._stop.clear()
        self._thread = threading.Thread(target=self._run, name=f"serial-scanner {self.port}", daemon=True)
        self._thread.start()

    def stop(self, timeout: float = 2.0) -> None:
        """Stop reading and close the port; returns within about one read timeout."""
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout)
            self._thread = None

    def _run(self) -> None:
        delay = self.config.backoff_start
        while not self._stop.is_set():
            self._report(PortState.CONNECTING)
            try:
                port = self._opener()
            except (serial.SerialException, OSError, ValueError) as exc:
                self._report(PortState.DISCONNECTED, f"cannot open {self.port}: {exc}")
                self._stop.wait(delay)
                delay = min(delay * 2, self.config.backoff_max)
                continue
            delay = self.config.backoff_start
            self._report(PortState.CONNECTED)
            try:
                self._read_lines(port)
            except (serial.SerialException, OSError) as exc:
                self._report(PortState.DISCONNECTED, f"{self.port} vanished: {exc}")
                self._stop.wait(delay)
            finally:
                _close(port)
        self._report(PortState.STOPPED)

    def _read_lines(self, port: Any) -> None:
        splitter = LineSplitter(self.config.terminator, self.config.max_line)
        last_data = time.monotonic()
        while not self._stop.is_set():
            data = port.read(max(1, port.in_waiting))
            now = time.monotonic()
            if data:
                last_data = now
                lines = splitter.feed(data)
            elif self.config.idle_flush is not None and now - last_data >= self.config.idle_flush:
                lines = [line for line in [splitter.flush()] if line]
            else:
                lines = []
            for line in lines:
                self._deliver(line)

    def _deliver(self, line: bytes) -> None:
        text = line.decode(self.config.encoding, errors="replace")
        try:
            self._on_line(text)
        except Exception:  # one bad scan handler must not stop the scanner
            log.exception("serial scanner line callback failed")


def _close(port: Any) -> None:
    try:
        port.close()
    except (serial.SerialException, OSError):
        log.debug("closing a vanished port failed", exc_info=True)
