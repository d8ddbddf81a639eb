"""What every screen of the till window is given: the session, the worker threads, the events and the settings.

Screens never import each other. They talk through :class:`Events` (Qt signals on the GUI thread): a scan
anywhere becomes ``scanned``; a committed sale becomes ``sale_done`` so that every panel showing that card
refreshes; the sync worker's state becomes ``sync_state`` for the status bar. A screen is built as
``Screen(ctx)`` and reads what it needs from ``ctx``.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field, replace
from datetime import tzinfo
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, Signal

from pos_app.ui.ops import Ops
from pos_app.ui.session import TillSession

if TYPE_CHECKING:
    from pos_app.bootstrap import Till

UI_SETTINGS = "ui"  # the till settings key of :class:`UiSettings`


class Level(StrEnum):
    """How a message to the person at the till is shown: green, neutral or red (with the bad-scan sound)."""

    DONE = "done"
    INFO = "info"
    REFUSED = "refused"


class Events(QObject):
    """The window's signals. Emit them on the GUI thread only (ops deliver their results there)."""

    scanned = Signal(str)  # raw text of a scan: USB wedge, serial scanner or camera
    typed_code = Signal(str)  # a code typed by hand and confirmed
    logged_in = Signal(object)  # Caller
    logged_out = Signal()
    card_changed = Signal(str)  # a card's code, after anything changed it (its panels read it again)
    sale_done = Signal(object)  # session.Sale
    sync_state = Signal(object)  # sync.worker.SyncState
    printer_state = Signal(str, str)  # state ("ready", "no_printer", "failed"), the sentence to show
    scanner_state = Signal(str, str)  # state ("ready", "camera", "no_camera", "failed"), the sentence to show
    message = Signal(str, str)  # text, Level
    settings_changed = Signal(object)  # UiSettings
    profile_changed = Signal(object)  # StoreProfile: the shop's name or locale changed
    activity = Signal()  # somebody touched the till (the automatic lock restarts its count)
    camera_frame = Signal(object)  # scan.preview.Preview: the latest camera picture and any code outlined in it


@dataclass(frozen=True, slots=True)
class UiSettings:
    """The window's own settings, kept in the till's store under :data:`UI_SETTINGS`.

    ``camera``: ``""`` none (a USB scanner only), ``"0"`` the first webcam, or a path to an image, a folder of
    images or a video standing in for it (the demo's folder of card images). ``lock_minutes``: 0 never locks.
    """

    camera: str = ""
    scanner_prefix: str = ""
    scanner_suffix: str = ""
    serial_scanner: str = ""  # e.g. /dev/ttyACM0; "" none
    lock_minutes: int = 5
    language: str = ""  # "" the system's; else e.g. "de"
    sounds: bool = True
    kiosk: bool = False  # full screen, and only a manager's PIN closes the till (ui.kiosk)

    @classmethod
    def from_stored(cls, raw: Any) -> UiSettings:
        if not isinstance(raw, dict):
            return cls()
        known = set(cls.__dataclass_fields__)
        values = {k: v for k, v in raw.items() if k in known}
        try:
            settings = cls(**values)
        except TypeError:
            return cls()
        lock = settings.lock_minutes if isinstance(settings.lock_minutes, int) else 5
        return replace(settings, lock_minutes=max(0, min(lock, 240)))

    def stored(self) -> dict[str, Any]:
        return asdict(self)

    def to_json(self) -> str:
        return json.dumps(self.stored(), sort_keys=True)


@dataclass(frozen=True, slots=True)
class DemoInfo:
    """What the demo shop shows on its login screen: whose PIN is which, and where its card pictures are."""

    pins: tuple[tuple[str, str], ...]  # (who, PIN)
    codes: dict[str, str] = field(default_factory=dict)  # state → code
    images: Path | None = None


@dataclass
class UiContext:
    session: TillSession
    ops: Ops
    events: Events
    settings: UiSettings = field(default_factory=UiSettings)
    demo: DemoInfo | None = None

    @property
    def locale(self) -> str:
        return self.session.profile.locale

    @property
    def currency(self) -> str:
        return self.session.profile.currency

    @property
    def zone(self) -> tzinfo:
        """The shop's time zone: its cards' dates, days and hours are read and shown in it."""
        return self.session.profile.zone

    def tell(self, text: str, level: Level = Level.INFO) -> None:
        self.events.message.emit(text, str(level))


def load_ui_settings(till: Till) -> UiSettings:
    return UiSettings.from_stored(till.setting(UI_SETTINGS))


def save_ui_settings(till: Till, settings: UiSettings) -> None:
    till.save_setting(UI_SETTINGS, settings.stored())
