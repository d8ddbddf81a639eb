"""Settings › Printer: where receipts go, the printer model and paper, and the shop's own lines on receipts.

"Save" keeps the settings once :meth:`PrinterSettings.check` accepts them (the refusal names the field);
"Print a test page" sends a test page for what the form says now (checked the same way), on a reader thread —
a printer that is off may take seconds to say so, and sales must not wait — and tells the status bar.
"""

from __future__ import annotations

from typing import cast

from PySide6.QtWidgets import QComboBox, QLineEdit, QPlainTextEdit, QWidget

from pos_app.printing.printer_settings import MAX_LINE_LENGTH, MAX_LINES, Paper, PrinterSettings, clean_lines
from pos_app.ui.context import Level, UiContext
from pos_app.ui.manager import settings_store as store
from pos_app.ui.manager.settings_common import Section, with_hint
from pos_app.ui.messages import sentence, tr, tr_noop

FORMS = ("tcp://192.168.1.50:9100", "usb:04b8:0202", "serial:/dev/ttyUSB0", "file:/path/to/file", "cups:QUEUE")


class PrinterSection(Section):
    title = tr_noop("Printer")
    icon_name = "printer"

    def __init__(self, ctx: UiContext) -> None:
        super().__init__(ctx, tr("Receipt printer"), tr("Receipts print after each sale; a sale never waits for "
                                                        "or fails over the printer."))
        self.destination = QLineEdit()
        self.destination.setPlaceholderText("tcp://192.168.1.50:9100")
        self.profile = QLineEdit()
        self.profile.setPlaceholderText(tr("default, or a model such as TM-T20II"))
        self.paper = QComboBox()
        self.paper.addItem(tr("80 mm"), "80mm")
        self.paper.addItem(tr("58 mm"), "58mm")
        self.shop_lines = _lines_edit(tr("Address, phone… one per line"))
        self.footer = _lines_edit(tr("Thank you for shopping with us… one per line"))
        self.form.addRow(tr("Printer address"), with_hint(self.destination, tr(
            "Empty: no receipt printer. A network printer, USB, serial port, file or print queue:") + "\n"
            + "    ".join(FORMS)))
        self.form.addRow(tr("Printer model"), self.profile)
        self.form.addRow(tr("Paper width"), self.paper)
        self.form.addRow(tr("Lines under the shop's name"), self.shop_lines)
        self.form.addRow(tr("Lines at the foot"), with_hint(self.footer, tr(
            "At most {n} lines of {chars} characters each.").format(n=MAX_LINES, chars=MAX_LINE_LENGTH)))
        self.save_button = self.button(tr("Save"), "ok", self.save, role="primary", shortcut="Ctrl+S")
        self.test_button = self.button(tr("Print a test page"), "printer", self.print_test, shortcut="Ctrl+P")
        self.end_buttons()

    # ---- the form ----------------------------------------------------------------------------------------------

    def on_shown(self) -> None:
        self.ctx.ops.read(self.ctx.session.till.printer_settings, owner=self, label="printer settings") \
            .success(self._show).failure(self.refused_by).run()

    def _show(self, settings: PrinterSettings) -> None:
        self.destination.setText(settings.destination or "")
        self.profile.setText(settings.profile)
        self.paper.setCurrentIndex(max(0, self.paper.findData(settings.paper)))
        self.shop_lines.setPlainText("\n".join(settings.shop_lines))
        self.footer.setPlainText("\n".join(settings.footer))

    def settings(self) -> PrinterSettings:
        return PrinterSettings(
            destination=self.destination.text().strip() or None,
            profile=self.profile.text().strip() or "default",
            paper=cast(Paper, self.paper.currentData()),
            footer=clean_lines(self.footer.toPlainText().splitlines()),
            shop_lines=clean_lines(self.shop_lines.toPlainText().splitlines()),
        )

    # ---- save and test -----------------------------------------------------------------------------------------

    def save(self) -> None:
        wanted, till = self.settings(), self.ctx.session.till
        self.busy(True)
        (self.ctx.ops.write(lambda: till.save_printer_settings(wanted), owner=self, label="save printer")
         .success(self._saved).failure(self._refused)
         .finally_(lambda: self.busy(False)).run())

    def _saved(self, settings: PrinterSettings) -> None:
        self._show(settings)
        self.saved()

    def print_test(self) -> None:
        wanted, till = self.settings(), self.ctx.session.till
        self.feedback.say(tr("Sending a test page…"))
        self.busy(True)
        (self.ctx.ops.read(lambda: store.print_test_page(till, wanted), owner=self, label="printer test")
         .success(self._printed).failure(self._test_failed).finally_(lambda: self.busy(False)).run())

    def _printed(self, destination: str) -> None:
        self.saved(tr("The printer took the test page ({where}). Check that it reads “PRINTER TEST”.").format(
            where=destination))
        self.ctx.events.printer_state.emit("ready", tr("Printer: ready"))

    def _test_failed(self, exc: BaseException) -> None:
        self._refused(exc)
        if getattr(exc, "key", "") != "invalid_printer_settings":
            state = "no_printer" if getattr(exc, "key", "") == "printer_not_configured" else "failed"
            self.ctx.events.printer_state.emit(state, sentence(exc, locale=self.ctx.locale))
            self.ctx.tell(sentence(exc, locale=self.ctx.locale), Level.REFUSED)

    def _refused(self, exc: BaseException) -> None:
        from pos_app.printing.printer_settings import InvalidPrinterSettings

        if not isinstance(exc, InvalidPrinterSettings):
            self.refused_by(exc, *([self.destination] if getattr(exc, "key", "") == "printer_not_configured"
                                   else []))
            return
        field = store.printer_field(exc)
        texts: dict[str, tuple[str, QWidget]] = {
            "destination": (tr("The printer address is not understood. Use one of the forms shown under it."),
                            self.destination),
            "profile": (tr("That printer model is not known. Leave “default”, or type a model such as "
                           "TM-T20II."), self.profile),
            "lines": (tr("Too many lines, or a line too long: at most {n} lines of {chars} characters.").format(
                n=MAX_LINES, chars=MAX_LINE_LENGTH), self.footer if "footer" in exc.details else self.shop_lines),
        }
        text, widget = texts[field]
        self.refuse(f"{sentence(exc, locale=self.ctx.locale)} {text}", widget)


def _lines_edit(placeholder: str) -> QPlainTextEdit:
    edit = QPlainTextEdit()
    edit.setPlaceholderText(placeholder)
    edit.setTabChangesFocus(True)  # Tab moves on, as in every other field
    edit.setMaximumHeight(84)
    return edit
