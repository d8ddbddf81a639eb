"""The Settings page's work on the till, in plain Python (no Qt): each function runs on a worker thread.

Each opens units of work of its own (``till.new_uow``/``new_reader``), except :func:`enrol_and_sync`, which uses the
till's own ``uow`` through ``Till.enrol`` and must run on the writer thread. Shop and limits are refused with
``managed_by_server`` on an enrolled till: head office sets them and every pull would put its values back.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from pos_app.domain import errors
from pos_app.domain.offline import OfflineLimits
from pos_app.formatting import check_locale
from pos_app.printing.printer_settings import InvalidPrinterSettings, PrinterSettings
from pos_app.services import shop
from pos_app.services.context import Caller
from pos_app.services.enrolment import SERVER_URL
from pos_app.services.modes import ENROLLED, MODE_KEY
from pos_app.services.setup import StoreProfile

if TYPE_CHECKING:
    from pos_app.bootstrap import Till
    from pos_app.services.ports import UnitOfWork
    from pos_app.sync.state import SyncState

def _writer(till: Till) -> UnitOfWork:
    return till.new_uow()


def _reader(till: Till) -> UnitOfWork:
    return till.new_reader()


# ---- shop -----------------------------------------------------------------------------------------------------


def save_shop(till: Till, *, name: str, locale: str, time_zone: str | None = None) -> None:
    """A standalone shop's name, locale and time zone (``services.shop``; the locale is checked here, where the
    locales are known)."""
    try:
        locale = check_locale(locale.strip())
    except ValueError as exc:
        raise errors.InvalidPayload(str(exc)) from exc
    shop.save_shop(_writer(till), name=name, locale=locale, time_zone=time_zone)


# ---- offline limits -------------------------------------------------------------------------------------------


def read_limits(till: Till) -> tuple[OfflineLimits, bool]:
    """The offline limits, and whether head office sets them (an enrolled till)."""
    return shop.read_limits(_reader(till))


def save_offline_limits(till: Till, limits: OfflineLimits) -> OfflineLimits:
    return shop.save_offline_limits(_writer(till), limits)


# ---- printer --------------------------------------------------------------------------------------------------


def printer_field(exc: InvalidPrinterSettings) -> str:
    """Which field a refusal of :meth:`PrinterSettings.check` is about: destination, profile or lines."""
    from pos_app.printing.connections import PrinterUnavailable

    if isinstance(exc.__cause__, PrinterUnavailable):
        return "destination"
    if isinstance(exc.__cause__, ValueError):
        return "profile"
    return "lines"


def print_test_page(till: Till, settings: PrinterSettings) -> str:
    """Send a test page to ``settings``' printer (checked first); its destination. Runs on a reader thread: a
    printer that does not answer may take seconds, and sales must not wait for it."""
    from pos_app.printing.connections import PrinterUnavailable, send
    from pos_app.printing.printer_settings import printer_test_page
    from pos_app.printing.spool import PRINT_TIMEOUT, NoPrinter, PrintFailed
    from pos_app.services.context import utc_now
    from pos_app.services.setup import load_profile

    settings.check()
    if not settings.destination:
        raise NoPrinter()
    page = printer_test_page(settings, shop_name=load_profile(_reader(till)).store_name, at=utc_now().astimezone())
    try:
        send(settings.destination, page, timeout=PRINT_TIMEOUT)
    except PrinterUnavailable as exc:
        raise PrintFailed(f"The test page did not print. {exc}") from exc
    return settings.destination


# ---- server and enrolment -------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ServerStatus:
    enrolled: bool
    server_url: str | None = None
    device_id: str | None = None
    sync: SyncState | None = None  # the last sync as the store has it (not asked of the server)


def server_status(till: Till) -> ServerStatus:
    from pos_app.services.setup import load_profile
    from pos_app.sync.state import read_state

    with _reader(till) as uow:
        enrolled = uow.settings.get(MODE_KEY) == ENROLLED
        url = uow.settings.get(SERVER_URL)
    if not enrolled:
        return ServerStatus(enrolled=False)
    return ServerStatus(enrolled=True, server_url=url, device_id=load_profile(_reader(till)).device_id,
                        sync=read_state(till.units(), "online"))


def enrol_and_sync(till: Till, caller: Caller | None, *, server_url: str, code: str, device_name: str
                   ) -> tuple[StoreProfile, SyncState]:
    """Enrol (writer thread: ``Till.enrol`` uses the till's own unit of work) as ``caller`` (the manager logged
    in), then sync once, as ``pos-app enroll`` does, so that the server's people can log in at once."""
    from pos_app.services.online import ServerUnavailable
    from pos_app.sync.conflicts import Unreachable

    try:
        profile = till.enrol(caller, server_url=server_url, code=code, device_name=device_name)
    except ServerUnavailable as exc:
        raise Unreachable(str(exc)) from exc
    with till.sync_worker() as worker:
        first = worker.run_once()
    return profile, first


def sync_once(till: Till) -> SyncState:
    """One push and pull, for "Sync now" when the window runs no sync worker (writer thread)."""
    with till.sync_worker() as worker:
        return worker.run_once()
