"""The result line of the cashier screen: one big sentence, green when done, red when refused.

It stays until the next thing happens (a scan, a sale, Clear), so a cashier who looked away still reads what
the till said. A second, smaller line carries what went wrong beside a sale that stands (the receipt did not
print); an optional button offers the one way forward a refusal has (a manager's override).
For the style sheet: the sentence is a message banner (``QLabel[level="done"|"info"|"refused"]``, also
``#BannerText``), the second line ``#BannerDetail`` (``level="refused"``), the button ``#BannerAction``
(``role="primary"``), all in the frame ``#ResultBanner`` (which carries the same ``level``).
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton, QVBoxLayout

from pos_app.ui.context import Level
from pos_app.ui.theme import restyle


class Banner(QFrame):
    def __init__(self) -> None:
        super().__init__()
        self.setObjectName("ResultBanner")
        self.text = QLabel("")
        self.text.setObjectName("BannerText")
        self.text.setWordWrap(True)
        self.text.setTextInteractionFlags(Qt.TextInteractionFlag.NoTextInteraction)
        self.detail = QLabel("")
        self.detail.setObjectName("BannerDetail")
        self.detail.setWordWrap(True)
        self.detail.setProperty("level", "refused")
        self.action = QPushButton("")
        self.action.setObjectName("BannerAction")
        self.action.setProperty("role", "primary")
        self.action.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        action_row = QHBoxLayout()
        action_row.addStretch(1)
        action_row.addWidget(self.action)
        column = QVBoxLayout(self)  # the button under the sentence: beside it, a long sentence gets squeezed
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(6)
        column.addWidget(self.text)
        column.addWidget(self.detail)
        column.addLayout(action_row)
        self.clear()

    def show_text(self, text: str, level: Level, *, detail: str = "", action: str = "") -> None:
        """Show ``text``; ``action`` (a button's label) shows the action button, wired by the owner."""
        self.text.setText(text)
        self.detail.setText(detail)
        self.detail.setVisible(bool(detail))
        self.action.setText(action)
        self.action.setVisible(bool(action))
        restyle(self, level=str(level))
        restyle(self.text, level=str(level))

    def clear(self, hint: str = "") -> None:
        """Back to the quiet state: ``hint`` says what to do next (the banner keeps its place on screen, so
        nothing below it jumps when a result appears)."""
        self.show_text(hint, Level.INFO)

    @property
    def level(self) -> str:
        return str(self.property("level"))
