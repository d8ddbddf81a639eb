"""The cashier's buttons, each with its key on it, and the keys themselves.

A key does exactly what its button does (``button.click``), so a key can never do what a disabled button may
not: a second Enter while a redemption is under way clicks a disabled Redeem and nothing happens. The keys
work while the focus is anywhere on the cashier screen (``WidgetWithChildrenShortcut``) and nowhere else, so
the manager screen's keys do not collide with them. Buttons never take the focus: the amount field keeps it.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import QGridLayout, QPushButton, QSizePolicy, QWidget

from pos_app.ui.icons import icon
from pos_app.ui.messages import tr
from pos_app.ui.theme import restyle


def _button(name: str, text: str, icon_name: str, role: str) -> QPushButton:
    button = QPushButton(icon(icon_name), text)
    button.setObjectName(name)
    button.setProperty("role", role)
    button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
    button.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
    button.setMinimumHeight(48)
    return button


class ActionBar(QWidget):
    """Redeem (big, across), then Whole balance, Check balance, Refund last, Reprint, Sell card and Clear in a
    grid."""

    def __init__(self) -> None:
        super().__init__()
        self.setObjectName("CashierActions")
        self.redeem = _button("RedeemButton", tr("Redeem (Enter)"), "redeem", "primary")
        self.redeem.setMinimumHeight(72)
        self.whole = _button("WholeBalanceButton", tr("Whole balance (F5)"), "balance", "secondary")
        self.check = _button("CheckButton", tr("Check balance (F2)"), "balance", "secondary")
        self.refund = _button("RefundLastButton", tr("Refund last (F3)"), "refund", "danger")
        self.reprint = _button("ReprintButton", tr("Reprint (F4)"), "reprint", "secondary")
        self.clear = _button("ClearButton", tr("Clear (Esc)"), "clear", "secondary")
        self.sell = _button("SellCardButton", tr("Sell card (F6)"), "sell", "secondary")
        self.sell.setToolTip(tr("Sell the card shown once the customer has paid (the amount typed is the price)"))
        self.whole.setToolTip(tr("Take everything that is left on the card"))
        self.check.setToolTip(tr("Read the card's balance again"))
        self.refund.setToolTip(tr("Put your last redemption back on its card"))
        self.reprint.setToolTip(tr("Print the last receipt again"))
        self.clear.setToolTip(tr("Forget the card and the amount"))
        grid = QGridLayout(self)
        grid.setContentsMargins(0, 0, 0, 0)
        grid.setSpacing(8)
        grid.addWidget(self.redeem, 0, 0, 1, 2)
        grid.addWidget(self.whole, 1, 0)
        grid.addWidget(self.check, 1, 1)
        grid.addWidget(self.refund, 2, 0)
        grid.addWidget(self.reprint, 2, 1)
        grid.addWidget(self.sell, 3, 0)
        grid.addWidget(self.clear, 3, 1)
        grid.setRowStretch(0, 3)
        for row in (1, 2, 3):
            grid.setRowStretch(row, 2)

    def install_keys(self, screen: QWidget, override: QPushButton) -> list[QShortcut]:
        """The function keys on ``screen``: F2 check, F3 refund last, F4 reprint, F5 whole balance, F6 sell the
        card shown, F7 manager override (when offered), Esc clear. Enter is the amount field's own (it confirms
        what was typed)."""
        keys = []
        for sequence, button in (("F2", self.check), ("F3", self.refund), ("F4", self.reprint),
                                 ("F5", self.whole), ("F6", self.sell), ("F7", override), ("Esc", self.clear)):
            shortcut = QShortcut(QKeySequence(sequence), screen)
            shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            shortcut.activated.connect(lambda b=button: b.isVisible() and b.click())
            keys.append(shortcut)
        return keys

    def set_compact(self, compact: bool) -> None:
        """Lower buttons where the height is short (a 1024×768 till); Redeem stays the biggest."""
        self.redeem.setMinimumHeight(56 if compact else 72)
        for button in self.all():
            if button is not self.redeem:
                button.setMinimumHeight(40 if compact else 48)
            restyle(button, compact=compact)

    def all(self) -> list[QPushButton]:
        return [self.redeem, self.whole, self.check, self.refund, self.reprint, self.sell, self.clear]
