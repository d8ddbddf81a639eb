"""The login screen (who is at the till) and the manager's PIN prompt (a manager over a cashier's shoulder).

Nobody reaches the till without a PIN; a lock (F12, or the automatic one) comes back here with the pad cleared.
A PIN alone says who it is (PINs are unique per store), so there is no list of names to pick from: that keeps
the screen as quick as typing four digits. PIN checks are slow on purpose (scrypt, ~50 ms per person, tried
against everyone) and write the wrong-PIN count, so they run on the writer thread while the pad is busy.

The demo shop (``ctx.demo``) shows its people and their PINs beside the pad — tap one to log in as them — and
says that it is a demo; a real shop shows nothing of the sort.

:meth:`LoginScreen.ask_manager` is the Manager key (F9) pressed by a cashier: a modal :class:`ManagerPinDialog`
asks for a manager's PIN; a manager's logs the manager in and opens the manager screen (``wants_manager``),
a cashier's is refused with "Only a manager can do this" and the cashier stays logged in.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QEvent, QModelIndex, QSize, Qt
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QFrame,
    QGridLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QSizePolicy,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from pos_app.domain import errors
from pos_app.domain.people import Role
from pos_app.services.context import Caller
from pos_app.ui.context import DemoInfo, UiContext
from pos_app.ui.icons import icon
from pos_app.ui.messages import sentence, tr
from pos_app.ui.table_model import Column, RowsModel
from pos_app.ui.widgets.pin_pad import PinPad

DemoPerson = tuple[str, str]  # (who, PIN), as DemoInfo.pins


class LoginScreen(QWidget):
    """The PIN pad, centred under the shop's name. ``wants_manager``: the last login came from the Manager
    prompt, so the window opens the manager screen rather than the till (main_window reads and resets it)."""

    def __init__(self, ctx: UiContext) -> None:
        super().__init__()
        self.ctx = ctx
        self.setObjectName("LoginScreen")
        self.wants_manager = False
        self.manager_dialog: ManagerPinDialog | None = None
        self._round = 0  # bumped by reset(): a check that was under way before it is ignored

        self.shop_name = QLabel(ctx.session.profile.store_name)
        self.shop_name.setObjectName("LoginShopName")
        self.shop_name.setProperty("role", "title")
        self.shop_name.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.shop_name.setWordWrap(True)
        self.prompt = QLabel(tr("Enter your PIN"))
        self.prompt.setObjectName("LoginPrompt")
        self.prompt.setProperty("role", "subtitle")
        self.prompt.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.pad = PinPad()
        self.pad.submitted.connect(self._check)
        self.hint = QLabel(tr("Tap the keys or type on the keyboard: Enter logs in, Esc clears."))
        self.hint.setObjectName("LoginHint")
        self.hint.setProperty("role", "hint")
        self.hint.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.hint.setWordWrap(True)

        column = QFrame()
        column.setObjectName("LoginCard")
        column.setProperty("role", "card")
        inner = QVBoxLayout(column)
        inner.setSpacing(12)
        inner.addWidget(self.prompt)
        inner.addWidget(self.pad, 1)
        inner.addWidget(self.hint)
        column.setMinimumWidth(320)
        column.setMaximumWidth(440)
        column.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Expanding)  # as tall as the keys go
        for label in (self.prompt, self.hint):
            label.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Maximum)

        self.demo_panel = DemoPanel(ctx.demo, self._log_in_as) if ctx.demo is not None else None
        middle = QGridLayout()  # three columns, the outer two as wide as each other: the pad stays centred
        middle.setHorizontalSpacing(24)
        middle.setColumnStretch(0, 1)
        middle.setColumnStretch(1, 2)  # up to the column's largest width
        middle.setColumnStretch(2, 1)
        middle.addWidget(column, 0, 1)
        if self.demo_panel is not None:
            middle.addWidget(self.demo_panel, 0, 2, Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
            middle.setColumnMinimumWidth(0, self.demo_panel.minimumWidth())

        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 24, 24, 24)
        layout.setSpacing(16)
        layout.addWidget(self.shop_name)
        layout.addStretch(1)
        layout.addLayout(middle, 8)
        layout.addStretch(1)
        self.setFocusProxy(self.pad)  # the window focuses the screen; the digits go to the pad

    # ---- the window's API ------------------------------------------------------------------------------------

    def reset(self) -> None:
        """A new person at the till (start, logout, lock): empty pad, no message, no prompt open, focus on the
        pad. Anything still being checked for the previous person is ignored when it comes back."""
        self._round += 1
        self.wants_manager = False
        self.pad.set_busy(False)
        self.pad.clear()
        if self.manager_dialog is not None:
            self.manager_dialog.reject()
        self.pad.setFocus(Qt.FocusReason.OtherFocusReason)

    def ask_manager(self, parent: QWidget) -> None:
        """A cashier pressed Manager (F9): ask for a manager's PIN in a modal dialog (``manager_dialog``)."""
        if self.manager_dialog is not None:
            self.manager_dialog.raise_()
            self.manager_dialog.activateWindow()
            return
        dialog = ManagerPinDialog(parent)
        dialog.pad.submitted.connect(lambda pin: self._check_manager(dialog, pin))
        dialog.finished.connect(lambda _result: self._manager_dialog_gone(dialog))
        self.manager_dialog = dialog
        dialog.open()  # modal, without a nested event loop
        dialog.activateWindow()  # its keys (Esc above all) are the dialog's, not the screen's behind it
        dialog.pad.setFocus(Qt.FocusReason.OtherFocusReason)

    # ---- logging in ------------------------------------------------------------------------------------------

    def _check(self, pin: str) -> None:
        if self.pad.busy:
            return
        self.pad.set_busy(True)
        session, round_ = self.ctx.session, self._round
        (self.ctx.ops.write(lambda: session.login(pin), owner=self, label="login")
         .success(lambda caller: self._logged_in(caller, round_))
         .failure(lambda exc: self._refused(self.pad, exc, round_))
         .finally_(lambda: self._done(self.pad, round_))
         .run())

    def _logged_in(self, caller: Caller, round_: int) -> None:
        if round_ != self._round:
            return
        self.pad.clear()  # no PIN left behind on a screen the next person sees
        self.ctx.events.logged_in.emit(caller)

    def _log_in_as(self, pin: str) -> None:
        """The demo panel: a person tapped, as if their PIN were typed and OK pressed."""
        if self.pad.busy:
            return
        self.pad.clear()
        for digit in pin:
            self.pad.press(digit)
        self.pad.submit()
        self.pad.setFocus(Qt.FocusReason.OtherFocusReason)

    def _refused(self, pad: PinPad, exc: BaseException, round_: int) -> None:
        """The refusal's sentence in the pad (wrong PIN, locked out), the digits gone: type it again."""
        if round_ != self._round:
            return
        pad.clear()
        pad.set_error(sentence(exc, locale=self.ctx.locale))
        pad.setFocus(Qt.FocusReason.OtherFocusReason)

    def _done(self, pad: PinPad, round_: int) -> None:
        if round_ == self._round:
            pad.set_busy(False)

    # ---- the manager's PIN over a cashier's shoulder ---------------------------------------------------------

    def _check_manager(self, dialog: ManagerPinDialog, pin: str) -> None:
        if dialog.pad.busy:
            return
        dialog.set_busy(True)
        session, round_ = self.ctx.session, self._round
        (self.ctx.ops.write(lambda: session.authenticate(pin), owner=dialog, label="manager PIN")
         .success(lambda caller: self._manager_checked(dialog, caller, round_))
         .failure(lambda exc: self._refused(dialog.pad, exc, round_))
         .finally_(lambda: self._manager_done(dialog, round_))
         .run())

    def _manager_checked(self, dialog: ManagerPinDialog, caller: Caller, round_: int) -> None:
        if round_ != self._round or dialog is not self.manager_dialog or self.ctx.session.caller is None:
            return  # cancelled, or the till locked meanwhile: nobody changes
        if caller.actor.role is not Role.MANAGER:
            dialog.pad.clear()
            dialog.pad.set_error(sentence(errors.Forbidden(), locale=self.ctx.locale))
            return  # the cashier stays the one logged in
        self.ctx.session.become(caller)
        self.wants_manager = True
        dialog.accept()
        self.ctx.events.logged_in.emit(caller)

    def _manager_done(self, dialog: ManagerPinDialog, round_: int) -> None:
        if dialog is self.manager_dialog and round_ == self._round:
            dialog.set_busy(False)

    def _manager_dialog_gone(self, dialog: ManagerPinDialog) -> None:
        if self.manager_dialog is dialog:
            self.manager_dialog = None
        dialog.deleteLater()


class ManagerPinDialog(QDialog):
    """"A manager's PIN is needed": its own pad and Cancel (Esc). The screen behind decides what a PIN does."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("ManagerPinDialog")
        self.setWindowTitle(tr("A manager's PIN is needed"))
        self.setModal(True)
        title = QLabel(tr("A manager's PIN is needed"))
        title.setObjectName("DialogTitle")
        title.setProperty("role", "title")
        title.setAlignment(Qt.AlignmentFlag.AlignCenter)
        why = QLabel(tr("Only a manager may open the manager screen. Ask a manager to enter their PIN here; "
                        "Cancel goes back to the till as it was."))
        why.setObjectName("DialogText")
        why.setProperty("role", "hint")
        why.setWordWrap(True)
        why.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.pad = PinPad(escape_clears=False)  # Esc is Cancel here
        self.cancel_button = QPushButton(icon("clear"), tr("Cancel (Esc)"))
        self.cancel_button.setObjectName("CancelButton")
        self.cancel_button.setAutoDefault(False)
        self.cancel_button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.cancel_button.setMinimumHeight(56)
        self.cancel_button.clicked.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 24, 24, 24)
        layout.setSpacing(12)
        layout.addWidget(title)
        layout.addWidget(why)
        layout.addWidget(self.pad, 1)
        layout.addWidget(self.cancel_button)
        self.setFocusProxy(self.pad)
        self.setMinimumWidth(400)

    def set_busy(self, busy: bool) -> None:
        self.pad.set_busy(busy)

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self._fit()

    def event(self, event: QEvent) -> bool:
        handled = super().event(event)
        if event.type() == QEvent.Type.LayoutRequest and self.isVisible():  # e.g. a two-line refusal appeared
            self._fit()
        return handled

    def _fit(self) -> None:
        """Tall enough for its wrapped sentences at its width: a dialog sizes itself by its layout's minimum,
        which leaves out how many lines a wrapped label takes, and the keys would be squeezed."""
        needed = self.heightForWidth(self.width())
        if needed > self.height():
            self.setMinimumHeight(needed)
            self.resize(self.width(), needed)


class DemoPanel(QFrame):
    """The demo shop says it is one, and whose PIN is which ("Chris (cashier) — PIN 1234"); a tap logs in."""

    def __init__(self, demo: DemoInfo, log_in_as: Callable[[str], None]) -> None:
        super().__init__()
        self.setObjectName("DemoPanel")
        self.setProperty("role", "card")
        title = QLabel(tr("Demo shop"))
        title.setObjectName("DemoTitle")
        title.setProperty("role", "subtitle")
        text = QLabel(tr("The cards and sales here are made up: nothing is real money. Log in with one of "
                         "these PINs, or tap a person."))
        text.setObjectName("DemoText")
        text.setWordWrap(True)
        self.model: RowsModel[DemoPerson] = RowsModel(
            [Column(tr("Person"), lambda p: tr("{who} — PIN {pin}").format(who=p[0], pin=p[1]).replace(
                " — PIN ", "\N{NO-BREAK SPACE}—\N{NO-BREAK SPACE}PIN\N{NO-BREAK SPACE}"),  # wraps before the dash
                    tooltip=lambda p: tr("Tap to log in as {who}").format(who=p[0]))],
            demo.pins, parent=self)
        self.people = _FittingTable()
        self.people.setObjectName("DemoPeople")
        self.people.setModel(self.model)
        self.people.horizontalHeader().hide()
        self.people.verticalHeader().hide()
        self.people.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.people.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.people.setShowGrid(False)
        self.people.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # the pad keeps the keyboard
        self.people.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.people.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.people.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.people.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.people.setCursor(Qt.CursorShape.PointingHandCursor)
        self.people.clicked.connect(lambda index: self._tapped(index, log_in_as))
        self.people.setWordWrap(True)  # a narrow window wraps a line rather than hide a PIN behind "…"
        self.people.setTextElideMode(Qt.TextElideMode.ElideNone)
        self.people.verticalHeader().setMinimumSectionSize(40)  # a row is a touch target

        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 16, 16, 16)
        layout.setSpacing(8)
        layout.addWidget(title)
        layout.addWidget(text)
        layout.addWidget(self.people)
        self.setMinimumWidth(300)
        self.setMaximumWidth(400)

    def _tapped(self, index: QModelIndex, log_in_as: Callable[[str], None]) -> None:
        if index.isValid():
            log_in_as(self.model.row(index.row())[1])


class _FittingTable(QTableView):
    """A table exactly as tall as its rows (a handful of people): no empty box, no scroll bar."""

    def __init__(self) -> None:
        super().__init__()
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.verticalHeader().sectionResized.connect(lambda *_: self.updateGeometry())

    def sizeHint(self) -> QSize:
        hint = super().sizeHint()
        return QSize(hint.width(), self.verticalHeader().length() + 2 * self.frameWidth())

    def minimumSizeHint(self) -> QSize:
        return self.sizeHint()
