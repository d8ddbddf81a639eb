"""The "New campaign" form: name, value per card, number of cards, optional first and last day.

The form checks what it can before anything is written, with a sentence for each mistake and the focus on the
field to fix (nothing typed is cleared); the service checks everything again and its refusals (a name taken, an
enrolled till) are shown the same way by the page. Codes use the readable default (``GC-XXXX-XXXX-XXXX-XXXX``
with a check character), the only format a cashier can read aloud and type without mistakes, unless the manager
asks for an own one (:class:`~.campaign_codes.CodeOptions`, with the redemption limit and the category).

Dates are whole days in the shop's time zone (``domain.shop_time``), as on the command line: a campaign starts
at the first day's midnight there and its cards may be used all of the last day (they expire at the next
midnight there), whatever this machine's zone.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from babel.numbers import format_decimal
from PySide6.QtCore import QDate, Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QDateEdit,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from pos_app.domain.errors import GiftCardError
from pos_app.domain.shop_time import expiry_end_of_day, local, start_of_day
from pos_app.services.campaigns import MAX_CAMPAIGN_SIZE, CreateCampaign
from pos_app.services.context import utc_now
from pos_app.ui.context import UiContext
from pos_app.ui.icons import icon
from pos_app.ui.manager.campaign_codes import CodeOptions
from pos_app.ui.messages import sentence, tr

_GROUPING = re.compile(r"[\s,._'\u00a0\u202f]")


@dataclass(frozen=True, slots=True)
class Problem:
    """Why the form cannot be sent yet, and which field to fix."""

    text: str
    field: QWidget


class CampaignForm(QGroupBox):
    """Emits ``submitted(CreateCampaign)`` when the manager asks for a campaign the form finds sound."""

    submitted = Signal(object)

    def __init__(self, ctx: UiContext, parent: QWidget | None = None) -> None:
        super().__init__(tr("New campaign"), parent)
        self.ctx = ctx
        self.setObjectName("CampaignForm")
        self.name = QLineEdit()
        self.name.setPlaceholderText(tr("e.g. Christmas cards"))
        self.name.setMaxLength(200)
        self.amount = QLineEdit()
        self.amount.setPlaceholderText(tr("e.g. 25.00"))
        self.amount.setAlignment(Qt.AlignmentFlag.AlignRight)
        self.count = QLineEdit()
        self.count.setPlaceholderText(tr("e.g. 500"))
        self.count.setAlignment(Qt.AlignmentFlag.AlignRight)
        self.count.setToolTip(tr("From 1 to {most} cards").format(most=self._n(MAX_CAMPAIGN_SIZE)))
        self.starts_on, self.starts = self._optional_day(tr("Starts on"))
        self.expires_on, self.expires = self._optional_day(tr("Last day"))
        shop_today = local(utc_now(), ctx.zone).date()  # the shop's today, not this machine's
        today = QDate(shop_today.year, shop_today.month, shop_today.day)
        self.starts.setDate(today)
        self.expires.setMinimumDate(today)
        self.expires.setDate(today.addYears(1))

        self.problem = QLabel("")
        self.problem.setObjectName("FormProblem")
        self.problem.setProperty("level", "refused")
        self.problem.setWordWrap(True)
        self.problem.hide()
        self.create_button = QPushButton(icon("campaigns"), tr("Create campaign (Ctrl+Enter)"))
        self.create_button.setProperty("role", "primary")
        self.create_button.setShortcut(tr("Ctrl+Return"))
        self.create_button.clicked.connect(self.submit)
        self.back_button = QPushButton(tr("Back to the list (Esc)"))
        self.back_button.setProperty("role", "secondary")
        self.back_button.hide()  # shown when the form takes the place of the list (a narrow window)
        self.progress = QProgressBar()
        self.progress.setObjectName("CampaignProgress")
        self.progress.setTextVisible(True)
        self.progress.hide()
        self.progress_text = QLabel("")
        self.progress_text.setObjectName("ProgressText")
        self.progress_text.setWordWrap(True)
        self.progress_text.hide()

        fields = QFormLayout()
        fields.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.ExpandingFieldsGrow)
        fields.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)  # labels above fields when narrow
        fields.addRow(tr("&Name"), self.name)
        fields.addRow(tr("&Value per card ({currency})").format(currency=ctx.currency), self.amount)
        fields.addRow(tr("Number of &cards"), self.count)
        fields.addRow(self.starts_on, self.starts)
        fields.addRow(self.expires_on, self.expires)
        self.options = CodeOptions(self)
        self.options.add_rows(fields)
        hint = QLabel(tr("Cards are made inactive: each becomes usable when it is sold. Codes look like "
                         "GC-7XZP-… and carry a check character."))
        hint.setObjectName("Hint")
        hint.setProperty("role", "hint")
        hint.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addLayout(fields)
        layout.addWidget(hint)
        layout.addWidget(self.problem)
        actions = QHBoxLayout()
        actions.addWidget(self.back_button)
        actions.addWidget(self.create_button, 1)
        layout.addLayout(actions)
        layout.addWidget(self.progress)
        layout.addWidget(self.progress_text)
        layout.addStretch(1)
        for field in (self.name, self.amount, self.count):
            field.returnPressed.connect(self.submit)
            field.textEdited.connect(lambda _text: self.problem.hide())
        self.setTabOrder(self.name, self.amount)
        self.setTabOrder(self.amount, self.count)
        self.setTabOrder(self.count, self.starts_on)
        self.setTabOrder(self.starts_on, self.starts)
        self.setTabOrder(self.starts, self.expires_on)
        self.setTabOrder(self.expires_on, self.expires)
        self.setTabOrder(self.expires, self.options.limit)
        self.setTabOrder(self.options.limit, self.options.category)
        self.setTabOrder(self.options.category, self.options.own)
        self.setTabOrder(self.options.own, self.options.pattern)
        self.setTabOrder(self.options.pattern, self.options.length)
        self.setTabOrder(self.options.length, self.options.charset)
        self.setTabOrder(self.options.charset, self.options.prefix)
        self.setTabOrder(self.options.prefix, self.options.postfix)
        self.setTabOrder(self.options.postfix, self.create_button)
        self.setTabOrder(self.create_button, self.back_button)

    def _optional_day(self, label: str) -> tuple[QCheckBox, QDateEdit]:
        check = QCheckBox(label)
        day = QDateEdit()
        day.setCalendarPopup(True)
        day.setDisplayFormat("yyyy-MM-dd")
        day.setEnabled(False)
        check.toggled.connect(day.setEnabled)
        check.toggled.connect(lambda _on: self.problem.hide())
        return check, day

    # ---- reading the form ------------------------------------------------------------------------------------

    def read(self) -> CreateCampaign | Problem:
        """The command the form describes, or the first thing to fix."""
        name = self.name.text().strip()
        if not name:
            return Problem(tr("Give the campaign a name."), self.name)
        try:
            amount = self.ctx.session.money(self.amount.text())
        except GiftCardError as exc:
            return Problem(sentence(exc, locale=self.ctx.locale), self.amount)
        count = _whole_number(self.count.text())
        if count is None or not 1 <= count <= MAX_CAMPAIGN_SIZE:
            return Problem(tr("Enter how many cards to make: a whole number from 1 to {most}.").format(
                most=self._n(MAX_CAMPAIGN_SIZE)), self.count)
        zone = self.ctx.zone
        start = _day(self.starts) if self.starts_on.isChecked() else None
        last = _day(self.expires) if self.expires_on.isChecked() else None
        if last is not None and last < local(utc_now(), zone).date():
            return Problem(tr("The last day must be today or later."), self.expires)
        if start is not None and last is not None and last < start:
            return Problem(tr("The last day must not be before the first day."), self.expires)
        return CreateCampaign(
            name=name, amount=amount, count=count,
            start_date=start_of_day(start, zone) if start else None,
            expiration_date=expiry_end_of_day(last, zone) if last else None,
        )

    def submit(self) -> None:
        if not self.create_button.isEnabled() or not self.isEnabled():
            return  # busy: no double submit
        found = self.read()
        if isinstance(found, Problem):
            self.show_problem(found.text, found.field)
            return
        self.problem.hide()
        self.submitted.emit(self.options.apply(found))

    def show_problem(self, text: str, field: QWidget | None = None) -> None:
        self.problem.setText(text)
        self.problem.show()
        target = field or self.name
        target.setFocus(Qt.FocusReason.OtherFocusReason)
        if isinstance(target, QLineEdit):
            target.selectAll()

    # ---- while the cards are written -------------------------------------------------------------------------

    def set_busy(self, total: int | None) -> None:
        """``total``: cards being written (the form is locked, the bar shows progress); None: done."""
        busy = total is not None
        for widget in (self.name, self.amount, self.count, self.starts_on, self.expires_on, self.create_button,
                       self.back_button):
            widget.setEnabled(not busy)
        self.starts.setEnabled(not busy and self.starts_on.isChecked())
        self.expires.setEnabled(not busy and self.expires_on.isChecked())
        self.options.set_busy(busy)
        self.progress.setVisible(busy)
        self.progress_text.setVisible(busy)
        if total is not None:
            self.progress.setRange(0, total)
            self.progress.setValue(0)
            self.progress_text.setText(tr("Writing {total} cards…").format(total=self._n(total)))

    def show_progress(self, done: int, total: int) -> None:
        if self.progress.maximum() != total:
            self.progress.setRange(0, total)
        self.progress.setValue(done)
        self.progress_text.setText(tr("Written {done} of {total} cards…").format(done=self._n(done),
                                                                                 total=self._n(total)))

    def _n(self, number: int) -> str:
        return str(format_decimal(number, locale=self.ctx.locale))

    def clear(self) -> None:
        for field in (self.name, self.amount, self.count):
            field.clear()
        self.starts_on.setChecked(False)
        self.expires_on.setChecked(False)
        self.options.clear()
        self.problem.hide()


def _whole_number(text: str) -> int | None:
    """``500``, ``1,000``, ``1 000``, ``10.000``: digits with any grouping; anything else is None."""
    digits = _GROUPING.sub("", text.strip())
    if not digits.isdigit() or not digits.isascii():
        return None
    return int(digits) if len(digits) <= 12 else None


def _day(edit: QDateEdit) -> date:
    picked = edit.date()
    return date(picked.year(), picked.month(), picked.day())
