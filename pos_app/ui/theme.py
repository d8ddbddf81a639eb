"""The look of the till: one style sheet (``resources/style.qss``) and a font readable at arm's length."""

from __future__ import annotations

from PySide6.QtGui import QFont
from PySide6.QtWidgets import QApplication

from pos_app.ui.resources import resource

BASE_POINT_SIZE = 12


def apply_theme() -> None:
    app = QApplication.instance()
    if not isinstance(app, QApplication):
        return
    app.setStyle("Fusion")  # the same on every platform; the style sheet does the rest
    font = QFont(app.font())
    font.setPointSize(BASE_POINT_SIZE)
    app.setFont(font)
    sheet = resource("style.qss")
    if sheet.is_file():
        app.setStyleSheet(sheet.read_text(encoding="utf-8"))
