"""Settings › Server: a standalone till joins a central server here; an enrolled one shows where it syncs.

Enrolling spends the server's one-time code (made with ``pos-server device enrol-code``), then syncs once so that
head office's people and cards are here. The people of the standalone shop are switched off by enrolment (the
server's log in from now on), so the till then locks and asks for a PIN. The window's sync bridge is started
when it can be reached; otherwise the till must be restarted to sync in the background, and says so.
"""

from __future__ import annotations

import platform
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from PySide6.QtWidgets import QLabel, QLineEdit

from pos_app.domain.errors import GiftCardError
from pos_app.formatting import format_datetime
from pos_app.services.setup import StoreProfile
from pos_app.ui.context import Level, UiContext
from pos_app.ui.manager import settings_store as store
from pos_app.ui.manager.settings_common import Section, hint
from pos_app.ui.messages import sentence, tr, tr_noop

if TYPE_CHECKING:
    from pos_app.sync.state import SyncState


def enrol_sentence(exc: BaseException, locale: str) -> str:
    """Refusals of enrolment say what to do about the *code*, not about a PIN."""
    key = getattr(exc, "key", "") if isinstance(exc, GiftCardError) else ""
    own = {
        "unauthorized": tr("The server does not know that enrolment code. Check it, or make a new one on the "
                           "server (pos-server device enrol-code)."),
        "enrol_code_used": tr("That enrolment code has been used already. Make a new one on the server."),
        "enrol_code_expired": tr("That enrolment code has expired (codes last 24 hours). Make a new one."),
        "duplicate_found": tr("This till already has sales of its own as a standalone shop, so it cannot join "
                              "a server. Set up a new till to enrol instead."),
        "server_unavailable": tr("Nothing answers at that address. Check the server's address and that this "
                                 "till is connected."),
        "invalid_payload": tr("Check the enrolment code and the till's name: both are needed."),
    }
    return own.get(key) or sentence(exc, locale=locale)


def check_url(text: str) -> str | None:
    """The server's base URL, or None when it cannot be one."""
    url = text.strip().rstrip("/")
    parts = urlsplit(url)
    return url if parts.scheme in {"http", "https"} and parts.hostname else None


class ServerSection(Section):
    title = tr_noop("Server")
    icon_name = "conflicts"

    def __init__(self, ctx: UiContext) -> None:
        super().__init__(ctx, tr("Server and enrolment"))
        self.status = QLabel("")
        self.status.setObjectName("ServerStatus")
        self.status.setWordWrap(True)
        self.body.insertWidget(1, self.status)
        self.url = QLineEdit()
        self.url.setPlaceholderText("http://head-office:8000")
        self.code = QLineEdit()
        self.code.setPlaceholderText(tr("e.g. ABCD-EFGH-JKLM"))
        self.device = QLineEdit((platform.node() or "till")[:80])
        self.device.setMaxLength(80)
        self.enrol_help = hint(tr("Ask head office for a one-time enrolment code (pos-server device enrol-code). "
                                  "A till that already has sales of its own cannot join."))
        self.form.addRow(tr("Server address"), self.url)
        self.form.addRow(tr("Enrolment code"), self.code)
        self.form.addRow(tr("This till's name"), self.device)
        self.form.addRow(self.enrol_help)
        self.enrol_button = self.button(tr("Enrol this till"), "ok", self.enrol, role="primary", shortcut="Ctrl+S")
        self.sync_button = self.button(tr("Sync now"), "reports", self.sync_now, shortcut="Ctrl+R")
        self.end_buttons()
        self.enrolled = False
        self._show_standalone()

    # ---- showing -----------------------------------------------------------------------------------------------

    def on_shown(self) -> None:
        till = self.ctx.session.till
        self.ctx.ops.read(lambda: store.server_status(till), owner=self, label="server status") \
            .success(self._show).failure(self.refused_by).run()

    def _show(self, status: store.ServerStatus) -> None:
        self.enrolled = status.enrolled
        if not status.enrolled:
            self._show_standalone()
            return
        for field in (self.url, self.code, self.device, self.enrol_help):
            field.setVisible(False)
            label = self.form.labelForField(field)
            if label is not None:
                label.setVisible(False)
        self.enrol_button.setVisible(False)
        self.sync_button.setVisible(True)
        self._show_sync(status.server_url or "", status.device_id or "", status.sync)

    def _show_sync(self, url: str, device: str, state: SyncState | None) -> None:
        when = format_datetime(state.last_sync if state else None, locale=self.ctx.locale)
        lines = [tr("Enrolled to {url} as till {device}.").format(url=url, device=device),
                 tr("Last sync: {when}.").format(when=when)]
        if state is not None and state.unsynced:
            lines.append(tr("{n} sales wait to go to the server.").format(n=state.unsynced))
        if state is not None and state.last_error:
            lines.append(tr("The last sync did not finish; the till keeps trying."))
        self.status.setText("\n".join(lines))

    def _show_standalone(self) -> None:
        self.status.setText(tr("This till works on its own (standalone): its store is the authority and no "
                               "server is needed. To make it one of a chain's tills, enrol it below."))
        self.sync_button.setVisible(False)
        self.enrol_button.setVisible(True)

    # ---- enrolling ---------------------------------------------------------------------------------------------

    def take_scan(self, text: str) -> None:
        """Head office's console shows an enrolment code as a QR code too: scanned here, it fills the code."""
        if self.enrolled:
            self.feedback.say(tr("This till is enrolled already: a scanned enrolment code is not needed."),
                              Level.REFUSED)
            return
        self.code.setText(text.strip()[:100])
        self.feedback.say(tr("Enrolment code scanned. Check the server address and the till's name, then enrol."))
        (self.url if not self.url.text().strip() else self.enrol_button).setFocus()

    def enrol(self) -> None:
        url = check_url(self.url.text())
        if url is None:
            self.refuse(tr("Enter the server's address, such as http://head-office:8000."), self.url)
            return
        code, device = self.code.text().strip(), self.device.text().strip()
        if len(code) < 4:
            self.refuse(tr("Enter the enrolment code from head office."), self.code)
            return
        if not device:
            self.refuse(tr("Give this till a name, such as “Till 1”, so head office knows which it is."),
                        self.device)
            return
        session = self.ctx.session
        self.feedback.say(tr("Enrolling… the server is asked, then the first sync runs."))

        def work() -> tuple[StoreProfile, SyncState]:
            done = store.enrol_and_sync(session.till, session.who, server_url=url, code=code, device_name=device)
            session.reload_profile()
            return done

        self.busy(True)
        (self.ctx.ops.write(work, owner=self, label="enrol").success(self._enrolled).failure(self._enrol_refused)
         .finally_(lambda: self.busy(False)).run())

    def _enrol_refused(self, exc: BaseException) -> None:
        field = self.url if getattr(exc, "key", "") == "server_unavailable" else self.code
        self.refuse(enrol_sentence(exc, self.ctx.locale), field)

    def _enrolled(self, done: tuple[StoreProfile, SyncState]) -> None:
        profile, _first = done
        self.code.clear()
        self.on_shown()
        bridge = getattr(self.window(), "sync", None)
        if bridge is not None:
            bridge.start()  # reads the mode again and starts the worker of an enrolled till
            after = tr("The till now syncs in the background.")
        else:
            after = tr("Restart the till to start syncing in the background.")
        self.saved(tr("This till is now enrolled as {device} of “{shop}”. {after}").format(
            device=profile.device_id, shop=profile.store_name, after=after))
        self.ctx.tell(tr("Enrolled. The people of head office log in from now on: enter your PIN."), Level.DONE)
        self.ctx.session.logout()  # the standalone shop's people were switched off by the enrolment
        self.ctx.events.logged_out.emit()

    # ---- syncing -----------------------------------------------------------------------------------------------

    def sync_now(self) -> None:
        bridge = getattr(self.window(), "sync", None)
        if bridge is not None and bridge.worker is not None:
            bridge.wake()
            self.feedback.say(tr("Syncing in the background; the status bar shows when it is done."))
            return
        till = self.ctx.session.till
        self.feedback.say(tr("Syncing…"))
        self.busy(True)
        (self.ctx.ops.write(lambda: store.sync_once(till), owner=self, label="sync now").success(self._synced)
         .failure(self.refused_by).finally_(lambda: self.busy(False)).run())

    def _synced(self, state: SyncState) -> None:
        self.ctx.events.sync_state.emit(state)
        if state.mode == "online" and not state.last_error:
            self.saved(tr("Synced."))
        elif state.mode == "revoked":
            self.refuse(tr("This till has been removed from the central server. Call head office."))
        elif state.mode == "stuck":
            self.refuse(tr("The central server answers, but this till cannot finish its sync. Call support.")
                        + " " + (state.last_error or ""))
        else:
            self.refuse(tr("The central server does not answer. The till keeps its sales and sends them later."))
        self.on_shown()
