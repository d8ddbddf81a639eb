"""Manager page: Cards (placeholder until it is built)."""

from __future__ import annotations

from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from pos_app.ui.context import UiContext
from pos_app.ui.messages import tr


class CardsPage(QWidget):
    title = "Cards"
    icon_name = "cards"

    def __init__(self, ctx: UiContext) -> None:
        super().__init__()
        self.ctx = ctx
        QVBoxLayout(self).addWidget(QLabel(tr("Cards")))

    def on_shown(self) -> None:
        pass
