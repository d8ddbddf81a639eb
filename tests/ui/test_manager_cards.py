"""The manager's Cards page on the demo shop: sell, top up, correct, disable/enable and refund, through the real
window, the real session and the real store (a copy per test)."""

from __future__ import annotations

import itertools
from datetime import UTC, date, datetime

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QPushButton

from pos_app.domain.cards import CardStatus
from pos_app.domain.codes import CodeConfig
from pos_app.domain.errors import Forbidden
from pos_app.domain.ledger import EntryKind, PaymentMethod
from pos_app.domain.money import Money
from pos_app.services import campaigns
from pos_app.services.modes import ENROLLED, MODE_KEY
from pos_app.ui.cashier.card_panel import CardPanel
from pos_app.ui.manager.card_history import history_model, load_history
from pos_app.ui.manager.card_operations import CorrectForm, RefundForm, SellForm, StatusForm, TopUpForm
from pos_app.ui.manager.card_terms_form import ChangeForm
from pos_app.ui.manager.cards_page import CardsPage
from tests.integration.test_sync_store import merged_offline_history
from tests.printing.escpos_reader import read as read_escpos
from tests.ui.conftest import CASHIER_PIN, MANAGER_PIN, log_in, manager_page


@pytest.fixture
def page(window, ctx, settle) -> CardsPage:
    return manager_page(window, ctx, settle, CardsPage)


def show(page: CardsPage, qtbot, settle, code: str) -> None:
    page.code_edit.clear()
    qtbot.keyClicks(page.code_edit, code)
    qtbot.keyClick(page.code_edit, Qt.Key.Key_Return)
    settle()
    assert page.card is not None and page.card.code == code


def card(ctx, code: str):
    return ctx.session.look_up(code).card


def answer_confirmation(qtbot, *, accept: bool) -> list[str]:
    """Click a button of the confirmation dialog once it is open; returns what it asked."""
    asked: list[str] = []

    def click() -> None:
        box = QApplication.activeModalWidget()
        if box is None:
            QTimer.singleShot(10, click)
            return
        asked.append(box.text())  # type: ignore[attr-defined]
        name = "ConfirmAccept" if accept else "ConfirmCancel"
        qtbot.mouseClick(box.findChild(QPushButton, name), Qt.MouseButton.LeftButton)

    QTimer.singleShot(0, click)
    return asked


def test_selling_a_card_not_sold_activates_it_with_the_campaign_value_and_prints(page, ctx, codes, qtbot, settle,
                                                                                  till) -> None:
    show(page, qtbot, settle, codes["not_sold"])
    sell = page.current
    assert isinstance(sell, SellForm)  # the operation that fits a card not sold yet
    assert page.focusWidget() is sell.amount_edit
    with qtbot.waitSignal(ctx.events.sale_done) as done:
        qtbot.keyClick(sell.amount_edit, Qt.Key.Key_Return)  # empty amount: the campaign's value
    settle()
    sale = done.args[0]
    sold = card(ctx, codes["not_sold"])
    assert sold.status is CardStatus.ACTIVE and sold.balance == 5000
    assert sale.entry.kind is EntryKind.CREDITS_ADDITION and sale.receipt is not None and sale.receipt.printed
    with till.new_reader() as uow:
        assert uow.print_jobs.for_entry(sale.entry.id, "escpos") is not None
    assert page.message.text() == f"Card {sold.masked} activated with €50.00, paid €50.00."
    assert (sale.entry.price, sale.entry.payment) == (5000, PaymentMethod.CASH)  # cash unless told otherwise
    assert page.message.property("level") == "done"
    assert not sell.button.isEnabled() and "already sold" in sell.button.toolTip()
    assert not page.choice_buttons[0].isEnabled()


def test_a_sale_at_a_promotion_price_paid_by_card_is_recorded_and_printed(page, ctx, codes, qtbot, settle,
                                                                          till) -> None:
    show(page, qtbot, settle, codes["not_sold"])
    sell = page.current
    assert isinstance(sell, SellForm)
    qtbot.keyClicks(sell.price_edit, "45.00")
    qtbot.mouseClick(sell.payment_buttons[PaymentMethod.CARD], Qt.MouseButton.LeftButton)
    with qtbot.waitSignal(ctx.events.sale_done) as done:
        qtbot.keyClick(sell.price_edit, Qt.Key.Key_Return)
    settle()
    sale = done.args[0]
    assert (sale.entry.amount, sale.entry.price, sale.entry.payment) == (5000, 4500, PaymentMethod.CARD)
    assert page.message.text().endswith("activated with €50.00, paid €45.00.")
    with till.new_reader() as uow:
        job = uow.print_jobs.for_entry(sale.entry.id, "escpos")
    assert job is not None
    printed = read_escpos(job.data).text
    assert "Price paid" in printed and "45.00" in printed and "Paid by" in printed and "Card" in printed
    assert sell.payment is PaymentMethod.CASH and not sell.price_edit.text()  # ready for the next sale


def test_a_price_above_the_value_is_refused_and_the_card_stays_unsold(page, ctx, codes, qtbot, settle) -> None:
    show(page, qtbot, settle, codes["not_sold"])
    sell = page.current
    qtbot.keyClicks(sell.price_edit, "60.00")
    qtbot.keyClick(sell.price_edit, Qt.Key.Key_Return)
    settle()
    assert card(ctx, codes["not_sold"]).status is CardStatus.INACTIVE
    assert page.message.property("level") == "refused"
    assert sell.price_edit.text() == "60.00"  # nothing typed is lost


def test_sell_does_not_apply_to_an_active_card_and_says_why(page, codes, qtbot, settle) -> None:
    show(page, qtbot, settle, codes["active"])
    assert isinstance(page.current, TopUpForm)
    sell = page.form(SellForm)
    assert not sell.button.isEnabled()
    assert "already sold and active" in page.choice_buttons[0].toolTip()
    assert "already sold and active" in sell.note.text()


def test_top_up_adds_to_the_balance(page, ctx, codes, qtbot, settle) -> None:
    show(page, qtbot, settle, codes["active"])
    top_up = page.open_form(TopUpForm)
    qtbot.keyClicks(top_up.amount_edit, "20.00")
    qtbot.keyClicks(top_up.reason_edit, "birthday")
    with qtbot.waitSignal(ctx.events.card_changed):
        qtbot.mouseClick(top_up.button, Qt.MouseButton.LeftButton)
    settle()
    assert card(ctx, codes["active"]).balance == 7000
    assert "€20.00 added" in page.message.text() and "€70.00" in page.message.text()
    assert top_up.amount_edit.text() == ""  # done: the form is clear for the next one
    assert page.card is not None and page.card.balance == 7000  # the page read the card again


def test_a_bad_amount_is_refused_in_a_sentence_and_nothing_typed_is_lost(page, ctx, codes, qtbot, settle) -> None:
    show(page, qtbot, settle, codes["active"])
    top_up = page.open_form(TopUpForm)
    qtbot.keyClicks(top_up.amount_edit, "12.345")
    qtbot.keyClick(top_up.amount_edit, Qt.Key.Key_Return)
    settle()
    assert page.message.text() == "Enter an amount greater than zero, such as 12.50."
    assert page.message.property("level") == "refused"
    assert top_up.amount_edit.text() == "12.345" and page.focusWidget() is top_up.amount_edit
    assert card(ctx, codes["active"]).balance == 5000


def test_a_correction_down_needs_a_reason_and_then_removes(page, ctx, codes, qtbot, settle) -> None:
    show(page, qtbot, settle, codes["active"])
    correct = page.open_form(CorrectForm)
    qtbot.keyClicks(correct.delta_edit, "-5.00")
    qtbot.keyClick(correct.delta_edit, Qt.Key.Key_Return)
    settle()
    assert page.message.text() == "A correction needs a reason and an amount other than zero."
    assert page.focusWidget() is correct.reason_edit
    assert card(ctx, codes["active"]).balance == 5000

    qtbot.keyClicks(correct.reason_edit, "counted wrong")
    with qtbot.waitSignal(ctx.events.sale_done) as done:
        qtbot.keyClick(correct.reason_edit, Qt.Key.Key_Return)
    settle()
    assert done.args[0].entry.kind is EntryKind.CREDITS_REMOVAL
    assert card(ctx, codes["active"]).balance == 4500
    assert "corrected by -€5.00" in page.message.text()


def test_a_correction_without_a_sign_is_refused_before_any_write(page, ctx, codes, qtbot, settle) -> None:
    show(page, qtbot, settle, codes["active"])
    correct = page.open_form(CorrectForm)
    qtbot.keyClicks(correct.delta_edit, "5.00")
    qtbot.keyClicks(correct.reason_edit, "why not")
    qtbot.keyClick(correct.reason_edit, Qt.Key.Key_Return)
    settle()
    assert "+ to add or - to remove" in page.message.text()
    assert card(ctx, codes["active"]).balance == 5000


def test_a_correction_below_zero_is_refused_with_the_cards_balance(page, ctx, codes, qtbot, settle) -> None:
    show(page, qtbot, settle, codes["partly_used"])
    correct = page.open_form(CorrectForm)
    qtbot.keyClicks(correct.delta_edit, "-40")
    qtbot.keyClicks(correct.reason_edit, "test")
    qtbot.keyClick(correct.reason_edit, Qt.Key.Key_Return)
    settle()
    assert page.message.text() == "The card does not have enough on it: €37.50 left."
    assert correct.delta_edit.text() == "-40"


def test_disabling_asks_first_naming_the_card_and_cancel_changes_nothing(page, ctx, codes, qtbot, settle) -> None:
    show(page, qtbot, settle, codes["active"])
    status = page.open_form(StatusForm)
    asked = answer_confirmation(qtbot, accept=False)
    qtbot.mouseClick(status.button, Qt.MouseButton.LeftButton)
    settle()
    masked = card(ctx, codes["active"]).masked
    assert asked and masked in asked[0]
    assert card(ctx, codes["active"]).status is CardStatus.ACTIVE
    assert page.message.text() == "Nothing was changed."


def test_disable_then_enable_again(page, ctx, codes, qtbot, settle) -> None:
    code = codes["active"]
    show(page, qtbot, settle, code)
    status = page.open_form(StatusForm)
    answer_confirmation(qtbot, accept=True)
    with qtbot.waitSignal(ctx.events.card_changed):
        qtbot.mouseClick(status.button, Qt.MouseButton.LeftButton)
    settle()
    assert card(ctx, code).status is CardStatus.DISABLED
    assert "disabled" in page.message.text()
    assert status.button.text() == "Enable (Enter)"
    assert not page.form(TopUpForm).button.isEnabled()

    answer_confirmation(qtbot, accept=True)
    qtbot.mouseClick(status.button, Qt.MouseButton.LeftButton)
    settle()
    assert card(ctx, code).status is CardStatus.ACTIVE
    assert "enabled again" in page.message.text()


def test_on_an_enrolled_till_disabling_is_refused_as_done_at_head_office(page, ctx, codes, qtbot, settle,
                                                                         till) -> None:
    with till.uow as uow:
        uow.settings.set(MODE_KEY, ENROLLED)
        uow.commit()
    show(page, qtbot, settle, codes["active"])
    status = page.open_form(StatusForm)
    answer_confirmation(qtbot, accept=True)
    qtbot.mouseClick(status.button, Qt.MouseButton.LeftButton)
    settle()
    assert page.message.text() == "For this till, that is done at head office on the central server."
    assert page.message.property("level") == "refused"
    with till.uow as uow:
        uow.settings.set(MODE_KEY, "standalone")
        uow.commit()
    assert card(ctx, codes["active"]).status is CardStatus.ACTIVE


def test_a_redemption_picked_in_the_history_is_refunded_in_parts_twice(page, ctx, codes, qtbot, settle) -> None:
    """Two items of one purchase come back one after the other: two part refunds of the same redemption, then all
    that is left of it; a redemption refunded in full is offered no more."""
    code = codes["partly_used"]  # one redemption of 12.50
    show(page, qtbot, settle, code)
    refund = page.form(RefundForm)
    assert not refund.button.isEnabled()  # nothing picked yet

    def refund_part(amount: str) -> int:
        rows = page.table.rows_model.rows
        redemption = next(n for n, row in enumerate(rows) if row.entry.kind is EntryKind.CREDITS_REDEMPTION)
        page.table.setCurrentIndex(page.table.rows_model.index(redemption, 0))
        qtbot.keyClick(page.table, Qt.Key.Key_Return)  # Enter on it: the Refund form, with it
        assert page.current is refund and refund.button.isEnabled()
        qtbot.keyClicks(refund.amount_edit, amount)
        qtbot.keyClicks(refund.reason_edit, "goods returned")
        with qtbot.waitSignal(ctx.events.sale_done) as done:
            qtbot.keyClick(refund.reason_edit, Qt.Key.Key_Return)
        settle()
        assert done.args[0].entry.kind is EntryKind.CREDITS_REFUND
        return int(done.args[0].entry.amount)

    assert refund_part("2.50") == 250
    assert card(ctx, code).balance == 3750 + 250
    assert "€2.50 refunded" in page.message.text()
    (row,) = [row for row in page.table.rows_model.rows if row.refunded]
    assert row.refundable and row.left == 1000
    what = page.table.rows_model.index(page.table.rows_model.rows.index(row), 1).data()
    assert what.endswith("€2.50 refunded")

    assert refund_part("4.00") == 400  # a second item of the same purchase
    (row,) = [row for row in page.table.rows_model.rows if row.refunded]
    assert (row.refunded, row.left) == (650, 600)
    refund.pick(row)
    assert "€6.00 of it is left" in refund.note.text() and refund.amount_edit.placeholderText() == "€6.00"

    assert refund_part("") == 600  # no amount: all that is left
    assert card(ctx, code).balance == 5000
    (row,) = [row for row in page.table.rows_model.rows if row.refunded]
    assert row.refunded_in_full and not row.refundable
    assert "no redemption left" in refund.note.text()


def test_a_scan_on_the_page_fills_in_the_code_and_shows_the_card(page, ctx, codes, qtbot, settle) -> None:
    ctx.events.scanned.emit(f"  {codes['partly_used']}\r\n")
    settle()
    assert page.code_edit.text() == codes["partly_used"]
    assert page.card is not None and page.card.balance == 3750
    assert page.panel.card is not None and page.panel.code.text() == codes["partly_used"]  # managers: the whole code


def test_a_code_that_cannot_be_read_is_refused_and_no_card_stays_on_show(page, codes, qtbot, settle) -> None:
    show(page, qtbot, settle, codes["active"])
    page.take_scan("GC-!!!")
    settle()
    assert page.card is None and page.message.property("level") == "refused"
    assert not page.form(TopUpForm).button.isEnabled()


def test_an_unknown_card_is_refused_in_a_sentence(page, qtbot, settle) -> None:
    qtbot.keyClicks(page.code_edit, "OLD-SHOP-CARD-42")
    qtbot.keyClick(page.code_edit, Qt.Key.Key_Return)
    settle()
    assert page.message.text() == "This card is not known to the till. Check the code and scan it again."
    assert page.card is None


def test_esc_and_logout_clear_the_page(page, ctx, codes, qtbot, settle, window) -> None:
    show(page, qtbot, settle, codes["active"])
    qtbot.keyClick(page.code_edit, Qt.Key.Key_Escape)
    assert page.card is None and page.code_edit.text() == ""
    show(page, qtbot, settle, codes["active"])
    window.lock()
    assert page.card is None and page.code_edit.text() == ""


def test_the_history_model(ctx, codes, qtmodeltester) -> None:
    ctx.session.login(MANAGER_PIN)
    history = load_history(ctx.session, codes["partly_used"])
    model = history_model(ctx.locale)
    model.set_rows(history.rows)
    assert model.rowCount() == 2
    qtmodeltester.check(model)


def test_a_cashier_cannot_reach_the_manager_pages(window, ctx, settle) -> None:
    log_in(ctx, settle, CASHIER_PIN)
    window.show_manager()
    assert window.screens.currentWidget() is window.cashier


def test_a_cashier_cannot_sell_even_past_the_screen(ctx, codes) -> None:
    ctx.session.login(CASHIER_PIN)
    with pytest.raises(Forbidden):
        ctx.session.sell(codes["not_sold"], Money(5000, "EUR"))


def test_after_offline_entries_merge_the_history_agrees_with_the_card(ctx, codes, qtbot) -> None:
    """Issue 13: the newest row of the history said "→ €10.00" while the card was at −€15.00. In the ledger's
    order (unsynced here on top, then the server's), each row's balance follows from the next, and the newest is
    the card's — in the manager's history and in the card panel."""
    uow = ctx.session.till.uow
    with uow:
        _top_up, ours, theirs = merged_offline_history(uow, codes["active"])
        uow.commit()
    ctx.session.login(MANAGER_PIN)
    history = load_history(ctx.session, codes["active"])
    card = history.view.card
    ids = [row.entry.id for row in history.rows]
    assert ids.index(ours.id) + 1 == ids.index(theirs.id)  # the server's order, not the tills' clocks
    assert history.rows[0].balance == card.balance == -1500
    for newer, older in itertools.pairwise(history.rows):
        assert older.balance == newer.balance - newer.entry.balance_delta

    model = history_model(ctx.locale)
    model.set_rows(history.rows)
    assert model.headerData(3, Qt.Orientation.Horizontal) == "Balance after"
    assert model.data(model.index(0, 3)) == "-€15.00"

    panel = CardPanel(ctx)
    qtbot.addWidget(panel)
    panel.show_card(history.view)
    assert panel.model.headerData(3, Qt.Orientation.Horizontal) == "Left"
    assert panel.model.data(panel.model.index(0, 3)) == "-€15.00"


def test_the_card_panel_masks_a_postfix_campaigns_card_by_the_part_that_differs(ctx, qtbot) -> None:
    """Issue 13: every card of a ``--postfix -2026`` campaign read ``•••• 2026`` on the cashier's screen."""
    till = ctx.session.till
    manager = till.login(MANAGER_PIN)
    campaign = campaigns.create_campaign(till.uow, manager, campaigns.CreateCampaign(
        name="Year cards", amount=Money(2000, "EUR"), count=2, code_config=CodeConfig(length=8, postfix="-2026")))
    with till.uow as uow:
        codes = [card.code for card in uow.cards.iter_all(campaign.id)]
    ctx.session.login(CASHIER_PIN)
    panel = CardPanel(ctx)
    qtbot.addWidget(panel)
    shown = []
    for code in codes:
        panel.show_card(ctx.session.history(code))
        shown.append(panel.code.text())
        assert shown[-1] == f"•••• {code.removesuffix('-2026')[-4:]}"
    assert len(set(shown)) == 2


def test_a_manager_extends_an_expired_card_and_changes_its_terms_with_a_reason(page, ctx, codes, qtbot,
                                                                                settle) -> None:
    code = codes["expired"]
    show(page, qtbot, settle, code)
    change = page.open_form(ChangeForm)
    assert change.button.isEnabled() and page.focusWidget() is change.expires_edit
    before = card(ctx, code)
    entries = len(ctx.session.history(code).recent)
    next_year = date.today().year + 1

    qtbot.keyClicks(change.expires_edit, f"{next_year}-06-30")
    qtbot.keyClick(change.expires_edit, Qt.Key.Key_Return)  # no reason yet: refused, focus on the reason
    settle()
    assert page.message.property("level") == "refused" and "Say why" in page.message.text()
    assert page.focusWidget() is change.reason_edit

    qtbot.keyClicks(change.reason_edit, "the customer was abroad")
    qtbot.keyClicks(change.category_edit, "goodwill")
    qtbot.keyClicks(change.metadata_edit, "approved_by=Maria")
    qtbot.keyClick(change.reason_edit, Qt.Key.Key_Return)
    settle()
    assert page.message.property("level") == "done", page.message.text()
    assert "last day, category, approved_by" in page.message.text()
    after = card(ctx, code)
    assert after.expiration_date is not None and before.expiration_date is not None
    assert after.expiration_date > before.expiration_date and not after.is_expired(datetime.now(UTC))
    assert (after.category, after.metadata.get("approved_by"), after.balance) == ("goodwill", "Maria", before.balance)
    assert len(ctx.session.history(code).recent) == entries  # no value moved: no entry
    assert "the customer was abroad" in change.note.text()  # its audit trail under the fields
    assert change.expires_edit.placeholderText() == f"{next_year}-06-30" and change.expires_edit.text() == ""

    qtbot.keyClicks(change.expires_edit, f"{next_year}-01-31")  # earlier than its new last day: refused
    qtbot.keyClicks(change.reason_edit, "oops")
    qtbot.keyClick(change.reason_edit, Qt.Key.Key_Return)
    settle()
    assert page.message.property("level") == "refused"
    assert page.message.text() == "An extension is a later last day than the card has now."
    assert card(ctx, code).expiration_date == after.expiration_date

    show(page, qtbot, settle, codes["active"])  # a card that never expires has no expiry to extend
    change = page.open_form(ChangeForm)
    assert change.expires_edit.placeholderText() == "never expires"
    change.expires_edit.setText(f"{next_year}-01-31")
    change.reason_edit.setText("goodwill")
    qtbot.keyClick(change.reason_edit, Qt.Key.Key_Return)
    settle()
    assert page.message.text() == "This card never expires: there is no expiry to extend."


def test_on_an_enrolled_till_changing_a_card_is_refused_as_done_at_head_office(page, ctx, codes, qtbot, settle,
                                                                              till) -> None:
    with till.uow as uow:
        uow.settings.set(MODE_KEY, ENROLLED)
        uow.commit()
    show(page, qtbot, settle, codes["active"])
    change = page.open_form(ChangeForm)
    qtbot.keyClicks(change.category_edit, "staff")
    qtbot.keyClicks(change.reason_edit, "given to staff")
    qtbot.keyClick(change.reason_edit, Qt.Key.Key_Return)
    settle()
    assert page.message.text() == "For this till, that is done at head office on the central server."
    with till.uow as uow:
        uow.settings.set(MODE_KEY, "standalone")
        uow.commit()
    assert card(ctx, codes["active"]).category != "staff"
