"""Every way a card reaches the till, turned into ``events.scanned``: the USB keyboard wedge (always), a camera or
the demo's camera (``settings.camera``, or the demo's card pictures), and a serial scanner
(``settings.serial_scanner``).

The window starts them once it is on screen (:meth:`ScanInputs.start`) and stops them when it closes
(:meth:`ScanInputs.stop`, within about a second, any number of times). A changed setting restarts only the part it
concerns, and the old camera is stopped off the GUI thread. The status bar gets one sentence for all of them
(``events.scanner_state``): the camera's when there is one, the serial scanner's beside it, else "Scanner: ready".
"""

from __future__ import annotations

import time
from collections.abc import Callable

from PySide6.QtCore import QObject

from pos_app.scanning.confirm import Confirmer
from pos_app.ui.context import UiContext, UiSettings
from pos_app.ui.messages import tr
from pos_app.ui.scan.camera_bridge import CameraBridge
from pos_app.ui.scan.demo_camera import DeskSource, desk_for
from pos_app.ui.scan.serial_bridge import SerialBridge
from pos_app.ui.scan.wedge_filter import WedgeFilter

DEMO_COOLDOWN = 0.5  # s out of view before the same demo card counts again (a demo clicks the same card twice)
_BADNESS = {"camera": 0, "ready": 0, "no_camera": 1, "failed": 2}
_ORDER = ("camera", "serial", "keyboard")


class ScanInputs(QObject):
    def __init__(self, ctx: UiContext, *, clock: Callable[[], float] = time.monotonic) -> None:
        super().__init__()
        self.ctx = ctx
        self.wedge = WedgeFilter(ctx, clock=clock)
        self.camera: CameraBridge | None = None
        self.serial: SerialBridge | None = None
        self._parts: dict[str, tuple[str, str]] = {}
        self._started = False
        self._camera_key: tuple[str, ...] | None = None
        self._serial_key: tuple[str, ...] | None = None
        self._runs = {"camera": 0, "serial": 0}  # a part's reports count only from its current run
        ctx.events.settings_changed.connect(self._on_settings)

    @property
    def started(self) -> bool:
        return self._started

    def start(self) -> None:
        if self._started:
            return
        self._started = True
        self.wedge.install()
        self._parts = {"keyboard": ("ready", tr("Scanner: ready"))}
        self._start_camera(self.ctx.settings)
        self._start_serial(self.ctx.settings)
        self._show()

    def stop(self) -> None:
        """Stop listening everywhere; returns within about a second. Idempotent."""
        if not self._started:
            return
        self._started = False
        self.wedge.remove()
        if self.serial is not None:
            self.serial.stop()
            self.serial = None
        if self.camera is not None:
            self.camera.stop()
            self.camera = None

    # ---- parts -------------------------------------------------------------------------------------------------

    def _camera_for(self, settings: UiSettings) -> tuple[tuple[str, ...] | None, Callable[[], CameraBridge] | None]:
        demo = self.ctx.demo
        if settings.camera:
            key = ("camera", settings.camera, settings.scanner_prefix, settings.scanner_suffix)
            return key, lambda: CameraBridge.for_spec(self.ctx, settings.camera, report=self._reporter("camera"))
        if demo is not None and demo.images is not None:
            desk = desk_for(self.ctx)
            return ("demo",), lambda: CameraBridge(
                self.ctx, lambda: DeskSource(desk), report=self._reporter("camera"),
                ready_text=tr("Demo camera: ready"),
                confirmer=Confirmer(cooldown=DEMO_COOLDOWN))
        return None, None

    def _start_camera(self, settings: UiSettings) -> None:
        self._camera_key, make = self._camera_for(settings)
        self._runs["camera"] += 1
        if make is None:
            self._parts.pop("camera", None)
            return
        self._parts["camera"] = ("ready", tr("Camera: starting…"))
        self.camera = make()
        self.camera.start()

    def _start_serial(self, settings: UiSettings) -> None:
        port = settings.serial_scanner.strip()
        self._serial_key = (port,) if port else None
        self._runs["serial"] += 1
        if not port:
            self._parts.pop("serial", None)
            return
        self._parts["serial"] = ("ready", tr("Serial scanner: connecting…"))
        self.serial = SerialBridge(self.ctx, port, report=self._reporter("serial"))
        self.serial.start()

    def _on_settings(self, settings: object) -> None:
        if not self._started or not isinstance(settings, UiSettings):
            return
        if self._camera_for(settings)[0] != self._camera_key:
            old, self.camera = self.camera, None
            self._runs["camera"] += 1
            self._parts.pop("camera", None)
            if old is None:
                self._start_camera(settings)
            else:  # stopping a camera may take a moment: not on the GUI thread
                self.ctx.ops.read(old.stop, owner=self, label="stop camera").finally_(
                    lambda: self._restart_camera(settings)).run()
        if ((settings.serial_scanner.strip(),) if settings.serial_scanner.strip() else None) != self._serial_key:
            if self.serial is not None:
                self.serial.stop()
                self.serial = None
            self._start_serial(settings)
        self._show()

    def _restart_camera(self, settings: UiSettings) -> None:
        if self._started and self.camera is None:
            self._start_camera(settings)
            self._show()

    # ---- the status bar ----------------------------------------------------------------------------------------

    def _reporter(self, part: str) -> Callable[[str, str], None]:
        run = self._runs[part]  # the run being started (counted before its bridge is made)

        def report(state: str, text: str) -> None:
            if self._started and self._runs[part] == run:
                self._parts[part] = (state, text)
                self._show()

        return report

    def _show(self) -> None:
        parts = [(name, *self._parts[name]) for name in _ORDER if name in self._parts]
        devices = [(state, text) for name, state, text in parts if name != "keyboard"]
        shown = devices or [(state, text) for _, state, text in parts]
        state = max((state for state, _ in shown), key=lambda s: _BADNESS.get(s, 2))  # ties: the first
        self.ctx.events.scanner_state.emit(state, " · ".join(text for _, text in shown))
