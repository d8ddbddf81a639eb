"""The cashier screen's questions: "really refund?", a manager's PIN for an override, and how a card sold was
paid for.

Both are opened with ``open()`` (window-modal, no nested event loop), so the till keeps drawing, background
results keep arriving, and the screen reacts to a signal instead of waiting on ``exec()``.

:class:`OverrideDialog` asks for a manager's PIN over the cashier's shoulder, to accept a redemption the offline
limits refused. It only asks: the PIN goes with the redemption to the session (``redeem(..., override_pin=pin)``), which
checks it and records the override on the entry.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from pos_app.domain.ledger import PaymentMethod
from pos_app.ui.messages import tr
from pos_app.ui.widgets.pin_pad import PinPad


class OverrideDialog(QDialog):
    """The PIN pad in a small window. It stays open while the PIN is checked with the redemption, so a wrong PIN
    is said under the dots (:meth:`refused`) and can be typed again; the screen closes it when it is done."""

    pin_given = Signal(str)

    def __init__(self, parent: QWidget, what: str) -> None:
        """``what``: the refused redemption in words ("€150.00 on card •••• 7XZP")."""
        super().__init__(parent)
        self.setObjectName("OverrideDialog")
        self.setWindowTitle(tr("Manager override"))
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        intro = QLabel(tr("The till is offline and its limits refused {what}.\n"
                          "A manager may accept it with their PIN; the override is recorded.").format(what=what))
        intro.setObjectName("OverrideIntro")
        intro.setWordWrap(True)
        self.pad = PinPad(self, escape_clears=False)
        self.pad.submitted.connect(self.pin_given.emit)
        self.buttons = QDialogButtonBox()
        self.cancel = self.buttons.addButton(tr("Cancel (Esc)"), QDialogButtonBox.ButtonRole.RejectRole)
        self.cancel.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.pad, 1)
        layout.addWidget(self.buttons)
        self.setMinimumSize(400, 600)  # the pad at its comfortable size, whatever the parent
        self.pad.setFocus()

    def busy(self, busy: bool) -> None:
        self.pad.set_busy(busy)
        self.cancel.setEnabled(not busy)

    def refused(self, text: str) -> None:
        """A PIN that did not do it: say why under the dots and let the manager try again."""
        self.busy(False)
        self.pad.clear()
        self.pad.set_error(text)
        self.pad.setFocus()


class ConfirmBox(QMessageBox):
    """A yes/no question whose yes button says what it does ("Refund"); ``confirmed`` when it is pressed."""

    confirmed = Signal()

    def __init__(self, parent: QWidget, *, title: str, text: str, yes: str) -> None:
        super().__init__(QMessageBox.Icon.Question, title, text, parent=parent)
        self.setObjectName("ConfirmBox")
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.yes = self.addButton(yes, QMessageBox.ButtonRole.AcceptRole)
        self.yes.setProperty("role", "danger")
        self.no = self.addButton(tr("Cancel (Esc)"), QMessageBox.ButtonRole.RejectRole)
        self.setDefaultButton(self.yes)  # the cashier chose the action with its own key: Enter confirms it
        self.setEscapeButton(self.no)
        self.buttonClicked.connect(lambda button: self.confirmed.emit() if button is self.yes else None)


class PaymentDialog(QDialog):
    """How the customer paid for the card being sold: three big buttons (keys 1, 2, 3); ``chosen`` with the
    method. The sale runs when one is pressed; the screen closes the dialog when it is done."""

    chosen = Signal(object)

    def __init__(self, parent: QWidget, what: str) -> None:
        """``what``: the sale in words ("card •••• 7XZP, worth €50.00, for €45.00")."""
        super().__init__(parent)
        self.setObjectName("PaymentDialog")
        self.setWindowTitle(tr("Sell card"))
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        intro = QLabel(tr("Sell {what}. How did the customer pay?").format(what=what))
        intro.setObjectName("PaymentIntro")
        intro.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        row = QHBoxLayout()
        self.buttons: dict[PaymentMethod, QPushButton] = {}
        names = {PaymentMethod.CASH: tr("Cash (1)"), PaymentMethod.CARD: tr("Card (2)"),
                 PaymentMethod.OTHER: tr("Other (3)")}
        for key, (method, name) in enumerate(names.items(), start=1):
            button = QPushButton(name)
            button.setObjectName(f"Pay_{method.value}")
            button.setMinimumHeight(72)
            button.setShortcut(str(key))
            button.clicked.connect(lambda _checked=False, m=method: self._choose(m))
            row.addWidget(button)
            self.buttons[method] = button
        layout.addLayout(row)
        cancel = QDialogButtonBox()
        self.cancel = cancel.addButton(tr("Cancel (Esc)"), QDialogButtonBox.ButtonRole.RejectRole)
        cancel.rejected.connect(self.reject)
        layout.addWidget(cancel)
        self.setMinimumSize(520, 240)  # three buttons a finger can hit, whatever the parent

    def _choose(self, method: PaymentMethod) -> None:
        for button in self.buttons.values():
            button.setEnabled(False)  # one sale per card: a second press does nothing
        self.chosen.emit(method)
