"""Key events as a USB scanner sends them, for the tests and the GUI benchmark."""

from __future__ import annotations

import time

from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QApplication, QWidget


def scanner_burst(widget: QWidget, text: str, gap_ms: int = 4) -> None:
    """What a USB scanner types: keys a few ms apart by their timestamps, ending in Enter ("\\r")."""
    stamp = int(time.monotonic() * 1000)
    for i, ch in enumerate(text):
        key = Qt.Key.Key_Return if ch == "\r" else ord(ch.upper())
        for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
            event = QKeyEvent(kind, key, Qt.KeyboardModifier.NoModifier, ch)
            event.setTimestamp(stamp + i * gap_ms)
            QApplication.sendEvent(widget, event)
