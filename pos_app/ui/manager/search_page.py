"""Manager page: Search (placeholder until it is built)."""

from __future__ import annotations

from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from pos_app.ui.context import UiContext
from pos_app.ui.messages import tr


class SearchPage(QWidget):
    title = "Search"
    icon_name = "search"

    def __init__(self, ctx: UiContext) -> None:
        super().__init__()
        self.ctx = ctx
        QVBoxLayout(self).addWidget(QLabel(tr("Search")))

    def on_shown(self) -> None:
        pass
