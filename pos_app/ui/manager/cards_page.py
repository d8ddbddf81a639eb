"""Manager page: one card at a time — sell and activate it, top it up, correct it, disable or enable it, refund,
change its terms.

The manager scans the card (or types its code, Enter); the card panel appears beside the form of the chosen
operation (a row of buttons above them, Ctrl+1…Ctrl+6) and the card's whole history below. For a new card
the operation that fits it is chosen (Sell for a card not sold yet, Top up for an active one, Disable / Enable
for a disabled one), with the focus in its first field, so that "scan, type the amount, Enter" is a whole sale.
An operation that does not apply to the card is greyed out with a tooltip saying why.

Every operation runs on the writer thread (``ctx.ops.write``); the page is greyed out while it runs, so a second
Enter cannot submit twice. Afterwards ``card_changed`` is emitted (this page reads the card again through it,
and so does any other panel showing that card) and, for a value change, ``sale_done`` and the printer's state:
the session printed the receipt after the commit. A refusal is one red sentence from its error key; what was
typed stays, with the focus on the field to correct.
"""

from __future__ import annotations

from functools import partial
from typing import Any, TypeVar

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QButtonGroup,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from pos_app.domain.cards import CardStatus, GiftCard
from pos_app.domain.errors import GiftCardError
from pos_app.scanning.payload import parse_payload
from pos_app.ui.context import Level, UiContext
from pos_app.ui.icons import icon
from pos_app.ui.manager.card_forms import BadInput, Confirm, OperationForm, Request, restyle
from pos_app.ui.manager.card_history import CardHistory, load_history
from pos_app.ui.manager.card_operations import FORMS, CorrectForm, RefundForm, SellForm, StatusForm, TopUpForm
from pos_app.ui.manager.card_summary import CardSummary
from pos_app.ui.manager.card_table import HistoryTable
from pos_app.ui.manager.card_terms_form import ChangeForm
from pos_app.ui.messages import sentence, tr, tr_noop
from pos_app.ui.session import Sale

#: The operation offered first for a card in each state.
FIRST_CHOICE = {CardStatus.INACTIVE: SellForm, CardStatus.ACTIVE: TopUpForm, CardStatus.DISABLED: StatusForm,
                CardStatus.FROZEN: CorrectForm}


F = TypeVar("F", bound=OperationForm)

class CardsPage(QWidget):
    title = tr_noop("Cards")
    icon_name = "cards"

    def __init__(self, ctx: UiContext) -> None:
        super().__init__()
        self.ctx = ctx
        self.setObjectName("CardsPage")
        self.history: CardHistory | None = None
        self._busy = 0
        self._loads = 0  # the newest lookup wins when scans come quickly
        self._focus_next: QWidget | None = None

        self.code_edit = QLineEdit()
        self.code_edit.setObjectName("CardCodeInput")
        self.code_edit.setPlaceholderText(tr("Scan a card or type its code"))
        self.code_edit.setClearButtonEnabled(True)
        self.code_edit.returnPressed.connect(self.look_up_typed)
        self.show_button = QPushButton(icon("balance"), tr("Show card (Enter)"))
        self.show_button.clicked.connect(self.look_up_typed)
        self.clear_button = QPushButton(icon("clear"), tr("Clear (Esc)"))
        self.clear_button.clicked.connect(self.clear)
        self.message = QLabel("")
        self.message.setObjectName("PageMessage")
        self.message.setWordWrap(True)

        self.panel = CardSummary(ctx)
        self.table = HistoryTable(ctx)
        self.table.picked.connect(self._pick)
        self.table.chosen.connect(self._refund_chosen)

        self.stack = QStackedWidget()
        self.stack.setObjectName("OperationForms")
        self.choices = QButtonGroup(self)
        self.choices.setExclusive(True)
        self.forms: list[OperationForm] = []
        self.choice_buttons: list[QPushButton] = []
        for number, form_class in enumerate(FORMS, start=1):
            form = form_class(ctx)
            form.submitted.connect(partial(self.run, form))
            self.forms.append(form)
            self.stack.addWidget(form)
            button = QPushButton(icon(form.icon_name), "")
            button.setObjectName("OperationChoice")
            button.setCheckable(True)
            button.setFocusPolicy(Qt.FocusPolicy.TabFocus)
            button.clicked.connect(partial(self.open_form, form_class))
            self.choices.addButton(button, number - 1)
            self.choice_buttons.append(button)
            self._shortcut(f"Ctrl+{number}", partial(self.open_form, form_class))
        self._shortcut("Esc", self.clear)

        self._lay_out()
        self._select(self.forms[0])
        self._show_choices()
        self.say("", Level.INFO)
        ctx.events.card_changed.connect(self._card_changed)
        ctx.events.logged_out.connect(self.clear)

    def _lay_out(self) -> None:
        """Code, then the operations in a row, then the card beside the chosen form, then the history: at
        1024×768 every part keeps its size, at full HD the history gets the room."""
        code_row = QHBoxLayout()
        label = QLabel(tr("&Card"))
        label.setProperty("role", "subtitle")
        label.setBuddy(self.code_edit)
        code_row.addWidget(label)
        code_row.addWidget(self.code_edit, 1)
        code_row.addWidget(self.show_button)
        code_row.addWidget(self.clear_button)
        choices = QHBoxLayout()
        choices.setSpacing(6)
        for button in self.choice_buttons:
            choices.addWidget(button, 1)
        form_frame = QFrame()
        form_frame.setProperty("role", "card")
        form_scroll = QScrollArea()  # a tall form (a sale: price and payment) scrolls at 1024×768
        form_scroll.setObjectName("OperationFormScroll")
        form_scroll.setWidgetResizable(True)
        form_scroll.setFrameShape(QFrame.Shape.NoFrame)
        form_scroll.setWidget(self.stack)
        # its height is shared with the history (below), not asked for whole: the choices above keep theirs
        form_scroll.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Ignored)
        QVBoxLayout(form_frame).addWidget(form_scroll)
        middle = QHBoxLayout()
        middle.addWidget(self.panel, 5, Qt.AlignmentFlag.AlignTop)  # the whole code in large type needs room
        middle.addWidget(form_frame, 4)
        history_title = QLabel(tr("History (double-click a redemption to refund it)"))
        history_title.setProperty("role", "subtitle")
        history_title.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addLayout(code_row)
        layout.addWidget(self.message)
        layout.addLayout(choices)
        layout.addLayout(middle, 2)
        layout.addWidget(history_title)
        layout.addWidget(self.table, 1)

    def _shortcut(self, keys: str, slot: Any) -> None:
        shortcut = QShortcut(QKeySequence(keys), self)
        shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        shortcut.activated.connect(slot)

    # ---- the manager screen's calls --------------------------------------------------------------------------

    def on_shown(self) -> None:
        """Read the card again (it may have changed at the till meanwhile) and put the focus on the code."""
        if self.card is not None and not self._busy:
            self._load(self.card.code)
        self.code_edit.setFocus()
        self.code_edit.selectAll()

    def take_scan(self, text: str) -> None:
        """A scan while the page is on show: its code goes into the field and the card is shown."""
        self._open_text(text)

    # ---- the card --------------------------------------------------------------------------------------------

    @property
    def card(self) -> GiftCard | None:
        return self.history.view.card if self.history is not None else None

    def form(self, form_class: type[F]) -> F:
        return next(form for form in self.forms if isinstance(form, form_class))

    @property
    def current(self) -> OperationForm:
        form = self.stack.currentWidget()
        assert isinstance(form, OperationForm)
        return form

    def open_form(self, form_class: type[OperationForm]) -> OperationForm:
        """Show the form of ``form_class`` (its button or Ctrl+1…6) with the focus in its first field."""
        form = self.form(form_class)
        self._select(form)
        form.first_field().setFocus()
        return form

    def _select(self, form: OperationForm) -> None:
        self.stack.setCurrentWidget(form)
        self.choice_buttons[self.forms.index(form)].setChecked(True)

    def _show_choices(self) -> None:
        """An operation that does not apply to the card is greyed out, its tooltip saying why."""
        for form, button in zip(self.forms, self.choice_buttons, strict=True):
            why = None if form.card is None else form.why_not(form.card)
            button.setText(tr("{what}\nCtrl+{n}").format(what=form.title, n=self.forms.index(form) + 1))
            button.setIcon(icon(form.icon_name))
            button.setEnabled(why is None)
            button.setToolTip(why or tr("Ctrl+{n}").format(n=self.forms.index(form) + 1))

    def show_code(self, code: str) -> None:
        """Show the card ``code`` (from the Search page's "Open in Cards")."""
        self.code_edit.setText(code)
        self._load(code, new=True)

    def look_up_typed(self) -> None:
        self._open_text(self.code_edit.text())

    def _open_text(self, text: str) -> None:
        settings = self.ctx.settings
        try:
            code = parse_payload(text, prefix=settings.scanner_prefix, suffix=settings.scanner_suffix).code
        except GiftCardError as exc:
            self._forget()
            self.say(sentence(exc, locale=self.ctx.locale), Level.REFUSED)
            self.code_edit.setFocus()
            self.code_edit.selectAll()
            return
        self.code_edit.setText(code)
        self._load(code, new=True)

    def _load(self, code: str, *, new: bool = False) -> None:
        self._loads += 1
        load = self._loads
        if new:
            self.say("", Level.INFO)

        def shown(history: CardHistory) -> None:
            if load == self._loads:
                self._show(history, new=new)

        def refused(exc: BaseException) -> None:
            if load == self._loads:
                self._forget()
                self.say(sentence(exc, locale=self.ctx.locale), Level.REFUSED)
                self._focus_next = self.code_edit

        self._set_busy(+1)
        (self.ctx.ops.read(lambda: load_history(self.ctx.session, code), owner=self, label="card history")
         .success(shown).failure(refused).finally_(lambda: self._set_busy(-1)).run())

    def _show(self, history: CardHistory, *, new: bool) -> None:
        card = history.view.card
        self.history = history
        self.panel.show_card(history.panel_view)
        refund = self.form(RefundForm)
        if new:
            refund.pick(None)
        self.form(ChangeForm).changes = history.changes
        for form in self.forms:
            form.show_card(card, history.rows)
        self.table.show_rows(history.rows, picked=refund.picked)
        self._show_choices()
        if new:
            if not self.current.usable:
                self._select(self.form(FIRST_CHOICE.get(card.status, TopUpForm)))
            self._focus_next = self.current.first_field() if self.current.usable else self.code_edit

    def _forget(self) -> None:
        """No card on show (a code that was refused must not leave the previous card's buttons live)."""
        self.history = None
        self.panel.clear()
        self.table.show_rows([])
        self.form(ChangeForm).changes = []
        for form in self.forms:
            form.show_card(None, [])
        self._show_choices()

    def clear(self) -> None:
        """Esc: no card, nothing typed (also on logout: the next person never sees the last card)."""
        self._loads += 1
        self._forget()
        for form in self.forms:
            form.reset()
        self.code_edit.clear()
        self.say("", Level.INFO)
        self.code_edit.setFocus()

    def _card_changed(self, code: str) -> None:
        if self.card is not None and code == self.card.code and self.isVisible():
            self._load(code)

    def _pick(self, row: Any) -> None:
        self.form(RefundForm).pick(row)

    def _refund_chosen(self, row: Any) -> None:
        self._pick(row)
        self.open_form(RefundForm)

    # ---- running an operation --------------------------------------------------------------------------------

    def run(self, form: OperationForm) -> None:
        card = self.card
        if self._busy or card is None:
            return
        if not form.button.isEnabled():
            self.say(form.note.text(), Level.REFUSED)
            return
        try:
            request = form.request()
        except BadInput as bad:
            self.say(bad.text or sentence(bad.error, card, locale=self.ctx.locale, zone=self.ctx.zone), Level.REFUSED)
            bad.field.setFocus()
            if isinstance(bad.field, QLineEdit):
                bad.field.selectAll()
            return
        if request.confirm is not None and not self.confirm(request.confirm):
            self.say(tr("Nothing was changed."), Level.INFO)
            return
        self._set_busy(+1)
        session = self.ctx.session
        (self.ctx.ops.write(lambda: request.run(session), owner=self, label=request.label)
         .success(lambda result: self._done(form, request, card, result))
         .failure(lambda exc: self._refused(form, card, exc))
         .finally_(lambda: self._set_busy(-1)).run())

    def confirm(self, question: Confirm) -> bool:
        """Ask before a destructive action; Cancel is the default, so a second Enter never goes ahead."""
        box = QMessageBox(QMessageBox.Icon.Warning, question.title, question.text, parent=self)
        box.setObjectName("ConfirmDialog")
        go = box.addButton(question.accept, QMessageBox.ButtonRole.AcceptRole)
        go.setObjectName("ConfirmAccept")
        go.setProperty("role", "danger")
        cancel = box.addButton(tr("Cancel (Esc)"), QMessageBox.ButtonRole.RejectRole)
        cancel.setObjectName("ConfirmCancel")
        box.setDefaultButton(cancel)
        box.setEscapeButton(cancel)
        box.exec()
        return box.clickedButton() is go

    def _done(self, form: OperationForm, request: Request, card: GiftCard, result: Any) -> None:
        text = request.done(result)
        if isinstance(result, Sale):
            self.ctx.events.sale_done.emit(result)
            self._printer_state(result)
            if result.receipt_problem:
                text += " " + result.receipt_problem
        form.reset()
        self.say(text, Level.DONE)
        self.ctx.tell(text, Level.DONE)
        self._focus_next = self.code_edit
        self.ctx.events.card_changed.emit(card.code)

    def _refused(self, form: OperationForm, card: GiftCard, exc: BaseException) -> None:
        text = form.refusal(exc) or sentence(exc, card, locale=self.ctx.locale, zone=self.ctx.zone)
        self.say(text, Level.REFUSED)
        self._focus_next = form.first_field()
        self._load(card.code)  # the card may have changed elsewhere: show it as it stands

    def _printer_state(self, sale: Sale) -> None:
        receipt = sale.receipt
        if receipt is None:
            self.ctx.events.printer_state.emit("no_printer", tr("Printer: none set up"))
        elif receipt.printed:
            self.ctx.events.printer_state.emit("printed", tr("Printer: receipt printed"))
        else:
            self.ctx.events.printer_state.emit("failed", tr("Printer: the receipt did not print"))

    # ---- feedback --------------------------------------------------------------------------------------------

    def say(self, text: str, level: Level) -> None:
        self.message.setText(text)
        self.message.setVisible(bool(text))
        restyle(self.message, level=str(level))

    def _set_busy(self, step: int) -> None:
        self._busy += step
        idle = self._busy == 0
        for widget in (self.code_edit, self.show_button, self.clear_button, self.stack, self.table):
            widget.setEnabled(idle)
        if idle and self._focus_next is not None:
            focus, self._focus_next = self._focus_next, None
            focus.setFocus()
            if isinstance(focus, QLineEdit):
                focus.selectAll()

