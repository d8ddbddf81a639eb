"""Where receipt bytes go: a printer setting string to a python-escpos printer, and one way to send to it.

Settings (one string per till, from its settings):

* ``usb:04b8:0202`` — vendor and product id in hex (``?in_ep=0x82&out_ep=0x01`` when the model differs);
  needs the optional pyusb.
* ``tcp://192.168.1.50`` or ``tcp://host:9100`` — a network printer's raw port (9100 unless given).
* ``serial:/dev/ttyUSB0`` or ``serial:COM3?baudrate=19200`` — 9600 baud unless given.
* ``file:/path/to/file``, or a device path such as ``/dev/usb/lp0`` — written as is.
* ``cups:QUEUE`` (``cups:`` alone: the default queue) — a raw job to a CUPS queue; needs the optional pycups.

:func:`send` turns *every* failure — a bad setting, a refused or silent printer, a cable pulled mid-job, a
missing optional library — into :class:`PrinterUnavailable`, whose message is one sentence a cashier can act on;
the technical cause is kept in ``detail`` for the log. The whole job runs against one deadline, in a worker
thread, because a device file (``/dev/usb/lp0``) of a printer that is off can block a write for ever.
"""

from __future__ import annotations

import contextlib
import socket
import threading
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Literal
from urllib.parse import parse_qsl, urlsplit

from escpos import printer as escpos_printer

Kind = Literal["usb", "tcp", "serial", "file", "cups"]
DEFAULT_PORT = 9100
DEFAULT_TIMEOUT = 10.0
_DRAIN_SECONDS = 2.0  # how long to wait, after the job, for a network printer to reset the connection


class PrinterUnavailable(Exception):
    """The receipt was not printed. ``str(exc)`` is for the cashier; ``detail`` is the cause, for the log."""

    def __init__(self, message: str, *, setting: str, detail: str = "") -> None:
        super().__init__(message)
        self.setting = setting
        self.detail = detail


@dataclass(frozen=True, slots=True)
class Destination:
    kind: Kind
    target: str  # host, device or file path, queue name, or "VID:PID"
    port: int = DEFAULT_PORT
    options: Mapping[str, str] = field(default_factory=dict)

    @property
    def name(self) -> str:
        """How the cashier knows this printer."""
        if self.kind == "usb":
            return f"the USB printer {self.target}"
        if self.kind == "cups":
            return f"the printer queue {self.target or '(default)'}"
        return f"the printer at {self.target}" if self.kind == "tcp" else f"the printer on {self.target}"


def _not_understood(setting: str, detail: str) -> PrinterUnavailable:
    return PrinterUnavailable(
        f"The printer setting {setting!r} is not understood. Ask a manager to check the printer settings.",
        setting=setting, detail=detail,
    )


def parse_setting(setting: str) -> Destination:
    """The destination a setting names (:class:`PrinterUnavailable` when it names none)."""
    text = setting.strip()
    scheme, _, rest = text.partition(":")
    rest, _, query = rest.partition("?")
    options = dict(parse_qsl(query))
    if text.startswith("/"):
        return Destination("file", text)
    if scheme == "tcp":
        parts = urlsplit(text)
        try:
            port = parts.port or DEFAULT_PORT
        except ValueError as exc:
            raise _not_understood(setting, str(exc)) from exc
        if not parts.hostname:
            raise _not_understood(setting, "no host")
        return Destination("tcp", parts.hostname, port, options)
    if scheme == "usb":
        try:
            vid, pid = (int(part, 16) for part in rest.split(":"))
        except ValueError as exc:
            raise _not_understood(setting, "usb:VID:PID in hex, e.g. usb:04b8:0202") from exc
        return Destination("usb", f"{vid:04x}:{pid:04x}", options=options)
    if scheme in {"serial", "file"} and rest:
        return Destination(scheme, rest, options=options)  # type: ignore[arg-type]
    if scheme == "cups":
        return Destination("cups", rest, options=options)
    raise _not_understood(setting, "use usb:, tcp://, serial:, file:, a /dev path or cups:")


def _missing(dest: Destination, setting: str, library: str) -> PrinterUnavailable:
    what = "USB printers" if dest.kind == "usb" else "printer queues" if dest.kind == "cups" else "serial printers"
    return PrinterUnavailable(
        f"This till cannot use {what}: {library} is not installed. Ask whoever set up the till.",
        setting=setting, detail=f"{library} missing",
    )


def open_printer(setting: str, *, timeout: float = DEFAULT_TIMEOUT) -> Any:
    """The python-escpos printer for ``setting``, not yet opened (``Usb``, ``Network``, ``Serial``, ``File`` or
    ``CupsPrinter``). A missing optional library (pyusb, pycups, pyserial) is :class:`PrinterUnavailable`."""
    dest = parse_setting(setting)
    try:
        if dest.kind == "tcp":
            return escpos_printer.Network(dest.target, port=dest.port, timeout=timeout)
        if dest.kind == "file":
            return escpos_printer.File(dest.target)
        if dest.kind == "usb":
            if not escpos_printer.Usb.is_usable():
                raise _missing(dest, setting, "pyusb")
            vid, pid = (int(part, 16) for part in dest.target.split(":"))
            eps = {k: int(v, 0) for k, v in dest.options.items() if k in {"in_ep", "out_ep"}}
            return escpos_printer.Usb(vid, pid, timeout=int(timeout * 1000), **eps)
        if dest.kind == "serial":
            if not escpos_printer.Serial.is_usable():
                raise _missing(dest, setting, "pyserial")
            baudrate = int(dest.options.get("baudrate", 9600))
            return escpos_printer.Serial(dest.target, baudrate=baudrate, timeout=timeout)
        if not escpos_printer.CupsPrinter.is_usable():
            raise _missing(dest, setting, "pycups")
        return escpos_printer.CupsPrinter(dest.target)
    except ValueError as exc:
        raise _not_understood(setting, str(exc)) from exc


def _unavailable(dest: Destination, setting: str, detail: str, *, during: bool) -> PrinterUnavailable:
    who = dest.name[:1].upper() + dest.name[1:]  # not str.capitalize(): it lowercases the path
    if dest.kind == "file" and not dest.target.startswith("/dev/"):
        message = f"The receipt could not be written to {dest.target}. Check the folder exists and can be written to."
    elif during:
        message = f"{who} stopped answering while printing. Check it has paper, then print again."
    elif dest.kind == "tcp":
        message = f"{who} does not answer. Check it is on and has paper."
    elif dest.kind == "cups":
        message = f"{who} is not available. Check the printer is on and set up on this till."
    else:
        message = f"{who} does not answer. Check its cable, that it is on and has paper."
    return PrinterUnavailable(message, setting=setting, detail=detail)


def _drain(sock: socket.socket, timeout: float) -> None:
    """After the job: say so (half-close) and wait briefly for the printer's side. A printer that resets the
    connection did not take the whole job; one that closes or keeps the line open did (or may have)."""
    sock.shutdown(socket.SHUT_WR)
    sock.settimeout(min(timeout, _DRAIN_SECONDS))
    try:
        while sock.recv(1024):
            pass  # status bytes some printers send back: not ours to read
    except TimeoutError:
        pass


def _job(printer: Any, dest: Destination, data: bytes, timeout: float, stage: list[str]) -> None:
    printer.open()
    stage[0] = "write"
    if dest.kind == "serial":
        printer.device.write_timeout = timeout  # with hardware flow control a write to a printer that is off waits
    printer._raw(data)  # python-escpos's way to send bytes already made (there is no public raw())
    if dest.kind == "tcp":
        _drain(printer.device, timeout)
    stage[0] = "close"
    printer.close()  # a CUPS job is submitted here


def send(setting: str, data: bytes, *, timeout: float = DEFAULT_TIMEOUT) -> None:
    """Send ``data`` to the printer ``setting`` names, within ``timeout`` seconds; :class:`PrinterUnavailable`
    for anything that goes wrong."""
    dest = parse_setting(setting)
    printer = open_printer(setting, timeout=timeout)
    stage, failure = ["open"], []

    def run() -> None:
        try:
            _job(printer, dest, data, timeout, stage)
        except Exception as exc:  # every failure of a device or library: reported as one, below
            failure.append(exc)
            with contextlib.suppress(Exception):  # closing what already failed: the first error is what counts
                printer.close()

    worker = threading.Thread(target=run, name=f"print {dest.kind}", daemon=True)
    worker.start()
    worker.join(timeout + 1.0)
    if worker.is_alive():
        raise _unavailable(dest, setting, f"no answer within {timeout:g} s ({stage[0]})", during=stage[0] != "open")
    if failure:
        exc = failure[0]
        raise _unavailable(dest, setting, f"{type(exc).__name__}: {exc}", during=stage[0] != "open") from exc
