"""What every section of the Settings page shares: a form, its own Save button and a line saying how it went.

Each section saves on its own (a printer mistake must not hold up a change of the lock time), checks what was
typed before anything is written, and answers in one line under its form: "Saved", or the sentence of what is
wrong, with the field in question marked (``invalid`` property, for the style sheet) and focused. While a save is
under way the section's buttons are disabled, so a double press cannot save twice.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import replace
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import (
    QAbstractButton,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from pos_app.ui.context import Level, UiContext, UiSettings, save_ui_settings
from pos_app.ui.icons import icon
from pos_app.ui.messages import sentence, tr
from pos_app.ui.theme import restyle


def hint(text: str) -> QLabel:
    """A grey line of help under a field or a form (why something cannot change, what forms are accepted)."""
    label = QLabel(text)
    label.setObjectName("Hint")
    label.setProperty("role", "hint")
    label.setWordWrap(True)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    return label


def with_hint(field: QWidget, text: str) -> QWidget:
    """A field with its line of help right under it (one form row, so the help stays next to its field)."""
    box = QWidget()
    column = QVBoxLayout(box)
    column.setContentsMargins(0, 0, 0, 0)
    column.setSpacing(4)
    column.addWidget(field)
    column.addWidget(hint(text))
    return box


class Feedback(QLabel):
    """The one line under a section's form: "Saved", a refusal's sentence, or what is going on."""

    def __init__(self) -> None:
        super().__init__("")
        self.setObjectName("SectionFeedback")
        self.setWordWrap(True)
        self.setProperty("level", "info")
        self.setVisible(False)

    def say(self, text: str, level: Level = Level.INFO) -> None:
        """Show ``text`` (an empty text hides the line: no empty banner)."""
        self.setText(text)
        restyle(self, level=str(level))
        self.setVisible(bool(text))


class Section(QWidget):
    """A titled form with a row of buttons (Save first) and a :class:`Feedback` line, scrolling when small."""

    title = ""
    icon_name = "settings"

    def __init__(self, ctx: UiContext, heading: str, intro: str = "") -> None:
        super().__init__()
        self.ctx = ctx
        self.setObjectName("SettingsSection")
        inner = QWidget()
        self.body = QVBoxLayout(inner)
        self.body.setContentsMargins(24, 16, 24, 8)
        self.body.setSpacing(12)
        title = QLabel(heading)
        title.setObjectName("SectionTitle")
        title.setProperty("role", "subtitle")
        self.body.addWidget(title)
        if intro:
            self.body.addWidget(hint(intro))
        self.form = QFormLayout()
        self.form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)
        self.body.addLayout(self.form)
        self.body.addStretch(1)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        scroll.setWidget(inner)
        # the buttons and the answer stay in view below the form, however small the screen
        self.buttons = QHBoxLayout()
        self.feedback = Feedback()
        self.foot = QVBoxLayout()
        self.foot.setContentsMargins(24, 8, 24, 16)
        self.foot.addLayout(self.buttons)
        self.foot.addWidget(self.feedback)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.setSpacing(0)
        outer.addWidget(scroll, 1)
        outer.addLayout(self.foot)
        self._marked: list[QWidget] = []

    # ---- building ------------------------------------------------------------------------------------------

    def button(self, text: str, icon_name: str, slot: Callable[[], None], *, role: str = "",
               shortcut: str = "") -> QPushButton:
        keys = QKeySequence(shortcut).toString(QKeySequence.SequenceFormat.NativeText)  # "Strg+S" in German
        shown = tr("{text} ({keys})").format(text=text, keys=keys) if shortcut else text
        button = QPushButton(icon(icon_name), shown)
        button.setObjectName("SectionButton")
        if role:
            button.setProperty("role", role)
        if shortcut:
            button.setShortcut(shortcut)  # only while the section is on show: Qt ignores hidden buttons' keys
        button.clicked.connect(slot)
        self.buttons.addWidget(button)
        return button

    def end_buttons(self) -> None:
        self.buttons.addStretch(1)

    # ---- answers -------------------------------------------------------------------------------------------

    def busy(self, on: bool, *buttons: QAbstractButton) -> None:
        for button in buttons or self.findChildren(QPushButton):
            button.setEnabled(not on)

    def saved(self, text: str = "") -> None:
        self.clear_marks()
        self.feedback.say(text or tr("Saved."), Level.DONE)

    def refuse(self, text: str, *fields: QWidget) -> None:
        """Say what is wrong, mark the fields concerned and put the cursor in the first; nothing is lost."""
        self.clear_marks()
        for field in fields:
            restyle(field, invalid=True)
            self._marked.append(field)
        if fields:
            fields[0].setFocus()
        self.feedback.say(text, Level.REFUSED)

    def refused_by(self, exc: BaseException, *fields: QWidget) -> None:
        self.refuse(sentence(exc, locale=self.ctx.locale), *fields)

    def clear_marks(self) -> None:
        for field in self._marked:
            restyle(field, invalid=False)
        self._marked.clear()

    def on_shown(self) -> None:
        """Read the current values again (subclasses)."""


def save_ui(section: Section, changes: dict[str, Any], *, buttons: Sequence[QAbstractButton] = (),
            done: Callable[[UiSettings], None] | None = None) -> None:
    """Save ``changes`` to the window's :class:`UiSettings` (on the writer thread), then make them the window's
    and tell every screen (``settings_changed``). The changes are applied to the settings as they are *now*,
    so sections saving one after another never undo each other."""
    ctx = section.ctx
    new = replace(ctx.settings, **changes)
    section.busy(True, *buttons)

    def applied(_: object) -> None:
        ctx.settings = new
        ctx.events.settings_changed.emit(new)
        section.saved()
        if done is not None:
            done(new)

    (ctx.ops.write(lambda: save_ui_settings(ctx.session.till, new), owner=section, label="save ui settings")
     .success(applied).failure(section.refused_by).finally_(lambda: section.busy(False, *buttons)).run())
