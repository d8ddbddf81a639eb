"""The cashier screen (placeholder until it is built)."""

from __future__ import annotations

from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from pos_app.ui.context import UiContext


class CashierScreen(QWidget):
    def __init__(self, ctx: UiContext) -> None:
        super().__init__()
        self.ctx = ctx
        QVBoxLayout(self).addWidget(QLabel("Cashier"))

    def take_scan(self, text: str) -> None:
        pass

    def on_shown(self) -> None:
        pass

    def shutdown(self) -> None:
        pass
