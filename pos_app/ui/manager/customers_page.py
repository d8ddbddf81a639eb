"""Manager page: find a customer by part of their name, e-mail or phone, see their cards and balances in one
view, and give a card to a customer.

The search runs on a reader thread when Enter is pressed (or the manager stops typing), and works offline on
what the till holds; the newest search wins. Giving a card runs on the writer lane: on an enrolled till it goes
to the central server, which must answer (``server_unavailable`` otherwise). A scanned card fills in the code.
Afterwards the page shows that customer with their cards.
"""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, Qt, QTimer
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from pos_app.domain.cards import GiftCard
from pos_app.domain.codes import mask
from pos_app.domain.customers import MIN_SEARCH
from pos_app.domain.people import Permission
from pos_app.services.context import utc_now
from pos_app.services.customers import CustomerCards
from pos_app.services.ports import Customer
from pos_app.ui.cashier.card_facts import status_of
from pos_app.ui.context import Level, UiContext
from pos_app.ui.icons import icon
from pos_app.ui.manager.card_forms import restyle
from pos_app.ui.manager.card_text import money_text
from pos_app.ui.messages import sentence, tr, tr_noop
from pos_app.ui.table_model import Column, RowsModel, rows_view

TYPING_PAUSE_MS = 300


def customers_model(locale: str) -> RowsModel[CustomerCards]:
    def together(view: CustomerCards) -> str:
        return ", ".join(money_text(minor, currency, locale=locale)
                         for currency, minor in sorted(view.balances().items())) or "—"

    return RowsModel([
        Column(tr("Name"), lambda v: v.customer.name or "—"),
        Column(tr("Customer id"), lambda v: v.customer.source_id or v.customer.id),
        Column(tr("E-mail"), lambda v: v.customer.email or "—"),
        Column(tr("Phone"), lambda v: v.customer.phone or "—"),
        Column(tr("Cards"), lambda v: str(len(v.cards)), sort_key=lambda v: len(v.cards), right=True),
        Column(tr("Balance"), together, sort_key=lambda v: sum(v.balances().values()), right=True),
    ])


def cards_model(locale: str, full_codes: bool) -> RowsModel[GiftCard]:
    return RowsModel([
        Column(tr("Code"), lambda c: c.code if full_codes else mask(c.code)),
        Column(tr("Status"), lambda c: status_of(c, utc_now())[1]),
        Column(tr("Balance"), lambda c: money_text(c.balance, c.currency, locale=locale),
               sort_key=lambda c: c.balance, right=True),
        Column(tr("Loaded"), lambda c: money_text(c.loaded, c.currency, locale=locale),
               sort_key=lambda c: c.loaded, right=True),
    ])


class CustomersPage(QWidget):
    title = tr_noop("Customers")
    icon_name = "user"

    def __init__(self, ctx: UiContext) -> None:
        super().__init__()
        self.ctx = ctx
        self.setObjectName("CustomersPage")
        self._searches = 0
        self.search_edit = self._edit("CustomerSearch", tr("Part of a name, e-mail address or phone number"))
        self.search_edit.setClearButtonEnabled(True)
        self.search_edit.textEdited.connect(self._typed)
        self.search_edit.returnPressed.connect(self.search_now)
        self.search_button = QPushButton(icon("search"), tr("Search (Enter)"))
        self.search_button.clicked.connect(self.search_now)
        self._pause = QTimer(self)
        self._pause.setSingleShot(True)
        self._pause.setInterval(TYPING_PAUSE_MS)
        self._pause.timeout.connect(self.search_now)
        self.found = QLabel(tr("Find a customer by part of their name, e-mail address or phone number."))
        self.found.setObjectName("CustomersFound")
        self.found.setWordWrap(True)
        self.model = customers_model(ctx.locale)
        self.results = rows_view(QTableView(), self.model, "CustomerResults", single=True)
        self.results.selectionModel().currentRowChanged.connect(self._selected)
        self.cards_title = QLabel(tr("Cards"))
        self.cards_title.setProperty("role", "subtitle")
        self.cards = cards_model(ctx.locale, full_codes=False)
        self.cards_table = rows_view(QTableView(), self.cards, "CustomerCards")
        self.code_edit = self._edit("PublishCode", tr("scan the card or type its code"))
        self.source_edit = self._edit("PublishCustomer", tr("the shop's id for the customer"))
        self.name_edit = self._edit("PublishName", tr("new, or to change it"))
        self.email_edit = self._edit("PublishEmail", tr("optional"))
        self.phone_edit = self._edit("PublishPhone", tr("optional, e.g. 0171 2345678"))
        self.publish_button = QPushButton(icon("cards"), tr("Give the card (Ctrl+G)"))
        self.publish_button.setProperty("role", "primary")
        self.publish_button.clicked.connect(self.publish_now)
        for keys, slot in (("Ctrl+G", self.publish_now), ("Ctrl+F", self._focus_search)):
            shortcut = QShortcut(QKeySequence(keys), self)
            shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            shortcut.activated.connect(slot)
        self._lay_out()
        ctx.events.logged_out.connect(self.clear)

    @staticmethod
    def _edit(name: str, placeholder: str) -> QLineEdit:
        edit = QLineEdit()
        edit.setObjectName(name)
        edit.setPlaceholderText(placeholder)
        return edit

    def _lay_out(self) -> None:
        heading = QLabel(tr("Customers"))
        heading.setProperty("role", "title")
        search_row = QHBoxLayout()
        search_row.addWidget(self.search_edit, 1)
        search_row.addWidget(self.search_button)
        give = QGroupBox(tr("Give a card to a customer"))
        form = QGridLayout(give)  # two fields a row: the lists above keep their room on a 1024×768 screen
        for place, (label, edit) in enumerate(((tr("Card"), self.code_edit), (tr("Customer id"), self.source_edit),
                                               (tr("Name"), self.name_edit), (tr("E-mail"), self.email_edit),
                                               (tr("Phone"), self.phone_edit))):
            row, column = divmod(place, 2)
            form.addWidget(QLabel(label), row, column * 2)
            form.addWidget(edit, row, column * 2 + 1)
        form.addWidget(self.publish_button, 2, 2, 1, 2)
        form.setColumnStretch(1, 1)
        form.setColumnStretch(3, 1)
        layout = QVBoxLayout(self)
        layout.addWidget(heading)
        layout.addLayout(search_row)
        layout.addWidget(self.found)
        layout.addWidget(self.results, 2)
        layout.addWidget(self.cards_title)
        layout.addWidget(self.cards_table, 1)
        layout.addWidget(give)

    # ---- the manager screen's calls --------------------------------------------------------------------------

    def on_shown(self) -> None:
        self.cards = cards_model(self.ctx.locale, full_codes=self.ctx.session.can(Permission.SEE_FULL_CODES))
        self.cards_table.setModel(self.cards)
        self._selected(self.results.currentIndex(), QModelIndex())
        self._focus_search()

    def take_scan(self, text: str) -> None:
        self.code_edit.setText(text.strip())
        self.source_edit.setFocus()

    def clear(self) -> None:
        """Nothing typed, nothing shown (on logout: the next person never sees whom was looked for)."""
        self._pause.stop()
        self._searches += 1
        for edit in (self.search_edit, self.code_edit, self.source_edit, self.name_edit, self.email_edit,
                     self.phone_edit):
            edit.clear()
        self.model.set_rows([])
        self.cards.set_rows([])
        self._say(tr("Find a customer by part of their name, e-mail address or phone number."), None)

    def _focus_search(self) -> None:
        self.search_edit.setFocus()
        self.search_edit.selectAll()

    # ---- searching -------------------------------------------------------------------------------------------

    def _typed(self, text: str) -> None:
        if len(text.strip()) >= MIN_SEARCH:
            self._pause.start()
        else:
            self._pause.stop()

    def search_now(self) -> None:
        self._pause.stop()
        wanted = self.search_edit.text().strip()
        self._searches += 1
        search = self._searches
        self._say(tr("Searching…"), None)

        def found(views: list[CustomerCards]) -> None:
            if search == self._searches:
                self._show(wanted, views)

        def refused(exc: BaseException) -> None:
            if search == self._searches:
                self._say(sentence(exc, locale=self.ctx.locale), Level.REFUSED)

        (self.ctx.ops.read(lambda: self.ctx.session.find_customers(wanted), owner=self, label="find customers")
         .success(found).failure(refused).run())

    def _show(self, wanted: str, views: list[CustomerCards]) -> None:
        self.model.set_rows(views)
        if not views:
            self.cards.set_rows([])
            self._say(tr("No customer matches “{text}”.").format(text=wanted), Level.INFO)
            return
        self._say(tr("1 customer found.") if len(views) == 1 else tr("{n} customers found.").format(n=len(views)),
                  None)
        self.results.selectRow(0)

    def show_customer(self, customer_id: str) -> None:
        """Show that one customer with their cards (after a card was given to them)."""
        self._searches += 1
        search = self._searches

        def shown(view: CustomerCards) -> None:
            if search == self._searches:
                self.model.set_rows([view])
                self.results.selectRow(0)

        (self.ctx.ops.read(lambda: self.ctx.session.customer(customer_id), owner=self, label="show customer")
         .success(shown).failure(lambda exc: self._say(sentence(exc, locale=self.ctx.locale), Level.REFUSED))
         .run())

    def selected(self) -> CustomerCards | None:
        index = self.results.currentIndex()
        return self.model.row(index.row()) if index.isValid() else None

    def _selected(self, current: QModelIndex, _previous: QModelIndex) -> None:
        view = self.model.row(current.row()) if current.isValid() else None
        self.cards.set_rows(view.cards if view else [])
        if view is None:
            self.cards_title.setText(tr("Cards"))
            return
        self.cards_title.setText(tr("Cards of {name}").format(name=view.customer.name or view.customer.source_id))
        if view.customer.source_id and not self.source_edit.text().strip():
            self.source_edit.setText(view.customer.source_id)

    # ---- giving a card ---------------------------------------------------------------------------------------

    def publish_now(self) -> None:
        code, source = self.code_edit.text().strip(), self.source_edit.text().strip()
        if not code or not source:
            self._say(tr("Type the card's code and the customer's id first."), Level.REFUSED)
            (self.code_edit if not code else self.source_edit).setFocus()
            return
        name, email, phone = (edit.text().strip() or None for edit in (self.name_edit, self.email_edit,
                                                                         self.phone_edit))
        self.publish_button.setEnabled(False)
        self._say(tr("Giving the card…"), None)

        def done(result: tuple[GiftCard, Customer]) -> None:
            card, customer = result
            for edit in (self.code_edit, self.name_edit, self.email_edit, self.phone_edit):
                edit.clear()
            self.ctx.events.card_changed.emit(card.code)
            self.search_edit.clear()
            self._say(tr("Card {code} now belongs to {name}.").format(
                code=mask(card.code), name=customer.name or customer.source_id), Level.DONE)
            self.show_customer(customer.id)

        def refused(exc: BaseException) -> None:
            self._say(sentence(exc, locale=self.ctx.locale), Level.REFUSED)

        (self.ctx.ops.write(lambda: self.ctx.session.publish(code, source, name=name, email=email, phone=phone),
                            owner=self, label="give a card to a customer")
         .success(done).failure(refused).finally_(lambda: self.publish_button.setEnabled(True)).run())

    def _say(self, text: str, level: Level | None) -> None:
        self.found.setText(text)
        restyle(self.found, level=str(level) if level else "", role="" if level else "hint")
