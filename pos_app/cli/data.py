"""Data in and out: import cards, export CSV, reports."""

from __future__ import annotations

import sys
from collections.abc import Callable
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import click
from click.termui import progressbar

from pos_app.cli.common import caller, json_option, pin_option, refusals, state
from pos_app.cli_options import echo_liability, emit_json, parse_day, write_export
from pos_app.formatting import format_money
from pos_app.services import exports, imports, reports


@click.command("import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--format", "fmt", type=click.Choice(["csv", "json"]), help="Default: from the file's extension.")
@pin_option
@json_option
@refusals
def import_(file: Path, fmt: str | None, pin: str | None, as_json: bool) -> None:
    """Import cards from a CSV or JSON file (Voucherify's export columns; codes kept exactly). All or nothing."""
    who = caller(pin)
    fmt = fmt or ("json" if file.suffix.lower() == ".json" else "csv")
    with file.open("rb") as fh, \
            progressbar(length=1, label="Importing", file=sys.stderr) as bar:
        def progress(done: int, total: int) -> None:
            bar.length = max(total, 1)
            bar.update(done - bar.pos)

        result = imports.import_cards(state().till.uow, who, fh, fmt=fmt, progress=progress)
    payload = _plain(result)
    if as_json:
        emit_json(payload)
    else:
        counts = ", ".join(f"{v} {k}" for k, v in payload.items() if isinstance(v, int))
        click.echo(f"Imported {counts}")
        if payload.get("ignored_columns"):
            click.echo("Ignored columns: " + ", ".join(payload["ignored_columns"]))


EXPORTERS: dict[str, Callable[..., int]] = {
    "vouchers": exports.export_vouchers,
    "transactions": exports.export_transactions,
    "redemptions": exports.export_redemptions,
}


@click.command("export")
@click.argument("what", type=click.Choice(sorted(EXPORTERS)))
@click.option("--out", "out", required=True, help="CSV file to write ('-' for standard output).")
@pin_option
@json_option
@refusals
def export(what: str, out: str, pin: str | None, as_json: bool) -> None:
    """Export vouchers, transactions or redemptions as CSV (amounts in minor units, like Voucherify)."""
    who = caller(pin)
    write_export(out, lambda fh: EXPORTERS[what](state().till.reader, who, fh), what=what, as_json=as_json)


@click.group("report")
def report_group() -> None:
    """Reports for managers."""


@report_group.command("liability")
@pin_option
@json_option
@refusals
def report_liability(pin: str | None, as_json: bool) -> None:
    """What the shop still owes on its cards (outstanding balances), per campaign."""
    report = reports.liability(state().till.reader, caller(pin))
    if as_json:
        emit_json(_plain(report))
        return
    locale = state().till.profile().locale
    echo_liability(report, locale)


@report_group.command("redemptions")
@click.option("--since", help="First day (YYYY-MM-DD, local time). Default: 30 days ago.")
@click.option("--until", help="Last day, inclusive (YYYY-MM-DD). Default: today.")
@pin_option
@json_option
@refusals
def report_redemptions(since: str | None, until: str | None, pin: str | None, as_json: bool) -> None:
    """Redemptions per day and per till."""
    now = datetime.now().astimezone()
    tz = now.tzinfo
    first = parse_day(since) or (now - timedelta(days=30)).date()
    last = parse_day(until) or now.date()
    start = datetime.combine(first, datetime.min.time(), tzinfo=tz)
    end = datetime.combine(last + timedelta(days=1), datetime.min.time(), tzinfo=tz)
    offset = int((now.utcoffset() or timedelta()).total_seconds() // 60)
    report = reports.redemptions(state().till.reader, caller(pin), since=start, until=end, utc_offset_minutes=offset)
    if as_json:
        emit_json(_plain(report))
        return
    _echo_series(report, state().till.profile().locale)


@report_group.command("day")
@click.option("--day", "day_text", help="The day (YYYY-MM-DD, the shop's local date). Default: today.")
@click.option("--csv", "csv_out", metavar="FILE", help="Write it as CSV (minor units) to FILE ('-': standard output).")
@click.option("--print", "to_printer", is_flag=True, help="Print it on the till's receipt printer.")
@click.option("--escpos", "escpos_out", metavar="FILE", help="Write the printout's ESC/POS bytes to FILE.")
@pin_option
@json_option
@refusals
def report_day(day_text: str | None, csv_out: str | None, to_printer: bool, escpos_out: str | None,
               pin: str | None, as_json: bool) -> None:
    """End of day (Z report): sales and takings by payment method, top-ups, redemptions, refunds, corrections
    and unsynced entries, per till and cashier (manager)."""
    till = state().till
    report = reports.end_of_day(till.reader, caller(pin), parse_day(day_text))
    if csv_out is not None:
        write_export(csv_out, lambda fh: reports.write_day_csv(report, fh), what="end-of-day rows",
                     as_json=as_json)
    if escpos_out is not None:
        Path(escpos_out).write_bytes(till.day_report_escpos(report))
        if not as_json:
            click.echo(f"Wrote the end-of-day printout to {escpos_out}")
    if to_printer:
        where = till.print_day_report(report)
        if not as_json:
            click.echo(f"Printed the end-of-day report on {where}")
    if csv_out is None and as_json:
        emit_json(_plain(report) | {"printed": to_printer})
    elif csv_out is None and not to_printer and escpos_out is None:
        from pos_app.printing.day_report import render_day_text

        profile = till.profile()
        click.echo(render_day_text(report, shop_name=profile.store_name, locale=profile.locale))


def _echo_series(report: Any, locale: str) -> None:
    currency = state().till.profile().currency
    for title, rows in (("Per day", report.per_day), ("Per till", report.per_till)):
        click.echo(title)
        shown = [_plain(row) for row in rows if row.count or row.refunded]  # --json keeps the empty days
        if not shown:
            click.echo("  no redemptions in this period")
        for d in shown:
            label = str(d.get("day") or d.get("device_id"))
            net = format_money(d["net"], currency, locale=locale)
            click.echo(f"  {label:<14} {d['count']:>6} redemptions  net {net}")


def _plain(value: Any) -> Any:
    """Dataclasses (and tuples of them) to JSON-able dicts and lists."""
    import dataclasses

    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        plain = {f.name: _plain(getattr(value, f.name)) for f in dataclasses.fields(value)}
        for name in ("sales", "sold", "paid"):  # a day's figures: their totals too
            if isinstance(getattr(type(value), name, None), property):
                plain[name] = getattr(value, name)
        return plain
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    return value


COMMANDS = [import_, export, report_group]
