"""The card operations of the Cards page: sell, top up, correct, disable/enable, refund, and change its terms
(``card_terms_form``).

Each form says when it does not apply (from the card's state, the same rules the use cases enforce) and turns
its fields into a :class:`~pos_app.ui.manager.card_forms.Request` for the session; the use cases check the
manager's permission again whatever the screen allowed.
"""

from __future__ import annotations

from PySide6.QtWidgets import QButtonGroup, QHBoxLayout, QLabel, QPushButton, QWidget

from pos_app.domain import errors
from pos_app.domain.cards import CardStatus, GiftCard
from pos_app.domain.codes import mask
from pos_app.domain.ledger import PaymentMethod
from pos_app.domain.money import Money
from pos_app.formatting import format_datetime
from pos_app.ui.icons import icon
from pos_app.ui.manager.card_forms import BadInput, Confirm, OperationForm, Request
from pos_app.ui.manager.card_history import HistoryRow
from pos_app.ui.manager.card_terms_form import ChangeForm
from pos_app.ui.messages import tr
from pos_app.ui.session import Sale, TillSession

MINUS_SIGNS = "-−–"  # a hyphen, the minus sign and the en dash people paste


def _sold_state(card: GiftCard) -> str | None:
    """Why a card cannot take money whatever the operation: disabled, or not sold yet."""
    if card.status is CardStatus.DISABLED:
        return tr("This card is disabled. Enable it first (Ctrl+4).")
    if card.status is CardStatus.INACTIVE:
        return tr("This card has not been sold yet. Sell it first.")
    return None


class SellForm(OperationForm):
    """Sell a card at the counter: its value (empty: the campaign's), what the customer paid (empty: the value;
    less for a promotion) and how: cash, card or other (three big buttons, cash first)."""

    title, icon_name = "Sell", "sell"

    def build(self) -> None:
        self.title, self.action = tr("Sell"), tr("Activate (Enter)")
        self.button.setText(self.action)
        self.amount_edit = self.field(tr("Amount"), name="SellAmount", amount=True)
        self.price_edit = self.field(tr("Price paid"), tr("empty: the card's value"), name="SellPrice", amount=True)
        self.payment_buttons = self._payment_row()
        self.order_edit = self.field(tr("Order reference"), tr("optional, e.g. the shop's receipt number"),
                                     name="SellOrder")

    def _payment_row(self) -> dict[PaymentMethod, QPushButton]:
        row = QWidget()
        line = QHBoxLayout(row)
        line.setContentsMargins(0, 0, 0, 0)
        group = QButtonGroup(row)
        group.setExclusive(True)
        names = {PaymentMethod.CASH: tr("Cash"), PaymentMethod.CARD: tr("Card"), PaymentMethod.OTHER: tr("Other")}
        buttons: dict[PaymentMethod, QPushButton] = {}
        for method, name in names.items():
            button = QPushButton(name)
            button.setObjectName(f"SellPayment_{method.value}")
            button.setCheckable(True)
            button.setAutoDefault(False)
            group.addButton(button)
            line.addWidget(button)
            buttons[method] = button
        buttons[PaymentMethod.CASH].setChecked(True)
        caption = QLabel(tr("Paid by"))
        caption.setBuddy(buttons[PaymentMethod.CASH])
        self.form.addRow(caption, row)
        return buttons

    @property
    def payment(self) -> PaymentMethod:
        return next((m for m, b in self.payment_buttons.items() if b.isChecked()), PaymentMethod.CASH)

    def why_not(self, card: GiftCard) -> str | None:
        if card.status is CardStatus.ACTIVE:
            return tr("This card is already sold and active. Use Top up to add money to it.")
        if card.status is CardStatus.DISABLED:
            return tr("This card is disabled. Enable it first (Ctrl+4).")
        if card.status is CardStatus.FROZEN:
            return tr("This card is on hold until its conflict is resolved.")
        if card.is_expired(self.now()):
            return tr("This card has expired and cannot be sold.")
        return None

    def refresh(self) -> None:
        card = self.card
        if card is not None and card.initial_amount is not None:
            self.amount_edit.setPlaceholderText(self.money(card.initial_amount))
        else:
            self.amount_edit.setPlaceholderText("")
        super().refresh()
        for button in self.payment_buttons.values():
            button.setEnabled(self.usable)

    def reset(self) -> None:
        super().reset()
        self.payment_buttons[PaymentMethod.CASH].setChecked(True)

    def hint(self) -> str:
        card = self.card
        if card is not None and card.initial_amount is not None:
            return tr("Leave the amount empty to sell the card at its value, {amount}. The customer pays first; "
                      "it prints a receipt.").format(amount=self.money(card.initial_amount))
        return tr("Type the amount the customer paid. It prints a receipt.")

    def request(self) -> Request:
        code = self.card.code if self.card else ""
        amount, order = self.amount(self.amount_edit, optional=True), self.order_edit.text().strip() or None
        price = self.price()
        payment = self.payment

        def done(sale: Sale) -> str:
            paid = sale.entry.price if sale.entry.price is not None else sale.entry.amount
            return tr("Card {code} activated with {amount}, paid {price}.").format(
                code=mask(code), amount=self.money(sale.entry.amount), price=self.money(paid))

        return Request("sell", lambda s: s.sell(code, amount, price=price, payment=payment, order_ref=order), done)

    def price(self) -> Money | None:
        """What the customer paid (None: the value); 0 is a price (a card given away)."""
        text = self.price_edit.text().strip()
        if not text:
            return None
        try:
            return self.ctx.session.money(text, zero=True)
        except errors.GiftCardError as exc:
            raise BadInput(exc, self.price_edit) from exc


class TopUpForm(OperationForm):
    title, icon_name = "Top up", "topup"

    def build(self) -> None:
        self.title, self.action = tr("Top up"), tr("Top up (Enter)")
        self.button.setText(self.action)
        self.amount_edit = self.field(tr("Amount to add"), tr("e.g. 20.00"), name="TopUpAmount", amount=True)
        self.reason_edit = self.field(tr("Reason"), tr("optional, e.g. birthday top-up"), name="TopUpReason")

    def why_not(self, card: GiftCard) -> str | None:
        why = _sold_state(card)
        if why is None and card.is_expired(self.now()):
            return tr("This card has expired and cannot be topped up.")
        return why

    def hint(self) -> str:
        return tr("The customer pays the amount first. It prints a receipt.")

    def request(self) -> Request:
        code = self.card.code if self.card else ""
        amount = self.amount(self.amount_edit)
        reason = self.reason_edit.text().strip() or None

        def done(sale: Sale) -> str:
            return tr("{amount} added to card {code}. Its balance is now {balance}.").format(
                amount=self.money(sale.entry.amount), code=mask(code), balance=self.money(sale.entry.balance_after))

        return Request("top_up", lambda s: s.top_up(code, amount, reason=reason), done)  # type: ignore[arg-type]


class CorrectForm(OperationForm):
    title, icon_name = "Correct", "correct"

    def build(self) -> None:
        self.title, self.action = tr("Correct"), tr("Correct (Enter)")
        self.button.setText(self.action)
        self.delta_edit = self.field(tr("Change (- removes, + adds)"), tr("-5.00 or +2.50"), name="CorrectAmount",
                                     amount=True)
        self.reason_edit = self.field(tr("Reason"), tr("required, e.g. counted wrong on 3 May"),
                                      name="CorrectReason")

    def why_not(self, card: GiftCard) -> str | None:
        if card.status is CardStatus.INACTIVE:
            return tr("This card has not been sold yet: sell it with its value instead.")
        return None

    def hint(self) -> str:
        return tr("Type + to add or - to remove, and always say why. It prints a correction slip.")

    def delta(self) -> Money:
        """The signed change: a sign is required, so that a forgotten minus never adds money to a card."""
        text = self.delta_edit.text().strip()
        sign = text[:1]
        if not sign or sign not in f"+{MINUS_SIGNS}":
            raise BadInput(errors.InvalidAmount("a correction needs a sign"), self.delta_edit,
                           tr("Type + to add or - to remove, such as -5.00 or +2.50."))
        try:
            amount = self.ctx.session.money(text[1:].strip())
        except errors.GiftCardError as exc:
            raise BadInput(exc, self.delta_edit) from exc
        return Money(-amount.minor if sign in MINUS_SIGNS else amount.minor, amount.currency)

    def request(self) -> Request:
        code = self.card.code if self.card else ""
        delta = self.delta()
        reason = self.reason_edit.text().strip()
        if not reason:
            raise BadInput(errors.InvalidAddBalanceParams("a correction needs a reason"), self.reason_edit)

        def done(sale: Sale) -> str:
            return tr("Card {code} corrected by {change}. Its balance is now {balance}.").format(
                code=mask(code), change=_signed(self.money(sale.entry.amount), sale.entry.amount),
                balance=self.money(sale.entry.balance_after))

        return Request("correct", lambda s: s.correct(code, delta, reason=reason), done)


class StatusForm(OperationForm):
    """Disable a lost card, or enable it again; both are confirmed first, naming the card."""

    title, icon_name, role = "Disable", "disable", "danger"

    def build(self) -> None:
        self.title = tr("Disable")
        self.action = tr("Disable (Enter)")
        self.button.setText(self.action)

    @property
    def enabling(self) -> bool:
        return self.card is not None and self.card.status is CardStatus.DISABLED

    def refresh(self) -> None:
        enabling = self.enabling
        self.title = tr("Enable") if enabling else tr("Disable")
        self.icon_name = "enable" if enabling else "disable"
        self.button.setText(tr("Enable (Enter)") if enabling else tr("Disable (Enter)"))
        self.button.setIcon(icon("enable" if enabling else "disable"))
        self.button.setProperty("role", "primary" if enabling else "danger")
        self.button.style().unpolish(self.button)
        self.button.style().polish(self.button)
        super().refresh()

    def why_not(self, card: GiftCard) -> str | None:
        if card.status is CardStatus.FROZEN:
            return tr("This card is on hold: resolve its conflict first (Conflicts page).")
        return None

    def hint(self) -> str:
        if self.enabling:
            return tr("The card is disabled. Enable it only when it has been found by its owner.")
        return tr("Disable a lost or stolen card: nobody can pay with it until it is enabled again.")

    def request(self) -> Request:
        code = self.card.code if self.card else ""
        enable = self.enabling
        if enable:
            confirm = Confirm(tr("Enable card"), tr("Enable card {code} again? It can then be used to pay.").format(
                code=mask(code)), tr("Enable {code}").format(code=mask(code)))
        else:
            confirm = Confirm(tr("Disable card"), tr(
                "Disable card {code}? Nobody can pay with it until a manager enables it again.").format(
                code=mask(code)), tr("Disable {code}").format(code=mask(code)))

        def done(card: GiftCard) -> str:
            if enable:
                return tr("Card {code} enabled again.").format(code=mask(code))
            return tr("Card {code} disabled: it can no longer be used.").format(code=mask(code))

        def run(session: TillSession) -> GiftCard:
            return session.set_enabled(code, enabled=enable)

        return Request("enable" if enable else "disable", run, done, confirm)


class RefundForm(OperationForm):
    """Give back (part of) one redemption, picked in the card's history."""

    title, icon_name = "Refund", "refund"

    def build(self) -> None:
        self.title, self.action = tr("Refund"), tr("Refund (Enter)")
        self.button.setText(self.action)
        self.picked: HistoryRow | None = None
        self.amount_edit = self.field(tr("Amount"), "", name="RefundAmount", amount=True)
        self.reason_edit = self.field(tr("Reason"), tr("optional, e.g. goods returned"), name="RefundReason")

    def pick(self, row: HistoryRow | None) -> None:
        self.picked = row
        self.refresh()

    def show_card(self, card: GiftCard | None, rows: list[HistoryRow]) -> None:
        if self.picked is not None:  # the same redemption, as it stands now (refunded or not)
            same = [r for r in rows if r.entry.id == self.picked.entry.id]
            self.picked = same[0] if same else None
        super().show_card(card, rows)

    def why_not(self, card: GiftCard) -> str | None:
        if not any(row.refundable for row in self.rows):
            return tr("This card has no redemption left to refund.")
        return None

    def why_wait(self) -> str | None:
        picked = self.picked
        if picked is None:
            return tr("Pick the redemption to refund in the card's history.")
        if picked.refunded_in_full:
            return tr("That redemption has been refunded in full already. Pick another one.")
        if not picked.refundable:
            return tr("Only a redemption can be refunded. Pick one in the card's history.")
        return None

    def refresh(self) -> None:
        picked = self.picked
        if picked is not None and picked.refundable:
            self.amount_edit.setPlaceholderText(self.money(picked.left))
        else:
            self.amount_edit.setPlaceholderText("")
        super().refresh()

    def hint(self) -> str:
        picked = self.picked
        if picked is None:
            return ""
        when = format_datetime(picked.entry.created_at, locale=self.ctx.locale)
        if picked.refunded > 0:
            return tr("Refund part of the redemption of {amount} made {when}: {left} of it is left to refund. "
                      "Leave the amount empty to refund all that is left.").format(
                amount=self.money(-picked.entry.amount), when=when, left=self.money(picked.left))
        return tr("Refund the redemption of {amount} made {when}. Leave the amount empty to refund all of it.").format(
            amount=self.money(-picked.entry.amount), when=when)

    def request(self) -> Request:
        picked = self.picked
        code = self.card.code if self.card else ""
        if picked is None or not picked.refundable:
            raise BadInput(errors.NotFound("pick a redemption"), self.amount_edit,
                           tr("Pick the redemption to refund in the card's history."))
        amount = self.amount(self.amount_edit, optional=True)
        reason = self.reason_edit.text().strip() or None
        entry_id = picked.entry.id

        def done(sale: Sale) -> str:
            return tr("{amount} refunded to card {code}. Its balance is now {balance}.").format(
                amount=self.money(sale.entry.amount), code=mask(code), balance=self.money(sale.entry.balance_after))

        return Request("refund", lambda s: s.refund(entry_id, amount, reason=reason), done)

    def reset(self) -> None:
        super().reset()
        self.picked = None


def _signed(text: str, minor: int) -> str:
    return f"+{text}" if minor > 0 else text


FORMS: tuple[type[OperationForm], ...] = (SellForm, TopUpForm, CorrectForm, StatusForm, RefundForm, ChangeForm)
