"""The base of the Cards page's forms: fields, a note that says why the form cannot be used, one big button.

A form never touches the store. It turns what was typed into a :class:`Request` (what to run on the writer
thread, the sentence to show when it is done, and a question to confirm first for destructive actions); the
page runs it. Input that cannot be used raises :class:`BadInput`, which names the field to put the focus back
on; nothing typed is cleared until the operation succeeds.

A form that does not apply to the card shown (Sell on an active card) stays on view but greyed out, and its
note says why in plain words: a till is used by touch, where a tooltip alone is never seen.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QFormLayout, QHBoxLayout, QLabel, QLineEdit, QPushButton, QVBoxLayout, QWidget

from pos_app.domain.cards import GiftCard
from pos_app.domain.errors import GiftCardError
from pos_app.domain.money import Money
from pos_app.formatting import format_money
from pos_app.ui import theme
from pos_app.ui.context import UiContext
from pos_app.ui.icons import icon
from pos_app.ui.manager.card_history import HistoryRow
from pos_app.ui.messages import tr
from pos_app.ui.session import TillSession


@dataclass(frozen=True, slots=True)
class Confirm:
    """A question asked before a destructive action; ``accept`` is the text of the button that goes ahead."""

    title: str
    text: str
    accept: str


@dataclass(frozen=True, slots=True)
class Request:
    label: str  # names the op in the log
    run: Callable[[TillSession], Any]  # on the writer thread
    done: Callable[[Any], str]  # the success sentence, on the GUI thread
    confirm: Confirm | None = None


BANNER_PADDING = 10  # px above and below a banner's text


class BadInput(Exception):
    """Typed input that cannot be used: the refusal, the field to correct and, where the refusal's own
    sentence would not say what is wrong, a sentence of the form's."""

    def __init__(self, error: GiftCardError, field: QWidget, text: str | None = None) -> None:
        super().__init__(error.key)
        self.error, self.field, self.text = error, field, text


def restyle(label: QLabel, **properties: str) -> None:
    """Set the properties the style sheet selects on (``level``, ``role``) and polish the label again.

    A banner (``level``) gets vertical contents margins for the sheet's padding: a word-wrapped QLabel's
    height-for-width leaves style sheet padding out, which would squeeze the banner to one bare line.
    """
    theme.restyle(label, **properties)
    banner = bool(label.property("level"))
    label.setContentsMargins(0, BANNER_PADDING if banner else 0, 0, BANNER_PADDING if banner else 0)
    label.updateGeometry()


class OperationForm(QWidget):
    """One card operation. Subclasses set ``title``/``icon_name``/``action``, add fields in :meth:`build` and
    implement :meth:`why_not` (the card's state) and :meth:`request`."""

    submitted = Signal()
    title = ""
    icon_name = ""
    action = ""
    role = "primary"

    def __init__(self, ctx: UiContext) -> None:
        super().__init__()
        self.ctx = ctx
        self.card: GiftCard | None = None
        self.rows: list[HistoryRow] = []
        self.fields: list[QLineEdit] = []
        self.form = QFormLayout()
        self.form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapAllRows)  # labels above: fits 1024 px
        self.note = QLabel("")
        self.note.setObjectName("FormNote")
        self.note.setWordWrap(True)
        self.button = QPushButton(icon(self.icon_name), self.action)
        self.button.setObjectName("OperationButton")
        self.button.setProperty("role", self.role)
        self.button.setAutoDefault(True)
        self.button.clicked.connect(self.submitted)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(self.form)
        layout.addWidget(self.note)
        layout.addLayout(buttons)
        layout.addStretch(1)
        self.build()
        self.refresh()

    # ---- for subclasses --------------------------------------------------------------------------------------

    def build(self) -> None:
        """Add the fields (with :meth:`field`)."""

    def why_not(self, card: GiftCard) -> str | None:
        """Why this operation does not apply to ``card`` as it stands; None when it does."""
        return None

    def why_wait(self) -> str | None:
        """Why the form is not ready although the operation applies (nothing picked yet); None when ready."""
        return None

    def hint(self) -> str:
        """The note shown when the form can be used."""
        return ""

    def request(self) -> Request:
        raise NotImplementedError

    def refusal(self, error: BaseException) -> str | None:
        """This form's own sentence for a refusal of its request, where the key's sentence would not say what
        is wrong; None: the key's sentence."""
        return None

    # ---- shared ----------------------------------------------------------------------------------------------

    def field(self, label: str, placeholder: str = "", *, name: str = "", amount: bool = False) -> QLineEdit:
        edit = QLineEdit()
        edit.setObjectName(name or "FormField")
        if amount:
            edit.setProperty("role", "amount")
        edit.setPlaceholderText(placeholder)
        edit.setClearButtonEnabled(True)
        edit.returnPressed.connect(self.submitted)
        caption = QLabel(label)
        caption.setBuddy(edit)
        self.form.addRow(caption, edit)
        self.fields.append(edit)
        return edit

    def show_card(self, card: GiftCard | None, rows: list[HistoryRow]) -> None:
        self.card, self.rows = card, rows
        self.refresh()

    def refresh(self) -> None:
        card = self.card
        why = tr("Scan a card or type its code first.") if card is None else self.why_not(card)
        wait = None if why is not None else self.why_wait()
        for edit in self.fields:
            edit.setEnabled(why is None)
        self.button.setEnabled(why is None and wait is None)
        self.button.setToolTip(why or wait or "")
        self.note.setText(why or wait or self.hint())
        # a reason it cannot be used is a banner; a hint is quiet help
        restyle(self.note, level="info" if why or wait else "", role="" if why or wait else "hint")

    @property
    def usable(self) -> bool:
        return self.card is not None and self.why_not(self.card) is None

    def reset(self) -> None:
        for edit in self.fields:
            edit.clear()

    def first_field(self) -> QWidget:
        return self.fields[0] if self.fields else self.button

    def keyPressEvent(self, event: QKeyEvent) -> None:
        """Enter anywhere in the form (the button included) runs it, as the label on the button says."""
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and self.button.isEnabled():
            self.submitted.emit()
            return
        super().keyPressEvent(event)

    # ---- helpers for requests --------------------------------------------------------------------------------

    def amount(self, edit: QLineEdit, *, optional: bool = False) -> Money | None:
        """The amount typed in ``edit`` (None when ``optional`` and empty); a bad one raises :class:`BadInput`."""
        if optional and not edit.text().strip():
            return None
        try:
            return self.ctx.session.money(edit.text())
        except GiftCardError as exc:
            raise BadInput(exc, edit) from exc

    def money(self, minor: int) -> str:
        card = self.card
        return format_money(Money(minor, card.currency if card else self.ctx.currency), locale=self.ctx.locale)

    @staticmethod
    def now() -> datetime:
        return datetime.now(UTC)
