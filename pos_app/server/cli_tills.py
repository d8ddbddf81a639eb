"""``pos-server device``: tills — enrolment codes for a shop, the list (shop, last seen, unsynced), revoke, a till's
own offline limits, failed lookups."""

from __future__ import annotations

from datetime import datetime, timedelta

import click
from sqlalchemy import Connection

from pos_app.cli_options import emit_json
from pos_app.domain import errors
from pos_app.server import admin, auth, lookups, shops, tills
from pos_app.server.cli_common import amount, currency_of, database, db_option, json_option, refusals
from pos_app.server.db.engine import read, write
from pos_app.server.ledger import now
from pos_app.sync.schemas import WireLimits


@click.group("device")
def device_group() -> None:
    """Tills enrolled with the server."""


def shop_for_code(conn: Connection, shop: str | None) -> shops.Shop | None:
    """The shop an enrolment code is for: the one named, else the only one; none when there are no shops."""
    if shop is not None:
        return shops.find_shop(conn, shop)
    only = shops.only_shop(conn)
    if only is None and shops.list_shops(conn, limit=1):
        raise errors.InvalidPayload("there are several shops: name the till's with --shop (see `pos-server shop list`)")
    return only


@device_group.command("enrol-code")
@click.option("--shop", metavar="NAME|ID", help="The shop the till joins (needed when there are several).")
@click.option("--count", type=click.IntRange(1, 100), default=1, show_default=True,
              help="How many codes (one per till).")
@db_option
@json_option
@refusals
def device_enrol_code(shop: str | None, count: int, db: str | None, as_json: bool) -> None:
    """One-time codes for `pos-app enroll` (each valid 24 hours, single use); with --json one object per line."""
    at = now()

    def work(conn: Connection) -> tuple[shops.Shop | None, list[auth.EnrolCode]]:
        joins = shop_for_code(conn, shop)
        return joins, [auth.make_enrol_code(conn, at, None if joins is None else joins.id) for _ in range(count)]

    with database(db) as engine:
        joins, made = write(engine, work)
    for one in made:
        if as_json:
            emit_json({"object": "enrol_code", "id": one.id, "code": one.code, "expires_at": one.expires_at,
                       "shop_id": one.shop_id, "shop": None if joins is None else joins.name})
        else:
            where = "" if joins is None else f" for {joins.name}"
            click.echo(f"Enrolment code{where}: {one.code}  (single use, valid until "
                       f"{one.expires_at:%Y-%m-%d %H:%M} UTC)")


def _when(at: datetime | None) -> str:
    return "never" if at is None else f"{at:%Y-%m-%d %H:%M} UTC"


def till_json(till: tills.Till) -> dict[str, object]:
    return {"object": "device", "id": till.id, "name": till.name, "shop_id": till.shop_id, "shop": till.shop_name,
            "created_at": till.created_at, "revoked_at": till.revoked_at, "last_seen_at": till.last_seen_at,
            "unsynced": till.unsynced}


@device_group.command("list")
@click.option("--shop", metavar="NAME|ID", help="Only this shop's tills.")
@db_option
@json_option
@refusals
def device_list(shop: str | None, db: str | None, as_json: bool) -> None:
    """Enrolled tills, revoked ones included: shop, name, last seen, entries not synced yet."""
    def work(conn: Connection) -> list[tills.Till]:
        shop_id = None if shop is None else shops.find_shop(conn, shop).id
        found: list[tills.Till] = []
        while page := tills.list_tills(conn, shop_id=shop_id, after=found[-1].id if found else None, limit=500):
            found.extend(page)
        return found

    with database(db) as engine:
        found = read(engine, work)
    if as_json:
        emit_json([till_json(t) for t in found])
        return
    for t in found:
        state = f"revoked {t.revoked_at:%Y-%m-%d %H:%M}" if t.revoked_at else "active"
        unsynced = "unknown" if t.unsynced is None else str(t.unsynced)
        click.echo(f"{t.id}  {t.shop_name or '(no shop)'}  {t.name}  last seen {_when(t.last_seen_at)}  "
                   f"unsynced {unsynced}  {state}")


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


@device_group.command("move")
@click.argument("device_id")
@click.option("--shop", metavar="NAME|ID", required=True, help="The till's new shop.")
@db_option
@json_option
@refusals
def device_move(device_id: str, shop: str, db: str | None, as_json: bool) -> None:
    """Put a till in another shop (it works in that shop's time zone from its next pull)."""
    with database(db) as engine:
        till = write(engine, lambda conn: tills.move_till(conn, device_id, shops.find_shop(conn, shop).id))
    if as_json:
        emit_json(till_json(till))
    else:
        click.echo(f"{till.name!r} ({till.id}) is a till of {till.shop_name} now")


def _hours(value: float | None) -> int | None:
    return None if value is None else int(timedelta(hours=value).total_seconds())


@device_group.command("limits")
@click.argument("device_id")
@click.option("--per-redemption", "per_redemption", metavar="AMOUNT", help="This till's largest offline redemption.")
@click.option("--per-device-unsynced", "per_device", metavar="AMOUNT",
              help="Most this till may take offline before it syncs.")
@click.option("--max-offline-hours", type=click.FloatRange(0, min_open=True), help="Its longest time offline.")
@click.option("--max-card-age-hours", type=click.FloatRange(0, min_open=True),
              help="The oldest card state it may trust offline.")
@click.option("--chain", "back", multiple=True, type=click.Choice(tills.LIMIT_FIELDS),
              help="Give this limit back to the chain's (repeatable).")
@db_option
@json_option
@refusals
def device_limits(device_id: str, per_redemption: str | None, per_device: str | None, max_offline_hours: float | None,
                  max_card_age_hours: float | None, back: tuple[str, ...], db: str | None, as_json: bool) -> None:
    """Show, or change, the offline limits of one till (the others stay the chain's, `pos-server limits`)."""
    at = now()
    with database(db) as engine:
        currency = currency_of(engine)
        values: dict[str, int | None] = dict.fromkeys(back)
        for name, given in (("per_redemption", None if per_redemption is None else
                             amount(per_redemption, currency).minor),
                            ("per_device_unsynced", None if per_device is None else amount(per_device, currency).minor),
                            ("max_offline_seconds", _hours(max_offline_hours)),
                            ("max_card_age_seconds", _hours(max_card_age_hours))):
            if given is not None:
                values[name] = given

        def work(conn: Connection) -> tuple[WireLimits, dict[str, int]]:
            result = tills.set_own_limits(conn, device_id, values, at) if values else \
                tills.limits_for(conn, tills.get_till(conn, device_id).id)
            return result, tills.own_limits(conn, device_id)

        result, own = write(engine, work)
    if as_json:
        emit_json({"object": "limits", "device_id": device_id, "currency": currency, "own": sorted(own),
                   **result.model_dump()})
        return
    text = admin.limits_text(result, currency)
    mark = {name: "  (this till's)" if name in own else "" for name in tills.LIMIT_FIELDS}
    click.echo(f"per offline redemption:       {text['per_redemption']} {currency}{mark['per_redemption']}")
    click.echo(f"unsynced offline, per till:   {text['per_device_unsynced']} {currency}"
               f"{mark['per_device_unsynced']}")
    click.echo(f"longest time offline:         {text['max_offline_hours']} h{mark['max_offline_seconds']}")
    click.echo(f"oldest card state offline:    {text['max_card_age_hours']} h{mark['max_card_age_seconds']}")


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
