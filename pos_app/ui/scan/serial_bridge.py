"""A scanner on a serial port in the window: :class:`~pos_app.scanning.serial_scanner.SerialScanner`'s lines become
``events.scanned`` on the GUI thread, its port state a sentence for the status bar.

The scanner's prefix and suffix (the same settings as the USB wedge's) are taken off the line here, so every way a
card arrives hands the screens the same text.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from pos_app.scanning.serial_scanner import PortState, SerialScanner, SerialStatus
from pos_app.ui.context import UiContext
from pos_app.ui.messages import tr

Report = Callable[[str, str], None]


def strip_affixes(line: str, prefix: str, suffix: str) -> str:
    text = line.strip()
    if prefix and text.startswith(prefix):
        text = text[len(prefix):]
    if suffix and text.endswith(suffix):
        text = text[: -len(suffix)]
    return text.strip()


class SerialBridge:
    def __init__(self, ctx: UiContext, port: str, *, report: Report | None = None,
                 opener: Callable[[], Any] | None = None) -> None:
        self._ctx = ctx
        self._report = report or ctx.events.scanner_state.emit
        self._running = False
        self.scanner = SerialScanner(port, self._on_line, on_status=self._on_status, opener=opener)

    def start(self) -> None:
        self._running = True
        self.scanner.start()

    def stop(self) -> None:
        """Returns within about one read timeout (50 ms)."""
        self._running = False
        self.scanner.stop(timeout=0.9)

    def _on_line(self, line: str) -> None:
        settings = self._ctx.settings
        text = strip_affixes(line, settings.scanner_prefix, settings.scanner_suffix)
        if text:
            self._ctx.ops.call_soon(lambda: self._while_running(self._ctx.events.scanned.emit, text))

    def _on_status(self, status: SerialStatus) -> None:
        if status.state is PortState.CONNECTED:
            state, text = "ready", tr("Serial scanner: ready")
        elif status.state is PortState.DISCONNECTED:
            state, text = "failed", tr("Serial scanner: not connected — check its cable")
        else:
            return
        self._ctx.ops.call_soon(lambda: self._while_running(self._report, state, text))

    def _while_running(self, fn: Callable[..., object], *args: str) -> None:
        """On the GUI thread: what a stopped scanner still had on its way is dropped."""
        if self._running:
            fn(*args)
