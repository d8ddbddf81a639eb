"""``pos-server``: the central server's command line (DESIGN.md §12).

Every command takes ``--db URL`` (or ``$POS_SERVER_DB``; default ``server.sqlite3`` in the server's data
directory). Amounts typed here are major units ("12.50") of the store's currency; ``--json`` prints minor units
and the ids of what was made. A refusal prints ``error: <key>: <sentence>`` and exits 1 (see ``cli_common``).
"""

from __future__ import annotations

import os
import socket

import click

from pos_app import __version__
from pos_app.cli_options import emit_json
from pos_app.server.cli_admin import limits_group, user_group
from pos_app.server.cli_cards import card_group, publish
from pos_app.server.cli_common import database, db_option, json_option, refusals, shown_url
from pos_app.server.cli_console import console_user_group
from pos_app.server.cli_data import export, import_, report_group
from pos_app.server.cli_keys import api_key_group
from pos_app.server.cli_ledger import campaign_group, conflicts_group
from pos_app.server.cli_policy import policy_group
from pos_app.server.cli_shops import shop_group
from pos_app.server.cli_tills import device_group
from pos_app.server.dashboard_rollup import catch_up_all
from pos_app.server.db.engine import DB_ENV, resolve_url, write
from pos_app.server.db.migrate import current_revision, ensure_current


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="pos-server")
def main() -> None:
    """pos_app central server (sync API for tills)."""


@main.command("init")
@db_option
@click.option("--store-name", help="The store's name, shown at the tills (default: pos_app).")
@click.option("--currency", help="ISO 4217 currency of every card (default: EUR; fixed once set).")
@click.option("--locale", help="Locale for amounts and dates at the tills (default: en_US).")
@click.option("--time-zone", help="The shops' IANA time zone, e.g. Europe/Berlin: cards are valid through their "
                                  "expiry day there (default: this machine's).")
@json_option
@refusals
def init(db: str | None, store_name: str | None, currency: str | None, locale: str | None, time_zone: str | None,
         as_json: bool) -> None:
    """Create or upgrade the server database (and set the store's name, locale or time zone given)."""
    from pos_app.server.admin import set_store

    url = resolve_url(db)
    with database(url, migrated=False) as engine:
        ensure_current(engine)
        catch_up_all(engine)  # the dashboard's rollup
        info = write(engine, lambda conn: set_store(conn, name=store_name, currency=currency, locale=locale,
                                                          time_zone=time_zone))
        revision = current_revision(engine)
    if as_json:
        emit_json({"object": "server", "db": shown_url(url), "revision": revision, "store": info.model_dump()})
    else:
        click.echo(f"Server database ready: {shown_url(url)} (schema {revision}); store {info.name!r} in "
                   f"{info.currency}, time zone {info.time_zone}")


@main.command("serve")
@db_option
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", type=click.IntRange(1, 65535), default=8000, show_default=True)
@click.option("--workers", type=click.IntRange(1, 64), default=1, show_default=True,
              help="Worker processes (the server is stateless; all of them share the database).")
@click.option("--log-level", type=click.Choice(["critical", "error", "warning", "info", "debug"]),
              default="warning", show_default=True)
@refusals
def serve(db: str | None, host: str, port: int, workers: int, log_level: str) -> None:
    """Run the central server (the database is upgraded first)."""
    import uvicorn

    url = resolve_url(db)
    with database(url, migrated=False) as engine:
        ensure_current(engine)
        catch_up_all(engine)  # the dashboard's rollup
    os.environ[DB_ENV] = url  # the workers build the application from it
    click.echo(f"pos-server on http://{host}:{port} with {shown_url(url)}", err=True)
    # loop and http "auto": uvloop and httptools (dependencies), twice the online authorisations of asyncio and h11
    config = uvicorn.Config("pos_app.server.app:create_app_from_env", factory=True, host=host, port=port,
                            workers=workers, log_level=log_level, access_log=False)
    if workers == 1:
        uvicorn.Server(config).run()
        return
    from uvicorn.supervisors import Multiprocess

    # uvicorn binds the shared socket itself, with proto 0, so asyncio does not switch Nagle's algorithm off on
    # the connections: every response would wait ~40 ms for a delayed ACK. Linux hands the listening socket's
    # TCP_NODELAY down to the connections it accepts.
    sock = config.bind_socket()
    sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    Multiprocess(config, sockets=[sock]).run()


main.add_command(campaign_group)
main.add_command(conflicts_group)
main.add_command(card_group)
main.add_command(user_group)
main.add_command(device_group)
main.add_command(shop_group)
main.add_command(limits_group)
main.add_command(policy_group)
main.add_command(publish)
main.add_command(import_)
main.add_command(export)
main.add_command(report_group)
main.add_command(api_key_group)
main.add_command(console_user_group)


if __name__ == "__main__":
    main()
