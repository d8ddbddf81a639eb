"""A cashier sells a card at the counter through the real window: the card scanned, the price typed (a
promotion), Sell card (F6), the payment method chosen, the sale committed with its price and payment, its
receipt printed; and a cashier of a shop that keeps selling to managers is refused in a sentence."""

from __future__ import annotations

from PySide6.QtCore import Qt

from pos_app.demo import DEMO_PRINTER_FILE
from pos_app.domain.cards import CardStatus
from pos_app.domain.ledger import PaymentMethod
from pos_app.services import cards
from tests.printing.escpos_reader import read
from tests.ui.conftest import CASHIER_PIN, MANAGER_PIN, log_in


def _scan(window, qtbot, settle, code: str):  # type: ignore[no-untyped-def]
    screen = window.cashier
    screen.take_scan(code)
    settle()
    assert screen.panel.card is not None and screen.panel.card.code == code
    return screen


def test_a_cashier_sells_a_card_at_a_promotion_price_paid_by_card(window, ctx, settle, qtbot, codes, till) -> None:
    cards.set_cashiers_sell(till.uow, till.login(MANAGER_PIN), allowed=True)
    log_in(ctx, settle, CASHIER_PIN)
    screen = _scan(window, qtbot, settle, codes["not_sold"])
    assert screen.action_bar.sell.isEnabled() and not screen.action_bar.redeem.isEnabled()
    qtbot.keyClicks(screen.pad.field, "45.00")
    qtbot.keyClick(screen, Qt.Key.Key_F6)
    qtbot.waitUntil(lambda: screen.dialog is not None)
    assert "worth €50.00, for €45.00" in screen.dialog.findChild(object, "PaymentIntro").text()
    with qtbot.waitSignal(ctx.events.sale_done, timeout=10_000) as done:
        qtbot.mouseClick(screen.dialog.buttons[PaymentMethod.CARD], Qt.MouseButton.LeftButton)
    settle()
    sale = done.args[0]
    assert (sale.entry.amount, sale.entry.price, sale.entry.payment) == (5000, 4500, PaymentMethod.CARD)
    assert sale.entry.operator_id == ctx.session.who.actor.user_id  # the cashier's sale
    assert screen.banner.text.text().endswith("sold: €50.00 on it, paid €45.00")
    assert sale.receipt is not None and sale.receipt.printed
    printed = read((till.data_dir / DEMO_PRINTER_FILE).read_bytes()).text
    assert "GIFT CARD SOLD" in printed and "Price paid" in printed and "Paid by" in printed
    qtbot.waitUntil(lambda: screen.panel.card is not None and screen.panel.card.status is CardStatus.ACTIVE)
    assert screen.dialog is None and screen.pad.text() == ""


def test_a_cashier_may_not_sell_unless_the_shop_lets_them(window, ctx, settle, qtbot, codes) -> None:
    log_in(ctx, settle, CASHIER_PIN)
    screen = _scan(window, qtbot, settle, codes["not_sold"])
    qtbot.mouseClick(screen.action_bar.sell, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: screen.dialog is not None)
    with qtbot.waitSignal(ctx.events.message) as said:
        qtbot.mouseClick(screen.dialog.buttons[PaymentMethod.CASH], Qt.MouseButton.LeftButton)
    settle()
    assert said.args[1] == "refused"
    assert ctx.session.look_up(codes["not_sold"]).card.status is CardStatus.INACTIVE
    assert screen.dialog is None
