"""The card panel: masked code, the balance in large type, a status badge, the expiry and the last entries.

API (used by the cashier screen and the manager's Cards page): ``CardPanel(ctx)``, ``show_card(view)`` with a
``services.cards.CardView``, ``clear()``, and the read-only property ``card`` (the GiftCard shown, or None).
``show_entry(entry)`` puts a value change that has just committed on screen at once (its balance after, a row on
top), before the fresh look-up that follows it arrives.

The panel never reads the store itself: whoever holds it looks the card up on a worker and hands the view in.
It wears the style sheet's vocabulary: a white card (``QFrame[role="card"]``), the balance as
``QLabel[role="balance"]``, the status as ``QLabel[role="badge"][status=…]``, captions as ``role="hint"``; and
object names for anything more particular: ``#CardPanel``, ``#CardCode``, ``#BalanceCaption``, ``#Balance``,
``#StatusBadge``, ``#Expiry``, ``#CardEntries``, ``#CardEmpty``.
"""

from __future__ import annotations

import dataclasses
import uuid
from datetime import tzinfo

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QTableView,
    QVBoxLayout,
)

from pos_app.domain.cards import GiftCard
from pos_app.domain.ledger import Entry
from pos_app.formatting import format_last_day, format_money
from pos_app.services.cards import CardView
from pos_app.services.context import utc_now
from pos_app.ui.cashier.card_facts import SYNC_COLUMN, entry_columns, mark_of, status_of
from pos_app.ui.context import UiContext
from pos_app.ui.messages import tr
from pos_app.ui.table_model import RowsModel, rows_view
from pos_app.ui.theme import restyle

MIN_ROWS = 5  # history rows the till's panel always has room for (tests/ui/test_layout.py, at 1024×768 too)
ROW_HEIGHT, ROW_COMPACT = 40, 30  # px of a history row: a touch target; lower on a 1024×768 till


class CardPanel(QFrame):
    def __init__(self, ctx: UiContext, *, full_code: bool = False) -> None:
        """``full_code``: show the whole code instead of the masked one (a manager's page only, DESIGN.md §4)."""
        super().__init__()
        self.ctx = ctx
        self.full_code = full_code
        self._card: GiftCard | None = None
        self.setObjectName("CardPanel")
        self.setProperty("role", "card")

        self.empty = QLabel(tr("Scan a card or type its code"))
        self.empty.setObjectName("CardEmpty")
        self.empty.setWordWrap(True)
        self.empty.setProperty("role", "hint")
        self.empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.code = QLabel("")
        self.code.setObjectName("CardCode")
        self.code.setProperty("role", "subtitle")
        self.badge = QLabel("")
        self.badge.setObjectName("StatusBadge")
        self.badge.setProperty("role", "badge")
        self.caption = QLabel(tr("Balance"))
        self.caption.setObjectName("BalanceCaption")
        self.caption.setProperty("role", "hint")
        self.balance = QLabel("")
        self.balance.setObjectName("Balance")
        self.balance.setProperty("role", "balance")
        self.expiry = QLabel("")
        self.expiry.setObjectName("Expiry")
        self._masked = ""  # the shown card's masked code (CardView.masked)
        self._left: dict[uuid.UUID, int] = {}  # each shown entry's running balance (CardView.balances)
        self.model: RowsModel[Entry] = RowsModel(
            entry_columns(ctx.locale, lambda: self._card, lambda e: self._left.get(e.id, e.balance_after)),
            parent=self)
        self.entries = self._table()

        top = QHBoxLayout()
        top.addWidget(self.code)
        top.addStretch(1)
        top.addWidget(self.badge)
        figure = QHBoxLayout()  # the expiry beside the balance: a line of height saved for the history
        figure.addWidget(self.balance)
        figure.addStretch(1)
        figure.addWidget(self.expiry, 0, Qt.AlignmentFlag.AlignBottom)
        layout = QVBoxLayout(self)
        layout.addWidget(self.empty)
        layout.addLayout(top)
        layout.addWidget(self.caption)
        layout.addLayout(figure)
        layout.addWidget(self.entries, 1)
        self._compact = False
        self.clear()

    def _table(self) -> QTableView:
        view = rows_view(QTableView(), self.model, "CardEntries", stretch=1)
        view.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # the amount field keeps the focus at the till
        view.setWordWrap(False)
        return view

    def set_compact(self, compact: bool) -> None:
        """Where the height is short (a 1024×768 till): no "Balance" caption, and lower history rows, so that the
        history still shows several; it never shrinks below :data:`MIN_ROWS` rows."""
        self._compact = compact
        self.caption.setVisible(self._card is not None and not compact)
        rows = self.entries.verticalHeader()
        rows.setDefaultSectionSize(ROW_COMPACT if compact else ROW_HEIGHT)
        header = self.entries.horizontalHeader().sizeHint().height()
        self.entries.setMinimumHeight(header + MIN_ROWS * rows.defaultSectionSize() + 2 * self.entries.frameWidth())

    # ---- API -------------------------------------------------------------------------------------------------

    @property
    def card(self) -> GiftCard | None:
        return self._card

    @property
    def masked_code(self) -> str:
        """The shown card's code as a cashier sees it (``CardView.masked``: past its campaign's fixed tail)."""
        card = self._card
        return "" if card is None else (self._masked or card.masked)

    def show_card(self, view: CardView) -> None:
        self._masked = view.masked
        self._show(view.card)
        self._left = dict(zip((e.id for e in view.recent), view.balances, strict=True))
        self.model.set_rows(view.recent)
        self._sync_column()

    def show_entry(self, entry: Entry) -> None:
        """A value change of the shown card, committed a moment ago: its balance and a row on top, at once."""
        card = self._card
        if card is None or entry.card_id != card.id:
            return
        if entry.succeeded:
            card = dataclasses.replace(card, balance=entry.balance_after)
            self._show(card)
        self._left[entry.id] = card.balance
        self.model.prepend(entry)
        self._sync_column()

    def _sync_column(self) -> None:
        """The Sync column only where some entry is provisional (a standalone till never needs it)."""
        self.entries.setColumnHidden(SYNC_COLUMN, not any(mark_of(e) for e in self.model.rows))

    def clear(self) -> None:
        self._card = None
        self._masked = ""
        self._left = {}
        self.model.set_rows([])
        self.empty.setVisible(True)
        for part in (self.code, self.badge, self.caption, self.balance, self.expiry, self.entries):
            part.setVisible(False)

    # ---- drawing ---------------------------------------------------------------------------------------------

    def _show(self, card: GiftCard) -> None:
        self._card = card
        locale = self.ctx.locale
        self.code.setText(card.code if self.full_code else self.masked_code)
        state, label = status_of(card, utc_now())
        self.badge.setText(label)
        restyle(self.badge, status=state)
        self.balance.setText(format_money(card.money_balance, locale=locale))
        restyle(self.balance, status=state)
        self.expiry.setText(self._expiry_text(card, locale, self.ctx.zone))
        self.empty.setVisible(False)
        for part in (self.code, self.badge, self.balance, self.expiry, self.entries):
            part.setVisible(True)
        self.caption.setVisible(not self._compact)

    @staticmethod
    def _expiry_text(card: GiftCard, locale: str, zone: tzinfo) -> str:
        if card.expiration_date is None:
            return tr("No expiry date")
        # a card "valid until 31 Dec" expires at the next midnight in the shop: name the last day it can be used
        day = format_last_day(card.expiration_date, zone=zone, locale=locale)
        if card.is_expired(utc_now()):
            return tr("Expired: it was valid until {date}").format(date=day)
        return tr("Valid until {date}").format(date=day)
