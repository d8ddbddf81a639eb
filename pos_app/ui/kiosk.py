"""Kiosk mode: the till fills the screen, without a frame, and only a manager's PIN lets anyone out of it.

A till in a shop is not a desktop: a customer or a new cashier must not close it, shrink it or reach the desktop
behind it. In kiosk mode (``pos-app --kiosk``, or Settings › Till › Kiosk mode) the window is full-screen and
frameless and stays on top; closing it (Alt+F4, the window manager, Ctrl+Shift+Q) and leaving full screen (F11)
ask for a manager's PIN first, checked by the session on the writer thread like every PIN (wrong ones count
towards the lock-out). Outside kiosk mode F11 enters it, and Ctrl+Shift+Q closes the till as any window closes.

Decided here-and-now: a PIN is asked for each way out, even from a manager already logged in (the person at the
till may not be the one who logged in); leaving kiosk mode with F11 lasts until the next start, while the setting
stays as saved. A desktop's own keys (a window manager's Alt+Tab, Ctrl+Alt+Backspace) are the operating system's:
a kiosk session of the OS (e.g. a user whose session runs only ``pos-app --kiosk``) takes those away.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import QLabel

from pos_app.domain import errors
from pos_app.domain.people import Permission
from pos_app.services.context import Caller
from pos_app.ui.context import Level, UiContext
from pos_app.ui.login import ManagerPinDialog
from pos_app.ui.messages import sentence, tr

if TYPE_CHECKING:
    from PySide6.QtWidgets import QMainWindow

LEAVE_KEY = "F11"
QUIT_KEY = "Ctrl+Shift+Q"


class Kiosk(QObject):
    def __init__(self, window: QMainWindow, ctx: UiContext) -> None:
        super().__init__(window)
        self.window = window
        self.ctx = ctx
        self.on = False
        self.dialog: ManagerPinDialog | None = None
        self._may_close = False
        for keys, slot in ((LEAVE_KEY, self.toggle), (QUIT_KEY, self.quit)):
            shortcut = QShortcut(QKeySequence(keys), window)
            shortcut.setContext(Qt.ShortcutContext.ApplicationShortcut)
            shortcut.activated.connect(slot)

    # ---- entering and leaving --------------------------------------------------------------------------------

    def enter(self) -> None:
        """Full screen, frameless, on top; the way out is a manager's PIN."""
        self.on = True
        window = self.window
        window.setWindowFlag(Qt.WindowType.FramelessWindowHint, True)
        window.setWindowFlag(Qt.WindowType.WindowStaysOnTopHint, True)
        window.setGeometry(window.screen().geometry())  # the whole screen also where no window manager runs
        window.showFullScreen()  # (setWindowFlag hides the window: this shows it again)

    def leave(self) -> None:
        self.on = False
        window = self.window
        window.setWindowFlag(Qt.WindowType.FramelessWindowHint, False)
        window.setWindowFlag(Qt.WindowType.WindowStaysOnTopHint, False)
        window.showNormal()
        self.ctx.tell(tr("Kiosk mode is off until the till starts again."), Level.INFO)

    def toggle(self) -> None:
        """F11: into kiosk mode at once; out of it with a manager's PIN."""
        if not self.on:
            self.enter()
            return
        self.ask(tr("Leaving kiosk mode needs a manager's PIN."), self.leave)

    def quit(self) -> None:
        """Ctrl+Shift+Q: close the till (in kiosk mode, once a manager's PIN is given)."""
        if not self.on:
            self.window.close()
            return
        self.ask(tr("Closing the till needs a manager's PIN."), self._close_now)

    def _close_now(self) -> None:
        self._may_close = True
        self.window.close()

    def may_close(self) -> bool:
        """Asked by the window's close event: outside kiosk mode, or once a manager said so. Otherwise the PIN
        is asked for, and the close waits for it."""
        if not self.on or self._may_close:
            return True
        self.quit()
        return False

    # ---- the manager's PIN -----------------------------------------------------------------------------------

    def ask(self, why: str, then: Callable[[], None]) -> None:
        if self.dialog is not None:
            self.dialog.raise_()
            return
        dialog = ManagerPinDialog(self.window)
        dialog.setObjectName("KioskPinDialog")
        text = dialog.findChild(QLabel, "DialogText")
        if text is not None:
            text.setText(why + " " + tr("Cancel (Esc) keeps the till as it is."))
        dialog.pad.submitted.connect(lambda pin: self._check(dialog, pin, then))
        dialog.finished.connect(lambda _result: self._gone(dialog))
        self.dialog = dialog
        dialog.open()
        dialog.activateWindow()
        dialog.pad.setFocus(Qt.FocusReason.OtherFocusReason)

    def _check(self, dialog: ManagerPinDialog, pin: str, then: Callable[[], None]) -> None:
        if dialog.pad.busy:
            return
        dialog.set_busy(True)
        session = self.ctx.session

        def manager() -> Caller:
            caller = session.authenticate(pin)  # wrong PINs count towards the lock-out, as at the login
            if not caller.actor.can(Permission.MANAGE_CAMPAIGNS):  # whoever may open the manager screen may leave
                raise errors.Forbidden("only a manager may leave kiosk mode")  # said as "only a manager", no more
            return caller

        def refused(error: BaseException) -> None:
            dialog.pad.clear()
            dialog.pad.set_error(sentence(error, locale=self.ctx.locale))

        def accepted(_caller: Caller) -> None:
            dialog.accept()
            then()

        (self.ctx.ops.write(manager, owner=dialog, label="kiosk PIN")
         .success(accepted).failure(refused).finally_(lambda: dialog.set_busy(False)).run())

    def _gone(self, dialog: ManagerPinDialog) -> None:
        if self.dialog is dialog:
            self.dialog = None
