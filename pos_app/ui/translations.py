"""The window's language: the translation of ``UiSettings.language`` (or the system's), loaded at start.

Translations live in ``resources/translations/pos_app_LANG.qm``, compiled from Qt Linguist ``.ts`` files by
``python packaging/translations.py build``. Qt's own strings (standard dialogs' buttons) come from the
``qtbase_LANG.qm`` Qt ships, when it is there. A language without a file leaves the window in English, as
written. The language is chosen before any widget exists, so a change in the settings takes effect at the next
start (the settings page says so).
"""

from __future__ import annotations

import logging

from PySide6.QtCore import QCoreApplication, QLibraryInfo, QLocale, QTranslator

from pos_app.ui.resources import resource

log = logging.getLogger(__name__)
_installed: list[QTranslator] = []  # held here: Qt does not own a translator, and a collected one stops working


def available() -> list[str]:
    """The languages with a translation, besides English (``["de"]``)."""
    return sorted(p.stem.removeprefix("pos_app_") for p in resource("translations").glob("pos_app_*.qm"))


def install(language: str = "") -> str:
    """Load ``language`` (``""``: the system's); returns the language in force (``"en"`` when none was loaded)."""
    app = QCoreApplication.instance()
    if app is None:
        raise RuntimeError("create the application before its translations")
    for old in _installed:
        app.removeTranslator(old)
    _installed.clear()
    wanted = (language or QLocale.system().name()).split("_")[0].lower()
    if wanted in ("", "en", "c"):
        return "en"
    ours = QTranslator()
    if not ours.load(str(resource("translations", f"pos_app_{wanted}.qm"))):
        log.info("no translation for %r: the window stays in English", wanted)
        return "en"
    app.installTranslator(ours)
    _installed.append(ours)
    qt = QTranslator()
    if qt.load(f"qtbase_{wanted}", QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)):
        app.installTranslator(qt)
        _installed.append(qt)
    return wanted
