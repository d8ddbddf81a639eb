"""The spool with fakes: the job is stored before the send, the send runs outside any transaction, a failure is an
outcome (never an exception into the sale), and a reprint sends the stored bytes without rendering again.

Jobs are kept by the till's real adapter (``bootstrap.StoredPrintJobs``) on the fake unit of work; printers are
functions that record or refuse; receipts are rendered by the real ESC/POS and text renderers.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from typing import Any

import pytest

from pos_app.bootstrap import StoredPrintJobs
from pos_app.domain.money import Money
from pos_app.printing.connections import PrinterUnavailable
from pos_app.printing.escpos_render import render_escpos
from pos_app.printing.printer_settings import PrinterSettings
from pos_app.printing.receipt import Receipt
from pos_app.printing.spool import NoReceipt, PrintStatus, Spool
from pos_app.services.ports import PrintJobStatus
from tests.integration.conftest import T0, ctx, new_card
from tests.printing.receipts import sample
from tests.unit.fakes import FakeUnitOfWork

PRINTER = "tcp://10.0.0.9:9100"


class Printer:
    """A printer as the spool sees it: takes the bytes (or refuses), and notes whether a transaction was open."""

    def __init__(self, uow: FakeUnitOfWork, refuse: Exception | None = None) -> None:
        self.uow, self.refuse = uow, refuse
        self.sent: list[tuple[str, bytes]] = []
        self.jobs_seen: list[list[Any]] = []

    def __call__(self, setting: str, data: bytes, timeout: float) -> None:
        assert not self.uow.is_open, "a printer is never sent to inside a store transaction"
        self.jobs_seen.append(list(self.uow.state.print_jobs.values()))
        if self.refuse is not None:
            raise self.refuse
        self.sent.append((setting, data))


class Till:
    def __init__(self, settings: PrinterSettings | None = None) -> None:
        self.uow = FakeUnitOfWork()
        with self.uow:
            card = new_card(balance=5000)
            self.uow.cards.add_many([card])
            self.entry = self.uow.entries.add(card.redeem(Money(1250, "EUR"), ctx()))
            self.uow.commit()
        self.entry_id = str(self.entry.id)
        self.settings = settings or PrinterSettings(destination=PRINTER)
        self.made = 0

    def make(self) -> Receipt:
        self.made += 1
        return sample(entry_id=self.entry_id, footer=self.settings.footer)

    def spool(self, send: Callable[[str, bytes, float], None], **kw: Any) -> Spool:
        jobs = StoredPrintJobs(lambda: self.uow, lambda: self.uow, clock=lambda: T0)
        return Spool(jobs, self.settings, send=send, **kw)

    def jobs(self) -> list[Any]:
        return list(self.uow.state.print_jobs.values())


def unavailable() -> PrinterUnavailable:
    return PrinterUnavailable("The printer at 10.0.0.9 does not answer. Check it is on and has paper.",
                              setting=PRINTER, detail="ConnectionRefusedError: [Errno 111]")


def test_the_job_is_stored_before_it_is_sent_then_marked_printed() -> None:
    till = Till()
    printer = Printer(till.uow)
    outcome = till.spool(printer).print_receipt(till.entry_id, till.make)
    assert outcome.status is PrintStatus.PRINTED and outcome.printed and outcome.message is None
    expected = render_escpos(sample(entry_id=till.entry_id, footer=()), "default", "80mm")
    assert printer.sent == [(PRINTER, expected)]
    [seen] = printer.jobs_seen[0]
    assert seen.status is PrintJobStatus.PENDING and seen.data == expected, "stored (committed) before the send"
    [job] = till.jobs()
    assert (job.status, job.attempts, job.destination, job.printed_at) == (PrintJobStatus.PRINTED, 1, PRINTER, T0)
    assert outcome.job_id == job.id and outcome.as_json()["status"] == "printed"


def test_no_printer_means_nothing_is_rendered_stored_or_sent() -> None:
    till = Till(PrinterSettings())
    printer = Printer(till.uow)
    outcome = till.spool(printer).print_receipt(till.entry_id, till.make)
    assert outcome.status is PrintStatus.NO_PRINTER and outcome.message is None
    assert (till.made, till.jobs(), printer.sent) == (0, [], [])


def test_a_printer_that_does_not_answer_is_an_outcome_with_the_cashiers_sentence() -> None:
    till = Till()
    outcome = till.spool(Printer(till.uow, refuse=unavailable())).print_receipt(till.entry_id, till.make)
    assert outcome.status is PrintStatus.FAILED and not outcome.printed
    assert outcome.message == "The printer at 10.0.0.9 does not answer. Check it is on and has paper."
    [job] = till.jobs()
    assert (job.status, job.attempts) == (PrintJobStatus.FAILED, 1)
    assert job.last_error is not None and "ConnectionRefusedError" in job.last_error, "the cause, for a manager"


def test_a_connection_that_raises_something_else_still_does_not_reach_the_sale() -> None:
    till = Till()
    outcome = till.spool(Printer(till.uow, refuse=RuntimeError("usb stack"))).print_receipt(till.entry_id, till.make)
    assert outcome.status is PrintStatus.FAILED and outcome.message and "print again" in outcome.message
    assert till.jobs()[0].status is PrintJobStatus.FAILED


@pytest.mark.parametrize("problem", [NoReceipt("a refused attempt"), OSError("disk full"), ValueError("bug")])
def test_a_receipt_that_cannot_be_made_is_an_outcome_and_nothing_is_sent(problem: Exception) -> None:
    till = Till()
    printer = Printer(till.uow)

    def make() -> Receipt:
        raise problem

    outcome = till.spool(printer).print_receipt(till.entry_id, make)
    assert outcome.status is PrintStatus.FAILED and outcome.message
    assert (printer.sent, till.jobs()) == ([], [])


def test_a_store_that_cannot_keep_the_job_does_not_fail_the_sale(monkeypatch: pytest.MonkeyPatch) -> None:
    till = Till()
    printer = Printer(till.uow)
    spool = till.spool(printer)
    monkeypatch.setattr(StoredPrintJobs, "add", lambda self, **kw: (_ for _ in ()).throw(OSError("locked")))
    outcome = spool.print_receipt(till.entry_id, till.make)
    assert outcome.status is PrintStatus.FAILED and "locked" in (outcome.message or "")
    assert printer.sent == []


def test_a_printout_stands_when_the_store_cannot_note_it(monkeypatch: pytest.MonkeyPatch) -> None:
    till = Till()
    printer = Printer(till.uow)
    monkeypatch.setattr(StoredPrintJobs, "printed", lambda self, *a: (_ for _ in ()).throw(OSError("locked")))
    outcome = till.spool(printer).print_receipt(till.entry_id, till.make)
    assert outcome.printed and len(printer.sent) == 1
    assert till.jobs()[0].status is PrintJobStatus.PENDING


def test_a_reprint_sends_the_stored_bytes_and_never_renders_again() -> None:
    till = Till()
    first = Printer(till.uow, refuse=unavailable())
    assert till.spool(first).print_receipt(till.entry_id, till.make).status is PrintStatus.FAILED
    stored = till.jobs()[0].data
    # The shop changes its footer and its printer model since; the reprint is still the receipt of the sale.
    till.settings = PrinterSettings(destination=PRINTER, profile="TM-T20II", paper="58mm", footer=("New!",))
    again = Printer(till.uow)
    outcome = till.spool(again).reprint(till.entry_id, till.make)
    assert outcome.printed and again.sent == [(PRINTER, stored)]
    assert till.made == 1, "rendered once, for the first print"
    [job] = till.jobs()
    assert (job.status, job.attempts) == (PrintJobStatus.PRINTED, 2)


def test_a_reprint_without_a_stored_job_renders_from_the_entry_once() -> None:
    till = Till()
    printer = Printer(till.uow)
    spool = till.spool(printer)
    assert spool.find(till.entry_id, "escpos") is None
    spool.reprint(till.entry_id, till.make)
    spool.reprint(till.entry_id, till.make)
    assert till.made == 1 and printer.sent[0] == printer.sent[1]


def test_a_reprint_of_a_refused_attempt_is_refused() -> None:
    till = Till()

    def make() -> Receipt:
        raise NoReceipt("entry is a refused attempt")

    with pytest.raises(NoReceipt):
        till.spool(Printer(till.uow)).reprint(till.entry_id, make)


def test_each_format_is_rendered_once_and_kept() -> None:
    till = Till()
    pdfs: list[Receipt] = []

    def pdf(receipt: Receipt, settings: PrinterSettings) -> bytes:
        pdfs.append(receipt)
        return b"%PDF-1.4 " + receipt.entry_id.encode()

    spool = till.spool(Printer(till.uow), renderers={"pdf": pdf})
    text = spool.job(till.entry_id, "text", till.make)
    assert text.data.decode("utf-8").endswith("\n") and "Remaining balance" in text.data.decode("utf-8")
    assert max(len(line) for line in text.data.decode().splitlines()) <= 48  # 80 mm paper: 48 columns
    first_pdf = spool.job(till.entry_id, "pdf", till.make)
    assert spool.job(till.entry_id, "pdf", till.make) == first_pdf and len(pdfs) == 1
    assert {j.format for j in till.jobs()} == {"text", "pdf"}
    with pytest.raises(ValueError, match="no renderer"):
        spool.job(till.entry_id, "postscript", till.make)


def test_only_escpos_goes_to_the_receipt_printer() -> None:
    till = Till()
    printer = Printer(till.uow)
    spool = till.spool(printer)
    text = spool.job(till.entry_id, "text", till.make)
    outcome = spool.send(till.entry_id, text)
    assert outcome.status is PrintStatus.FAILED and printer.sent == []


def test_a_receipt_of_another_entry_is_not_stored_under_this_one() -> None:
    till = Till()
    with pytest.raises(ValueError, match="made the one of"):
        till.spool(Printer(till.uow)).job(till.entry_id, "escpos", sample)
    assert till.jobs() == []


def test_two_processes_rendering_one_receipt_keep_the_first() -> None:
    till = Till()
    jobs = StoredPrintJobs(lambda: till.uow, lambda: till.uow, clock=lambda: T0)
    first = jobs.add(entry_id=till.entry_id, format="escpos", data=b"first")
    second = jobs.add(entry_id=till.entry_id, format="escpos", data=b"second")
    assert second == first and [j.data for j in till.jobs()] == [b"first"]


def test_the_outcome_says_what_the_cli_and_window_show() -> None:
    till = Till()
    outcome = till.spool(Printer(till.uow, refuse=unavailable())).print_receipt(till.entry_id, till.make)
    assert outcome.as_json() == {"status": "failed", "entry_id": till.entry_id, "job_id": till.jobs()[0].id,
                                 "destination": PRINTER, "message": unavailable().args[0]}
    assert dataclasses.replace(outcome, status=PrintStatus.PRINTED).printed
