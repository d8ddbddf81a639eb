"""Printing after the commit: a receipt rendered once, kept as a job with its bytes, sent, and what became of it.

The order is the point (DESIGN.md §6, §9). The sale has committed before anything here runs; then

1. the receipt is rendered and stored as a job with its bytes, in a short transaction of its own;
2. the bytes go to the printer *outside* any store transaction (a printer that takes seconds to give up must
   not hold the till's write lock, and cannot roll a sale back);
3. the job is marked printed or failed.

:meth:`Spool.print_receipt` never raises into the sale's caller: a printer that is off, a cable pulled mid-job, a
store too busy to keep the job — each is a :class:`PrintOutcome` carrying one sentence for the cashier, and the
sale stands. A receipt is rendered at most once per entry and format (the first job stored is *the* receipt);
every reprint sends that job's bytes as they are, so a copy is byte-identical to the original, whatever the
settings or the card have become since. If the till stopped between the commit and storing the job, there is no
job yet: the reprint renders it from the committed entry then.

Printing may import only the domain and ``pos_app.formatting`` (import-linter), so where jobs are kept is
:class:`JobStore`, a protocol; the till's store implements it through an adapter in ``pos_app.bootstrap``, and
renderers that need Qt (PDF) are handed in by the composition root too.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Protocol

from pos_app.domain.errors import GiftCardError
from pos_app.printing.connections import PrinterUnavailable
from pos_app.printing.connections import send as send_to_printer
from pos_app.printing.escpos_render import printer_model, render_escpos
from pos_app.printing.printer_settings import PrinterSettings
from pos_app.printing.receipt import Receipt
from pos_app.printing.text import render_text

#: Failures are logged at INFO: python-escpos sets up a WARNING handler on stderr at import (``basicConfig``), and
#: a cashier must never see a traceback; the cause is kept on the job (``last_error``) anyway.
log = logging.getLogger(__name__)
PRINT_TIMEOUT = 10.0  # seconds a sale may wait for a printer that does not answer before the till says so


class Format(StrEnum):
    ESCPOS = "escpos"  # what the receipt printer prints; the only format :meth:`Spool.send` sends
    TEXT = "text"
    PDF = "pdf"


class PrintStatus(StrEnum):
    PRINTED = "printed"
    FAILED = "failed"
    NO_PRINTER = "no_printer"  # this till has no receipt printer set up: nothing was tried


class NoReceipt(GiftCardError):
    key, code, message = "no_receipt", 409, "a refused attempt moved no money and has no receipt"


class NoPrinter(GiftCardError):
    key, code, message = "printer_not_configured", 409, (
        "this till has no receipt printer; a manager sets one with `pos-app printer set --destination …`")


class PrintFailed(GiftCardError):
    """A command whose only job was printing (a reprint, a test page) did not print."""

    key, code, message = "printer_unavailable", 503, "the receipt printer did not take the job"


class StoredJob(Protocol):
    """What the spool needs of a stored job (``pos_app.services.ports.PrintJob`` is one)."""

    @property
    def id(self) -> str: ...
    @property
    def format(self) -> str: ...
    @property
    def data(self) -> bytes: ...
    @property
    def status(self) -> str:
        """``pending`` until it is sent (or written) somewhere, then ``printed`` or ``failed``."""


class JobStore(Protocol):
    """Where jobs are kept. Each method is its own short transaction; none runs while a printer is being sent to."""

    def find(self, entry_id: str, format: str) -> StoredJob | None:
        """The first job stored for that entry in that format, if any."""

    def add(self, *, entry_id: str, format: str, data: bytes) -> StoredJob:
        """Keep a newly rendered job — or, if another process stored one for that entry and format meanwhile,
        return that one instead (the first stored is the receipt)."""

    def printed(self, job_id: str, destination: str) -> None: ...

    def failed(self, job_id: str, destination: str | None, error: str) -> None: ...


Renderer = Callable[[Receipt, PrinterSettings], bytes]
Sender = Callable[[str, bytes, float], None]


def render_escpos_job(receipt: Receipt, settings: PrinterSettings) -> bytes:
    return render_escpos(receipt, settings.profile, settings.paper)


def render_text_job(receipt: Receipt, settings: PrinterSettings) -> bytes:
    """UTF-8 text as wide as the printer's paper (32 columns on 58 mm, 48 on 80 mm with most models)."""
    columns = printer_model(settings.profile, settings.paper).columns
    return (render_text(receipt, columns) + "\n").encode("utf-8")


RENDERERS: Mapping[str, Renderer] = {Format.ESCPOS: render_escpos_job, Format.TEXT: render_text_job}


def _send(setting: str, data: bytes, timeout: float) -> None:
    send_to_printer(setting, data, timeout=timeout)


@dataclass(frozen=True, slots=True, kw_only=True)
class PrintOutcome:
    """What became of printing one receipt. ``message``: the sentence for the cashier when it did not print."""

    status: PrintStatus
    entry_id: str
    job_id: str | None = None
    destination: str | None = None
    message: str | None = None

    @property
    def printed(self) -> bool:
        return self.status is PrintStatus.PRINTED

    def as_json(self) -> dict[str, str | None]:
        return {"status": self.status.value, "entry_id": self.entry_id, "job_id": self.job_id,
                "destination": self.destination, "message": self.message}


class Spool:
    """Renders, keeps and sends receipts for one till with its printer ``settings``."""

    def __init__(self, jobs: JobStore, settings: PrinterSettings, *, send: Sender = _send,
                 renderers: Mapping[str, Renderer] | None = None, timeout: float = PRINT_TIMEOUT) -> None:
        self._jobs = jobs
        self.settings = settings
        self._send = send
        self._renderers = {**RENDERERS, **(renderers or {})}
        self._timeout = timeout

    def find(self, entry_id: str, format: str) -> StoredJob | None:
        """The stored job of ``entry_id`` in ``format`` (None: never rendered in that format)."""
        return self._jobs.find(entry_id, format)

    def job(self, entry_id: str, format: str, make: Callable[[], Receipt]) -> StoredJob:
        """The receipt of ``entry_id`` in ``format``: the stored job, or ``make()`` rendered and stored now.

        ``make`` builds the receipt from what was committed (``NoReceipt`` for a refused attempt); it is called
        only when there is no job yet."""
        found = self._jobs.find(entry_id, format)
        if found is not None:
            return found
        renderer = self._renderers.get(format)
        if renderer is None:
            raise ValueError(f"no renderer for receipts as {format!r}")
        receipt = make()
        if receipt.entry_id != entry_id:
            raise ValueError(f"asked for the receipt of {entry_id}, made the one of {receipt.entry_id}")
        return self._jobs.add(entry_id=entry_id, format=format, data=renderer(receipt, self.settings))

    def print_receipt(self, entry_id: str, make: Callable[[], Receipt]) -> PrintOutcome:
        """Print the receipt of a sale that has committed. Never raises: whatever goes wrong is the outcome."""
        if not self.settings.destination:
            return PrintOutcome(status=PrintStatus.NO_PRINTER, entry_id=entry_id)
        try:
            job = self.job(entry_id, Format.ESCPOS, make)
        except Exception as exc:  # the sale stands whatever failed here; the reprint will try again
            log.info("receipt of %s not prepared", entry_id, exc_info=exc)
            sentence = (exc.details or exc.message) if isinstance(exc, GiftCardError) else (
                f"the receipt could not be prepared ({exc})")
            return PrintOutcome(status=PrintStatus.FAILED, entry_id=entry_id, destination=self.settings.destination,
                                message=sentence[:1].upper() + sentence[1:])
        return self.send(entry_id, job)

    def reprint(self, entry_id: str, make: Callable[[], Receipt]) -> PrintOutcome:
        """Send the stored receipt of ``entry_id`` again (rendered now only if it was never stored). A receipt
        that cannot be made (``NoReceipt``, an unknown entry) raises; the printer's answer is the outcome."""
        if not self.settings.destination:
            return PrintOutcome(status=PrintStatus.NO_PRINTER, entry_id=entry_id)
        return self.send(entry_id, self.job(entry_id, Format.ESCPOS, make))

    def send(self, entry_id: str, job: StoredJob) -> PrintOutcome:
        """Send ``job``'s bytes as they are to the printer, then note the result on the job. Never raises."""
        destination = self.settings.destination
        if not destination:
            return PrintOutcome(status=PrintStatus.NO_PRINTER, entry_id=entry_id, job_id=job.id)
        outcome = PrintOutcome(status=PrintStatus.PRINTED, entry_id=entry_id, job_id=job.id, destination=destination)
        if job.format != Format.ESCPOS:
            return _failed(outcome, f"A {job.format} receipt cannot go to the receipt printer.")
        try:
            self._send(destination, job.data, self._timeout)
        except PrinterUnavailable as exc:
            log.info("receipt %s not printed on %s: %s", entry_id, destination, exc.detail)  # kept on the job too
            self._note(self._jobs.failed, job.id, destination, f"{exc} [{exc.detail}]" if exc.detail else str(exc))
            return _failed(outcome, str(exc))
        except Exception as exc:  # a connection that broke its promise to raise only PrinterUnavailable
            log.info("receipt %s not printed on %s", entry_id, destination, exc_info=exc)
            self._note(self._jobs.failed, job.id, destination, f"{type(exc).__name__}: {exc}")
            return _failed(outcome, "The receipt printer did not take the receipt. Check it, then print again.")
        self._note(self._jobs.printed, job.id, destination)
        return outcome

    def written(self, job: StoredJob, where: str) -> None:
        """``job``'s bytes were written whole to ``where`` (a file, standard output): a job that was pending is
        done, like one the printer took (``printed`` to ``where``). A job sent to the printer before keeps what
        became of that: a copy in a file is no printout. Never raises."""
        if job.status == "pending":
            self._note(self._jobs.printed, job.id, where)

    @staticmethod
    def _note(mark: Callable[..., None], *args: str) -> None:
        """Bookkeeping after the send: if the store cannot note it now, the printout is what it is anyway."""
        try:
            mark(*args)
        except Exception as exc:
            log.info("could not note the print job's result", exc_info=exc)


def _failed(outcome: PrintOutcome, message: str) -> PrintOutcome:
    return PrintOutcome(status=PrintStatus.FAILED, entry_id=outcome.entry_id, job_id=outcome.job_id,
                        destination=outcome.destination, message=message)
