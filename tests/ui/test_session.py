"""The window's session in plain Python: who is logged in, the last sale, receipts after the commit."""

from __future__ import annotations

from pathlib import Path

import pytest

from pos_app.domain import errors
from pos_app.domain.money import Money
from pos_app.printing.printer_settings import PrinterSettings
from pos_app.ui.session import NotLoggedIn, TillSession
from tests.ui.conftest import CASHIER_PIN, MANAGER_PIN


@pytest.fixture
def session(till) -> TillSession:
    return TillSession(till)


def test_nothing_is_done_before_a_login(session, codes) -> None:
    with pytest.raises(NotLoggedIn):
        session.look_up(codes["active"])


def test_a_redemption_prints_its_receipt_after_the_commit_and_is_the_last_sale(session, codes, till) -> None:
    session.login(CASHIER_PIN)
    sale = session.redeem(codes["active"], Money(1250, "EUR"))
    assert sale.entry.balance_after == 3750
    assert sale.receipt is not None and sale.receipt.printed and sale.receipt_problem is None
    printed = Path(till.data_dir / "demo-printer.bin").read_bytes()
    assert b"37.50" in printed
    assert session.last_sale == sale.entry
    assert session.look_up(codes["active"]).card.balance == 3750


def test_refund_last_rolls_back_the_cashiers_own_redemption_once(session, codes) -> None:
    session.login(CASHIER_PIN)
    session.redeem(codes["active"], Money(1000, "EUR"))
    refund = session.refund_last()
    assert refund.entry.balance_after == 5000
    with pytest.raises(errors.NotFound):
        session.refund_last()  # the last sale is now the refund itself


def test_a_printer_that_is_off_leaves_the_sale_done_with_a_sentence(session, codes, till) -> None:
    till.save_printer_settings(PrinterSettings(destination="tcp://127.0.0.1:9"))
    session.login(CASHIER_PIN)
    sale = session.redeem(codes["active"], Money(500, "EUR"))
    assert sale.entry.balance_after == 4500
    assert sale.receipt_problem


def test_authenticate_does_not_switch_the_person_at_the_till(session) -> None:
    cashier = session.login(CASHIER_PIN)
    manager = session.authenticate(MANAGER_PIN)
    assert session.caller == cashier and manager.actor.role.value == "manager"
    session.become(manager)
    assert session.who == manager


def test_typed_amounts_follow_the_shops_locale(session) -> None:
    assert session.money("12.50") == Money(1250, "EUR")
    with pytest.raises(errors.InvalidAmount):
        session.money("-3")
