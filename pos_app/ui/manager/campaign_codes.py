"""The "New campaign" form's more options: an own code format, a redemption limit and a category.

What the command line's ``campaign create`` offers besides name, value, count and dates (``--pattern``,
``--length``, ``--charset``, ``--prefix``, ``--postfix``, ``--redemption-limit``, ``--category``), turned into the
same command: the code config is :meth:`CodeConfig.from_options`, as on the command line, and every rule of it
(a pattern needs a ``#``, enough random bits, no spaces, …) is the domain's, checked by the service. The form
only shows, while the manager types, an example code or the domain's reason it cannot make one.

The readable default (``GC-XXXX-XXXX-XXXX-XXXX`` with a check character) stays the default: an own format is
for codes that must match another system's, and is off until ticked (Alt+O).
"""

from __future__ import annotations

import dataclasses

from PySide6.QtCore import QObject
from PySide6.QtWidgets import QCheckBox, QFormLayout, QLabel, QLineEdit, QSpinBox, QWidget

from pos_app.domain.codes import MAX_CODE_LENGTH, CodeConfig
from pos_app.domain.errors import GiftCardError
from pos_app.services.campaigns import CreateCampaign
from pos_app.ui.messages import tr

MAX_LIMIT = 1_000_000


class CodeOptions(QObject):
    """The fields, added to the form's own layout by :meth:`add_rows` (so that their labels line up)."""

    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent)
        self.own = QCheckBox(tr("&Own code format (to match codes from another system)"))
        self.own.setAccessibleName(tr("Own code format"))
        self.pattern = self._field(tr("Pattern"), tr("e.g. SHOP-####-#### (# is one random character)"))
        self.length = QSpinBox()
        self.length.setRange(0, MAX_CODE_LENGTH)
        self.length.setSpecialValueText(tr("from the pattern"))
        self.length.setAccessibleName(tr("Code length"))
        self.length.setToolTip(tr("Random characters when there is no pattern"))
        self.charset = self._field(tr("Characters"), tr("default: letters and digits that cannot be mistaken"))
        self.prefix = self._field(tr("Prefix"), tr("text before each code"))
        self.postfix = self._field(tr("Postfix"), tr("text after each code"))
        self.example = QLabel("")
        self.example.setObjectName("CodeExample")
        self.example.setProperty("role", "hint")
        self.example.setWordWrap(True)
        self.limit = QSpinBox()
        self.limit.setRange(0, MAX_LIMIT)
        self.limit.setSpecialValueText(tr("no limit"))
        self.limit.setAccessibleName(tr("Redemption limit"))
        self.limit.setToolTip(tr("How many times each card may be used (0: as often as its balance allows)"))
        self.category = self._field(tr("Category"), tr("optional, e.g. christmas"))
        self.category.setMaxLength(100)

        self.code_fields = QWidget()
        codes = QFormLayout(self.code_fields)
        codes.setContentsMargins(24, 0, 0, 0)
        codes.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)
        codes.addRow(self.example)  # first: it answers while the manager types below
        codes.addRow(tr("&Pattern"), self.pattern)
        codes.addRow(tr("&Length"), self.length)
        codes.addRow(tr("C&haracters"), self.charset)
        codes.addRow(tr("Pre&fix"), self.prefix)
        codes.addRow(tr("Pos&tfix"), self.postfix)
        self.own.toggled.connect(self._own_toggled)
        for field in (self.pattern, self.charset, self.prefix, self.postfix):
            field.textEdited.connect(lambda _text: self._show_example())
        self.length.valueChanged.connect(lambda _value: self._show_example())
        self._own_toggled(False)

    def add_rows(self, form: QFormLayout) -> None:
        form.addRow(tr("&Redemption limit"), self.limit)
        form.addRow(tr("Cate&gory"), self.category)
        form.addRow(self.own)
        form.addRow(self.code_fields)

    @staticmethod
    def _field(name: str, placeholder: str) -> QLineEdit:
        field = QLineEdit()
        field.setAccessibleName(name)
        field.setPlaceholderText(placeholder)
        field.setMaxLength(MAX_CODE_LENGTH)
        return field

    def _own_toggled(self, on: bool) -> None:
        self.code_fields.setVisible(on)
        self._show_example()

    def config(self) -> CodeConfig:
        """The code config the fields ask for, as the command line makes it from the same options."""
        if not self.own.isChecked():
            return CodeConfig.readable_default()
        return CodeConfig.from_options(pattern=self.pattern.text().strip() or None,
                                       charset=self.charset.text().strip() or None,
                                       prefix=self.prefix.text().strip(), postfix=self.postfix.text().strip(),
                                       length=self.length.value() or None)

    def _show_example(self) -> None:
        try:
            config = self.config().validate()
            config.check_capacity(1)  # enough random bits not to be guessed (the service checks the count too)
            example = config.example()
        except GiftCardError as exc:
            self.example.setText(tr("These settings cannot make codes: {why}").format(why=exc.details or exc.message))
            self.example.setProperty("level", "refused")
        else:
            self.example.setText(tr("Codes will look like {example}").format(example=example))
            self.example.setProperty("level", "")
        self.example.style().unpolish(self.example)
        self.example.style().polish(self.example)

    def apply(self, cmd: CreateCampaign) -> CreateCampaign:
        """``cmd`` with these options; the service judges them."""
        return dataclasses.replace(cmd, code_config=self.config(), redemption_limit=self.limit.value() or None,
                                   category=self.category.text().strip() or None)

    def set_busy(self, busy: bool) -> None:
        for widget in (self.limit, self.category, self.own, self.code_fields):
            widget.setEnabled(not busy)

    def clear(self) -> None:
        for field in (self.pattern, self.charset, self.prefix, self.postfix, self.category):
            field.clear()
        self.length.setValue(0)
        self.limit.setValue(0)
        self.own.setChecked(False)
