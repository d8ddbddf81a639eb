"""The window on a till enrolled to the real central server (on 127.0.0.1): online sales decided by the server,
the status bar following the server as it goes away, and the offline floor limit refused as its sentence and
accepted with a manager's override.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt

from pos_app.bootstrap import open_till
from pos_app.ui.context import UiContext
from tests.cli_shop import CASHIER_PIN, MANAGER_PIN, Shop
from tests.server.harness import add_user, enrol_codes, free_port, pos_server, running_server
from tests.ui.conftest import log_in

pytestmark = pytest.mark.slow


@pytest.fixture
def enrolled(tmp_path: Path) -> Iterator[tuple[object, Shop, str]]:
    """A server with a manager, a cashier and a sold €500 card, and a till enrolled to it and synced."""
    db_url = f"sqlite:///{tmp_path / 'server.sqlite3'}"
    shop = Shop(tmp_path / "till")
    with running_server(db_url, port=free_port()) as server:
        add_user(db_url, "Maria", "manager", MANAGER_PIN)
        add_user(db_url, "Chris", "cashier", CASHIER_PIN)
        pos_server(db_url, "campaign", "create", "--name", "Big", "--amount", "500.00", "--count", "2")
        shop.ok("enroll", "--server", server.url, "--code", enrol_codes(db_url, 1)[0], "--name", "Till 1", pin=None)
        shop.ok("sync", "--once")
        code = shop.codes()[0]
        shop.ok("sell", code)
        yield server, shop, code


@pytest.fixture
def enrolled_window(qapp, qtbot, enrolled) -> Iterator[tuple[object, UiContext, object, str]]:
    from pos_app.ui.app import build_context, build_window

    server, shop, code = enrolled
    ctx = build_context(open_till(shop.data_dir), printing=False, language="en")
    window = build_window(ctx)
    qtbot.addWidget(window)
    window.resize(1280, 800)
    window.show()
    window.start_background()
    yield window, ctx, server, code
    window.close()


def test_online_then_offline_with_the_floor_limit_and_a_managers_override(enrolled_window, qtbot) -> None:
    window, ctx, server, code = enrolled_window

    def settle() -> None:
        qtbot.waitUntil(lambda: ctx.ops.busy == 0, timeout=20_000)

    status = window.status
    qtbot.waitUntil(lambda: status.server.text() == "Server: online", timeout=20_000)
    log_in(ctx, settle, CASHIER_PIN)
    screen = window.cashier
    ctx.events.scanned.emit(code)
    settle()
    assert screen.panel.card is not None and screen.panel.card.balance == 50_000

    def redeem(amount: str) -> None:
        screen.pad.field.clear()
        qtbot.keyClicks(screen.pad.field, amount)
        qtbot.keyClick(screen.pad.field, Qt.Key.Key_Return)
        settle()

    redeem("20")  # online: the server decides, the entry is confirmed
    assert screen.banner.text.text() == "Redeemed €20.00 — €480.00 left on the card"
    assert ctx.session.last_sale is not None and ctx.session.last_sale.status.value == "confirmed"

    server.process.terminate()  # the server goes away
    server.process.wait(10)
    window.sync.wake()
    qtbot.waitUntil(lambda: "OFFLINE" in status.server.text(), timeout=30_000)

    redeem("150")  # above the offline per-redemption limit of €100
    assert screen.banner.text.text() == ("The till is offline and may take only a small amount per card now. "
                                         "Take less, or ask a manager to override.")
    assert screen.banner.action.isVisible()
    qtbot.keyClick(screen.pad.field, Qt.Key.Key_F7)
    for digit in MANAGER_PIN:
        screen.dialog.pad.press(digit)
    screen.dialog.pad.submit()
    settle()
    assert screen.banner.text.text() == "Redeemed €150.00 — €330.00 left on the card"
    sale = ctx.session.last_sale
    assert sale is not None and sale.status.value == "provisional" and sale.override_by is not None

    redeem("10")  # within the limits: accepted offline, no override needed
    assert screen.banner.text.text() == "Redeemed €10.00 — €320.00 left on the card"
    window.sync.wake()  # the refused attempt is on the ledger too: three entries wait for the server
    qtbot.waitUntil(lambda: status.unsynced.text() == "Unsynced: 3", timeout=30_000)
    assert status.unsynced.property("state") == "warn"


def test_a_card_given_to_a_customer_through_the_server_and_found_offline(enrolled_window, qtbot) -> None:
    from pos_app.ui.manager.customers_page import CustomersPage

    window, ctx, server, code = enrolled_window

    def settle() -> None:
        qtbot.waitUntil(lambda: ctx.ops.busy == 0, timeout=20_000)

    log_in(ctx, settle, MANAGER_PIN)
    window.show_manager()
    page = window.manager.open(CustomersPage)
    assert isinstance(page, CustomersPage)
    ctx.events.scanned.emit(code)  # a scan fills in the card
    settle()
    assert page.code_edit.text() == code
    qtbot.keyClicks(page.source_edit, "K-1")
    qtbot.keyClicks(page.name_edit, "Eva Example")
    qtbot.keyClicks(page.phone_edit, "0171 555 0101")
    qtbot.keyClick(page.source_edit, Qt.Key.Key_G, Qt.KeyboardModifier.ControlModifier)
    settle()
    settle()
    assert page.found.text() == "Card •••• " + code[-4:] + " now belongs to Eva Example."
    reader = ctx.session.till.new_reader
    assert reader is not None
    with reader() as uow:  # as the server answered, kept at once
        card = uow.cards.get_by_code(code)
        assert card is not None and card.customer_id is not None and card.customer_id.startswith("cust_")

    server.process.terminate()  # the server goes away: the customer is still found, giving a card is refused
    server.process.wait(10)
    page.search_edit.clear()
    qtbot.keyClicks(page.search_edit, "5550101")
    qtbot.keyClick(page.search_edit, Qt.Key.Key_Return)
    settle()
    assert [v.customer.name for v in page.model.rows] == ["Eva Example"]
    assert [c.balance for c in page.cards.rows] == [50_000]
    page.code_edit.setText(code)
    page.source_edit.setText("K-2")
    qtbot.keyClick(page.source_edit, Qt.Key.Key_G, Qt.KeyboardModifier.ControlModifier)
    settle()
    assert page.found.text() == "The central server does not answer. Try again in a moment."
