"""The cashier's sales: redeem, a manager's override of the offline limits, refund last, reprint, and selling a
card at the counter.

Each runs on the one writer thread (``ctx.ops.write``) while the screen is *busy*: every action button is off,
the amount is read-only, and a scan that arrives waits for the sale to finish. A committed sale is told in the
banner ("Redeemed €12.50 — €37.50 left on the card"), to the status bar, to the printer state and to every
other panel (``sale_done``, ``card_changed``); a refusal is one sentence in red with the bad sound, and the
amount typed stays there to be corrected.

A mixin of :class:`~.screen.CashierScreen` (it uses the screen's ``ctx``, ``panel``, ``pad``, ``banner`` and
``action_bar``), kept apart so that the screen's layout and its money work each read in one sitting.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, cast

from PySide6.QtWidgets import QWidget

from pos_app.domain.codes import mask
from pos_app.domain.errors import GiftCardError
from pos_app.domain.ledger import EntryKind
from pos_app.domain.money import Money
from pos_app.formatting import format_money
from pos_app.ui import sounds
from pos_app.ui.cashier.dialogs import ConfirmBox, OverrideDialog, PaymentDialog
from pos_app.ui.cashier.wording import (
    amount_refusal,
    last_was_not_a_redemption,
    no_card,
    nothing_to_refund,
    nothing_to_reprint,
    receipt_failed,
    redeemed,
    refunded,
)
from pos_app.ui.context import Level
from pos_app.ui.messages import sentence, tr
from pos_app.ui.session import Sale

if TYPE_CHECKING:
    from pos_app.printing.spool import PrintOutcome
    from pos_app.ui.cashier.actions import ActionBar
    from pos_app.ui.cashier.amount_pad import AmountPad
    from pos_app.ui.cashier.banner import Banner
    from pos_app.ui.cashier.card_panel import CardPanel
    from pos_app.ui.context import UiContext

#: Refusals of the offline floor limits: a manager's PIN may accept the redemption anyway (DESIGN.md §7).
OVERRIDABLE = frozenset({"offline_limit_exceeded", "offline_cap_exceeded", "offline_too_long", "card_state_stale"})
#: Refusals of the override's PIN itself: the PIN pad stays open to try again.
PIN_REFUSALS = frozenset({"unauthorized", "forbidden", "locked_out"})


class SaleFlows:
    if TYPE_CHECKING:  # what the screen provides
        ctx: UiContext
        panel: CardPanel
        pad: AmountPad
        banner: Banner
        action_bar: ActionBar

        def _update_actions(self) -> None: ...
        def _after_busy(self) -> None: ...
        def _focus_next(self) -> None: ...
        def refresh(self, code: str) -> None: ...

    _busy: bool = False
    _refused: tuple[str, Money] | None = None  # the redemption a manager may override
    dialog: Any = None  # the open question (ConfirmBox or OverrideDialog), for the tests and for Clear

    # ---- shared ----------------------------------------------------------------------------------------------

    @property
    def _widget(self) -> QWidget:
        """The screen itself, as the widget it is (the owner of ops, the parent of dialogs)."""
        return cast("QWidget", self)

    @property
    def busy(self) -> bool:
        return self._busy

    def refuse(self, text: str, *, action: str = "") -> None:
        """A refusal: one red sentence on the screen and in the status bar, and the bad sound."""
        self.banner.show_text(text, Level.REFUSED, action=action)
        self.ctx.tell(text, Level.REFUSED)
        sounds.play(self.ctx, "bad")

    def forget_refusal(self) -> None:
        self._refused = None

    def close_dialogs(self) -> None:
        dialog, self.dialog = self.dialog, None
        if dialog is not None:
            with contextlib.suppress(RuntimeError):  # already deleted (it closed on its own)
                dialog.close()

    def _write(self, fn: Callable[[], Any], done: Callable[[Any], None], refused: Callable[[BaseException], None],
               label: str) -> None:
        """``fn`` on the writer thread with the screen busy until its answer has been shown."""
        self._busy = True
        self._update_actions()

        def finished() -> None:
            self._busy = False
            self._after_busy()

        self.ctx.ops.write(fn, owner=self._widget, label=label).success(done).failure(refused).finally_(finished).run()

    def _sold(self, sale: Sale, line: str) -> None:
        """A committed value change: the banner, the panel at once, the printer, and everyone else told."""
        ctx = self.ctx
        entry = sale.entry
        self.panel.show_entry(entry)
        problem = sale.receipt_problem
        detail = receipt_failed(problem) if problem else ""
        self.banner.show_text(line, Level.DONE, detail=detail)
        ctx.tell(line if not problem else f"{line}. {detail}", Level.DONE)
        sounds.play(ctx, "good")
        if problem:
            ctx.events.printer_state.emit("failed", problem)
        elif sale.receipt is not None:
            ctx.events.printer_state.emit("printed", tr("Printer: receipt printed"))
        ctx.events.sale_done.emit(sale)
        ctx.events.card_changed.emit(entry.code)

    # ---- redeem ----------------------------------------------------------------------------------------------

    def redeem(self) -> None:
        """Enter: take the typed amount off the shown card."""
        if self._busy:
            return
        card = self.panel.card
        if card is None:
            self.refuse(no_card())
            return
        ctx = self.ctx
        text = self.pad.text()
        try:
            amount = ctx.session.money(text)
        except GiftCardError as exc:
            self.refuse(amount_refusal(text, exc, currency=ctx.currency, locale=ctx.locale))
            self.pad.focus()
            return
        self._redeem(card.code, amount)

    def _redeem(self, code: str, amount: Money, pin: str | None = None) -> None:
        session = self.ctx.session
        self._refused = None
        self._write(lambda: session.redeem(code, amount, override_pin=pin), self._redeemed,
                    lambda exc: self._redeem_refused(code, amount, exc, overriding=pin is not None),
                    "redeem")

    def _redeemed(self, sale: Sale) -> None:
        self.close_dialogs()
        self.pad.clear()
        self._sold(sale, redeemed(sale.entry, self.ctx.locale))
        self.pad.focus()

    def _redeem_refused(self, code: str, amount: Money, error: BaseException, *, overriding: bool) -> None:
        ctx = self.ctx
        text = sentence(error, self.panel.card, locale=ctx.locale, zone=ctx.zone)
        key = getattr(error, "key", "")
        if overriding and key in PIN_REFUSALS and isinstance(self.dialog, OverrideDialog):
            self._refused = (code, amount)
            self.dialog.refused(text)
            sounds.play(ctx, "bad")
            return
        self.close_dialogs()
        if key in OVERRIDABLE:
            self._refused = (code, amount)
            self.refuse(text, action=tr("Manager override (F7)"))
        else:
            self.refuse(text)
        if isinstance(error, GiftCardError):
            self.refresh(code)  # the refused attempt is in its entries now
        self.pad.focus()

    def _masked(self, code: str) -> str:
        """``code`` masked: as the panel shows it when it is the shown card's."""
        card = self.panel.card
        return self.panel.masked_code if card is not None and card.code == code else mask(code)

    def override(self) -> None:
        """F7 after an offline-limit refusal: a manager's PIN, then the same redemption with the override."""
        refused = self._refused
        if refused is None or self._busy:
            return
        code, amount = refused
        ctx = self.ctx
        card = self.panel.card
        what = tr("{amount} on card {card}").format(amount=format_money(amount, locale=ctx.locale),
                                                   card=self.panel.masked_code if card is not None else "")
        self.close_dialogs()
        dialog = OverrideDialog(self._widget, what)

        def given(pin: str) -> None:
            dialog.busy(True)
            self._redeem(code, amount, pin)

        dialog.pin_given.connect(given)
        dialog.rejected.connect(lambda: self._dialog_gone(dialog))
        self.dialog = dialog
        dialog.open()

    def _dialog_gone(self, dialog: object) -> None:
        if self.dialog is dialog:
            self.dialog = None

    # ---- selling a card --------------------------------------------------------------------------------------

    def sell_card(self) -> None:
        """F6: sell the card shown (not sold yet) for the amount typed (empty: its value), paid as the cashier
        says. A cashier sells where the shop lets cashiers sell; the use case decides."""
        if self._busy:
            return
        card = self.panel.card
        if card is None:
            self.refuse(no_card())
            return
        ctx = self.ctx
        text = self.pad.text().strip()
        try:
            price = ctx.session.money(text, zero=True) if text else None
        except GiftCardError as exc:
            self.refuse(amount_refusal(text, exc, currency=ctx.currency, locale=ctx.locale))
            self.pad.focus()
            return
        value = card.initial_amount
        what = tr("card {card}").format(card=card.masked)
        if value is not None:
            what = tr("card {card}, worth {value}, for {price}").format(
                card=card.masked, value=format_money(Money(value, card.currency), locale=ctx.locale),
                price=format_money(price or Money(value, card.currency), locale=ctx.locale))
        self.close_dialogs()
        dialog = PaymentDialog(self._widget, what)
        code, session = card.code, ctx.session
        dialog.chosen.connect(lambda method: self._write(
            lambda: session.sell(code, price=price, payment=method), self._card_sold, self._sell_refused, "sell"))
        dialog.rejected.connect(lambda: self._dialog_gone(dialog))
        self.dialog = dialog
        dialog.open()

    def _card_sold(self, sale: Sale) -> None:
        self.close_dialogs()
        self.pad.clear()
        entry = sale.entry
        paid = entry.price if entry.price is not None else entry.amount
        line = tr("Card {card} sold: {value} on it, paid {price}").format(
            card=mask(entry.code), value=format_money(Money(entry.amount, entry.currency), locale=self.ctx.locale),
            price=format_money(Money(paid, entry.currency), locale=self.ctx.locale))
        self._sold(sale, line)
        self._focus_next()

    def _sell_refused(self, error: BaseException) -> None:
        self.close_dialogs()
        self._failed(error)

    # ---- refund last and reprint -----------------------------------------------------------------------------

    def refund_last(self) -> None:
        """F3: put this till's last redemption back on its card, once the cashier confirms."""
        if self._busy:
            return
        last = self.ctx.session.last_sale
        if last is None:
            self.refuse(nothing_to_refund())
            return
        if last.kind is not EntryKind.CREDITS_REDEMPTION:
            self.refuse(last_was_not_a_redemption())
            return
        amount = format_money(Money(-last.amount, last.currency), locale=self.ctx.locale)
        self.close_dialogs()
        card = self._masked(last.code)
        box = ConfirmBox(self._widget, title=tr("Refund last"),
                         text=tr("Put {amount} back on card {card}?").format(amount=amount, card=card),
                         yes=tr("Refund {amount}").format(amount=amount))
        box.confirmed.connect(self._refund_confirmed)
        box.finished.connect(lambda _result: self._dialog_gone(box))
        self.dialog = box
        box.open()

    def _refund_confirmed(self) -> None:
        session = self.ctx.session
        self._write(session.refund_last, self._refunded, self._failed, "refund last")

    def _refunded(self, sale: Sale) -> None:
        self._sold(sale, refunded(sale.entry, self.ctx.locale))
        self._focus_next()

    def reprint_last(self) -> None:
        """F4: the last receipt again, byte for byte as it was first printed."""
        if self._busy:
            return
        if self.ctx.session.last_sale is None:
            self.refuse(nothing_to_reprint())
            return
        session = self.ctx.session
        self._write(session.reprint_last, self._reprinted, self._failed, "reprint")

    def _reprinted(self, outcome: PrintOutcome) -> None:
        ctx = self.ctx
        if outcome.printed:
            text = tr("The receipt was printed again.")
            self.banner.show_text(text, Level.DONE)
            ctx.tell(text, Level.DONE)
            ctx.events.printer_state.emit("printed", tr("Printer: receipt printed"))
            return
        problem = outcome.message or tr("The receipt printer did not print.")
        ctx.events.printer_state.emit("failed", problem)
        self.refuse(tr("The receipt did not print: {problem}").format(problem=problem))

    def _failed(self, error: BaseException) -> None:
        self.refuse(sentence(error, self.panel.card, locale=self.ctx.locale, zone=self.ctx.zone))
        self._focus_next()

