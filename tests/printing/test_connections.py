"""Sending bytes to printers: a real TCP "printer" on 127.0.0.1, a port with nobody listening, a printer that
drops the connection mid-job, one that never reads, files and devices, and libraries that are not installed."""

from __future__ import annotations

import socket
import struct
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from escpos import printer as escpos_printer

from pos_app.printing.connections import Destination, PrinterUnavailable, open_printer, parse_setting, send
from pos_app.printing.escpos_render import render_escpos
from tests.printing.receipts import sample


class FakePrinter:
    """A raw port-9100 printer in a thread: ``mode`` "ok" reads everything, "reset" reads a little and drops
    the connection (RST), "silent" accepts and never reads."""

    def __init__(self, mode: str = "ok") -> None:
        self.mode = mode
        self.server = socket.create_server(("127.0.0.1", 0))
        self.port = self.server.getsockname()[1]
        self.received = bytearray()
        self.done = threading.Event()
        self.thread = threading.Thread(target=self.serve, daemon=True)
        self.thread.start()

    def serve(self) -> None:
        conn, _ = self.server.accept()
        with conn:
            if self.mode == "silent":
                self.done.wait(10)
                return
            if self.mode == "reset":
                self.received += conn.recv(64)
                conn.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
                return
            while chunk := conn.recv(65536):
                self.received += chunk
        self.done.set()

    def close(self) -> None:
        self.done.set()
        self.server.close()


@pytest.fixture
def printer_factory() -> Iterator[type[FakePrinter]]:
    made: list[FakePrinter] = []

    class Made(FakePrinter):
        def __init__(self, mode: str = "ok") -> None:
            super().__init__(mode)
            made.append(self)

    yield Made
    for p in made:
        p.close()


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def test_a_network_printer_receives_the_receipt(printer_factory: type[FakePrinter]) -> None:
    printer = printer_factory()
    data = render_escpos(sample(), "TM-T20II", "80mm")
    send(f"tcp://127.0.0.1:{printer.port}", data, timeout=5)
    assert printer.done.wait(5)
    assert bytes(printer.received) == data


def test_nothing_listening_is_reported_at_once_in_words_a_cashier_understands() -> None:
    started = time.monotonic()
    with pytest.raises(PrinterUnavailable) as caught:
        send(f"tcp://127.0.0.1:{free_port()}", b"hello\n", timeout=5)
    assert time.monotonic() - started < 2
    assert str(caught.value) == "The printer at 127.0.0.1 does not answer. Check it is on and has paper."
    assert "refused" in caught.value.detail.lower()


def test_a_printer_that_drops_the_connection_mid_job_is_unavailable(printer_factory: type[FakePrinter]) -> None:
    printer = printer_factory("reset")
    with pytest.raises(PrinterUnavailable, match="stopped answering while printing"):
        send(f"tcp://127.0.0.1:{printer.port}", render_escpos(sample(), "POS-5890", "58mm"), timeout=5)


def test_a_printer_that_never_reads_times_out(printer_factory: type[FakePrinter]) -> None:
    printer = printer_factory("silent")
    started = time.monotonic()
    with pytest.raises(PrinterUnavailable, match=r"127\.0\.0\.1"):
        send(f"tcp://127.0.0.1:{printer.port}", b"x" * 50_000_000, timeout=1)
    assert time.monotonic() - started < 4


def test_a_file_destination_is_written(tmp_path: Path) -> None:
    target = tmp_path / "receipt.bin"
    data = render_escpos(sample(), "simple", "80mm")
    send(f"file:{target}", data)
    assert target.read_bytes() == data
    send(str(target), b"again")  # a bare path is a file or device too
    assert target.read_bytes() == b"again"


def test_a_file_in_a_missing_folder_is_unavailable(tmp_path: Path) -> None:
    with pytest.raises(PrinterUnavailable, match="could not be written to"):
        send(f"file:{tmp_path / 'nope' / 'receipt.bin'}", b"x")


def test_a_device_that_is_not_there_is_unavailable() -> None:
    with pytest.raises(PrinterUnavailable, match="/dev/usb/lp9 does not answer"):
        send("/dev/usb/lp9", b"x", timeout=2)
    with pytest.raises(PrinterUnavailable, match="/dev/ttyNOPE0 does not answer"):
        send("serial:/dev/ttyNOPE0?baudrate=19200", b"x", timeout=2)


@pytest.mark.skipif(escpos_printer.Usb.is_usable(), reason="pyusb is installed here")
def test_usb_without_pyusb_says_so() -> None:
    with pytest.raises(PrinterUnavailable, match="pyusb is not installed"):
        send("usb:04b8:0202", b"x")


@pytest.mark.skipif(escpos_printer.CupsPrinter.is_usable(), reason="pycups is installed here")
def test_cups_without_pycups_says_so() -> None:
    with pytest.raises(PrinterUnavailable, match="pycups is not installed"):
        send("cups:receipts", b"x")


@pytest.mark.parametrize("setting", ["", "lpt1", "usb:zz:01", "usb:04b8", "tcp://", "tcp://host:99999", "serial:",
                                     "ftp://host"])
def test_settings_that_name_no_printer_are_refused_with_a_reason(setting: str) -> None:
    with pytest.raises(PrinterUnavailable, match="is not understood"):
        send(setting, b"x")


@pytest.mark.parametrize(("setting", "expected"), [
    ("tcp://192.168.1.50", Destination("tcp", "192.168.1.50", 9100)),
    ("tcp://printer.local:9101", Destination("tcp", "printer.local", 9101)),
    ("usb:04B8:0x0202", Destination("usb", "04b8:0202")),
    ("serial:/dev/ttyUSB0?baudrate=19200", Destination("serial", "/dev/ttyUSB0", options={"baudrate": "19200"})),
    ("file:/tmp/r.bin", Destination("file", "/tmp/r.bin")),
    ("/dev/usb/lp0", Destination("file", "/dev/usb/lp0")),
    ("cups:Receipts", Destination("cups", "Receipts")),
])
def test_settings_are_parsed(setting: str, expected: Destination) -> None:
    assert parse_setting(setting) == expected


def test_printers_are_python_escpos_printers(tmp_path: Path) -> None:
    assert isinstance(open_printer("tcp://10.0.0.9"), escpos_printer.Network)
    assert isinstance(open_printer(f"file:{tmp_path / 'x'}"), escpos_printer.File)
    assert isinstance(open_printer("serial:/dev/ttyUSB0"), escpos_printer.Serial)
