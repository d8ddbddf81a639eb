"""``pos-server shop``: the chain's shops (name, time zone, address), which group its tills."""

from __future__ import annotations

import click
from sqlalchemy import Connection

from pos_app.cli_options import emit_json
from pos_app.server import shops
from pos_app.server.cli_common import database, db_option, json_option, refusals
from pos_app.server.db.engine import read, write
from pos_app.server.ledger import now


@click.group("shop")
def shop_group() -> None:
    """Shops: each groups tills, and its time zone is the one they read cards' dates and hours in."""


def _show(shop: shops.Shop, as_json: bool, done: str) -> None:
    if as_json:
        emit_json({"object": "shop", "id": shop.id, "name": shop.name, "time_zone": shop.time_zone,
                   "address": shop.address, "created_at": shop.created_at, "tills": shop.tills})
    else:
        click.echo(f"{done} {shop.name!r} ({shop.id}), {shop.time_zone}")


@shop_group.command("add")
@click.argument("name")
@click.option("--zone", "zone", required=True, metavar="ZONE", help="Its IANA time zone, e.g. Europe/Dublin.")
@click.option("--address", help="Its address (lines separated by newlines).")
@db_option
@json_option
@refusals
def shop_add(name: str, zone: str, address: str | None, db: str | None, as_json: bool) -> None:
    """Add a shop."""
    at = now()
    with database(db) as engine:
        shop = write(engine, lambda conn: shops.add_shop(conn, name=name, time_zone=zone, address=address, at=at))
    _show(shop, as_json, "Added shop")


@shop_group.command("edit")
@click.argument("shop")
@click.option("--name", help="Its new name.")
@click.option("--zone", "zone", metavar="ZONE", help="Its new time zone (its tills take it with their next pull).")
@click.option("--address", help="Its new address (empty: none).")
@db_option
@json_option
@refusals
def shop_edit(shop: str, name: str | None, zone: str | None, address: str | None, db: str | None,
              as_json: bool) -> None:
    """Change a shop (SHOP: its name or id)."""
    def work(conn: Connection) -> shops.Shop:
        return shops.edit_shop(conn, shops.find_shop(conn, shop).id, name=name, time_zone=zone, address=address)

    with database(db) as engine:
        changed = write(engine, work)
    _show(changed, as_json, "Changed shop")


@shop_group.command("list")
@db_option
@json_option
@refusals
def shop_list(db: str | None, as_json: bool) -> None:
    """The shops, by name, with how many tills each has (revoked ones not counted)."""
    def work(conn: Connection) -> list[shops.Shop]:
        found: list[shops.Shop] = []
        while page := shops.list_shops(conn, after=found[-1].name if found else None, limit=500):
            found.extend(page)
        return found

    with database(db) as engine:
        found = read(engine, work)
    if as_json:
        emit_json([{"id": s.id, "name": s.name, "time_zone": s.time_zone, "address": s.address, "tills": s.tills,
                    "created_at": s.created_at} for s in found])
        return
    if not found:
        click.echo("No shops yet: `pos-server shop add NAME --zone ZONE`.")
    for s in found:
        click.echo(f"{s.id}  {s.name}  {s.time_zone}  {s.tills} till{'' if s.tills == 1 else 's'}"
                   f"{'  ' + s.address.replace(chr(10), ', ') if s.address else ''}")
