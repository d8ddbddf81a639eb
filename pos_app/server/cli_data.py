"""``pos-server import``, ``pos-server export`` and ``pos-server report``: the chain's data in and out.

Import and export use the till's file formats (``pos-app import`` / ``pos-app export``): amounts in minor units,
dates in UTC ISO-8601. An export is written to ``FILE.part`` and renamed when complete, so that nobody opens half
a file; its cells are escaped against spreadsheet formulas.
"""

from __future__ import annotations

import dataclasses
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import click
from sqlalchemy import Connection

from pos_app.cli_options import echo_liability, emit_json, parse_day, write_export
from pos_app.domain.shop_time import shop_zone
from pos_app.formatting import format_money
from pos_app.server import exports, imports, reports, shops
from pos_app.server.cli_common import database, db_option, json_option, refusals
from pos_app.server.db.engine import read
from pos_app.server.ledger import now, store_info
from pos_app.services.reports import LiabilityReport, RedemptionsReport


def plain(value: Any) -> Any:
    """Dataclasses (and tuples of them) as JSON-able dicts and lists."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: plain(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, list | tuple):
        return [plain(v) for v in value]
    return value


@click.command("import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--format", "fmt", type=click.Choice(["csv", "json"]), help="Default: from the file's extension.")
@db_option
@json_option
@refusals
def import_(file: Path, fmt: str | None, db: str | None, as_json: bool) -> None:
    """Import cards from a CSV or JSON file (the columns `pos-app import` takes). All or nothing."""
    fmt = fmt or ("json" if file.suffix.lower() == ".json" else "csv")
    with database(db) as engine, file.open("rb") as fh:
        result = imports.import_cards(engine, fh, fmt=fmt, at=now())
    if as_json:
        emit_json(plain(result))
        return
    click.echo(f"Imported {result.cards} cards, {result.entries} entries, {result.campaigns_created} new "
               "campaigns; tills get them at their next sync")
    if result.ignored_columns:
        click.echo("Ignored columns: " + ", ".join(result.ignored_columns))


@click.command("export")
@click.argument("what", type=click.Choice(sorted(exports.EXPORTERS)))
@click.option("--out", "out", required=True, help="CSV file to write ('-' for standard output).")
@db_option
@json_option
@refusals
def export(what: str, out: str, db: str | None, as_json: bool) -> None:
    """Export vouchers, transactions or redemptions of every till as CSV (minor units, like Voucherify)."""
    exporter = exports.EXPORTERS[what]
    with database(db) as engine:
        write_export(out, lambda fh: read(engine, lambda conn: exporter(conn, fh)), what=what, as_json=as_json)


@click.group("report")
def report_group() -> None:
    """Reports on the whole chain."""


@report_group.command("liability")
@db_option
@json_option
@refusals
def report_liability(db: str | None, as_json: bool) -> None:
    """What the chain still owes on its cards (outstanding balances), per campaign."""
    def work(conn: Connection) -> tuple[LiabilityReport, str]:
        return reports.liability(conn, at=now()), store_info(conn).locale

    with database(db) as engine:
        report, locale = read(engine, work)
    if as_json:
        emit_json(plain(report))
        return
    echo_liability(report, locale)


@report_group.command("redemptions")
@click.option("--since", help="First day (YYYY-MM-DD, local time). Default: 30 days ago.")
@click.option("--until", help="Last day, inclusive (YYYY-MM-DD). Default: today.")
@click.option("--utc-offset", "offset", type=click.IntRange(-14 * 60, 14 * 60), metavar="MINUTES",
              help="The days' time zone as minutes east of UTC (default: the shop's, else this machine's).")
@click.option("--shop", metavar="NAME|ID", help="Only this shop's tills, its days in its time zone.")
@db_option
@json_option
@refusals
def report_redemptions(since: str | None, until: str | None, offset: int | None, shop: str | None, db: str | None,
                       as_json: bool) -> None:
    """Redemptions and refunds of every till (or one shop's), per day and per till."""
    with database(db) as engine:
        found = None if shop is None else read(engine, lambda conn: shops.find_shop(conn, shop))
    if offset is None:
        local = datetime.now(shop_zone(found.time_zone)) if found is not None else datetime.now().astimezone()
        offset = int((local.utcoffset() or timedelta()).total_seconds() // 60)
    zone = timezone(timedelta(minutes=offset))
    today = datetime.now(zone).date()
    first = parse_day(since) or today - timedelta(days=30)
    last = parse_day(until) or today
    start = datetime.combine(first, datetime.min.time(), tzinfo=zone)
    end = datetime.combine(last + timedelta(days=1), datetime.min.time(), tzinfo=zone)

    def work(conn: Connection) -> tuple[RedemptionsReport, dict[str, str], str, str]:
        store = store_info(conn)
        report = reports.redemptions(conn, since=start, until=end, utc_offset_minutes=offset,
                                     currency=store.currency, shop_id=None if found is None else found.id)
        return report, reports.till_names(conn), store.locale, store.currency

    with database(db) as engine:
        report, names, locale, currency = read(engine, work)
    if as_json:
        emit_json(plain(report))
        return
    for title, rows in (("Per day", report.per_day), ("Per till", report.per_till)):
        click.echo(title)
        shown = [row for row in rows if row.count or row.refunded]  # --json keeps the empty days
        if not shown:
            click.echo("  no redemptions in this period")
        for row in shown:
            device = getattr(row, "device_id", None)
            label = str(getattr(row, "day", "")) if device is None else names.get(device, device)
            net = format_money(row.net, row.currency or currency, locale=locale)
            click.echo(f"  {label:<24} {row.count:>6} redemptions  net {net}")
