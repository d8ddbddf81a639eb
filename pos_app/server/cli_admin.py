"""``pos-server user`` and ``limits``: the people of the tills and the chain's offline limits (tills: ``cli_tills``)."""

from __future__ import annotations

from datetime import timedelta

import click
from sqlalchemy import Connection

from pos_app.cli_options import emit_json
from pos_app.domain.people import Role
from pos_app.server import admin
from pos_app.server.cli_common import amount, currency_of, database, db_option, json_option, refusals
from pos_app.server.db.engine import read, write
from pos_app.server.ledger import limits, now
from pos_app.sync.schemas import WireLimits


@click.group("user")
def user_group() -> None:
    """People who log in at the tills (they reach the tills by pull, with their PIN hashes)."""


@user_group.command("add")
@click.argument("name")
@click.option("--role", type=click.Choice([r.value for r in Role]), required=True)
@click.option("--pin", prompt=True, hide_input=True, confirmation_prompt=True, help="4 to 8 digits.")
@db_option
@json_option
@refusals
def user_add(name: str, role: str, pin: str, db: str | None, as_json: bool) -> None:
    """Add a cashier or a manager."""
    pin_hash = admin.hash_new_pin(pin)
    at = now()
    with database(db) as engine:
        user = write(engine, lambda conn: admin.add_user(conn, name=name, role=Role(role), pin_hash=pin_hash, at=at))
    if as_json:
        emit_json({"object": "user", "id": user.id, "name": user.name, "role": user.role})
    else:
        click.echo(f"Added {user.role} {user.name!r} ({user.id})")


@user_group.command("list")
@db_option
@json_option
@refusals
def user_list(db: str | None, as_json: bool) -> None:
    """The people on the server."""
    with database(db) as engine:
        found = read(engine, admin.list_users)
    if as_json:
        emit_json([{"id": u.id, "name": u.name, "role": u.role, "active": u.active} for u in found])
        return
    for u in found:
        click.echo(f"{u.id}  {u.role:<8} {u.name}{'' if u.active else '  (inactive)'}")


def _person(user: admin.UserInfo, as_json: bool, done: str) -> None:
    if as_json:
        emit_json({"object": "user", "id": user.id, "name": user.name, "role": user.role, "active": user.active})
    else:
        click.echo(f"{done} {user.role} {user.name!r} ({user.id})")


@user_group.command("disable")
@click.argument("user")
@db_option
@json_option
@refusals
def user_disable(user: str, db: str | None, as_json: bool) -> None:
    """Stop USER (a name or an id) logging in at the tills (each till learns it with its next pull)."""
    with database(db) as engine:
        found = write(engine, lambda conn: admin.set_user_active(conn, user, False))
    _person(found, as_json, "Disabled")


@user_group.command("enable")
@click.argument("user")
@db_option
@json_option
@refusals
def user_enable(user: str, db: str | None, as_json: bool) -> None:
    """Let USER (a name or an id) log in at the tills again."""
    with database(db) as engine:
        found = write(engine, lambda conn: admin.set_user_active(conn, user, True))
    _person(found, as_json, "Enabled")


@user_group.command("reset-pin")
@click.argument("user")
@click.option("--pin", prompt=True, hide_input=True, confirmation_prompt=True, help="The new PIN: 4 to 8 digits.")
@db_option
@json_option
@refusals
def user_reset_pin(user: str, pin: str, db: str | None, as_json: bool) -> None:
    """Give USER (a name or an id) a new PIN (the tills take it with their next pull)."""
    pin_hash = admin.hash_new_pin(pin)
    with database(db) as engine:
        found = write(engine, lambda conn: admin.reset_pin(conn, user, pin_hash))
    _person(found, as_json, "New PIN for")


@click.group("limits")
def limits_group() -> None:
    """Offline limits of the tills (DESIGN.md §7); they reach the tills by pull."""


def _show(value: WireLimits, currency: str, as_json: bool) -> None:
    if as_json:
        emit_json({"object": "limits", "currency": currency, **value.model_dump()})
        return
    text = admin.limits_text(value, currency)
    click.echo(f"per offline redemption:       {text['per_redemption']} {currency}")
    click.echo(f"unsynced offline, per till:   {text['per_device_unsynced']} {currency}")
    click.echo(f"longest time offline:         {text['max_offline_hours']} h")
    click.echo(f"oldest card state offline:    {text['max_card_age_hours']} h")


@limits_group.command("show")
@db_option
@json_option
@refusals
def limits_show(db: str | None, as_json: bool) -> None:
    """The limits in force."""
    with database(db) as engine:
        _show(read(engine, limits), currency_of(engine), as_json)


def _hours(value: float | None) -> timedelta | None:
    return None if value is None else timedelta(hours=value)


@limits_group.command("set")
@click.option("--per-redemption", "per_redemption", metavar="AMOUNT", help="Largest offline redemption, e.g. 100.00.")
@click.option("--per-device-unsynced", "per_device", metavar="AMOUNT",
              help="Most a till may take offline before it syncs, e.g. 500.00.")
@click.option("--max-offline-hours", type=click.FloatRange(0, min_open=True), help="Longest time offline.")
@click.option("--max-card-age-hours", type=click.FloatRange(0, min_open=True),
              help="Oldest card state a till may trust offline.")
@db_option
@json_option
@refusals
def limits_set(per_redemption: str | None, per_device: str | None, max_offline_hours: float | None,
               max_card_age_hours: float | None, db: str | None, as_json: bool) -> None:
    """Change some of the limits (the others stay)."""
    with database(db) as engine:
        currency = currency_of(engine)
        per = None if per_redemption is None else amount(per_redemption, currency).minor
        cap = None if per_device is None else amount(per_device, currency).minor

        def work(conn: Connection) -> WireLimits:
            return admin.set_limits(conn, per_redemption=per, per_device_unsynced=cap,
                                    max_offline=_hours(max_offline_hours), max_card_age=_hours(max_card_age_hours))

        _show(write(engine, work), currency, as_json)
