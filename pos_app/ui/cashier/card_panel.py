"""The card panel: masked code, balance, status, expiry and the last entries (placeholder until built).

API (used by the cashier screen and the manager's Cards page): ``CardPanel(ctx)``, ``show_card(view)`` with a
``services.cards.CardView``, ``clear()``, and the read-only property ``card`` (the GiftCard shown, or None).
"""

from __future__ import annotations

from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from pos_app.domain.cards import GiftCard
from pos_app.services.cards import CardView
from pos_app.ui.context import UiContext


class CardPanel(QWidget):
    def __init__(self, ctx: UiContext) -> None:
        super().__init__()
        self.ctx = ctx
        self._card: GiftCard | None = None
        self._label = QLabel("")
        QVBoxLayout(self).addWidget(self._label)

    @property
    def card(self) -> GiftCard | None:
        return self._card

    def show_card(self, view: CardView) -> None:
        self._card = view.card
        self._label.setText(f"{view.card.masked} {view.card.balance}")

    def clear(self) -> None:
        self._card = None
        self._label.setText("")
