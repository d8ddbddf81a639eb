"""Icons by name, from ``resources/icons/NAME.svg``: vectors, so they stay sharp at any scale (high DPI)."""

from __future__ import annotations

from functools import cache

from PySide6.QtGui import QIcon

from pos_app.ui.resources import resource


@cache
def icon(name: str) -> QIcon:
    """The icon ``name``; an empty icon (a button with text only) when the file is missing."""
    path = resource("icons", f"{name}.svg")
    return QIcon(str(path)) if path.is_file() else QIcon()
