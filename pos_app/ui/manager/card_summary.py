"""The cashier's card panel as the Cards page shows it: the whole code, and no short list of entries.

The page shows the card's whole history in a table of its own below, where a redemption is picked for a
refund; the panel's list of the last few entries beside it would only say the same thing twice.
"""

from __future__ import annotations

from PySide6.QtWidgets import QSizePolicy

from pos_app.services.cards import CardView
from pos_app.ui.cashier.card_panel import CardPanel
from pos_app.ui.context import UiContext


class CardSummary(CardPanel):
    def __init__(self, ctx: UiContext) -> None:
        super().__init__(ctx, full_code=True)  # managers see whole codes (DESIGN.md §4)
        self.setProperty("role", "card")
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Maximum)

    def show_card(self, view: CardView) -> None:
        super().show_card(CardView(card=view.card, recent=[], masked_code=view.masked_code))
        self.entries.setVisible(False)
