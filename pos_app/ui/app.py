"""Starting the till window: the store, the demo shop, the context, the window and its background parts.

:func:`build_window` makes a ready window from an open till (tests and the screenshot script use it);
:func:`run_till` is what ``pos-app`` runs: it shows the window first and starts the slow parts (the sync worker,
the camera) after it is on screen, so the till is usable as early as possible (README: cold start).
"""

from __future__ import annotations

import logging
import os
import time
from pathlib import Path

from pos_app.bootstrap import Till
from pos_app.ui.context import DemoInfo, Events, UiContext, load_ui_settings
from pos_app.ui.ops import Ops
from pos_app.ui.session import TillSession

STARTED = time.perf_counter()  # as early as this module is imported
STARTUP_PROBE_ENV = "POS_APP_STARTUP_PROBE"  # the cold start benchmark: print when usable, then quit
log = logging.getLogger(__name__)


def build_context(till: Till, *, demo: DemoInfo | None = None, printing: bool = True,
                  language: str | None = None) -> UiContext:
    """The window's context; its language is ``language`` if given, else the till's setting ("": the system's)."""
    from pos_app.qt_printing.qt_app import ensure_app

    ensure_app()
    settings = load_ui_settings(till)
    from pos_app.ui.translations import install

    install(settings.language if language is None else language)
    session = TillSession(till, printing=printing)
    session.profile  # noqa: B018 - read now, before the window exists, never later on the GUI thread
    return UiContext(session=session, ops=Ops(), events=Events(), settings=settings, demo=demo)


def build_window(ctx: UiContext):  # type: ignore[no-untyped-def]
    from pos_app.ui.main_window import MainWindow
    from pos_app.ui.theme import apply_theme

    apply_theme()
    return MainWindow(ctx)


def run_till(till: Till, *, demo: DemoInfo | None = None, log_dir: Path | None = None, kiosk: bool = False) -> int:
    """Show the till window and run until it is closed; the exit status. ``kiosk`` (``pos-app --kiosk``): in kiosk
    mode whatever the setting says (:mod:`pos_app.ui.kiosk`)."""
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication

    _log_to(log_dir or till.data_dir / "logs")
    ctx = build_context(till, demo=demo)
    window = build_window(ctx)
    if kiosk or ctx.settings.kiosk:
        window.kiosk.enter()
    else:
        window.show()
    log.info("window shown %.0f ms after start", (time.perf_counter() - STARTED) * 1000)
    QTimer.singleShot(0, window.start_background)
    app = QApplication.instance()
    assert app is not None
    if os.environ.get(STARTUP_PROBE_ENV):  # runs once the first frame has been painted and the loop is idle
        QTimer.singleShot(0, lambda: (print("usable", flush=True), app.quit()))
    return int(app.exec())


def _log_to(folder: Path) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    handler = logging.FileHandler(folder / "till.log", encoding="utf-8")
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    root = logging.getLogger()
    for other in root.handlers:  # a library's logging.basicConfig (python-escpos calls it): only warnings there
        if type(other) is logging.StreamHandler:
            other.setLevel(logging.WARNING)
    root.addHandler(handler)
    root.setLevel(logging.INFO)
