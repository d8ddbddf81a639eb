"""``pos-server user``, ``device`` and ``limits``: people, tills and the offline limits."""

from __future__ import annotations

from datetime import timedelta

import click
from sqlalchemy import Connection

from pos_app.cli_options import emit_json
from pos_app.domain.people import Role
from pos_app.server import admin, auth, lookups
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


@click.group("device")
def device_group() -> None:
    """Tills enrolled with the server."""


@device_group.command("enrol-code")
@click.option("--count", type=click.IntRange(1, 100), default=1, show_default=True,
              help="How many codes (one per till).")
@db_option
@json_option
@refusals
def device_enrol_code(count: int, db: str | None, as_json: bool) -> None:
    """One-time codes for `pos-app enroll` (each valid 24 hours, single use); with --json one object per line."""
    at = now()
    with database(db) as engine:
        made = write(engine, lambda conn: [auth.make_enrol_code(conn, at) for _ in range(count)])
    for one in made:
        if as_json:
            emit_json({"object": "enrol_code", "id": one.id, "code": one.code, "expires_at": one.expires_at})
        else:
            click.echo(f"Enrolment code: {one.code}  (single use, valid until {one.expires_at:%Y-%m-%d %H:%M} UTC)")


@device_group.command("list")
@db_option
@json_option
@refusals
def device_list(db: str | None, as_json: bool) -> None:
    """Enrolled tills, revoked ones included."""
    with database(db) as engine:
        found = read(engine, auth.list_devices)
    if as_json:
        emit_json([{"id": d.id, "name": d.name, "created_at": d.created_at, "revoked_at": d.revoked_at}
                   for d in found])
        return
    for d in found:
        state = f"revoked {d.revoked_at:%Y-%m-%d %H:%M}" if d.revoked_at else "active"
        click.echo(f"{d.id}  {d.name}  enrolled {d.created_at:%Y-%m-%d %H:%M}  {state}")


@device_group.command("revoke")
@click.argument("device_id")
@db_option
@json_option
@refusals
def device_revoke(device_id: str, db: str | None, as_json: bool) -> None:
    """Refuse the till's token from now on (it answers 401 device_revoked)."""
    at = now()
    with database(db) as engine:
        device = write(engine, lambda conn: auth.revoke(conn, device_id, at))
    if as_json:
        emit_json({"object": "device", "id": device.id, "name": device.name, "revoked_at": device.revoked_at})
    else:
        click.echo(f"Revoked {device.name!r} ({device.id})")


@device_group.command("lookups")
@db_option
@json_option
@refusals
def device_lookups(db: str | None, as_json: bool) -> None:
    """Tills that looked up codes matching no card in the last day (someone may be guessing codes)."""
    at = now()
    with database(db) as engine:
        found = read(engine, lambda conn: lookups.failures(conn, at))
        limit = read(engine, lookups.lookup_limit)
    if as_json:
        emit_json([{"device_id": f.caller, "failed_last_day": f.last_day, "failed_in_window": f.in_window,
                    "last_at": f.last_at, "last_code": f.last_code, "retry_after": f.retry_after} for f in found])
        return
    window = int(limit.window.total_seconds() // 60)
    if not found:
        click.echo("No failed card lookups in the last day.")
    for f in found:
        state = f"refused for {f.retry_after} s" if f.retry_after is not None else "may look up"
        click.echo(f"{f.caller}  {f.last_day} failed in the last day, {f.in_window} in the last {window} min; "
                   f"last {f.last_code} at {f.last_at:%Y-%m-%d %H:%M:%S} UTC; {state}")


@device_group.command("lookup-limit")
@click.option("--failures", type=click.IntRange(1, 10_000), help="Failed lookups a till may make per window.")
@click.option("--window-minutes", type=click.IntRange(1, 1440), help="The window, in minutes.")
@db_option
@json_option
@refusals
def device_lookup_limit(failures: int | None, window_minutes: int | None, db: str | None, as_json: bool) -> None:
    """Show, or change, how many codes matching no card a till may look up before it must wait (429)."""
    window = None if window_minutes is None else timedelta(minutes=window_minutes)
    with database(db) as engine:
        if failures is None and window is None:
            limit = read(engine, lookups.lookup_limit)
        else:
            limit = write(engine, lambda conn: lookups.set_lookup_limit(conn, failures=failures, window=window))
    minutes = int(limit.window.total_seconds() // 60)
    if as_json:
        emit_json({"object": "lookup_limit", "failures": limit.failures, "window_minutes": minutes})
    else:
        click.echo(f"A till may look up {limit.failures} codes that match no card per {minutes} min; then it "
                   f"waits, twice as long each time it comes back for more.")


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
