"""The one Qt application object, for the window and for headless rendering (PDFs from the command line).

Qt needs a QGuiApplication before it can lay out text or write a PDF. A QApplication (widgets) is made, not a
bare QGuiApplication, so that the till window and pytest-qt's ``qapp`` can share it later in the same process.
On a till or server without a display (no ``DISPLAY``/``WAYLAND_DISPLAY`` on Linux) the ``offscreen`` platform
is chosen, so ``pos-app campaign sheet`` works over SSH; a platform set in ``QT_QPA_PLATFORM`` is left alone.

It also works around a reference-counting bug of the installed Qt for Python (PySide6/shiboken6 6.12.0 on
CPython 3.11): every call of a method that returns nothing (``QPainterPath.addRect``, ``QPainter.setPen``,
``QObject.setObjectName`` …) releases one reference to ``None`` that it never took. ``None`` starts with about
5,000 references, so after some 5,000 such calls — one card sheet page, a few seconds of a window — CPython
aborts with "Fatal Python error: none_dealloc". From Python 3.12 ``None`` is immortal and the bug is harmless;
on 3.11 :func:`guard_none_refcount` detects it (a probe of 1,000 calls) and, only then, does what 3.12 does:
gives ``None`` a reference count no program can exhaust. It costs nothing and changes nothing else; drop it
once the project requires Python ≥ 3.12 or a Qt for Python without the bug.
"""

from __future__ import annotations

import ctypes
import os
import sys

from PySide6.QtCore import QCoreApplication, QRectF
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QApplication

_app: QApplication | None = None  # held here so that Python never collects the application object
_none_guarded = False
_PROBE_CALLS = 1000
_IMMORTAL = 1 << 40  # more references than any process will ever drop (CPython 3.12 uses 2**32 - 1)


def guard_none_refcount() -> bool:
    """Make ``None`` immortal if this Qt for Python drops references to it (see the module's docstring).
    Returns whether it had to; safe to call any number of times."""
    global _none_guarded  # noqa: PLW0603 - once per process
    if _none_guarded or sys.version_info >= (3, 12) or sys.implementation.name != "cpython":
        return _none_guarded
    probe = QRectF()
    before = sys.getrefcount(None)
    for _ in range(_PROBE_CALLS):
        probe.setWidth(1.0)  # returns nothing: a buggy binding drops one reference to None per call
    if before - sys.getrefcount(None) >= _PROBE_CALLS * 9 // 10:
        # ob_refcnt is the first field of every object of a release build of CPython 3.11
        ctypes.c_ssize_t.from_address(id(None)).value += _IMMORTAL
        _none_guarded = True
    return _none_guarded


def needs_offscreen(environ: dict[str, str] | os._Environ[str] | None = None, platform: str | None = None) -> bool:
    """True on a Unix without a display server (Windows and macOS always have their own platform plugin)."""
    env = os.environ if environ is None else environ
    plat = sys.platform if platform is None else platform
    if plat.startswith(("win", "darwin")) or env.get("QT_QPA_PLATFORM"):
        return False
    return not (env.get("DISPLAY") or env.get("WAYLAND_DISPLAY"))


def ensure_app() -> QGuiApplication:
    """The running QGuiApplication (a QApplication if this module made it), creating one if there is none."""
    global _app  # noqa: PLW0603 - one application per process, by Qt's rules
    existing = QCoreApplication.instance()
    if existing is not None:
        if not isinstance(existing, QGuiApplication):
            raise RuntimeError("a QCoreApplication without GUI support is running; PDFs need a QGuiApplication")
        guard_none_refcount()
        return existing
    if needs_offscreen():
        os.environ["QT_QPA_PLATFORM"] = "offscreen"
    guard_none_refcount()
    _app = QApplication(sys.argv[:1] or ["pos-app"])
    return _app
