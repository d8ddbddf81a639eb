"""The Settings page's work on the till, in plain Python (no Qt): each function runs on a worker thread.

Each opens units of work of its own (``till.new_uow``/``new_reader``), except :func:`enrol_and_sync`, which uses the
till's own ``uow`` through ``Till.enrol`` and must run on the writer thread. Shop and limits are refused with
``managed_by_server`` on an enrolled till: head office sets them and every pull would put its values back.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import TYPE_CHECKING

from pos_app.domain import errors
from pos_app.domain.offline import OfflineLimits
from pos_app.formatting import check_locale
from pos_app.printing.printer_settings import InvalidPrinterSettings, PrinterSettings
from pos_app.services.context import Caller
from pos_app.services.enrolment import SERVER_URL, offline_limits, save_limits
from pos_app.services.modes import ENROLLED, MODE_KEY, require_standalone
from pos_app.services.setup import TIME_ZONE, StoreProfile, check_zone_name

if TYPE_CHECKING:
    from pos_app.bootstrap import Till
    from pos_app.services.ports import UnitOfWork
    from pos_app.sync.state import SyncState

MAX_LIMIT_HOURS = 24 * 30


def _writer(till: Till) -> UnitOfWork:
    return till.new_uow()


def _reader(till: Till) -> UnitOfWork:
    return till.new_reader()


# ---- shop -----------------------------------------------------------------------------------------------------


def check_store_name(name: str) -> str:
    name = name.strip()
    if not name or len(name) > 120 or not name.isprintable():
        raise errors.InvalidPayload("a store name has 1 to 120 printable characters")
    return name


def save_shop(till: Till, *, name: str, locale: str, time_zone: str | None = None) -> None:
    """A standalone shop's name, locale and time zone (the currency never changes: every card and entry is in
    it). Cards' dates keep their instants: a card made for "until Jun 30" in the old zone ends at that zone's
    midnight."""
    name = check_store_name(name)
    zone = None if time_zone is None else check_zone_name(time_zone)
    try:
        locale = check_locale(locale.strip())
    except ValueError as exc:
        raise errors.InvalidPayload(str(exc)) from exc
    with _writer(till) as uow:
        require_standalone(uow, "the shop's name and language", "change them on the central server")
        uow.settings.set("store_name", name)
        uow.settings.set("locale", locale)
        if zone is not None:
            uow.settings.set(TIME_ZONE, zone)
        uow.commit()


# ---- offline limits -------------------------------------------------------------------------------------------


def read_limits(till: Till) -> tuple[OfflineLimits, bool]:
    """The offline limits, and whether head office sets them (an enrolled till)."""
    with _reader(till) as uow:
        return offline_limits(uow.settings), uow.settings.get(MODE_KEY) == ENROLLED


def check_limits(limits: OfflineLimits) -> OfflineLimits:
    if limits.per_redemption <= 0 or limits.per_device_unsynced <= 0:
        raise errors.InvalidAmount("offline limits are amounts greater than zero")
    if limits.per_redemption > limits.per_device_unsynced:
        raise errors.InvalidAmount("one redemption may not be more than the till may take in all")
    for span in (limits.max_offline, limits.max_card_age):
        if not timedelta(hours=1) <= span <= timedelta(hours=MAX_LIMIT_HOURS):
            raise errors.InvalidPayload(f"hours between 1 and {MAX_LIMIT_HOURS}")
    return limits


def save_offline_limits(till: Till, limits: OfflineLimits) -> OfflineLimits:
    check_limits(limits)
    with _writer(till) as uow:
        require_standalone(uow, "the offline limits", "head office sets them on the central server")
        save_limits(uow.settings, limits)
        uow.commit()
    return limits


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
