"""The window's keys, listed (F1, or the "?" in the header): what every function key and shortcut does.

One list, :func:`window_keys`, read by the dialog and by the test that presses each key, so that the help cannot
name a key the window does not have.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from pos_app.ui.kiosk import LEAVE_KEY, QUIT_KEY
from pos_app.ui.messages import tr


def window_keys() -> list[tuple[str, str]]:
    """(key, what it does), in the order a cashier meets them."""
    return [
        (tr("Enter"), tr("Find the typed code; redeem the typed amount")),
        (tr("Esc"), tr("Clear the card and the amount; close a question")),
        ("F2", tr("Check balance")),
        ("F3", tr("Refund last")),
        ("F4", tr("Reprint the last receipt")),
        ("F5", tr("Whole balance")),
        ("F7", tr("Manager override of an offline refusal")),
        ("F8", tr("The till (cashier screen)")),
        ("F9", tr("The manager screen (a manager's PIN)")),
        (tr("Alt+1 … Alt+9"), tr("A page of the manager screen")),
        (LEAVE_KEY, tr("Kiosk mode: full screen; leaving it needs a manager's PIN")),
        ("F12", tr("Lock the till")),
        (QUIT_KEY, tr("Close the till (in kiosk mode: a manager's PIN)")),
        ("F1", tr("This list of keys")),
    ]


class KeysDialog(QDialog):
    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent)
        self.setObjectName("KeysDialog")
        self.setWindowTitle(tr("Keys"))
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        title = QLabel(tr("Keys"))
        title.setProperty("role", "title")
        keys = window_keys()
        self.table = QTableWidget(len(keys), 2)
        self.table.setObjectName("KeysTable")
        self.table.setAccessibleName(tr("Keys of the till"))
        self.table.setHorizontalHeaderLabels([tr("Key"), tr("What it does")])
        self.table.verticalHeader().setVisible(False)
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        for row, (key, what) in enumerate(keys):
            self.table.setItem(row, 0, QTableWidgetItem(key))
            self.table.setItem(row, 1, QTableWidgetItem(what))
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        buttons = QDialogButtonBox()
        close = buttons.addButton(tr("Close (Esc)"), QDialogButtonBox.ButtonRole.RejectRole)
        close.setAccessibleName(tr("Close"))
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(title)
        layout.addWidget(self.table, 1)
        layout.addWidget(buttons)
        self.resize(640, 620)
