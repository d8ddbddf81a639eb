"""The login screen: a PIN pad (placeholder until the login screen is built)."""

from __future__ import annotations

from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from pos_app.ui.context import UiContext


class LoginScreen(QWidget):
    def __init__(self, ctx: UiContext) -> None:
        super().__init__()
        self.ctx = ctx
        self.wants_manager = False
        QVBoxLayout(self).addWidget(QLabel("PIN"))

    def reset(self) -> None:
        self.wants_manager = False

    def ask_manager(self, parent: QWidget) -> None:
        self.wants_manager = True
