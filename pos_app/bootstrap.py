"""The one composition root: wires the real adapters (SQLite store, clock, the sync client) into the use cases.

Tests of the core wire fakes instead (tests/unit/fakes.py); everything else goes through :func:`open_till`. The
sync package (httpx, pydantic) is imported only by an enrolled till: a standalone shop never loads it; the
printing spool (python-escpos) only when a receipt is printed or written, and Qt only for a PDF receipt.

Receipts (DESIGN.md §9): :meth:`Till.receipt_of` builds one from what was committed, :meth:`Till.spool` wires
the printing spool to the store (:class:`StoredPrintJobs`: each call one short transaction of its own, never
inside a sale's) and to the printer settings kept under :data:`PRINTER_SETTINGS`.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from platformdirs import user_data_dir

from pos_app.domain import errors
from pos_app.domain.cards import GiftCard
from pos_app.domain.codes import mask
from pos_app.domain.ledger import Entry
from pos_app.domain.people import Actor
from pos_app.printing.printer_settings import PrinterSettings
from pos_app.services import auth, lookup
from pos_app.services.context import Caller, utc_now
from pos_app.services.enrolment import Enrolment, enrolment, needs_manager
from pos_app.services.online import Authoriser, Publisher
from pos_app.services.ports import PrintJob, UnitOfWork
from pos_app.services.setup import StoreProfile, load_profile

if TYPE_CHECKING:
    from pos_app.domain.day_report import DayReport
    from pos_app.printing.receipt import Receipt, ReceiptKind
    from pos_app.printing.spool import Spool
    from pos_app.sync.client import SyncClient
    from pos_app.sync.units import Units
    from pos_app.sync.worker import SyncWorker

DATA_DIR_ENV = "POS_APP_DATA_DIR"
PRINTER_SETTINGS = "printer"  # the settings key of the receipt printer (PrinterSettings.stored())


def resolve_data_dir(given: str | os.PathLike[str] | None = None) -> Path:
    """``--data-dir``, else ``POS_APP_DATA_DIR``, else the platform's user data directory."""
    raw = given or os.environ.get(DATA_DIR_ENV) or user_data_dir("pos_app", appauthor=False)
    return Path(raw).expanduser()


@dataclass
class Till:
    """A till's store opened and upgraded, ready for use cases."""

    data_dir: Path
    uow: UnitOfWork
    reader: UnitOfWork  # read-only snapshots (reports, exports): never holds up a sale
    new_uow: Callable[[], UnitOfWork]  # a fresh one, for another thread (the window's writer, the sync worker)
    new_reader: Callable[[], UnitOfWork]  # a fresh read-only one, for a reader thread
    _authoriser: Any = field(default=None, init=False, repr=False)

    def profile(self) -> StoreProfile:
        return load_profile(self.uow)

    def _writer(self) -> UnitOfWork:
        return self.new_uow()

    def _reading(self) -> UnitOfWork:
        return self.new_reader()

    def setting(self, key: str) -> Any:
        """One of the till's settings (JSON), read on a snapshot of its own (any thread)."""
        with self._reading() as uow:
            return uow.settings.get(key)

    def save_setting(self, key: str, value: Any) -> None:
        """Keep one setting of an adapter's own (the window's, say) in a write transaction of its own."""
        with self._writer() as uow:
            uow.settings.set(key, value)
            uow.commit()

    def login(self, pin: str | None, *, user_name: str | None = None) -> Caller:
        actor: Actor = auth.login(self.uow, pin, user_name=user_name, clock=utc_now)
        profile = self.profile()
        return Caller(actor=actor, device_id=profile.device_id, clock=utc_now, zone=profile.zone)

    # ---- receipts ---------------------------------------------------------------------------------------------

    def printer_settings(self) -> PrinterSettings:
        with self._reading() as uow:
            return PrinterSettings.from_stored(uow.settings.get(PRINTER_SETTINGS))

    def save_printer_settings(self, settings: PrinterSettings) -> PrinterSettings:
        """Keep ``settings`` once they pass :meth:`PrinterSettings.check` (the caller checks who may)."""
        settings.check()
        with self._writer() as uow:
            uow.settings.set(PRINTER_SETTINGS, settings.stored())
            uow.commit()
        return settings

    def spool(self, settings: PrinterSettings | None = None) -> Spool:
        from pos_app.printing.spool import Spool

        jobs = StoredPrintJobs(self._writer, self._reading, clock=utc_now)
        return Spool(jobs, settings or self.printer_settings(), renderers={"pdf": _render_pdf})

    def masked_code(self, entry: Entry) -> str:
        """The code of ``entry``'s card as screens show it (``lookup.masked``: past its campaign's fixed tail)."""
        with self._reading() as uow:
            card = uow.cards.get(entry.card_id)
            return lookup.masked(uow, card) if card is not None else mask(entry.code)

    def receipt_of(self, entry_id: uuid.UUID | str, *, kind: ReceiptKind | None = None,
                   settings: PrinterSettings | None = None) -> Receipt:
        """The receipt of a committed entry, from the store as it is now (``NoReceipt``: a refused attempt).

        The card is read as it stands (its expiry; whether the entry was its activation); a card this till does
        not hold (an entry pulled from the server) is shown from the entry alone."""
        from pos_app.printing.receipt import receipt_for
        from pos_app.printing.spool import NoReceipt

        wanted = _entry_id(entry_id)
        profile, shop = load_profile(self._reading()), settings or self.printer_settings()  # any thread
        with self._reading() as uow:
            entry = uow.entries.get(wanted)
            if entry is None:
                raise errors.NotFound(f"no entry with id {wanted}")
            if not entry.succeeded:
                raise NoReceipt(f"entry {wanted} is a refused attempt ({entry.error_key}): it moved no money "
                                "and has no receipt")
            card = uow.cards.get(entry.card_id) or GiftCard(id=entry.card_id, code=entry.code, currency=entry.currency)
            person = uow.users.get(entry.operator_id) if entry.operator_id else None
            campaign = uow.campaigns.get(card.campaign_id) if card.campaign_id else None
        return receipt_for(entry, card, shop_name=profile.store_name, shop_lines=shop.shop_lines,
                           cashier=person.name if person else None, footer=shop.footer, locale=profile.locale,
                           kind=kind, zone=profile.zone, code_tail=campaign.code_tail if campaign else "")

    def day_report_escpos(self, report: DayReport, settings: PrinterSettings | None = None) -> bytes:
        """The end-of-day printout as ESC/POS bytes for this till's printer model and paper."""
        from pos_app.printing.day_report import render_day_escpos

        shop = settings or self.printer_settings()
        profile = load_profile(self._reading())
        return render_day_escpos(report, shop_name=profile.store_name, locale=profile.locale,
                                 profile=shop.profile, paper=shop.paper)

    def print_day_report(self, report: DayReport) -> str:
        """Print the end-of-day report on the receipt printer (outside any transaction); returns where it went.
        ``printer_not_configured`` without a printer, ``printer_unavailable`` when it did not take the job."""
        from pos_app.printing.connections import PrinterUnavailable, send
        from pos_app.printing.spool import PRINT_TIMEOUT, NoPrinter, PrintFailed

        settings = self.printer_settings()
        if not settings.destination:
            raise NoPrinter()
        data = self.day_report_escpos(report, settings)
        try:
            send(settings.destination, data, timeout=PRINT_TIMEOUT)
        except PrinterUnavailable as exc:
            raise PrintFailed(f"The end-of-day report did not print. {exc}") from exc
        return settings.destination

    # ---- sync ------------------------------------------------------------------------------------------------

    def enrolment_needs_manager(self) -> bool:
        """Whether enrolling takes a manager's PIN (the till has people of its own, whom it switches off)."""
        return needs_manager(self._reading())

    def enrolment(self) -> Enrolment | None:
        """Read through a unit of work of its own: safe on any thread (the window's readers, the sync worker)."""
        return enrolment(self._reading())

    def units(self) -> Units:
        from pos_app.sync.units import Units

        write, read = self.new_uow, self.new_reader
        if write is None or read is None:
            raise RuntimeError("this till was opened without a way to make units of work for sync")
        return Units(write=write, read=read)

    def sync_client(self) -> SyncClient:
        enrolled = self.enrolment()
        if enrolled is None:
            raise errors.NotEnrolled()
        from pos_app.sync.client import SyncClient

        return SyncClient(enrolled.server_url, enrolled.token)

    def authoriser(self) -> Authoriser | None:
        """The server's authorisation for the card commands (None: a standalone till decides itself)."""
        if self._authoriser is None:
            if self.enrolment() is None:
                return None
            from pos_app.sync.authoriser import ServerAuthoriser

            self._authoriser = ServerAuthoriser(self.sync_client(), self.units(), clock=utc_now)
        authoriser: Authoriser = self._authoriser
        return authoriser

    def publisher(self) -> Publisher | None:
        """The server's publication of cards to customers (None: a standalone till publishes itself)."""
        if self.enrolment() is None:
            return None
        from pos_app.sync.publisher import ServerPublisher

        return ServerPublisher(self.sync_client)

    def sync_worker(self, **options: Any) -> SyncWorker:
        from pos_app.sync.worker import SyncWorker

        return SyncWorker(self.sync_client(), self.units(), clock=utc_now, **options)

    def enrol(self, caller: Caller | None, *, server_url: str, code: str, device_name: str) -> StoreProfile:
        """``caller``: the manager who enrols (None only for a till without people: see ``check_can_enrol``)."""
        from pos_app.sync.enrol import enrol

        profile = enrol(self.uow, caller, server_url=server_url, code=code, device_name=device_name, clock=utc_now)
        self._authoriser = None
        return profile


def open_till(data_dir: Path) -> Till:
    """Open (creating if needed) the store under ``data_dir``, upgrading an old schema first."""
    from pos_app.store import open_store

    store = open_store(data_dir)
    return Till(data_dir=data_dir, uow=store.unit_of_work(), reader=store.unit_of_work(read_only=True),
                new_uow=store.unit_of_work, new_reader=lambda: store.unit_of_work(read_only=True))


class StoredPrintJobs:
    """The spool's :class:`~pos_app.printing.spool.JobStore` on the till's store: every call is one short
    transaction of its own, after the sale's commit and never around a send to the printer."""

    def __init__(self, write: Callable[[], UnitOfWork], read: Callable[[], UnitOfWork], *,
                 clock: Callable[[], datetime]) -> None:
        self._write, self._read, self._clock = write, read, clock

    def find(self, entry_id: str, format: str) -> PrintJob | None:
        with self._read() as uow:
            return uow.print_jobs.for_entry(uuid.UUID(entry_id), format)

    def add(self, *, entry_id: str, format: str, data: bytes) -> PrintJob:
        with self._write() as uow:  # BEGIN IMMEDIATE: two processes rendering one receipt keep the first one
            first = uow.print_jobs.for_entry(uuid.UUID(entry_id), format)
            if first is not None:
                return first
            job = PrintJob(id=str(uuid.uuid4()), entry_id=uuid.UUID(entry_id), format=format, data=data,
                           created_at=self._clock())
            uow.print_jobs.add(job)
            uow.commit()
        return job

    def printed(self, job_id: str, destination: str) -> None:
        with self._write() as uow:
            uow.print_jobs.mark_printed(job_id, destination=destination, at=self._clock())
            uow.commit()

    def failed(self, job_id: str, destination: str | None, error: str) -> None:
        with self._write() as uow:
            uow.print_jobs.mark_failed(job_id, destination=destination, error=error)
            uow.commit()


def _entry_id(text: uuid.UUID | str) -> uuid.UUID:
    try:
        return text if isinstance(text, uuid.UUID) else uuid.UUID(str(text).strip())
    except ValueError as exc:
        raise errors.InvalidPayload(f"{str(text)[:40]!r} is not an entry id") from exc


def _render_pdf(receipt: Receipt, settings: PrinterSettings) -> bytes:
    from pos_app.qt_printing.receipt_pdf import render_receipt_pdf  # Qt, only when a PDF receipt is asked for

    return render_receipt_pdf(receipt, page=settings.pdf_page)
