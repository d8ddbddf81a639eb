"""The manager's Customers page on the demo shop (standalone): give cards to a customer through the form, find the
customer by part of their name or phone, and see their cards and balances in one view."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from pos_app.ui.manager.card_text import money_text
from pos_app.ui.manager.customers_page import CustomersPage, cards_model, customers_model
from tests.ui.conftest import manager_page


@pytest.fixture
def page(window, ctx, settle) -> CustomersPage:
    return manager_page(window, ctx, settle, CustomersPage)


def give(page: CustomersPage, qtbot, settle, code: str, source: str, **fields: str) -> None:
    page.take_scan(code)  # as a scanned card fills it in
    page.source_edit.clear()
    qtbot.keyClicks(page.source_edit, source)
    for name, value in fields.items():
        edit = getattr(page, f"{name}_edit")
        edit.clear()
        if value.isascii():
            qtbot.keyClicks(edit, value)
        else:  # QTest cannot type what is not ASCII (it aborts)
            edit.insert(value)
    qtbot.keyClick(page.source_edit, Qt.Key.Key_G, Qt.KeyboardModifier.ControlModifier)
    settle()
    settle()  # the customer's view, read after the write


def search(page: CustomersPage, qtbot, settle, text: str) -> None:
    page.search_edit.clear()
    qtbot.keyClicks(page.search_edit, text)
    qtbot.keyClick(page.search_edit, Qt.Key.Key_Return)
    settle()


def test_give_cards_then_find_the_customer_with_their_cards_and_balances(page, codes, qtbot, settle) -> None:
    give(page, qtbot, settle, codes["active"], "K-1", name="Jana Nováková", phone="0171 555 0101")
    assert "now belongs to Jana Nováková" in page.found.text()
    assert [v.customer.source_id for v in page.model.rows] == ["K-1"]
    assert [c.code for c in page.cards.rows] == [codes["active"]]
    give(page, qtbot, settle, codes["partly_used"], "K-1")  # the same customer, a second card
    (view,) = page.model.rows
    assert sorted(c.code for c in view.cards) == sorted([codes["active"], codes["partly_used"]])
    together = sum(c.balance for c in view.cards)
    assert together > 0 and view.balances() == {"EUR": together}
    assert page.model.index(0, 5).data() == money_text(together, "EUR", locale="en_US")  # one view: their total

    page.clear()
    search(page, qtbot, settle, "5550")  # part of the phone, whatever way it was written
    assert [v.customer.name for v in page.model.rows] == ["Jana Nováková"]
    assert page.found.text() == "1 customer found."
    assert len(page.cards.rows) == 2 and "Jana Nováková" in page.cards_title.text()
    assert {page.cards_table.model().index(r, 0).data() for r in range(2)} == {codes["active"], codes["partly_used"]}
    page.search_edit.setText("NOVÁK")
    page.search_now()
    settle()
    assert page.model.rowCount() == 1
    search(page, qtbot, settle, "nobody here")
    assert page.model.rowCount() == 0 and "No customer matches" in page.found.text()


def test_refusals_are_said_in_a_sentence(page, codes, qtbot, settle) -> None:
    give(page, qtbot, settle, codes["active"], "K-1", name="Ann")
    give(page, qtbot, settle, codes["active"], "K-2", name="Bea")
    assert page.found.text() == "This card belongs to another customer."
    give(page, qtbot, settle, codes["not_sold"], "K-3", phone="call me")
    assert page.found.text() == "That could not be read. Check what you typed."
    page.code_edit.clear()
    qtbot.keyClick(page, Qt.Key.Key_G, Qt.KeyboardModifier.ControlModifier)
    assert "first" in page.found.text() and page.publish_button.isEnabled()


def test_logout_forgets_what_was_looked_for(page, window, ctx, codes, qtbot, settle) -> None:
    give(page, qtbot, settle, codes["active"], "K-1", name="Ann")
    ctx.events.logged_out.emit()
    assert page.model.rowCount() == 0 and page.cards.rowCount() == 0 and page.source_edit.text() == ""


def test_the_models_are_proper_qt_models(page, codes, qtbot, settle, qtmodeltester) -> None:
    give(page, qtbot, settle, codes["active"], "K-1", name="Ann")
    qtmodeltester.check(page.model)
    qtmodeltester.check(page.cards)
    qtmodeltester.check(customers_model("de_DE"))
    qtmodeltester.check(cards_model("de_DE", full_codes=False))
