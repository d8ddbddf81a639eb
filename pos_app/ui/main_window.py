"""The till window: a header (shop, who is logged in, Manager, Lock), three screens and the status bar.

Screens: the login (PIN pad), the cashier's (scan, card, amount, Redeem) and the manager's (pages for card
operations, search, campaigns, reports, conflicts and settings). Nobody reaches a screen without logging in:
a logout, a lock (F12, or the automatic lock after ``lock_minutes`` without a touch) or a closed session goes
back to the login. A cashier who asks for the manager screen (F9) is asked for a manager's PIN, and the
manager is then the one logged in (a cashier's PIN there is refused: "Only a manager can do this").

The manager screen is built the first time a manager opens it, so the till starts faster. A scan arriving
anywhere (USB wedge, serial scanner, camera) is handed to the screen on show (``take_scan``); on the login screen
it is turned away with a sentence. The window owns the background parts: :class:`~pos_app.ui.ops.Ops`, the sync
bridge and the scan inputs, and stops them when it closes.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol

from PySide6.QtCore import QEvent, QObject, Qt, QTimer
from PySide6.QtGui import QCloseEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QMainWindow,
    QPushButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from pos_app.domain.people import Permission, Role
from pos_app.services.context import Caller
from pos_app.services.setup import StoreProfile
from pos_app.ui.context import Level, UiContext
from pos_app.ui.icons import icon
from pos_app.ui.messages import tr

if TYPE_CHECKING:
    from pos_app.ui.manager.screen import ManagerScreen
    from pos_app.ui.scan.inputs import ScanInputs
    from pos_app.ui.sync_bridge import SyncBridge


class TakesScans(Protocol):
    def take_scan(self, text: str) -> None: ...


class MainWindow(QMainWindow):
    MIN_SIZE = (1024, 700)

    def __init__(self, ctx: UiContext) -> None:
        super().__init__()
        self.ctx = ctx
        self.setObjectName("TillWindow")
        self.setWindowTitle(tr("{shop} — gift card till").format(shop=ctx.session.profile.store_name))
        self.setWindowIcon(icon("app"))
        self.setMinimumSize(*self.MIN_SIZE)

        from pos_app.ui.cashier.screen import CashierScreen
        from pos_app.ui.login import LoginScreen
        from pos_app.ui.status_bar import TillStatusBar

        self.login = LoginScreen(ctx)
        self.cashier = CashierScreen(ctx)
        self._manager: ManagerScreen | None = None  # built when a manager first needs it: a faster start
        self.screens = QStackedWidget()
        for screen in (self.login, self.cashier):
            self.screens.addWidget(screen)

        self.header = self._header()
        body = QWidget()
        layout = QVBoxLayout(body)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(self.header)
        layout.addWidget(self.screens, 1)
        self.setCentralWidget(body)
        self.status = TillStatusBar(ctx)
        self.setStatusBar(self.status)

        self._lock_timer = QTimer(self)
        self._lock_timer.setSingleShot(True)
        self._lock_timer.timeout.connect(self._auto_lock)
        self._activity = _ActivityWatcher(ctx)
        from PySide6.QtWidgets import QApplication

        QApplication.instance().installEventFilter(self._activity)  # type: ignore[union-attr]

        ctx.events.logged_in.connect(self._on_login)
        ctx.events.logged_out.connect(self._on_logout)
        ctx.events.scanned.connect(self._route_scan)
        ctx.events.activity.connect(self._restart_lock)
        ctx.events.settings_changed.connect(lambda _s: self._restart_lock())
        ctx.events.profile_changed.connect(self._on_profile)
        self.sync: SyncBridge | None = None
        self.scan_inputs: ScanInputs | None = None
        from pos_app.ui.kiosk import Kiosk

        self.kiosk = Kiosk(self, ctx)
        self._kiosk_saved = ctx.settings.kiosk
        ctx.events.settings_changed.connect(self._kiosk_setting)
        self._shortcuts()
        self._show_login()

    @property
    def manager(self) -> ManagerScreen:
        if self._manager is None:
            from pos_app.ui.manager.screen import ManagerScreen

            self._manager = ManagerScreen(self.ctx)
            self.screens.addWidget(self._manager)
        return self._manager

    # ---- header ----------------------------------------------------------------------------------------------

    def _header(self) -> QWidget:
        bar = QWidget()
        bar.setObjectName("Header")
        row = QHBoxLayout(bar)
        row.setContentsMargins(16, 8, 16, 8)
        self.shop_label = QLabel(self.ctx.session.profile.store_name)
        self.shop_label.setObjectName("ShopName")
        self.who_label = QLabel("")
        self.who_label.setObjectName("WhoLabel")
        self.cashier_button = QPushButton(icon("till"), tr("Till (F8)"))
        self.manager_button = QPushButton(icon("manager"), tr("Manager (F9)"))
        self.lock_button = QPushButton(icon("lock"), tr("Lock (F12)"))
        self.keys_button = QPushButton(tr("?"))
        self.keys_button.setToolTip(tr("Keys (F1)"))
        self.keys_button.setAccessibleName(tr("Keys (F1)"))
        self.keys_button.clicked.connect(self.show_keys)
        for button in (self.cashier_button, self.manager_button, self.lock_button, self.keys_button):
            button.setObjectName("HeaderButton")
            button.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # the amount field keeps the focus
        self.cashier_button.clicked.connect(self.show_cashier)
        self.manager_button.clicked.connect(self.show_manager)
        self.lock_button.clicked.connect(self.lock)
        row.addWidget(self.shop_label)
        row.addStretch(1)
        row.addWidget(self.who_label)
        row.addSpacing(16)
        row.addWidget(self.cashier_button)
        row.addWidget(self.manager_button)
        row.addWidget(self.lock_button)
        row.addWidget(self.keys_button)
        return bar

    def _shortcuts(self) -> None:
        for keys, slot in (("F1", self.show_keys), ("F8", self.show_cashier), ("F9", self.show_manager),
                           ("F12", self.lock)):
            shortcut = QShortcut(QKeySequence(keys), self)
            shortcut.setContext(Qt.ShortcutContext.ApplicationShortcut)
            shortcut.activated.connect(slot)

    def show_keys(self) -> None:
        """F1: the list of the window's keys."""
        from pos_app.ui.keys_help import KeysDialog

        self.keys_dialog = KeysDialog(self)
        self.keys_dialog.open()

    def _kiosk_setting(self, settings: object) -> None:
        """Settings › Till › Kiosk mode, saved by a manager: on at once, or off at once (no PIN: a manager saved)."""
        wanted = bool(getattr(settings, "kiosk", False))
        if wanted == self._kiosk_saved:  # another setting saved: the mode stays (pos-app --kiosk, F11)
            return
        self._kiosk_saved = wanted
        if wanted and not self.kiosk.on:
            self.kiosk.enter()
        elif not wanted and self.kiosk.on:
            self.kiosk.leave()

    # ---- screens ---------------------------------------------------------------------------------------------

    def _show_login(self) -> None:
        self.header_buttons(False)
        self.who_label.setText("")
        self.login.reset()
        self.screens.setCurrentWidget(self.login)
        self.login.setFocus()

    def header_buttons(self, visible: bool) -> None:
        for button in (self.cashier_button, self.manager_button, self.lock_button):
            button.setVisible(visible)

    def show_cashier(self) -> None:
        if self.ctx.session.caller is None:
            return
        self.screens.setCurrentWidget(self.cashier)
        self.cashier.on_shown()

    def show_manager(self) -> None:
        session = self.ctx.session
        if session.caller is None:
            return
        if not session.can(Permission.MANAGE_CAMPAIGNS):
            self.login.ask_manager(self)  # a manager's PIN logs the manager in (events.logged_in)
            return
        self.screens.setCurrentWidget(self.manager)
        self.manager.on_shown()

    def lock(self) -> None:
        """Lock the till (F12): back to the PIN pad; whoever logs in next is the one at the till."""
        if self.ctx.session.caller is None:
            return
        self.ctx.session.logout()
        self.ctx.events.logged_out.emit()

    def _on_login(self, caller: Caller) -> None:
        actor = caller.actor
        role = tr("manager") if actor.role is Role.MANAGER else tr("cashier")
        self.who_label.setText(tr("{name} · {role}").format(name=actor.name, role=role))
        self.header_buttons(True)
        if actor.role is Role.MANAGER and self.login.wants_manager:  # asked for the manager screen (F9)
            self.screens.setCurrentWidget(self.manager)
            self.manager.on_shown()
        else:
            self.show_cashier()
        self.login.wants_manager = False
        self._restart_lock()

    def _on_logout(self) -> None:
        self._lock_timer.stop()
        self._show_login()

    def _on_profile(self, profile: StoreProfile) -> None:
        self.shop_label.setText(profile.store_name)
        self.setWindowTitle(tr("{shop} — gift card till").format(shop=profile.store_name))

    def _route_scan(self, text: str) -> None:
        screen = self.screens.currentWidget()
        if screen is self.login or self.ctx.session.caller is None:
            self.ctx.tell(tr("Log in first, then scan the card."), Level.REFUSED)
            return
        take = getattr(screen, "take_scan", None)
        if take is not None:
            take(text)

    # ---- the automatic lock ----------------------------------------------------------------------------------

    def _restart_lock(self) -> None:
        minutes = self.ctx.settings.lock_minutes
        if self.ctx.session.caller is None or minutes <= 0:
            self._lock_timer.stop()
            return
        self._lock_timer.start(minutes * 60_000)

    def _auto_lock(self) -> None:
        if self.ctx.ops.busy:  # never in the middle of a sale: look again shortly
            self._lock_timer.start(5_000)
            return
        self.lock()
        self.ctx.tell(tr("The till locked itself after a while without use. Enter your PIN."), Level.INFO)

    # ---- background parts ------------------------------------------------------------------------------------

    def start_background(self) -> None:
        """The sync worker and the scan inputs (USB wedge, serial scanner, camera): started once the window is on
        screen, so that none of them delays it."""
        from pos_app.ui.scan.inputs import ScanInputs
        from pos_app.ui.sync_bridge import SyncBridge

        if self.sync is None:
            self.sync = SyncBridge(self.ctx)
            self.sync.start()
        if self.scan_inputs is None:
            self.scan_inputs = ScanInputs(self.ctx)
            self.scan_inputs.start()

    # ---- closing ---------------------------------------------------------------------------------------------

    def closeEvent(self, event: QCloseEvent) -> None:
        if not self.kiosk.may_close():  # kiosk mode: a manager's PIN first (asked for now)
            event.ignore()
            return
        from PySide6.QtWidgets import QApplication

        app = QApplication.instance()
        if app is not None:
            app.removeEventFilter(self._activity)
        self.status.shutdown()
        if self.scan_inputs is not None:
            self.scan_inputs.stop()
        if self.sync is not None:
            self.sync.stop()
        self.cashier.shutdown()
        self.ctx.ops.shutdown(wait=True)  # a sale under way finishes first
        super().closeEvent(event)


class _ActivityWatcher(QObject):
    """Any key press, click or touch anywhere restarts the automatic lock's count."""

    KINDS = frozenset({QEvent.Type.KeyPress, QEvent.Type.MouseButtonPress, QEvent.Type.TouchBegin,
                       QEvent.Type.Wheel})

    def __init__(self, ctx: UiContext) -> None:
        super().__init__()
        self._ctx = ctx
        self._pending = False

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() in self.KINDS and not self._pending:
            self._pending = True  # one restart per event loop turn, however many widgets see the event
            QTimer.singleShot(0, self._fire)
        return False

    def _fire(self) -> None:
        self._pending = False
        self._ctx.events.activity.emit()
