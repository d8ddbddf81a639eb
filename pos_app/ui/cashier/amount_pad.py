"""The amount entry: a field for the keyboard and a numeric pad for touch, one text between them.

The field takes anything typed: it is the session's parser (``ctx.session.money``) that judges the text, so
that "12a" or "12.505" gets a sentence saying what is wrong instead of keys that silently do nothing, and the
text stays there to be corrected. The pad's keys never take the focus: the field keeps it, so typing and
tapping mix freely and Enter always confirms. The decimal key is the shop's decimal symbol ("," in Germany);
"." is always understood as well.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QGridLayout, QLineEdit, QPushButton, QSizePolicy, QVBoxLayout, QWidget

from pos_app.domain.money import Money, exponent
from pos_app.formatting import decimal_separator
from pos_app.ui.icons import icon
from pos_app.ui.messages import tr
from pos_app.ui.theme import restyle

MAX_TYPED = 12  # "1000000.00" and a little room; anything longer is a key held down


class AmountPad(QWidget):
    submitted = Signal()  # Enter in the field

    def __init__(self, locale: str) -> None:
        super().__init__()
        self.setObjectName("AmountPad")
        self.separator = decimal_separator(locale)
        self.field = QLineEdit()
        self.field.setObjectName("AmountField")
        self.field.setProperty("role", "amount")
        self.field.setMaxLength(MAX_TYPED)
        self.field.setAlignment(Qt.AlignmentFlag.AlignRight)
        self.field.setPlaceholderText(f"0{self.separator}00")
        self.field.setAccessibleName(tr("Amount"))
        self.field.returnPressed.connect(self.submitted.emit)
        self.keys: dict[str, QPushButton] = {}

        grid = QGridLayout()
        grid.setSpacing(6)
        rows = (("7", "8", "9"), ("4", "5", "6"), ("1", "2", "3"), ("0", "00", self.separator))
        for r, row in enumerate(rows):
            for c, key in enumerate(row):
                grid.addWidget(self._key(key, key, partial(self._type, key)), r, c)
        # ⌫ and C as a tall fourth column: four rows of keys leave a 768-pixel till room for the actions
        grid.addWidget(self._key("backspace", "⌫", self.field.backspace, icon_name="backspace"), 0, 3, 2, 1)
        grid.addWidget(self._key("clear", tr("C"), self.field.clear, icon_name="clear"), 2, 3, 2, 1)
        self.keys["backspace"].setToolTip(tr("Delete the last digit"))
        self.keys["clear"].setToolTip(tr("Clear the amount"))

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.field)
        layout.addLayout(grid, 1)

    def _key(self, name: str, text: str, action: Callable[[], object], *, icon_name: str = "") -> QPushButton:
        button = QPushButton(text)
        if icon_name and not icon(icon_name).isNull():
            button.setIcon(icon(icon_name))
            button.setText("" if name == "backspace" else text)
        button.setObjectName("PadKey")
        button.setProperty("role", "pad")
        button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        button.setAutoRepeat(name == "backspace")
        button.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        button.clicked.connect(action)
        self.keys[name] = button
        return button

    def _type(self, text: str) -> None:
        if self.field.isReadOnly():
            return
        self.field.insert(text)
        self.field.setFocus()

    # ---- API -------------------------------------------------------------------------------------------------

    def text(self) -> str:
        return self.field.text()

    def set_amount(self, amount: Money) -> None:
        """Fill in ``amount`` the way a person would type it in this shop ("37.50" / "37,50")."""
        text = amount.major_str()
        if exponent(amount.currency):
            text = text.replace(".", self.separator)
        self.field.setText(text)
        self.focus()

    def clear(self) -> None:
        self.field.clear()

    def focus(self) -> None:
        self.field.setFocus()
        self.field.end(False)

    def set_compact(self, compact: bool) -> None:
        """Lower keys (``compact="true"`` in the style sheet) where the height is short: a 1024×768 till."""
        restyle(self.field, compact=compact)
        for button in self.keys.values():
            restyle(button, compact=compact)

    def set_busy(self, busy: bool) -> None:
        """While a sale is under way the text stays as it is (read-only, so the focus stays here too)."""
        self.field.setReadOnly(busy)
        for button in self.keys.values():
            button.setEnabled(not busy)
