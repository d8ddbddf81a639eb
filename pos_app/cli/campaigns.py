"""Campaigns: generate a campaign's cards with a progress bar, list them, print their card sheets."""

from __future__ import annotations

from typing import Any

import click

from pos_app.cli.common import amount, caller, json_option, pin_option, refusals, state
from pos_app.cli.sheets import campaign_sheet
from pos_app.cli_options import campaign_command, campaign_options, emit_json, progress_bar
from pos_app.formatting import format_money
from pos_app.services import campaigns


@click.group("campaign")
def campaign_group() -> None:
    """Campaigns of gift cards."""


@campaign_group.command("create")
@campaign_options
@pin_option
@json_option
@refusals
def campaign_create(amount_text: str, pin: str | None, as_json: bool, **options: Any) -> None:
    """Generate a campaign of COUNT cards (inactive until sold), showing progress."""
    who = caller(pin)
    cmd = campaign_command(amount=amount(amount_text), zone=state().till.profile().zone, **options)
    with progress_bar(cmd.count, "Generating cards") as progress:
        campaign = campaigns.create_campaign(state().till.uow, who, cmd, progress=progress)
    if as_json:
        emit_json({"id": campaign.id, "object": "campaign", "name": campaign.name,
                   "vouchers_count": campaign.vouchers_count, "amount": campaign.amount,
                   "currency": campaign.currency, "code_config": campaign.code_config})
    else:
        value = format_money(campaign.amount, campaign.currency, locale=state().till.profile().locale)
        click.echo(f"Campaign {campaign.name!r} ({campaign.id}): {campaign.vouchers_count} cards of {value}, "
                   "inactive until sold")


@campaign_group.command("list")
@pin_option
@json_option
@refusals
def campaign_list(pin: str | None, as_json: bool) -> None:
    """List campaigns."""
    caller(pin)
    with state().till.uow as uow:
        found = uow.campaigns.list()
    if as_json:
        emit_json([{"id": c.id, "name": c.name, "vouchers_count": c.vouchers_count, "amount": c.amount,
                    "currency": c.currency} for c in found])
    else:
        for c in found:
            click.echo(f"{c.id}  {c.name:<30} {c.vouchers_count:>9} cards")


campaign_group.add_command(campaign_sheet)  # the till's own: pos-server has no card sheets

COMMANDS = [campaign_group]
