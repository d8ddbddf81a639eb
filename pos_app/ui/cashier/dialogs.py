"""The cashier screen's two questions: "really refund?" and a manager's PIN for an override.

Both are opened with ``open()`` (window-modal, no nested event loop), so the till keeps drawing, background
results keep arriving, and the screen reacts to a signal instead of waiting on ``exec()``.

:class:`OverrideDialog` asks for a manager's PIN over the cashier's shoulder, to accept a redemption the offline
limits refused. It only asks: the PIN goes with the redemption to the session (``redeem(..., override_pin=pin)``), which
checks it and records the override on the entry.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QMessageBox, QVBoxLayout, QWidget

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
