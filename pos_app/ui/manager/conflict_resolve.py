"""The form that resolves one sync conflict: how (recover, write off, correct by an amount), why, and whether the
card is disabled. Sent to the central server in the logged-in manager's name, after a confirmation (it writes an
entry to the card's ledger that nobody can take back).

``recover`` and ``write_off`` bring the card back to zero and take no amount; ``correct`` takes a signed amount
(typed like any amount at the till, ``-5.00`` to take off) that must leave the card at zero or above.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QCheckBox, QComboBox, QFormLayout, QGroupBox, QLineEdit, QMessageBox, QPushButton

from pos_app.domain import errors
from pos_app.domain.codes import mask
from pos_app.formatting import format_money
from pos_app.ui.context import Level, UiContext
from pos_app.ui.icons import icon
from pos_app.ui.manager.settings_common import Feedback
from pos_app.ui.messages import sentence, tr
from pos_app.ui.theme import restyle

if TYPE_CHECKING:
    from pos_app.sync.schemas import ConflictOut


class ResolveForm(QGroupBox):
    resolved = Signal(object)  # the ConflictOut as the server answered

    def __init__(self, ctx: UiContext) -> None:
        super().__init__(tr("Resolve"))
        self.ctx = ctx
        self.setObjectName("ResolveForm")
        self.conflict: ConflictOut | None = None
        self.how = QComboBox()  # one row: the table above keeps its room at 1024×768
        for action, text in (("recover", tr("Customer pays the difference")), ("write_off", tr("Shop writes it off")),
                             ("correct", tr("Correct by an amount"))):
            self.how.addItem(text, action)
        self.amount = QLineEdit()
        self.amount.setPlaceholderText(tr("e.g. 20.00, or -5.00 to take off"))
        self.reason = QLineEdit()
        self.reason.setMaxLength(500)
        self.reason.setPlaceholderText(tr("Required: what happened, e.g. customer paid €20 in cash"))
        self.disable = QCheckBox(tr("Disable the card (lost, stolen or misused)"))
        self.submit = QPushButton(icon("ok"), tr("Resolve (Ctrl+Enter)"))
        self.submit.setProperty("role", "primary")
        self.submit.setShortcut("Ctrl+Return")
        self.submit.clicked.connect(self.send)
        self.feedback = Feedback()
        form = QFormLayout(self)
        form.addRow(tr("How"), self.how)
        form.addRow(tr("Amount"), self.amount)
        form.addRow(tr("Reason"), self.reason)
        form.addRow("", self.disable)
        form.addRow("", self.submit)
        form.addRow(self.feedback)
        self.how.currentIndexChanged.connect(lambda _i: self._amount_needed())
        self.show_conflict(None)

    def action(self) -> str:
        return str(self.how.currentData())

    def _amount_needed(self) -> None:
        self.amount.setEnabled(self.conflict is not None and self.action() == "correct")

    def show_conflict(self, conflict: ConflictOut | None) -> None:
        """The conflict to resolve (None, or a resolved one: the form is off)."""
        self.conflict = conflict
        usable = conflict is not None and conflict.status == "open"
        for widget in (self.how, self.reason, self.disable, self.submit):
            widget.setEnabled(usable)
        self._amount_needed()
        self.feedback.say("")
        self._mark(None)
        if not usable:
            self.reason.clear()
            self.amount.clear()
            self.disable.setChecked(False)

    def _mark(self, field: QLineEdit | None) -> None:
        for each in (self.amount, self.reason):
            restyle(each, invalid=each is field)
        if field is not None:
            field.setFocus()

    def send(self) -> None:
        conflict = self.conflict
        if conflict is None or conflict.status != "open" or not self.submit.isEnabled():
            return
        action, reason = self.action(), self.reason.text().strip()
        amount: int | None = None
        if action == "correct":
            try:
                amount = self._signed_amount(self.amount.text())
            except errors.GiftCardError:
                self.feedback.say(tr("Enter the amount to correct by, such as 20.00, or -5.00 to take off."),
                                  Level.REFUSED)
                self._mark(self.amount)
                return
        if not reason:
            self.feedback.say(tr("Write the reason: it stays on the card's record."), Level.REFUSED)
            self._mark(self.reason)
            return
        self._mark(None)
        if not self._confirm(conflict, action, amount):
            return
        caller = self.ctx.session.caller
        operator = caller.actor.user_id if caller is not None else None
        till, disable = self.ctx.session.till, self.disable.isChecked()
        self.submit.setEnabled(False)
        self.feedback.say(tr("Sending to the central server…"))

        def work() -> ConflictOut:
            from pos_app.sync.conflicts import resolve_conflict

            return resolve_conflict(till, conflict.id, action=action, reason=reason,  # type: ignore[arg-type]
                                    operator_id=operator, amount=amount, disable=disable)

        # The server does the writing; locally only the enrolment is read: a reader thread, so sales never wait
        (self.ctx.ops.read(work, owner=self, label="resolve conflict").success(self._done)
         .failure(self._refused).finally_(lambda: self.submit.setEnabled(self.conflict is not None
                                                                         and self.conflict.status == "open")).run())

    def _signed_amount(self, text: str) -> int:
        text = text.strip()
        negative = text.startswith("-")
        money = self.ctx.session.money(text.lstrip("+-").strip())
        return -money.minor if negative else money.minor

    def _confirm(self, conflict: ConflictOut, action: str, amount: int | None) -> bool:
        card = mask(conflict.code)
        if action == "correct" and amount is not None:
            what = tr("Correct card {card} by {amount}?").format(
                card=card, amount=format_money(amount, conflict.currency, locale=self.ctx.locale))
        elif action == "write_off":
            what = tr("Write off {amount} on card {card}? The shop bears the loss.").format(
                card=card, amount=format_money(conflict.overdraft, conflict.currency, locale=self.ctx.locale))
        else:
            what = tr("Has the customer paid {amount} for card {card}?").format(
                card=card, amount=format_money(conflict.overdraft, conflict.currency, locale=self.ctx.locale))
        if self.disable.isChecked():
            what += " " + tr("The card will be disabled.")
        answer = QMessageBox.question(self, tr("Resolve the conflict"), what,
                                      QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel,
                                      QMessageBox.StandardButton.Cancel)
        return answer == QMessageBox.StandardButton.Yes

    def _done(self, conflict: ConflictOut) -> None:
        self.reason.clear()
        self.amount.clear()
        self.disable.setChecked(False)
        self.show_conflict(conflict)
        self.feedback.say(tr("Resolved. The card is released at the till's next sync."), Level.DONE)
        self.resolved.emit(conflict)

    def _refused(self, exc: BaseException) -> None:
        key = getattr(exc, "key", "")
        text = {"forbidden": tr("Only a manager of head office can resolve a conflict. Log in as one."),
                "invalid_amount": tr("That amount would leave the card below zero; correct by at least the "
                                     "overdraft."),
                }.get(key) or sentence(exc, locale=self.ctx.locale)
        self.feedback.say(text, Level.REFUSED)
        if key in {"invalid_amount", "missing_amount"}:
            self._mark(self.amount)
