"""The manager's Settings page on the demo shop's real store: each section saves, refuses bad input with its
sentence and loses nothing; the printer's test page really goes out; the camera test reads a card picture;
enrolment errors (a bad address, a code the real server does not know) are sentences."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest
from PySide6.QtCore import Qt

from pos_app.bootstrap import Till, open_till
from pos_app.domain import errors
from pos_app.services.setup import init_store
from pos_app.ui.context import UiContext, UiSettings, load_ui_settings
from pos_app.ui.manager import settings_store
from pos_app.ui.manager.settings_camera import CameraRead, CameraSection, reads_model
from pos_app.ui.manager.settings_limits import LimitsSection
from pos_app.ui.manager.settings_page import SettingsPage
from pos_app.ui.manager.settings_printer import PrinterSection
from pos_app.ui.manager.settings_server import ServerSection
from pos_app.ui.manager.settings_shop import ShopSection
from pos_app.ui.manager.settings_till import ScannerSection, TillSection
from pos_app.ui.messages import sentence
from tests.server.harness import enrol_code, free_port, running_server
from tests.ui.conftest import MANAGER_PIN, log_in


@pytest.fixture
def page(qtbot, ctx: UiContext, settle) -> SettingsPage:
    log_in(ctx, settle, MANAGER_PIN)
    shown = SettingsPage(ctx)
    qtbot.addWidget(shown)
    shown.resize(1024, 700)
    shown.show()
    shown.on_shown()
    settle()
    return shown


def _click(qtbot, button) -> None:
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


def _retype(qtbot, field, text: str) -> None:
    field.clear()
    qtbot.keyClicks(field, text)


# ---- printer -------------------------------------------------------------------------------------------------


def test_the_printer_saves_a_destination_and_refuses_a_bad_one(qtbot, page, till: Till, settle, tmp_path) -> None:
    section = page.open(PrinterSection)
    settle()
    _retype(qtbot, section.destination, f"file:{tmp_path / 'receipts.bin'}")
    section.paper.setCurrentIndex(section.paper.findData("58mm"))
    section.footer.setPlainText("Thank you!\n\n  See you soon  ")
    _click(qtbot, section.save_button)
    settle()
    assert section.feedback.text() == "Saved."
    stored = till.printer_settings()
    assert stored.destination == f"file:{tmp_path / 'receipts.bin'}" and stored.paper == "58mm"
    assert stored.footer == ("Thank you!", "See you soon")

    _retype(qtbot, section.destination, "printer in the back")
    _click(qtbot, section.save_button)
    settle()
    assert section.feedback.text().startswith("Those printer settings cannot work")
    assert "address is not understood" in section.feedback.text()
    assert section.destination.property("invalid") is True
    assert section.destination.text() == "printer in the back"  # nothing typed is lost
    assert till.printer_settings().destination == f"file:{tmp_path / 'receipts.bin'}"  # nothing saved


def test_the_test_page_goes_to_a_file_printer(qtbot, page, ctx, settle, tmp_path) -> None:
    section = page.open(PrinterSection)
    settle()
    target = tmp_path / "printer.bin"
    _retype(qtbot, section.destination, f"file:{target}")
    with qtbot.waitSignal(ctx.events.printer_state) as state:
        _click(qtbot, section.test_button)
    settle()
    assert state.args[0] == "ready"
    assert b"PRINTER TEST" in target.read_bytes()
    assert "took the test page" in section.feedback.text()


def test_a_network_printer_that_is_off_is_a_sentence(qtbot, page, ctx, settle) -> None:
    section = page.open(PrinterSection)
    settle()
    _retype(qtbot, section.destination, f"tcp://127.0.0.1:{free_port()}")
    with qtbot.waitSignal(ctx.events.printer_state, timeout=15_000) as state:
        _click(qtbot, section.test_button)
    settle()
    assert state.args[0] == "failed"
    assert section.feedback.text() == "The receipt printer did not print. Check that it is on and has paper."
    assert section.feedback.property("level") == "refused"


# ---- the window's own settings -------------------------------------------------------------------------------


def test_ui_settings_round_trip_and_tell_every_screen(qtbot, page, ctx, till: Till, settle) -> None:
    scanner = page.open(ScannerSection)
    _retype(qtbot, scanner.prefix, "]C1")
    _retype(qtbot, scanner.suffix, "#")
    with qtbot.waitSignal(ctx.events.settings_changed) as changed:
        _click(qtbot, scanner.save_button)
    settle()
    assert changed.args[0].scanner_prefix == "]C1" and changed.args[0].scanner_suffix == "#"

    section = page.open(TillSection)
    section.lock.setValue(12)
    section.sounds.setChecked(False)
    section.language.setCurrentIndex(section.language.findData("de"))
    with qtbot.waitSignal(ctx.events.settings_changed) as changed:
        _click(qtbot, section.save_button)
    settle()
    expected = UiSettings(scanner_prefix="]C1", scanner_suffix="#", lock_minutes=12, sounds=False, language="de")
    assert changed.args[0] == expected == ctx.settings == load_ui_settings(till)
    assert "next start" in section.feedback.text()


def test_a_scanner_prefix_that_cannot_be_typed_is_refused(qtbot, page, ctx, till, settle) -> None:
    scanner = page.open(ScannerSection)
    scanner.prefix.setText("\t")
    _click(qtbot, scanner.save_button)
    settle()
    assert scanner.feedback.property("level") == "refused"
    assert load_ui_settings(till) == UiSettings()


# ---- offline limits and the shop -----------------------------------------------------------------------------


def test_offline_limits_are_saved_on_a_standalone_till(qtbot, page, till: Till, settle) -> None:
    section = page.open(LimitsSection)
    settle()
    assert section.per_redemption.text() == "100.00" and section.save_button.isVisible()
    _retype(qtbot, section.per_redemption, "50")
    _retype(qtbot, section.per_device, "200.00")
    section.max_offline.setValue(12)
    section.max_card_age.setValue(48)
    _click(qtbot, section.save_button)
    settle()
    assert section.feedback.text() == "Saved."
    limits, managed = settings_store.read_limits(till)
    assert not managed
    assert (limits.per_redemption, limits.per_device_unsynced) == (5000, 20000)
    assert (limits.max_offline, limits.max_card_age) == (timedelta(hours=12), timedelta(hours=48))

    _retype(qtbot, section.per_device, "lots")
    _click(qtbot, section.save_button)
    settle()
    assert section.feedback.text() == "Enter an amount greater than zero, such as 100.00."
    assert settings_store.read_limits(till)[0].per_device_unsynced == 20000


def test_the_shop_name_and_locale_change_and_the_currency_cannot(qtbot, page, ctx, settle) -> None:
    section = page.open(ShopSection)
    assert section.currency.isReadOnly() and section.currency.text() == "EUR"
    _retype(qtbot, section.name, "Corner Shop")
    section.locale_box.setCurrentText("de_DE")
    _click(qtbot, section.save_button)
    settle()
    assert section.feedback.text() == "Saved."
    assert (ctx.session.profile.store_name, ctx.locale) == ("Corner Shop", "de_DE")

    section.locale_box.setCurrentText("xx_nowhere")
    _click(qtbot, section.save_button)
    settle()
    assert "locale is not known" in section.feedback.text()
    assert ctx.locale == "de_DE"


def test_a_manager_lets_cashiers_sell_and_takes_it_back(qtbot, page, ctx, settle) -> None:
    section = page.open(ShopSection)
    settle()
    assert not section.cashiers_sell.isChecked() and section.cashiers_sell.isEnabled()
    section.cashiers_sell.click()
    _click(qtbot, section.save_button)
    settle()
    assert section.feedback.text() == "Saved." and ctx.session.cashiers_sell()
    section.on_shown()
    settle()
    assert section.cashiers_sell.isChecked()
    section.cashiers_sell.click()
    _click(qtbot, section.save_button)
    settle()
    assert not ctx.session.cashiers_sell()


# ---- camera --------------------------------------------------------------------------------------------------


def test_the_camera_test_reads_a_card_picture(qtbot, page, codes, settle, tmp_path) -> None:
    import qrcode

    folder = tmp_path / "camera"
    folder.mkdir()
    qrcode.make(codes["active"], box_size=8).save(folder / "card.png")
    section = page.open(CameraSection)
    _retype(qtbot, section.source, str(folder))
    _click(qtbot, section.test_button)
    qtbot.waitUntil(lambda: len(section.reads.rows) >= 1, timeout=10_000)
    assert section.reads.rows[0].text == codes["active"] and section.reads.rows[0].accepted
    assert section.preview.pixmap() is not None and not section.preview.pixmap().isNull()
    _click(qtbot, section.stop_button)
    settle()
    assert section.worker is None and section.test_button.isEnabled()


def test_a_camera_that_cannot_open_is_a_sentence(qtbot, page, tmp_path) -> None:
    section = page.open(CameraSection)
    _retype(qtbot, section.source, str(tmp_path / "no-such-folder"))
    _click(qtbot, section.test_button)
    qtbot.waitUntil(lambda: section.feedback.property("level") == "refused", timeout=10_000)
    assert "is not a camera" in section.feedback.text()


def test_the_camera_reads_model(qtmodeltester) -> None:
    from datetime import datetime

    model = reads_model("en_US")
    now = datetime.now().astimezone()
    model.set_rows([CameraRead(at=now, text="GC-AAAA", symbology="QR_CODE", accepted=True),
                    CameraRead(at=now, text="hello", symbology="", accepted=False, reason="not a gift card code")])
    qtmodeltester.check(model)


# ---- enrolment -----------------------------------------------------------------------------------------------


@pytest.fixture
def new_shop(qapp, tmp_path: Path) -> Iterator[UiContext]:
    """A standalone shop without sales (one that may enrol), with its manager logged in."""
    from pos_app.qt_printing.qt_app import guard_none_refcount
    from pos_app.ui.app import build_context

    guard_none_refcount()
    till = open_till(tmp_path / "new-till")
    init_store(till.uow, store_name="New Shop", currency="EUR", manager_pin=MANAGER_PIN)
    context = build_context(till, printing=False, language="en")
    context.session.login(MANAGER_PIN)
    yield context
    context.ops.shutdown(wait=True)


@pytest.mark.slow
def test_enrolment_errors_are_sentences_and_a_good_code_enrols(qtbot, new_shop: UiContext, tmp_path) -> None:
    ctx = new_shop
    section = ServerSection(ctx)
    qtbot.addWidget(section)
    section.show()
    section.on_shown()
    qtbot.waitUntil(lambda: ctx.ops.busy == 0)
    assert "works on its own" in section.status.text() and section.enrol_button.isVisible()

    _retype(qtbot, section.url, "head office")
    _retype(qtbot, section.code, "ABCD-EFGH")
    _click(qtbot, section.enrol_button)
    assert section.feedback.text() == "Enter the server's address, such as http://head-office:8000."
    assert section.url.property("invalid") is True

    db_url = f"sqlite:///{tmp_path / 'server.sqlite3'}"
    with running_server(db_url) as server:
        _retype(qtbot, section.url, server.url)
        _retype(qtbot, section.code, "WRNG-CODE-XXXX")
        _click(qtbot, section.enrol_button)
        qtbot.waitUntil(lambda: ctx.ops.busy == 0, timeout=15_000)
        assert section.feedback.text().startswith("The server does not know that enrolment code.")
        assert section.code.property("invalid") is True and section.url.text() == server.url

        _retype(qtbot, section.code, enrol_code(db_url))
        with qtbot.waitSignal(ctx.events.logged_out, timeout=15_000):
            _click(qtbot, section.enrol_button)
        qtbot.waitUntil(lambda: ctx.ops.busy == 0, timeout=15_000)
    assert "now enrolled" in section.feedback.text() and "Restart the till" in section.feedback.text()
    assert section.status.text().startswith(f"Enrolled to {server.url} as till ")
    assert ctx.session.profile.mode == "enrolled" and ctx.session.caller is None
    assert section.sync_button.isVisible() and not section.enrol_button.isVisible()


def test_a_server_that_does_not_answer_is_named(qtbot, new_shop: UiContext) -> None:
    section = ServerSection(new_shop)
    qtbot.addWidget(section)
    _retype(qtbot, section.url, f"http://127.0.0.1:{free_port()}")
    _retype(qtbot, section.code, "ABCD-EFGH")
    _click(qtbot, section.enrol_button)
    qtbot.waitUntil(lambda: new_shop.ops.busy == 0, timeout=15_000)
    assert section.feedback.text().startswith("Nothing answers at that address.")
    assert sentence(Exception()) not in section.feedback.text()


def test_only_a_manager_enrols_a_till_whose_people_it_switches_off(qtbot, new_shop: UiContext) -> None:
    """Issue 13: enrolment switches off the till's own people, so the service asks who enrols; a cashier
    logged in is refused before the server is asked (nothing answers at that port: it is never reached)."""
    from pos_app.domain.people import Role
    from pos_app.services import auth

    ctx = new_shop
    auth.add_user(ctx.session.till.uow, ctx.session.who, "Dora", Role.CASHIER, "4321")
    ctx.session.logout()
    ctx.session.login("4321")
    section = ServerSection(ctx)
    qtbot.addWidget(section)
    _retype(qtbot, section.url, f"http://127.0.0.1:{free_port()}")
    _retype(qtbot, section.code, "ABCD-EFGH")
    _click(qtbot, section.enrol_button)
    qtbot.waitUntil(lambda: ctx.ops.busy == 0, timeout=15_000)
    assert section.feedback.text() == sentence(errors.Forbidden(permission="manage_users"))
    assert ctx.session.profile.mode == "standalone"


def test_a_scanned_enrolment_code_fills_the_server_section(qtbot, new_shop: UiContext) -> None:
    """Head office's console shows a till's enrolment code as a QR code: scanned on Settings › Server (the
    manager screen hands the scan to the page on show), it fills the code; on another section it is refused."""
    page = SettingsPage(new_shop)
    qtbot.addWidget(page)
    page.show()
    told: list[str] = []
    new_shop.events.message.connect(lambda text, _level: told.append(text))
    page.take_scan("3957-2ZDH-6SWB")  # the shop section is on show first
    assert told == ["Open Cards (Alt+1) or the till (F8) to use a scanned card."]
    section = page.open(ServerSection)
    assert isinstance(section, ServerSection)
    page.take_scan(" 3957-2ZDH-6SWB\n")
    assert section.code.text() == "3957-2ZDH-6SWB"
    assert section.feedback.text().startswith("Enrolment code scanned.")
