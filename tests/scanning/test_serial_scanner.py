"""Scanners on a serial port (scanning/serial_scanner.py), on pyserial's real ``loop://`` port and a real pty:
lines read whatever their ending, garbage bytes survive, a vanished port is reported and found again, stop() is
prompt."""

from __future__ import annotations

import os
import queue
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
import serial

from pos_app.scanning.serial_scanner import LineSplitter, PortState, SerialConfig, SerialScanner, SerialStatus

CODE = "GC-7XZP-2345-6789-ABCJ"
FAST = SerialConfig(read_timeout=0.02, backoff_start=0.02, backoff_max=0.1)


def wait_until(condition: Callable[[], bool], timeout: float = 5.0) -> None:
    end = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > end:
            pytest.fail("timed out")
        time.sleep(0.005)


class Recorder:
    """Collects lines and status reports from the reader thread."""

    def __init__(self) -> None:
        self.lines: queue.Queue[str] = queue.Queue()
        self.states: list[SerialStatus] = []

    def line(self, text: str) -> None:
        self.lines.put(text)

    def status(self, status: SerialStatus) -> None:
        self.states.append(status)

    def take(self, n: int) -> list[str]:
        return [self.lines.get(timeout=5) for _ in range(n)]


@pytest.fixture
def recorder() -> Recorder:
    return Recorder()


@pytest.mark.parametrize(("chunks", "lines"), [
    ([b"A\rB\nC\r\nD"], [b"A", b"B", b"C"]),
    ([b"A\r", b"\nB\r", b"\n"], [b"A", b"B"]),  # CRLF split across reads is one line end
    ([b"\r\n\r\n", b"A\n\n"], [b"A"]),  # blank lines are no scans
])
def test_lines_end_at_cr_lf_or_crlf(chunks: list[bytes], lines: list[bytes]) -> None:
    splitter = LineSplitter(None, 4096)
    assert [line for chunk in chunks for line in splitter.feed(chunk)] == lines


def test_a_configured_terminator_and_an_endless_line() -> None:
    assert LineSplitter(b"\x03", 4096).feed(b"A\rB\x03C") == [b"A\rB"]
    assert LineSplitter(None, 8).feed(b"0123456789") == [b"0123456789"]


@pytest.fixture
def loop_port() -> Iterator[Any]:
    port = serial.serial_for_url("loop://", timeout=0.02)
    yield port
    port.close()


def test_lines_from_a_loop_port_garbage_bytes_included(loop_port: Any, recorder: Recorder) -> None:
    scanner = SerialScanner("loop://", recorder.line, config=FAST, on_status=recorder.status,
                            opener=lambda: loop_port)
    scanner.start()
    try:
        wait_until(lambda: scanner.status.state is PortState.CONNECTED)
        loop_port.write(f"{CODE}\r\nAbc\rdef\n".encode())
        loop_port.write(b"\xff\xfe\x80GC\xc3(\r\n")
        loop_port.write("Café\n".encode())
        assert recorder.take(5) == [CODE, "Abc", "def", "\ufffd\ufffd\ufffdGC\ufffd(", "Café"]
    finally:
        scanner.stop()
    assert scanner.status.state is PortState.STOPPED


def test_a_failing_callback_does_not_stop_the_scanner(loop_port: Any, recorder: Recorder) -> None:
    def on_line(text: str) -> None:
        if text == "boom":
            raise RuntimeError("the GUI's handler failed")
        recorder.line(text)

    scanner = SerialScanner("loop://", on_line, config=FAST, opener=lambda: loop_port)
    scanner.start()
    try:
        loop_port.write(b"boom\r\nafter\r\n")
        assert recorder.take(1) == ["after"]
    finally:
        scanner.stop()


def test_a_vanished_loop_port_is_reported_and_a_new_one_used(recorder: Recorder) -> None:
    ports: queue.Queue[Any] = queue.Queue()

    def opener() -> Any:
        port = serial.serial_for_url("loop://", timeout=0.02)
        ports.put(port)
        return port

    scanner = SerialScanner("loop://", recorder.line, config=FAST, on_status=recorder.status, opener=opener)
    scanner.start()
    try:
        first = ports.get(timeout=5)
        first.write(b"one\n")
        assert recorder.take(1) == ["one"]
        first.close()  # unplugged
        second = ports.get(timeout=5)
        wait_until(lambda: scanner.status.state is PortState.CONNECTED)
        second.write(b"two\n")
        assert recorder.take(1) == ["two"]
        states = [s.state for s in recorder.states]
        assert states[:2] == [PortState.CONNECTING, PortState.CONNECTED]
        assert PortState.DISCONNECTED in states[2:]
        assert scanner.status.last_error is not None and "vanished" in scanner.status.last_error
    finally:
        scanner.stop()
        second.close()


def test_a_port_that_cannot_be_opened_is_reported_and_retried(tmp_path: Path, recorder: Recorder) -> None:
    missing = str(tmp_path / "ttyUSB9")
    scanner = SerialScanner(missing, recorder.line, config=FAST, on_status=recorder.status)
    scanner.start()
    try:
        wait_until(lambda: sum(s.state is PortState.DISCONNECTED for s in recorder.states) >= 3)
        status = scanner.status
        assert status.port == missing
        assert status.last_error is not None and missing in status.last_error
    finally:
        scanner.stop()


def test_stop_returns_promptly_even_while_reading(loop_port: Any) -> None:
    scanner = SerialScanner("loop://", lambda _: None, opener=lambda: loop_port)  # default 50 ms read timeout
    scanner.start()
    wait_until(lambda: scanner.status.state is PortState.CONNECTED)
    started = time.monotonic()
    scanner.stop()
    assert time.monotonic() - started < 0.5
    assert scanner.status.state is PortState.STOPPED


def test_stop_returns_promptly_while_waiting_to_reconnect(tmp_path: Path) -> None:
    config = SerialConfig(backoff_start=10.0, backoff_max=10.0)
    scanner = SerialScanner(str(tmp_path / "absent"), lambda _: None, config=config)
    scanner.start()
    wait_until(lambda: scanner.status.state is PortState.DISCONNECTED)
    started = time.monotonic()
    scanner.stop()
    assert time.monotonic() - started < 0.5


def test_a_misspelt_encoding_fails_at_once() -> None:
    with pytest.raises(LookupError):
        SerialScanner("loop://", lambda _: None, config=SerialConfig(encoding="utf-9"))


def _pty(link: Path) -> int:
    """A new pseudo-terminal, its device reached through ``link`` (a USB scanner's stable name); the master fd."""
    master, slave = os.openpty()
    name = os.ttyname(slave)
    os.close(slave)  # pyserial opens the device by name, like a real port
    link.unlink(missing_ok=True)
    link.symlink_to(name)
    return master


@pytest.mark.skipif(not hasattr(os, "openpty"), reason="no pseudo-terminals here")
def test_an_unplugged_port_is_found_again_when_plugged_back(tmp_path: Path, recorder: Recorder) -> None:
    link = tmp_path / "ttyScanner"
    master = _pty(link)
    scanner = SerialScanner(str(link), recorder.line, config=FAST, on_status=recorder.status)
    scanner.start()
    try:
        wait_until(lambda: scanner.status.state is PortState.CONNECTED)
        os.write(master, f"{CODE}\r".encode())
        assert recorder.take(1) == [CODE]

        os.close(master)  # unplugged: the device hangs up and its name goes away
        link.unlink()
        wait_until(lambda: scanner.status.state is PortState.DISCONNECTED)
        assert scanner.status.last_error is not None

        master = _pty(link)  # plugged back in
        wait_until(lambda: scanner.status.state is PortState.CONNECTED)
        os.write(master, b"again\r\n")
        assert recorder.take(1) == ["again"]
    finally:
        scanner.stop()
        os.close(master)
