"""The cashier's card panel as the Cards page shows it: the whole code, the card's validation rules, and no short
list of entries.

The page shows the card's whole history in a table of its own below, where a redemption is picked for a
refund; the panel's list of the last few entries beside it would only say the same thing twice. The card's
validation rules (assigned to it or its campaign at head office) are listed one per line (``#CardRules``), in a
cashier's words (``rule_text``), so a manager can say why a redemption is refused.
"""

from __future__ import annotations

from PySide6.QtWidgets import QLabel, QSizePolicy

from pos_app.services.cards import CardView
from pos_app.ui.cashier.card_panel import CardPanel
from pos_app.ui.context import UiContext
from pos_app.ui.manager.rule_text import rule_lines
from pos_app.ui.messages import tr


class CardSummary(CardPanel):
    def __init__(self, ctx: UiContext) -> None:
        super().__init__(ctx, full_code=True)  # managers see whole codes (DESIGN.md §4)
        self.setProperty("role", "card")
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Maximum)
        self.rules = QLabel("")
        self.rules.setObjectName("CardRules")
        self.rules.setProperty("role", "hint")
        self.rules.setWordWrap(True)
        self.rules.setVisible(False)
        layout = self.layout()
        assert layout is not None
        layout.addWidget(self.rules)

    def show_card(self, view: CardView) -> None:
        super().show_card(CardView(card=view.card, recent=[], masked_code=view.masked_code))
        self.entries.setVisible(False)
        card = view.card
        lines = rule_lines(card.rules, currency=card.currency, locale=self.ctx.locale)
        self.rules.setText("\n".join([tr("Rules:"), *(f"• {line}" for line in lines)]) if lines else "")
        self.rules.setVisible(bool(lines))

    def clear(self) -> None:
        super().clear()
        if hasattr(self, "rules"):  # (the panel clears itself before this class has made its label)
            self.rules.setText("")
            self.rules.setVisible(False)
