"""Settings › Scanner and › Till: the window's own settings (:class:`UiSettings`), saved in the till's store.

Scanner: the characters a USB scanner adds before and after each code (stripped from every scan) and the serial
port of a scanner that is not a keyboard. Till: the automatic lock, the sounds, and the language of the window
(which takes effect at the next start: every screen is built with its words). Saving tells every screen through
``settings_changed`` (the lock timer restarts with the new minutes at once).
"""

from __future__ import annotations

from PySide6.QtWidgets import QCheckBox, QComboBox, QLineEdit, QSpinBox

from pos_app.ui.context import UiContext
from pos_app.ui.manager.settings_common import Section, save_ui, with_hint
from pos_app.ui.messages import tr, tr_noop

LANGUAGES = (("en", "English"), ("de", "Deutsch"))  # each named in its own language
MAX_AFFIX = 8


class ScannerSection(Section):
    title = tr_noop("Scanner")
    icon_name = "scanner"

    def __init__(self, ctx: UiContext) -> None:
        super().__init__(ctx, tr("Scanner"), tr("A USB scanner types each code like a keyboard; the till "
                                                "recognises it wherever the cursor is."))
        self.prefix = QLineEdit()
        self.suffix = QLineEdit()
        self.serial = QLineEdit()
        for field in (self.prefix, self.suffix):
            field.setMaxLength(MAX_AFFIX)
            field.setPlaceholderText(tr("none"))
        self.serial.setPlaceholderText(tr("none, e.g. /dev/ttyACM0 or COM3"))
        self.form.addRow(tr("Prefix"), self.prefix)
        self.form.addRow(tr("Suffix"), with_hint(self.suffix, tr(
            "Characters the scanner is set to add before and after each code; the till removes them. Leave both "
            "empty for most scanners.")))
        self.form.addRow(tr("Serial scanner port"), self.serial)
        self.save_button = self.button(tr("Save"), "ok", self.save, role="primary", shortcut="Ctrl+S")
        self.end_buttons()
        self.on_shown()

    def on_shown(self) -> None:
        settings = self.ctx.settings
        self.prefix.setText(settings.scanner_prefix)
        self.suffix.setText(settings.scanner_suffix)
        self.serial.setText(settings.serial_scanner)

    def save(self) -> None:
        for field in (self.prefix, self.suffix):
            if not field.text().isprintable():
                self.refuse(tr("Use printable characters only, such as ] or #."), field)
                return
        serial = self.serial.text().strip()
        if serial and (" " in serial or len(serial) > 120):
            self.refuse(tr("Enter the port as the system names it, such as /dev/ttyACM0 or COM3."), self.serial)
            return
        save_ui(self, {"scanner_prefix": self.prefix.text(), "scanner_suffix": self.suffix.text(),
                       "serial_scanner": serial}, buttons=[self.save_button])


class TillSection(Section):
    title = tr_noop("Till")
    icon_name = "till"

    def __init__(self, ctx: UiContext) -> None:
        super().__init__(ctx, tr("Till"))
        self.lock = QSpinBox()
        self.lock.setRange(0, 240)
        self.lock.setSuffix(tr(" min"))
        self.lock.setSpecialValueText(tr("Never"))
        self.sounds = QCheckBox(tr("Sounds for a good and a bad scan"))
        self.kiosk = QCheckBox(tr("Full screen; only a manager's PIN leaves it or closes the till"))
        self.kiosk.setAccessibleName(tr("Kiosk mode"))
        self.language = QComboBox()
        self.language.addItem(tr("The system's language"), "")
        for code, name in LANGUAGES:
            self.language.addItem(name, code)
        self.form.addRow(tr("Lock after"), with_hint(self.lock, tr(
            "The till locks itself after this many minutes without use (0: never).")))
        self.form.addRow(tr("Sounds"), self.sounds)
        self.form.addRow(tr("Kiosk mode"), with_hint(self.kiosk, tr(
            "F11 enters it at any time; pos-app --kiosk starts in it.")))
        self.form.addRow(tr("Language"), with_hint(self.language, tr(
            "A new language takes effect at the next start of the till.")))
        self.save_button = self.button(tr("Save"), "ok", self.save, role="primary", shortcut="Ctrl+S")
        self.end_buttons()
        self.on_shown()

    def on_shown(self) -> None:
        settings = self.ctx.settings
        self.lock.setValue(settings.lock_minutes)
        self.sounds.setChecked(settings.sounds)
        self.kiosk.setChecked(settings.kiosk)
        self.language.setCurrentIndex(max(0, self.language.findData(settings.language)))

    def save(self) -> None:
        language = str(self.language.currentData() or "")
        changed = language != self.ctx.settings.language
        save_ui(self, {"lock_minutes": self.lock.value(), "sounds": self.sounds.isChecked(), "language": language,
                       "kiosk": self.kiosk.isChecked()},
                buttons=[self.save_button],
                done=lambda _new: self.saved(tr("Saved. The new language takes effect at the next start."))
                if changed else None)
