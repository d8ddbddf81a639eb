"""The USB keyboard-wedge scanner, wherever the focus is: an application-wide event filter around
:class:`~pos_app.scanning.wedge.WedgeClassifier` (read its docstring: this module is the Qt half it describes).

Every key press with text is held back here for a few tens of milliseconds and fed to the classifier, whatever
widget has the focus. A scanner's burst becomes ``events.scanned`` and its keys never reach a widget (a scan
never types into the amount field); a person's keys are re-delivered, in order, to the widget that had the focus
when they were pressed, so typing is never lost or reordered. Their key releases are held with them, so a button
that gets Space sees its press before its release.

Keys no scanner sends (Backspace, arrows, function keys, Ctrl/Alt shortcuts, auto-repeat) first release what is
held, as typed, and then go their own way, so they keep their place. A lone Enter or Tab with nothing held goes
through untouched, shortcuts included (a person's Enter to redeem); Enter inside a run is held like any key, so
the shortcut system never sees a scanner's Enter.

Time: the classifier compares the key events' own timestamps (a busy GUI thread delivers a burst late, but the
gaps between its timestamps stay true), mapped onto one monotonic clock. The run is released when the silence,
measured from when the last key was *delivered* here, passes the classifier's deadline: so a burst queued behind
a slow paint is never split by the timer firing between two of its keys.
"""

from __future__ import annotations

import logging
import math
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from enum import Enum

import shiboken6
from PySide6.QtCore import QEvent, QObject, Qt, QTimer
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QApplication, QWidget

from pos_app.scanning.wedge import Scanned, Typed, WedgeClassifier, WedgeConfig, WedgeEvent
from pos_app.ui.context import UiContext, UiSettings

log = logging.getLogger(__name__)

STALE_MAPPING = 2.0  # seconds: a key delivered this much later than the clock mapping says re-anchors it
_KEY_EVENTS = frozenset({QEvent.Type.KeyPress, QEvent.Type.KeyRelease, QEvent.Type.ShortcutOverride})
_MODIFIER_KEYS = frozenset({Qt.Key.Key_Shift, Qt.Key.Key_Control, Qt.Key.Key_Alt, Qt.Key.Key_Meta,
                            Qt.Key.Key_AltGr, Qt.Key.Key_CapsLock, Qt.Key.Key_NumLock, Qt.Key.Key_Super_L,
                            Qt.Key.Key_Super_R, Qt.Key.Key_Hyper_L, Qt.Key.Key_Hyper_R})
_CTRL, _ALT, _META = Qt.KeyboardModifier.ControlModifier, Qt.KeyboardModifier.AltModifier, \
    Qt.KeyboardModifier.MetaModifier


def wedge_config(settings: UiSettings) -> WedgeConfig:
    return WedgeConfig(prefix=settings.scanner_prefix, suffix=settings.scanner_suffix)


class _Kind(Enum):
    FEED = "feed"  # text a scanner may send: held and classified
    INTERRUPT = "interrupt"  # a key no scanner sends: releases what is held, then goes its way
    PASS = "pass"  # a bare modifier (the scanner presses Shift for capitals): neither


class EventClock:
    """Key-event timestamps (ms, the window system's clock) mapped onto ``clock`` (seconds).

    The offset is the smallest ``now - timestamp`` seen (a key is never delivered before it happened), so a
    burst delivered late keeps its true gaps. A key without a timestamp (a synthetic one) is "now"; a key far
    later than the mapping says (the two clocks drifted, or the machine slept) re-anchors it.
    """

    def __init__(self, clock: Callable[[], float]) -> None:
        self._clock = clock
        self._offset: float | None = None

    def at(self, timestamp_ms: int) -> float:
        now = self._clock()
        if timestamp_ms <= 0:
            return now
        stamp = timestamp_ms / 1000.0
        raw = now - stamp
        if self._offset is None or raw < self._offset or raw - self._offset > STALE_MAPPING:
            self._offset = raw
        return stamp + self._offset


@dataclass(eq=False)
class _Press:
    """One held key press: enough to deliver it again, to the widget that had the focus."""

    key: int
    modifiers: Qt.KeyboardModifier
    text: str
    receiver: QWidget
    released: bool = False  # its release came while it was held (it follows the press when delivered)
    left: int = 0  # characters of it still held
    typed: bool = False  # some of it was the person's


class _Classifier(WedgeClassifier):
    @property
    def held_count(self) -> int:
        """How many characters are held (fed, not yet released as typed or scanned)."""
        return len(self._held)


class WedgeFilter(QObject):
    """Install on the QApplication (:meth:`install`); :meth:`remove` gives back anything held, as typed."""

    def __init__(self, ctx: UiContext, *, clock: Callable[[], float] = time.monotonic) -> None:
        super().__init__()
        self.setObjectName("WedgeFilter")
        self._ctx = ctx
        self._clock = clock
        self._times = EventClock(clock)
        self._classifier = _Classifier(wedge_config(ctx.settings))
        self._chars: list[tuple[str, _Press]] = []  # fed, not yet resolved, in order
        self._swallow: Counter[int] = Counter()  # keys whose release belongs to a scan that is over
        self._sending: list[QKeyEvent] = []  # the keys this filter is delivering again (not to be held twice)
        self._last_t = 0.0  # event time of the last key fed
        self._last_seen = 0.0  # clock time when it reached this filter
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self._on_timer)
        self._installed = False
        ctx.events.settings_changed.connect(self._on_settings)

    # ---- life --------------------------------------------------------------------------------------------------

    def install(self) -> None:
        app = QApplication.instance()
        if app is not None and not self._installed:
            app.installEventFilter(self)
            self._installed = True

    def remove(self) -> None:
        """Stop filtering; keys still held go to their widgets as typed. Idempotent."""
        if self._installed:
            app = QApplication.instance()
            if app is not None:
                app.removeEventFilter(self)
            self._installed = False
        if shiboken6.isValid(self._timer):
            self._timer.stop()
        if self._chars:
            self._handle(self._classifier.interrupt(self._now()))

    @property
    def holding(self) -> bool:
        """Keys are held back, waiting to be told a person's or a scanner's."""
        return bool(self._chars)

    @property
    def config(self) -> WedgeConfig:
        return self._classifier.config

    def _on_settings(self, settings: object) -> None:
        if not isinstance(settings, UiSettings):
            return
        config = wedge_config(settings)
        if config == self._classifier.config:
            return
        if self._chars:  # what is held was typed under the old rules: give it back first
            self._handle(self._classifier.interrupt(self._now()))
        self._classifier = _Classifier(config)

    # ---- the filter --------------------------------------------------------------------------------------------

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        kind = event.type()
        if kind not in _KEY_EVENTS or not watched.isWidgetType() or any(event is e for e in self._sending):
            return False  # a QWindow passes key events on to its focus widget: handled there, once
        assert isinstance(event, QKeyEvent)
        assert isinstance(watched, QWidget)
        if kind == QEvent.Type.KeyRelease:
            return self._release(event)
        what = self._kind(event)
        if what is _Kind.PASS:
            return False
        t = self._event_time(event)
        if what is _Kind.INTERRUPT:
            self._handle(self._classifier.interrupt(t))
            self._arm()
            return False
        self._handle(self._classifier.tick(t))  # a run whose time is up goes before this key is judged
        if self._lone_terminator(event.text()):
            self._arm()
            return False  # a person's Enter or Tab, with shortcuts and focus moves as usual
        if kind == QEvent.Type.ShortcutOverride:
            event.accept()  # no shortcut: the key press comes to this filter
            return True
        self._hold(event, watched, t)
        return True

    def _kind(self, event: QKeyEvent) -> _Kind:
        if event.key() in _MODIFIER_KEYS:
            return _Kind.PASS
        text = event.text()
        mods = event.modifiers()
        chord = bool(mods & (_CTRL | _ALT | _META)) and (mods & (_CTRL | _ALT | _META)) != (_CTRL | _ALT)
        if (not text or event.isAutoRepeat() or chord
                or not all(ch.isprintable() or ch in self.config.terminators for ch in text)):
            return _Kind.INTERRUPT  # Ctrl+Alt alone is AltGr on Windows: '@' on a German scanner is text
        return _Kind.FEED

    def _lone_terminator(self, text: str) -> bool:
        return not self._classifier.holding and len(text) == 1 and text in self.config.terminators

    def _event_time(self, event: QKeyEvent) -> float:
        return max(self._times.at(int(event.timestamp())), self._last_t)

    def _now(self) -> float:
        """The current time on the event clock: the last key's time plus the silence since it arrived."""
        return self._last_t + max(0.0, self._clock() - self._last_seen)

    # ---- holding and releasing ---------------------------------------------------------------------------------

    def _hold(self, event: QKeyEvent, receiver: QWidget, t: float) -> None:
        press = _Press(event.key(), event.modifiers(), event.text(), receiver, left=len(event.text()))
        self._chars += [(ch, press) for ch in event.text()]
        self._last_t, self._last_seen = t, self._clock()
        self._handle(self._classifier.feed(event.text(), t))
        self._arm()

    def _release(self, event: QKeyEvent) -> bool:
        if event.isAutoRepeat() or event.key() in _MODIFIER_KEYS:
            return False
        for _, press in self._chars:
            if press.key == event.key() and not press.released:
                press.released = True
                return True
        if self._swallow[event.key()] > 0:
            self._swallow[event.key()] -= 1
            return True
        return False

    def _arm(self) -> None:
        deadline = self._classifier.deadline()
        if deadline is None:
            self._timer.stop()
            return
        self._timer.start(max(0, math.ceil((deadline - self._now()) * 1000)))

    def _on_timer(self) -> None:
        self._handle(self._classifier.tick(self._now()))
        self._arm()

    def _handle(self, events: list[WedgeEvent]) -> None:
        """Resolve the characters the classifier let go: the person's to their widgets, the scanner's to a scan."""
        if not events:
            return
        released = len(self._chars) - self._classifier.held_count
        done, self._chars = self._chars[:released], self._chars[released:]
        typed = "".join(e.text for e in events if isinstance(e, Typed))
        is_typed = _leftmost(typed, [ch for ch, _ in done])
        chunks = iter(_chunks([(ch, p) for (ch, p), mine in zip(done, is_typed, strict=True) if mine],
                              [len(e.text) for e in events if isinstance(e, Typed)]))
        for (_, press), mine in zip(done, is_typed, strict=True):
            press.left -= 1
            press.typed |= mine
        for press in {id(p): p for _, p in done}.values():
            if press.left == 0 and not press.released and not press.typed:
                self._swallow[press.key] += 1  # the scanner's key: its release is still to come
        for event in events:
            if isinstance(event, Typed):
                self._deliver(next(chunks))
            elif isinstance(event, Scanned):
                log.debug("wedge: scanned %d characters", len(event.text))
                self._ctx.events.scanned.emit(event.text)

    def _deliver(self, chars: list[tuple[str, _Press]]) -> None:
        """Send the person's keys again, in order: one press per original press, then its release if it came."""
        groups: list[tuple[_Press, str]] = []
        for ch, press in chars:
            if groups and groups[-1][0] is press:
                groups[-1] = (press, groups[-1][1] + ch)
            else:
                groups.append((press, ch))
        for press, text in groups:
            target = press.receiver if shiboken6.isValid(press.receiver) else QApplication.focusWidget()
            if target is None:
                continue
            self._send(target, QKeyEvent(QEvent.Type.KeyPress, press.key, press.modifiers, text))
            if press.released and press.left == 0:
                self._send(target, QKeyEvent(QEvent.Type.KeyRelease, press.key, press.modifiers, press.text))

    def _send(self, target: QWidget, event: QKeyEvent) -> None:
        self._sending.append(event)
        try:
            QApplication.sendEvent(target, event)
        finally:
            self._sending.pop()  # sends nest (a key's slot may type another): last in, first out


def _leftmost(sub: str, chars: list[str]) -> list[bool]:
    """Which of ``chars`` spell ``sub``, matched leftmost (the person's keys within a run; equal characters are
    interchangeable, so the leftmost match delivers the same text)."""
    marks, i = [], 0
    for ch in chars:
        mine = i < len(sub) and ch == sub[i]
        i += mine
        marks.append(mine)
    if i != len(sub):  # cannot happen with the classifier's events; never lose a key if it did
        log.warning("wedge: released keys did not match the classifier's events")
        return [True] * len(chars)
    return marks


def _chunks(items: list[tuple[str, _Press]], sizes: list[int]) -> list[list[tuple[str, _Press]]]:
    out, start = [], 0
    for size in sizes:
        out.append(items[start:start + size])
        start += size
    if start < len(items):
        out[-1:] = [out[-1] + items[start:]] if out else [items[start:]]
    return out
