"""``pos-server campaign create|list`` and ``pos-server conflicts [resolve]``: campaigns and sync conflicts."""

from __future__ import annotations

from typing import Any, Literal, cast

import click
from sqlalchemy import Connection

from pos_app.cli_options import campaign_command, campaign_options, emit_json, progress_bar
from pos_app.domain.money import Money
from pos_app.server import campaigns, conflicts, tills
from pos_app.server.cli_common import amount, currency_of, database, db_option, json_option, refusals, signed_amount
from pos_app.server.db.engine import read, write
from pos_app.server.ledger import now, store_info, store_zone
from pos_app.sync.schemas import ConflictOut, ResolveConflict


@click.group("campaign")
def campaign_group() -> None:
    """Campaigns of gift cards on the server's ledger."""


@campaign_group.command("create")
@campaign_options
@db_option
@json_option
@refusals
def campaign_create(amount_text: str, db: str | None, as_json: bool, **options: Any) -> None:
    """Generate a campaign of COUNT cards (inactive until sold), showing progress."""
    with database(db) as engine:
        store = read(engine, store_info)
        cmd = campaign_command(amount=amount(amount_text, store.currency), zone=store_zone(store), **options)
        with progress_bar(cmd.count, "Generating cards") as progress:
            campaign = campaigns.create_campaign(engine, cmd, progress=progress)
    if as_json:
        emit_json({"id": campaign.id, "object": "campaign", "name": campaign.name,
                   "vouchers_count": campaign.vouchers_count, "amount": campaign.amount,
                   "currency": campaign.currency, "code_config": campaign.code_config})
    else:
        value = Money(campaign.amount, campaign.currency)
        click.echo(f"Campaign {campaign.name!r} ({campaign.id}): {campaign.vouchers_count} cards of {value}, "
                   "inactive until sold")


@campaign_group.command("list")
@db_option
@json_option
@refusals
def campaign_list(db: str | None, as_json: bool) -> None:
    """List the campaigns, with their cards and value."""
    with database(db) as engine:
        found = read(engine, campaigns.list_campaigns)
    if as_json:
        emit_json([{"id": c.id, "object": "campaign", "name": c.name, "vouchers_count": c.vouchers_count,
                    "amount": c.amount, "currency": c.currency, "active": c.active,
                    "expiration_date": c.expiration_date, "code_config": c.code_config} for c in found])
        return
    if not found:
        click.echo("No campaigns yet: `pos-server campaign create` makes one.")
    for c in found:
        click.echo(f"{c.id}  {c.name:<30} {c.vouchers_count:>9} cards of {Money(c.amount, c.currency)}")


def _print(found: list[ConflictOut], by_tills: dict[str, list[str]]) -> None:
    for c in found:
        short = Money(c.overdraft, c.currency)
        done = f"  {c.resolution} {c.resolved_at:%Y-%m-%d %H:%M}: {c.reason}" if c.resolved_at else ""
        where = ", ".join(by_tills.get(c.id, [])) or "no till"
        click.echo(f"{c.id}  {c.status:<8} card {c.card_id} (•••• {c.code[-4:]})  {short} below zero  "
                   f"{len(c.entry_ids)} entries from {where}  opened {c.opened_at:%Y-%m-%d %H:%M}{done}")


@click.group("conflicts", invoke_without_command=True)
@click.option("--all", "show_all", is_flag=True, help="Resolved conflicts too.")
@db_option
@json_option
@click.pass_context
@refusals
def conflicts_group(ctx: click.Context, show_all: bool, db: str | None, as_json: bool) -> None:
    """Sync conflicts: cards overdrawn by offline redemptions (open ones; `resolve` one of them)."""
    if ctx.invoked_subcommand is not None:
        ctx.obj = {"db": db}  # `conflicts --db URL resolve ID` means that database too
        return
    which: Literal["open", "all"] = "all" if show_all else "open"
    def work(conn: Connection) -> tuple[list[ConflictOut], dict[str, list[str]]]:
        listed = conflicts.list_conflicts(conn, which)
        return listed, tills.conflict_tills(conn, [c.id for c in listed])

    with database(db) as engine:
        found, by_tills = read(engine, work)
    if as_json:
        emit_json([c.model_dump(mode="json") for c in found])
    elif not found:
        click.echo("No open conflicts." if not show_all else "No conflicts.")
    else:
        _print(found, by_tills)


@conflicts_group.command("resolve")
@click.argument("conflict_id")
@click.option("--action", type=click.Choice(["recover", "write_off", "correct"]), required=True,
              help="recover: the customer pays the difference; write_off: the shop bears it; correct: by --amount.")
@click.option("--reason", required=True, help="Why (kept on the ledger entry).")
@click.option("--amount", "amount_text", help="For correct: the signed change, e.g. 12.50 or -5.00.")
@click.option("--disable", is_flag=True, help="Leave the card disabled instead of active.")
@db_option
@json_option
@refusals
def conflicts_resolve(conflict_id: str, action: str, reason: str, amount_text: str | None, disable: bool,
                      db: str | None, as_json: bool) -> None:
    """Resolve a conflict: write its ledger entry and unfreeze the card."""
    at = now()
    parent = click.get_current_context().find_object(dict) or {}
    with database(db or parent.get("db")) as engine:
        minor = None if amount_text is None else signed_amount(amount_text, currency_of(engine)).minor
        cmd = ResolveConflict(action=cast(Literal["recover", "write_off", "correct"], action), reason=reason,
                              amount=minor, disable=disable)

        def work(conn: Connection) -> ConflictOut:
            return conflicts.resolve(conn, conflict_id, cmd, conflicts.SERVER_DEVICE, at)

        done = write(engine, work)
    if as_json:
        emit_json(done.model_dump(mode="json"))
    else:
        click.echo(f"Resolved {done.id} ({done.resolution}): card {done.card_id} is no longer frozen")
