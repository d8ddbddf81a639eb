"""The cashier screen: scan (or type) a card, see its balance, type an amount, press Enter.

A cashier in a queue serves a customer in seconds, so the screen always says what happened in one big line
(the banner), puts the focus where the next keystroke belongs (the amount once a card is found), and never
lets a key do something its button may not (Redeem is off while a sale is under way or a card is being looked
up: a double Enter redeems once, and a scan that arrives mid-sale cannot slip another card under it).

Layout: wide, three columns under the banner — scan area and code field | card panel | amount pad and
actions. Narrow (a 1024×768 till), two — scan area, code field and card panel | banner, amount pad and actions:
the banner goes over the amount (where the cashier looks next), which leaves the left column the height for a
camera picture, the demo's cards and five rows of history; the scan area, the card panel and the pad are made
compact (``set_compact``). ``tests/ui/test_layout.py`` checks at 1024×768 and 1920×1080 that nothing is clipped.
The sales themselves (redeem, override, refund last, reprint) are :class:`~.sales.SaleFlows`.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import QGridLayout, QHBoxLayout, QLineEdit, QPushButton, QVBoxLayout, QWidget

from pos_app.domain.cards import CardStatus, GiftCard
from pos_app.domain.errors import GiftCardError, InvalidCode
from pos_app.domain.ledger import EntryKind
from pos_app.scanning.payload import parse_payload
from pos_app.services.cards import CardView
from pos_app.services.context import utc_now
from pos_app.ui import sounds
from pos_app.ui.cashier.actions import ActionBar
from pos_app.ui.cashier.amount_pad import AmountPad
from pos_app.ui.cashier.banner import Banner
from pos_app.ui.cashier.card_panel import CardPanel
from pos_app.ui.cashier.sales import SaleFlows
from pos_app.ui.cashier.wording import no_card
from pos_app.ui.context import Level, UiContext
from pos_app.ui.icons import icon
from pos_app.ui.messages import sentence, tr
from pos_app.ui.scan.scan_area import ScanArea

WIDE = 1200  # from this width on, three columns


class CashierScreen(QWidget, SaleFlows):
    def __init__(self, ctx: UiContext) -> None:
        super().__init__()
        self.ctx = ctx
        self.setObjectName("CashierScreen")
        self._seq = 0  # the latest look-up asked for by a person; older answers are dropped
        self._refresh_seq = 0
        self._looking = False
        self._pending_scan: str | None = None

        self.scan_area = ScanArea(ctx)
        self.code_field = QLineEdit()
        self.code_field.setObjectName("CodeField")
        self.code_field.setPlaceholderText(tr("Or type the card code and press Enter"))
        self.code_field.setAccessibleName(tr("Card code"))
        self.code_field.setClearButtonEnabled(True)
        self.code_field.returnPressed.connect(self._typed)
        self.find_button = QPushButton(icon("search"), tr("Find"))
        self.find_button.setObjectName("FindButton")
        self.find_button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.find_button.clicked.connect(self._typed)
        self.panel = CardPanel(ctx)
        self.banner = Banner()
        self.pad = AmountPad(ctx.locale)
        self.action_bar = ActionBar()
        self.pad.submitted.connect(self.action_bar.redeem.click)
        self._wire_actions()
        self._columns = self._build_columns()
        self._arrange(wide=False)
        self.setTabOrder(self.code_field, self.pad.field)

        ctx.events.card_changed.connect(self._card_changed)
        ctx.events.logged_out.connect(self.reset)
        ctx.events.logged_in.connect(lambda _caller: self.reset())
        ctx.events.sale_done.connect(lambda _sale: self._update_actions())
        self.reset()

    # ---- layout ----------------------------------------------------------------------------------------------

    def _wire_actions(self) -> None:
        bar = self.action_bar
        bar.redeem.clicked.connect(self.redeem)
        bar.whole.clicked.connect(self.whole_balance)
        bar.check.clicked.connect(self.check_balance)
        bar.refund.clicked.connect(self.refund_last)
        bar.reprint.clicked.connect(self.reprint_last)
        bar.clear.clicked.connect(self.clear)
        bar.sell.clicked.connect(self.sell_card)
        self.banner.action.clicked.connect(self.override)
        self._keys = bar.install_keys(self, self.banner.action)

    def _build_columns(self) -> tuple[QWidget, QWidget, QWidget]:
        scan = QWidget()
        scan.setObjectName("ScanColumn")
        code_row = QHBoxLayout()
        code_row.addWidget(self.code_field, 1)
        code_row.addWidget(self.find_button)
        scan_layout = QVBoxLayout(scan)
        scan_layout.setContentsMargins(0, 0, 0, 0)
        scan_layout.addWidget(self.scan_area, 1)
        scan_layout.addLayout(code_row)
        money = QWidget()
        money.setObjectName("AmountColumn")
        money_layout = self._money_layout = QVBoxLayout(money)
        money_layout.setContentsMargins(0, 0, 0, 0)
        money_layout.setSpacing(12)
        money_layout.addWidget(self.pad, 3)
        money_layout.addWidget(self.action_bar, 2)
        self._left = QWidget()  # narrow: the scan area over the card, one column apart from the money's rows
        self._left.setObjectName("LeftColumn")
        self._left_layout = QVBoxLayout(self._left)
        self._left_layout.setContentsMargins(0, 0, 0, 0)
        self._left_layout.setSpacing(12)
        self._grid = QGridLayout(self)
        self._grid.setContentsMargins(16, 12, 16, 12)
        self._grid.setHorizontalSpacing(16)
        self._grid.setVerticalSpacing(12)
        return scan, self.panel, money

    def _arrange(self, *, wide: bool) -> None:
        """Three columns under the banner on a wide screen; two on a narrow one, the banner over the amount."""
        if getattr(self, "_wide", None) == wide:
            return
        self._wide = wide
        grid = self._grid
        scan, card, money = self._columns
        for widget in (scan, card, money, self._left):
            grid.removeWidget(widget)
        grid.removeWidget(self.banner)
        self._money_layout.removeWidget(self.banner)
        for widget in (scan, card):
            self._left_layout.removeWidget(widget)
        for column in range(3):
            grid.setColumnStretch(column, 0)
        for row in range(3):
            grid.setRowStretch(row, 0)
        self._left.setVisible(not wide)
        if wide:
            grid.addWidget(self.banner, 0, 0, 1, 3)
            grid.addWidget(scan, 1, 0)
            grid.addWidget(card, 1, 1)
            grid.addWidget(money, 1, 2)
            for column, stretch in enumerate((3, 4, 3)):
                grid.setColumnStretch(column, stretch)
            grid.setRowStretch(1, 1)
        else:
            self._money_layout.insertWidget(0, self.banner)
            self._left_layout.addWidget(scan)
            self._left_layout.addWidget(card, 1)  # the card's history first: the scan area gets what it asks for
            grid.addWidget(self._left, 0, 0)
            grid.addWidget(money, 0, 1)
            grid.setColumnStretch(0, 3)
            grid.setColumnStretch(1, 2)
            grid.setRowStretch(0, 1)
        for part in (self.scan_area, self.panel, self.pad, self.action_bar):
            part.set_compact(not wide)

    def resizeEvent(self, event: QResizeEvent) -> None:
        self._arrange(wide=event.size().width() >= WIDE)
        super().resizeEvent(event)

    # ---- API for the window ----------------------------------------------------------------------------------

    def take_scan(self, text: str) -> None:
        """A scan from anywhere (USB wedge, serial scanner, camera): the card it names replaces the shown one."""
        if self.busy:  # a sale is under way: this card comes next, never under the sale
            self._pending_scan = text
            return
        settings = self.ctx.settings
        try:
            parsed = parse_payload(text, prefix=settings.scanner_prefix, suffix=settings.scanner_suffix)
        except InvalidCode as exc:
            self._lost_card(exc.details or sentence(exc, locale=self.ctx.locale))
            return
        self.look_up(parsed.code)

    def on_shown(self) -> None:
        self._update_actions()
        card = self.panel.card
        if card is not None:
            self.refresh(card.code)
        self._focus_next()

    def shutdown(self) -> None:
        self._seq += 1  # answers still on their way are for nobody
        self.close_dialogs()

    def reset(self) -> None:
        """Nothing on screen: a new person at the till, or Clear."""
        self._seq += 1
        self._looking = False
        self._pending_scan = None
        self.forget_refusal()
        self.close_dialogs()
        self.panel.clear()
        self.pad.clear()
        self.code_field.clear()
        self.banner.clear(tr("Scan a card, or type its code and press Enter."))
        self._update_actions()

    def clear(self) -> None:
        """Esc: forget the card and the amount; ready for the next customer."""
        self.reset()
        self.code_field.setFocus()

    # ---- finding the card ------------------------------------------------------------------------------------

    def _typed(self) -> None:
        text = self.code_field.text()
        if not text.strip():
            self.refuse(tr("Type the card's code first, or scan the card."))
            return
        self.take_scan(text)

    def look_up(self, code: str) -> None:
        """Find ``code`` on a worker; the answer shows the card (good sound) or says why not (bad sound)."""
        self._seq += 1
        seq = self._seq
        self._looking = True
        self.forget_refusal()
        self.close_dialogs()  # a question about the previous card is moot now
        self._update_actions()
        session = self.ctx.session
        (self.ctx.ops.read(lambda: session.look_up(code), owner=self, label="look up card")
         .success(lambda view: self._found(seq, view))
         .failure(lambda exc: self._not_found(seq, exc))
         .run())

    def _found(self, seq: int, view: CardView) -> None:
        if seq != self._seq:
            return
        self._looking = False
        self.panel.show_card(view)
        self.code_field.clear()
        card = view.card
        problem = None
        try:
            card.check_usable(utc_now(), self.ctx.zone)
        except GiftCardError as exc:
            problem = sentence(exc, card, locale=self.ctx.locale, zone=self.ctx.zone)
        if problem is None and card.balance <= 0:
            problem = tr("This card has nothing left on it.")
        if problem is not None:
            self.refuse(problem)
        else:
            sounds.play(self.ctx, "good")
            self.banner.show_text(tr("Type the amount and press Enter to redeem."), Level.INFO)
        self._update_actions()
        self._focus_next()

    def _not_found(self, seq: int, error: BaseException) -> None:
        if seq != self._seq:
            return
        self._looking = False
        self._lost_card(sentence(error, locale=self.ctx.locale))
        self.code_field.setFocus()

    def _lost_card(self, text: str) -> None:
        """A scan or a typed code that gave no card: the shown card goes too, so nobody redeems the wrong one."""
        self.panel.clear()
        self.refuse(text)
        self._update_actions()

    def refresh(self, code: str) -> None:
        """Read the shown card again quietly (after a sale, or another screen changed it)."""
        self._refresh_seq += 1
        seq, refresh = self._seq, self._refresh_seq
        session = self.ctx.session

        def show(view: CardView) -> None:
            card = self.panel.card
            if seq == self._seq and refresh == self._refresh_seq and card is not None and card.code == code:
                self.panel.show_card(view)
                self._update_actions()

        self.ctx.ops.read(lambda: session.look_up(code), owner=self, label="refresh card").success(show).failure(
            lambda _exc: None).run()

    def _card_changed(self, code: str) -> None:
        card = self.panel.card
        if card is not None and card.code == code:
            self.refresh(code)

    def check_balance(self) -> None:
        """F2: read the card again (the shown one, else the code typed)."""
        card = self.panel.card
        if card is not None:
            self.look_up(card.code)
        elif self.code_field.text().strip():
            self._typed()
        else:
            self.refuse(no_card())

    def whole_balance(self) -> None:
        card = self.panel.card
        if card is None:
            self.refuse(no_card())
            return
        self.pad.set_amount(card.money_balance)

    # ---- state -----------------------------------------------------------------------------------------------

    def _update_actions(self) -> None:
        card, busy = self.panel.card, self.busy
        usable = card is not None and card.balance > 0 and self._usable(card)
        last = self.ctx.session.last_sale
        bar = self.action_bar
        bar.redeem.setEnabled(usable and not busy and not self._looking)
        bar.whole.setEnabled(usable and not busy)
        bar.check.setEnabled(not busy and not self._looking)
        bar.refund.setEnabled(not busy and last is not None and last.kind is EntryKind.CREDITS_REDEMPTION)
        bar.reprint.setEnabled(not busy and last is not None)
        bar.sell.setEnabled(not busy and card is not None and card.status is CardStatus.INACTIVE)
        self.find_button.setEnabled(not busy)
        self.banner.action.setEnabled(not busy)
        self.pad.set_busy(busy)

    def _usable(self, card: GiftCard) -> bool:
        try:
            card.check_usable(utc_now(), self.ctx.zone)
        except GiftCardError:
            return False
        return True

    def _focus_next(self) -> None:
        """Where the next keystroke belongs: the amount once there is a card, else the code field."""
        if self.panel.card is not None:
            self.pad.focus()
        else:
            self.code_field.setFocus()

    def _after_busy(self) -> None:
        """Called by the sale flows when a sale has finished: a scan that arrived meanwhile goes now."""
        self._update_actions()
        pending, self._pending_scan = self._pending_scan, None
        if pending is not None:
            self.take_scan(pending)
