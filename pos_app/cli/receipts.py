"""Receipts on the command line: printed after a sale, written to a file, reprinted; and the printer settings.

After ``redeem``, ``sell``, ``topup``, ``refund`` and ``correct`` have committed, :func:`after_sale` prints the
receipt when the till has a printer (not with ``--no-print``) and writes it to ``--receipt FILE``. Neither can
undo or block the sale: a printer that is off or fails mid-job is a warning on standard error, the exit status
stays 0, and the warning says how to reprint. ``pos-app receipt ENTRY_ID`` writes (or with ``--print`` sends)
the stored job's bytes — byte-identical to the first print — and renders the receipt from the committed entry
only when none was stored (the till stopped before it could, or the sale ran with ``--no-print``).
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar, cast

import click

from pos_app.cli.common import caller, json_option, pin_option, refusals, state
from pos_app.cli_options import emit_json
from pos_app.domain import errors
from pos_app.domain.ledger import Entry
from pos_app.domain.people import Role
from pos_app.printing.printer_settings import PAPERS, Paper, PrinterSettings, clean_lines
from pos_app.printing.receipt import Receipt, ReceiptKind
from pos_app.services.context import Caller
from pos_app.services.ports import PrintJob

if TYPE_CHECKING:
    from pos_app.printing.spool import Spool

F = TypeVar("F", bound=Callable[..., Any])
FORMATS = ("escpos", "pdf", "text")
SUFFIXES = {".txt": "text", ".text": "text", ".pdf": "pdf", ".bin": "escpos", ".escpos": "escpos"}


def format_of(path: str) -> str | None:
    return SUFFIXES.get(Path(path).suffix.lower())


def _receipt_file(ctx: click.Context, param: click.Parameter, value: str | None) -> str | None:
    """Checked before the sale runs: a mistake here must not surface after the money has moved."""
    if value is not None and format_of(value) is None:
        raise click.BadParameter(f"{value!r}: name the file .txt (text), .pdf (PDF) or .bin/.escpos (ESC/POS)")
    return value


def receipt_options(f: F) -> F:
    f = click.option("--receipt", "receipt_file", metavar="FILE", callback=_receipt_file,
                     help="Also write the receipt to FILE: .txt text, .pdf PDF, .bin/.escpos ESC/POS.")(f)
    return click.option("--no-print", "no_print", is_flag=True,
                        help="Do not print a receipt on the till's printer.")(f)


DONE = {"redeem": "Sale done", "sell": "Sale done", "topup": "Top-up done", "refund": "Refund done",
        "correct": "Correction done"}


def _warn(what: str, text: str) -> None:
    click.echo(f"{DONE.get(what, 'Done')}. {text}", err=True)


def after_sale(entry: Entry, what: str, *, no_print: bool, receipt_file: str | None,
               kind: ReceiptKind | None = None) -> dict[str, Any]:
    """Print and write the receipt of a committed ``entry``; returns what happened, for ``--json``. Never
    raises: the sale is done whatever the printer or the file system say."""
    entry_id = str(entry.id)
    report: dict[str, Any] = {"status": "skipped", "entry_id": entry_id, "job_id": None, "destination": None,
                              "message": None}
    try:
        till = state().till
        settings = till.printer_settings()
        printing = not no_print and bool(settings.destination)
        if not no_print and not printing:
            report["status"] = "no_printer"
        if not printing and receipt_file is None:
            return report  # nothing to print or write: the spool (and python-escpos) is not even loaded
        spool = till.spool(settings)
        make = cache(lambda: till.receipt_of(entry.id, kind=kind, settings=settings))
        if printing:
            outcome = spool.print_receipt(entry_id, make)
            report = outcome.as_json()
            if outcome.message:
                _warn(what, f"The receipt did not print: {outcome.message.rstrip('.')}. "
                            f"Reprint with `pos-app receipt {entry_id} --print`.")
        if receipt_file is not None:
            report["file"] = _write_after_sale(spool, entry_id, receipt_file, make, what)
    except Exception as exc:  # reading the settings, opening the spool: still not the sale's problem
        _warn(what, f"No receipt was made ({exc}). Make it with `pos-app receipt {entry_id}`.")
        report |= {"status": "failed", "message": str(exc)}
    return report


def _write_after_sale(spool: Spool, entry_id: str, path: str, make: Callable[[], Receipt], what: str
                      ) -> dict[str, Any]:
    fmt = format_of(path) or "text"
    try:
        job = spool.job(entry_id, fmt, make)
        spool.written(job, _write(path, job.data))
    except Exception as exc:
        _warn(what, f"The receipt was not written to {path}: {exc}. Write it with "
                    f"`pos-app receipt {entry_id} --format {fmt} --out {path}`.")
        return {"path": path, "format": fmt, "written": False, "message": str(exc)}
    return {"path": path, "format": fmt, "written": True, "job_id": job.id}


def _write(path: str, data: bytes) -> str:
    """Write ``data`` whole to ``path`` ('-': standard output); returns where it went, as a job names it."""
    if path == "-":
        sys.stdout.buffer.write(data)
        sys.stdout.buffer.flush()
        return "stdout"
    target = Path(path)
    partial = target.with_name(target.name + ".part")
    partial.write_bytes(data)
    partial.replace(target)  # nobody reads half a receipt
    return f"file:{target.resolve()}"


def echo_outcome(report: dict[str, Any]) -> None:
    """The receipt's line under a sale's output (failures were already said on standard error)."""
    if report.get("status") == "printed":
        click.echo(f"Receipt printed on {report['destination']}")
    file = report.get("file")
    if file and file.get("written"):
        click.echo(f"Receipt written to {file['path']}")


# ---- pos-app receipt -----------------------------------------------------------------------------------------


@click.command("receipt")
@click.argument("entry_id")
@click.option("--format", "fmt", type=click.Choice(FORMATS),
              help="escpos, pdf or text (default: from --out's extension; text on standard output).")
@click.option("--out", metavar="FILE", help="Where to write it ('-': standard output, the default).")
@click.option("--print", "to_printer", is_flag=True, help="Send it to the till's receipt printer instead.")
@pin_option
@json_option
@refusals
def receipt(entry_id: str, fmt: str | None, out: str | None, to_printer: bool, pin: str | None,
            as_json: bool) -> None:
    """Write or reprint the receipt of ENTRY_ID: the stored one byte for byte, else made from the entry."""
    if to_printer and out is not None:
        raise click.UsageError("--print sends the receipt to the printer; leave out --out")
    if to_printer and fmt not in (None, "escpos"):
        raise click.UsageError("the receipt printer prints ESC/POS; leave out --format or use --format escpos")
    if as_json and (out in (None, "-")) and not to_printer:
        raise click.UsageError("with --json, write the receipt to a file: --out FILE")
    caller(pin)
    till = state().till
    spool = till.spool()
    make = cache(lambda: till.receipt_of(entry_id, settings=spool.settings))
    if to_printer:
        _print_again(spool, make, as_json)
        return
    target = out or "-"
    fmt = fmt or (format_of(target) if target != "-" else None) or "text"
    if target == "-" and fmt != "text" and sys.stdout.isatty():
        raise click.UsageError(f"a {fmt} receipt is not for the screen: write it to a file with --out FILE")
    wanted = str(make().entry_id)  # the entry exists and has a receipt (NoReceipt otherwise), whatever is stored
    stored = spool.find(wanted, fmt)
    job = stored or spool.job(wanted, fmt, make)
    spool.written(job, _write(target, job.data))
    payload = {"entry_id": wanted, "format": fmt, "job_id": job.id, "file": target, "bytes": len(job.data),
               "reprint": stored is not None}
    if as_json:
        emit_json(payload)
    elif target != "-":
        copy = "a copy of the stored receipt" if stored else "made from the entry and stored"
        click.echo(f"Wrote the {fmt} receipt of entry {wanted} ({copy}, {len(job.data)} bytes) to {target}")


def _print_again(spool: Spool, make: Callable[[], Receipt], as_json: bool) -> None:
    from pos_app.printing.spool import NoPrinter, PrintFailed, PrintStatus

    wanted = str(make().entry_id)
    outcome = spool.reprint(wanted, make)
    if outcome.status is PrintStatus.NO_PRINTER:
        raise NoPrinter()
    if outcome.status is PrintStatus.FAILED:
        raise PrintFailed(outcome.message or "")
    if as_json:
        emit_json(outcome.as_json())
    else:
        click.echo(f"Printed the receipt of entry {wanted} on {outcome.destination}")


# ---- pos-app printer -----------------------------------------------------------------------------------------


@click.group("printer")
def printer_group() -> None:
    """The till's receipt printer: show, set, test."""


def _require_manager(who: Caller, doing: str) -> None:
    if who.actor.role is not Role.MANAGER:
        raise errors.Forbidden(f"{who.actor.name} ({who.actor.role}) may not {doing}")


@printer_group.command("show")
@click.option("--jobs", "recent", default=5, show_default=True, help="How many recent print jobs to list.")
@pin_option
@json_option
@refusals
def printer_show(recent: int, pin: str | None, as_json: bool) -> None:
    """The printer settings and the latest print jobs."""
    caller(pin)
    till = state().till
    settings = till.printer_settings()
    with till.reader as uow:
        jobs = uow.print_jobs.recent(max(0, recent))
    if as_json:
        emit_json(settings.stored() | {"jobs": [_job_json(j) for j in jobs]})
        return
    click.echo(f"Printer   {settings.destination or '(none: receipts are not printed)'}")
    click.echo(f"Model     {settings.profile} · paper {settings.paper}")
    for name, lines in (("Shop", settings.shop_lines), ("Footer", settings.footer)):
        click.echo(f"{name:<9} {' / '.join(lines) if lines else '(none)'}")
    for j in jobs:
        problem = f"  {' '.join(j.last_error.split())}" if j.status == "failed" and j.last_error else ""
        click.echo(f"  {j.created_at:%Y-%m-%d %H:%M} {j.format:<6} {j.status:<8} entry {j.entry_id}{problem}")


def _job_json(job: PrintJob) -> dict[str, Any]:
    return {"id": job.id, "entry_id": str(job.entry_id), "format": job.format, "status": job.status.value,
            "attempts": job.attempts, "destination": job.destination, "created_at": job.created_at,
            "printed_at": job.printed_at, "last_error": job.last_error, "bytes": len(job.data)}


@printer_group.command("set")
@click.option("--destination", help="tcp://HOST[:9100], usb:VID:PID, serial:PORT, file:/PATH, cups:QUEUE; '' for none.")
@click.option("--profile", help="The printer model's python-escpos profile, e.g. TM-T20II (default: 'default').")
@click.option("--paper", type=click.Choice(PAPERS), help="Paper width.")
@click.option("--footer", multiple=True, help="A line at the foot of every receipt; repeat for more ('' clears).")
@click.option("--shop-line", "shop_lines", multiple=True,
              help="A line under the shop's name (address, phone); repeat for more ('' clears).")
@pin_option
@json_option
@refusals
def printer_set(destination: str | None, profile: str | None, paper: str | None, footer: tuple[str, ...],
                shop_lines: tuple[str, ...], pin: str | None, as_json: bool) -> None:
    """Change the printer settings; what is not given stays as it is (manager)."""
    _require_manager(caller(pin), "change the printer settings")
    till = state().till
    now = till.printer_settings()
    changed = PrinterSettings(
        destination=now.destination if destination is None else (destination.strip() or None),
        profile=profile or now.profile,
        paper=cast(Paper, paper) if paper else now.paper,
        footer=clean_lines(footer) if footer else now.footer,
        shop_lines=clean_lines(shop_lines) if shop_lines else now.shop_lines,
    )
    saved = till.save_printer_settings(changed)
    if as_json:
        emit_json(saved.stored())
    else:
        click.echo(f"Printer set: {saved.destination or '(none)'} · {saved.profile} · {saved.paper}")


@printer_group.command("test")
@pin_option
@json_option
@refusals
def printer_test(pin: str | None, as_json: bool) -> None:
    """Print a test page and say whether the printer answered."""
    from pos_app.printing.connections import PrinterUnavailable, send
    from pos_app.printing.printer_settings import printer_test_page
    from pos_app.printing.spool import PRINT_TIMEOUT, NoPrinter, PrintFailed
    from pos_app.services.context import utc_now

    caller(pin)
    till = state().till
    settings = till.printer_settings()
    if not settings.destination:
        raise NoPrinter()
    page = printer_test_page(settings, shop_name=till.profile().store_name, at=utc_now().astimezone())
    try:
        send(settings.destination, page, timeout=PRINT_TIMEOUT)
    except PrinterUnavailable as exc:
        raise PrintFailed(f"The test page did not print. {exc}") from exc
    if as_json:
        emit_json({"destination": settings.destination, "answered": True, "bytes": len(page)})
    else:
        click.echo(f"The printer answered: the test page went to {settings.destination}.")


COMMANDS = [receipt, printer_group]
