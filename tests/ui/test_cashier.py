"""The cashier screen on the real window and a real demo store: scan, amount, Enter, receipt, refusals."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from pos_app.demo import DEMO_PRINTER_FILE
from pos_app.domain import errors
from pos_app.domain.ledger import EntryKind
from pos_app.printing.printer_settings import PrinterSettings
from pos_app.ui.cashier.dialogs import ConfirmBox, OverrideDialog
from pos_app.ui.cashier.screen import CashierScreen
from pos_app.ui.context import Level
from tests.ui.conftest import CASHIER_PIN, MANAGER_PIN, log_in


@pytest.fixture
def screen(window, ctx, settle, qtbot) -> CashierScreen:
    """The window with the cashier logged in, active, so that its keys reach the screen."""
    log_in(ctx, settle, CASHIER_PIN)
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    assert window.screens.currentWidget() is window.cashier
    return window.cashier


def scan(ctx, settle, code: str) -> None:
    ctx.events.scanned.emit(code)
    settle()


def key(qtbot, screen: CashierScreen, which: Qt.Key) -> None:
    qtbot.keyClick(screen.pad.field, which)


def redeem(qtbot, screen: CashierScreen, settle: Callable[..., None], amount: str) -> None:
    screen.pad.field.clear()
    qtbot.keyClicks(screen.pad.field, amount)
    key(qtbot, screen, Qt.Key.Key_Return)
    settle()


def redemptions(till, code: str) -> list:
    """The card's successful redemptions, read from the store itself."""
    with till.new_reader() as uow:
        card = uow.cards.get_by_code(code)
        return [e for e in uow.entries.for_card(card.id) if e.kind is EntryKind.CREDITS_REDEMPTION and e.succeeded]


# ---- finding the card --------------------------------------------------------------------------------------


def test_a_scan_shows_the_card_and_puts_the_focus_on_the_amount(screen, ctx, settle, codes) -> None:
    scan(ctx, settle, codes["partly_used"])
    card = screen.panel.card
    assert card is not None and card.code == codes["partly_used"]
    assert screen.panel.balance.text() == "€37.50"
    assert screen.panel.code.text() == card.masked and codes["partly_used"] not in screen.panel.code.text()
    assert screen.panel.badge.text() == "Active"
    assert screen.panel.expiry.text()
    assert QApplication.focusWidget() is screen.pad.field
    assert screen.action_bar.redeem.isEnabled()


def test_a_typed_code_and_enter_find_the_card(screen, ctx, settle, codes, qtbot) -> None:
    qtbot.keyClicks(screen.code_field, codes["active"])
    qtbot.keyClick(screen.code_field, Qt.Key.Key_Return)
    settle()
    assert screen.panel.card.code == codes["active"]
    assert screen.panel.balance.text() == "€50.00"
    assert screen.code_field.text() == ""  # ready for the next one; the panel shows the masked code


def test_a_new_scan_replaces_the_card_shown(screen, ctx, settle, codes) -> None:
    scan(ctx, settle, codes["active"])
    scan(ctx, settle, codes["partly_used"])
    assert screen.panel.card.code == codes["partly_used"]


def test_the_entries_table_is_a_sound_model(screen, ctx, settle, codes, qtmodeltester) -> None:
    scan(ctx, settle, codes["partly_used"])
    model = screen.panel.model
    assert model.rowCount() == 2  # activated, then redeemed €12.50
    assert model.index(0, 1).data() == "Redeemed"
    assert model.index(0, 2).data() == "−€12.50"
    assert model.index(0, 3).data() == "€37.50"
    assert model.index(1, 1).data() == "Activated"
    qtmodeltester.check(model)


CANNOT_PAY = [  # state of the demo card, its badge, words of the sentence at the scan
    ("disabled", "Disabled", "has been disabled"),
    ("expired", "Expired", "was valid until"),
    ("not_sold", "Not sold yet", "has not been sold yet"),
    ("spent", "Spent", "nothing left"),
]


def test_a_card_that_cannot_pay_is_said_so_at_the_scan(screen, ctx, settle, codes) -> None:
    told = []
    ctx.events.message.connect(lambda text, level: told.append((text, level)))
    for state, badge, words in CANNOT_PAY:
        scan(ctx, settle, codes[state])
        assert screen.panel.badge.text() == badge, state
        assert words in screen.banner.text.text(), state
        assert screen.banner.level == "refused"
        assert told[-1] == (screen.banner.text.text(), str(Level.REFUSED))
        assert not screen.action_bar.redeem.isEnabled()


def test_an_unknown_code_is_not_found_and_the_card_shown_goes(screen, ctx, settle, codes) -> None:
    scan(ctx, settle, codes["active"])
    scan(ctx, settle, "SOMEONE-ELSES-CODE")
    assert screen.banner.text.text() == "This card is not known to the till. Check the code and scan it again."
    assert screen.panel.card is None
    assert not screen.action_bar.redeem.isEnabled()


def test_a_garbled_scan_is_refused_before_any_lookup(screen, ctx, settle, codes, qtbot) -> None:
    code = codes["active"]
    wrong = code[:-1] + ("A" if code[-1] != "A" else "B")  # the check character no longer matches
    ctx.events.scanned.emit(wrong)  # refused on the spot: no op is started
    assert ctx.ops.busy == 0
    assert "misread or mistyped" in screen.banner.text.text()
    assert screen.banner.level == "refused"
    screen.banner.clear()
    qtbot.keyClicks(screen.code_field, wrong)  # typed by hand: the same sentence, and the text stays to correct
    qtbot.keyClick(screen.code_field, Qt.Key.Key_Return)
    assert "misread or mistyped" in screen.banner.text.text()
    assert screen.code_field.text() == wrong


# ---- redeeming ---------------------------------------------------------------------------------------------


def test_scan_amount_enter_redeems_prints_and_updates_the_balance(screen, ctx, settle, codes, till, qtbot) -> None:
    code = codes["active"]
    scan(ctx, settle, code)
    printer = till.data_dir / DEMO_PRINTER_FILE
    printer.unlink(missing_ok=True)
    with qtbot.waitSignal(ctx.events.sale_done) as done, qtbot.waitSignal(ctx.events.printer_state) as printed:
        qtbot.keyClicks(screen.pad.field, "12.50")
        key(qtbot, screen, Qt.Key.Key_Return)
    settle()
    assert screen.banner.text.text() == "Redeemed €12.50 — €37.50 left on the card"
    assert screen.banner.level == "done"
    assert screen.panel.balance.text() == "€37.50"
    assert screen.panel.model.index(0, 1).data() == "Redeemed"
    assert screen.pad.text() == ""
    assert printed.args[0] == "printed"
    sale = done.args[0]
    assert [e.id for e in redemptions(till, code)] == [sale.entry.id]
    with till.new_reader() as uow:
        job = uow.print_jobs.for_entry(sale.entry.id, "escpos")
    assert job is not None
    assert b"37.50" in printer.read_bytes()


def test_a_double_enter_redeems_once(screen, ctx, settle, codes, till, qtbot) -> None:
    scan(ctx, settle, codes["active"])
    qtbot.keyClicks(screen.pad.field, "5")
    key(qtbot, screen, Qt.Key.Key_Return)
    key(qtbot, screen, Qt.Key.Key_Return)
    screen.action_bar.redeem.click()
    settle()
    assert len(redemptions(till, codes["active"])) == 1
    assert screen.panel.balance.text() == "€45.00"


def test_a_scan_during_a_sale_waits_for_it(screen, ctx, settle, codes, till, qtbot) -> None:
    scan(ctx, settle, codes["active"])
    qtbot.keyClicks(screen.pad.field, "10")
    key(qtbot, screen, Qt.Key.Key_Return)
    ctx.events.scanned.emit(codes["partly_used"])  # before the redemption has answered
    settle()
    assert len(redemptions(till, codes["active"])) == 1  # the sale was for the card shown when Enter was pressed
    assert screen.panel.card.code == codes["partly_used"]  # and the next card came after it
    assert screen.panel.balance.text() == "€37.50"


def test_over_the_balance_names_the_balance_and_keeps_the_amount(screen, ctx, settle, codes, till, qtbot) -> None:
    scan(ctx, settle, codes["partly_used"])
    redeem(qtbot, screen, settle, "40")
    assert screen.banner.text.text() == "The card does not have enough on it: €37.50 left."
    assert screen.banner.level == "refused"
    assert screen.pad.text() == "40"  # to correct, not to type again
    assert screen.panel.model.index(0, 1).data() == "Refused: not enough on the card"  # the attempt is recorded
    assert len(redemptions(till, codes["partly_used"])) == 1  # the demo's own, nothing more


ABSURD = [("0", "greater than zero"), ("-5", "cannot be negative"), ("12a", "is not an amount"),
          ("12.505", "at most 2 decimals"), ("12,50", "Use a dot"), ("99999999", "larger than any gift card"),
          ("", "Enter the amount first")]


def test_an_absurd_amount_gets_its_sentence_and_stays(screen, ctx, settle, codes, till, qtbot) -> None:
    scan(ctx, settle, codes["active"])
    for typed, words in ABSURD:
        redeem(qtbot, screen, settle, typed)
        assert words in screen.banner.text.text(), typed
        assert screen.banner.level == "refused"
        assert screen.pad.text() == typed
    assert redemptions(till, codes["active"]) == []


def test_the_pad_types_into_the_amount_and_whole_balance_fills_it(screen, ctx, settle, codes, qtbot) -> None:
    scan(ctx, settle, codes["partly_used"])
    for name in ("1", "2", ".", "5", "0", "0", "backspace"):
        qtbot.mouseClick(screen.pad.keys[name], Qt.MouseButton.LeftButton)
    assert screen.pad.text() == "12.50"
    qtbot.mouseClick(screen.pad.keys["clear"], Qt.MouseButton.LeftButton)
    assert screen.pad.text() == ""
    key(qtbot, screen, Qt.Key.Key_F5)
    assert screen.pad.text() == "37.50"


def test_a_receipt_that_does_not_print_leaves_the_sale_done(screen, ctx, settle, codes, till, qtbot,
                                                             tmp_path: Path) -> None:
    settings = till.printer_settings()
    till.save_printer_settings(PrinterSettings(**{**{n: getattr(settings, n) for n in settings.__dataclass_fields__},
                                                  "destination": f"file:{tmp_path / 'no' / 'such' / 'printer'}"}))
    scan(ctx, settle, codes["active"])
    with qtbot.waitSignal(ctx.events.printer_state) as state:
        redeem(qtbot, screen, settle, "10")
    assert state.args[0] == "failed"
    assert screen.banner.text.text() == "Redeemed €10.00 — €40.00 left on the card"
    assert "did not print" in screen.banner.detail.text() and "F4" in screen.banner.detail.text()
    assert len(redemptions(till, codes["active"])) == 1


# ---- refund last, reprint, clear ---------------------------------------------------------------------------


def test_refund_last_after_confirming_puts_the_money_back(screen, ctx, settle, codes, till, qtbot) -> None:
    scan(ctx, settle, codes["active"])
    redeem(qtbot, screen, settle, "20")
    assert screen.action_bar.refund.isEnabled()
    key(qtbot, screen, Qt.Key.Key_F3)
    box = screen.dialog
    assert isinstance(box, ConfirmBox) and "€20.00" in box.text()
    qtbot.mouseClick(box.yes, Qt.MouseButton.LeftButton)
    settle()
    assert screen.banner.text.text() == "Refunded €20.00 to the card — €50.00 on it now"
    assert screen.panel.balance.text() == "€50.00"
    assert screen.panel.model.index(0, 1).data() == "Refunded"
    assert not screen.action_bar.refund.isEnabled()  # the last sale is a refund now


def test_refund_last_can_be_cancelled(screen, ctx, settle, codes, till, qtbot) -> None:
    scan(ctx, settle, codes["active"])
    redeem(qtbot, screen, settle, "20")
    key(qtbot, screen, Qt.Key.Key_F3)
    qtbot.mouseClick(screen.dialog.no, Qt.MouseButton.LeftButton)
    settle()
    assert screen.panel.balance.text() == "€30.00"


def test_refund_last_with_nothing_redeemed_says_so(screen, ctx, settle) -> None:
    screen.refund_last()
    assert "nothing to refund" in screen.banner.text.text()
    assert screen.dialog is None


def test_reprint_sends_the_last_receipt_again(screen, ctx, settle, codes, till, qtbot) -> None:
    scan(ctx, settle, codes["active"])
    redeem(qtbot, screen, settle, "7.50")
    printer = till.data_dir / DEMO_PRINTER_FILE
    first = printer.read_bytes()
    printer.unlink()
    key(qtbot, screen, Qt.Key.Key_F4)
    settle()
    assert screen.banner.text.text() == "The receipt was printed again."
    assert printer.read_bytes() == first


def test_escape_clears_the_card_and_the_amount(screen, ctx, settle, codes, qtbot) -> None:
    scan(ctx, settle, codes["active"])
    qtbot.keyClicks(screen.pad.field, "3")
    key(qtbot, screen, Qt.Key.Key_Escape)
    assert screen.panel.card is None and screen.pad.text() == ""
    assert not screen.action_bar.redeem.isEnabled()


def test_check_balance_reads_a_card_changed_elsewhere(screen, ctx, settle, codes, till) -> None:
    code = codes["active"]
    scan(ctx, settle, code)
    ctx.session.redeem(code, ctx.session.money("5"))  # another till, or the manager screen
    ctx.events.card_changed.emit(code)
    settle()
    assert screen.panel.balance.text() == "€45.00"
    ctx.session.redeem(code, ctx.session.money("5"))
    screen.check_balance()
    settle()
    assert screen.panel.balance.text() == "€40.00"


def test_a_logout_clears_the_screen(screen, ctx, settle, codes) -> None:
    scan(ctx, settle, codes["active"])
    ctx.session.logout()
    ctx.events.logged_out.emit()
    assert screen.panel.card is None


# ---- the manager's override of the offline limits ----------------------------------------------------------


def test_an_offline_limit_refusal_offers_a_managers_override(screen, ctx, settle, codes, till, qtbot,
                                                             monkeypatch) -> None:
    real, calls = ctx.session.redeem, []

    def redeem_offline_once(code, amount, *, override_pin=None, order_ref=None):
        calls.append(override_pin)
        if len(calls) == 1:
            raise errors.OfflineLimitExceeded("offline: more than the floor limit")
        return real(code, amount, override_pin=override_pin, order_ref=order_ref)

    monkeypatch.setattr(ctx.session, "redeem", redeem_offline_once)
    scan(ctx, settle, codes["active"])
    redeem(qtbot, screen, settle, "30")
    assert "offline" in screen.banner.text.text()
    assert screen.banner.action.isVisible()
    key(qtbot, screen, Qt.Key.Key_F7)
    dialog = screen.dialog
    assert isinstance(dialog, OverrideDialog)
    for digit in "0000":  # a wrong PIN: said in the dialog, which stays open
        dialog.pad.press(digit)
    dialog.pad.submit()
    settle()
    assert screen.dialog is dialog and "PIN is not right" in dialog.pad.error()
    for digit in MANAGER_PIN:
        dialog.pad.press(digit)
    dialog.pad.submit()
    settle()
    assert calls == [None, "0000", MANAGER_PIN]
    assert screen.banner.text.text() == "Redeemed €30.00 — €20.00 left on the card"
    assert screen.dialog is None
    assert len(redemptions(till, codes["active"])) == 1


# ---- layout ------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(("size", "wide"), [((1024, 768), False), ((1920, 1080), True)])
def test_the_layout_fits_small_and_large_tills(window, screen, qtbot, size, wide) -> None:
    window.resize(*size)
    qtbot.waitUntil(lambda: screen._wide is wide)
    assert screen.action_bar.redeem.isVisible()
