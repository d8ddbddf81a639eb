"""``pos-server api-key``: credentials of the Voucherify-compatible API (``voucherify.keys``)."""

from __future__ import annotations

import click

from pos_app.cli_options import emit_json
from pos_app.server.cli_common import database, db_option, json_option, refusals
from pos_app.server.db.engine import read, write
from pos_app.server.ledger import now
from pos_app.server.voucherify import keys


@click.group("api-key")
def api_key_group() -> None:
    """Keys of the Voucherify-compatible API (X-App-Id, X-App-Token)."""


def _json(key: keys.ApiKey) -> dict[str, object]:
    shown: dict[str, object] = {"object": "api_key", "id": key.id, "name": key.name, "app_id": key.app_id,
                                "created_at": key.created_at, "revoked_at": key.revoked_at}
    if key.token is not None:
        shown["app_token"] = key.token
    return shown


@api_key_group.command("create")
@click.option("--name", default="API client", show_default=True, help="Who uses it, e.g. 'web shop'.")
@db_option
@json_option
@refusals
def api_key_create(name: str, db: str | None, as_json: bool) -> None:
    """A new key; its token is shown this once (only its hash is kept)."""
    at = now()
    with database(db) as engine:
        key = write(engine, lambda conn: keys.create(conn, name, at))
    if as_json:
        emit_json(_json(key))
        return
    click.echo(f"API key {key.name!r} ({key.id})\n  X-App-Id:    {key.app_id}\n  X-App-Token: {key.token}\n"
               "Keep the token now: it is not shown again.")


@api_key_group.command("list")
@db_option
@json_option
@refusals
def api_key_list(db: str | None, as_json: bool) -> None:
    """Every key, revoked ones included (never their tokens)."""
    with database(db) as engine:
        found = read(engine, keys.list_keys)
    if as_json:
        emit_json([_json(k) for k in found])
        return
    for k in found:
        state = f"revoked {k.revoked_at:%Y-%m-%d %H:%M}" if k.revoked_at else "active"
        click.echo(f"{k.id}  {k.app_id}  {k.name}  made {k.created_at:%Y-%m-%d %H:%M}  {state}")


@api_key_group.command("revoke")
@click.argument("key")
@db_option
@json_option
@refusals
def api_key_revoke(key: str, db: str | None, as_json: bool) -> None:
    """Refuse the key (its id or X-App-Id) from now on: its requests get 401 unauthorized."""
    at = now()
    with database(db) as engine:
        revoked = write(engine, lambda conn: keys.revoke(conn, key, at))
    if as_json:
        emit_json(_json(revoked))
    else:
        click.echo(f"Revoked API key {revoked.name!r} ({revoked.id})")
