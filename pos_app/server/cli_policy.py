"""``pos-server policy``: head office's maxima and the tills' daily caps (``pos_app.server.authority``).

``show`` prints the maxima, and for every till the value it has created today against its cap, and how many of
its requests the cap refused today (they are recorded as refused attempts, and logged).
"""

from __future__ import annotations

from datetime import datetime, time
from typing import Any

import click
from sqlalchemy import Connection, func, select

from pos_app.cli_options import emit_json
from pos_app.domain import errors
from pos_app.domain.money import Money
from pos_app.server import authority, staff
from pos_app.server.auth import list_devices
from pos_app.server.cli_common import amount, currency_of, database, db_option, json_option, refusals
from pos_app.server.db.engine import read, write
from pos_app.server.db.models import entries
from pos_app.server.ledger import now

NONE = "none"


@click.group("policy")
def policy_group() -> None:
    """Head office's maxima: card balance, value per operation, value created per till per day."""


def _minor(text: str | None, currency: str) -> int | None:
    return None if text is None or text.strip().lower() == NONE else amount(text, currency).minor


def _money(minor: int | None, currency: str) -> str:
    return "no maximum" if minor is None else f"{Money(minor, currency).major_str()} {currency}"


def _tills(conn: Connection, currency: str) -> list[dict[str, Any]]:
    at = now()
    since = datetime.combine(at.date(), time(0), tzinfo=at.tzinfo)
    refused: dict[str, int] = dict(conn.execute(
        select(entries.c.device_id, func.count()).where(
            entries.c.error_key == "till_daily_cap_exceeded", entries.c.received_at >= since)
        .group_by(entries.c.device_id)).all())
    rows = []
    for device in list_devices(conn):
        rules = authority.policy(conn, device.id)
        rows.append({"device_id": device.id, "name": device.name, "revoked": device.revoked_at is not None,
                     "created_today": authority.created_today(conn, device.id, at),
                     "daily_cap": rules.daily_created_per_till, "refused_today": int(refused.get(device.id, 0))})
    return rows


@policy_group.command("show")
@db_option
@json_option
@refusals
def policy_show(db: str | None, as_json: bool) -> None:
    """The maxima, and each till's value created today against its cap."""
    with database(db) as engine:
        currency = currency_of(engine)

        def work(conn: Connection) -> tuple[Any, list[dict[str, Any]], dict[str, int | None]]:
            return authority.policy(conn, ""), _tills(conn, currency), staff.correction_limits(conn)

        rules, tills, corrections = read(engine, work)
    if as_json:
        emit_json({"object": "policy", "currency": currency, "max_balance": rules.max_balance,
                   "max_per_operation": rules.max_per_operation,
                   "daily_created_per_till": rules.daily_created_per_till, "cashiers_sell": rules.cashiers_sell,
                   "correction_limits": corrections, "tills": tills})
        return
    click.echo(f"card balance at most:           {_money(rules.max_balance, currency)}")
    click.echo(f"put on a card by one operation: {_money(rules.max_per_operation, currency)}")
    click.echo(f"created per till per day:       {_money(rules.daily_created_per_till, currency)}")
    click.echo(f"cashiers may sell cards:        {'yes' if rules.cashiers_sell else 'no'}")
    click.echo(f"support corrects a card by:     {_money(corrections.get('support'), currency)}")
    for till in tills:
        state = " (revoked)" if till["revoked"] else ""
        refused = f", {till['refused_today']} refused at the cap" if till["refused_today"] else ""
        click.echo(f"  {till['name']}{state} [{till['device_id']}]: created today "
                   f"{_money(till['created_today'], currency)} of {_money(till['daily_cap'], currency)}{refused}")


@policy_group.command("set")
@click.option("--max-balance", metavar="AMOUNT|none", help="Most a card may hold, e.g. 5000.00.")
@click.option("--max-per-operation", metavar="AMOUNT|none", help="Most one sale, top-up or correction may add.")
@click.option("--daily-cap", metavar="AMOUNT|none", help="Most value one till may create in a day (default).")
@click.option("--cashiers-sell", type=click.Choice(["yes", "no"]), help="Whether cashiers may sell cards.")
@click.option("--support-corrections", metavar="AMOUNT|none",
              help="Most a console support user may correct a card by, up or down (default 50.00).")
@db_option
@json_option
@refusals
def policy_set(max_balance: str | None, max_per_operation: str | None, daily_cap: str | None,
               cashiers_sell: str | None, support_corrections: str | None, db: str | None, as_json: bool) -> None:
    """Change some of the maxima (the others stay); ``none`` removes one. ``--cashiers-sell yes`` lets cashiers
    sell cards at the tills (they get the rule with their next sync); ``--support-corrections`` limits the
    corrections of the console's support users."""
    given = {"max_balance": max_balance, "max_per_operation": max_per_operation, "daily_created_per_till": daily_cap}
    with database(db) as engine:
        currency = currency_of(engine)
        values = {name: _minor(text, currency) for name, text in given.items() if text is not None}

        def work(conn: Connection) -> dict[str, int | None]:
            done = authority.set_policy(conn, **values)
            if cashiers_sell is not None:
                authority.set_cashiers_sell(conn, cashiers_sell == "yes")
            if support_corrections is not None:
                staff.set_correction_limit(conn, "support", _minor(support_corrections, currency))
            return done

        done = write(engine, work)
        selling = read(engine, authority.cashiers_sell)
        corrections = read(engine, staff.correction_limits)
    if as_json:
        emit_json({"object": "policy", "currency": currency, **done, "cashiers_sell": selling,
                   "correction_limits": corrections})
        return
    for name, value in done.items():
        click.echo(f"{name.replace('_', ' ')}: {_money(value, currency)}")
    click.echo(f"cashiers sell: {'yes' if selling else 'no'}")
    click.echo(f"support corrects a card by: {_money(corrections.get('support'), currency)}")


@policy_group.command("cap")
@click.argument("device_id")
@click.argument("cap", metavar="AMOUNT|default")
@db_option
@refusals
def policy_cap(device_id: str, cap: str, db: str | None) -> None:
    """One till's own daily cap on value created (``default``: the policy's again)."""
    with database(db) as engine:
        currency = currency_of(engine)
        minor = None if cap.strip().lower() == "default" else amount(cap, currency).minor

        def work(conn: Connection) -> None:
            if device_id not in {d.id for d in list_devices(conn)}:
                raise errors.NotFound(f"no till {device_id!r}; see `pos-server device list`")
            authority.set_cap(conn, device_id, minor)

        write(engine, work)
    click.echo(f"{device_id}: daily cap {'as the policy' if minor is None else _money(minor, currency)}")
