"""Campaigns: generate a campaign's cards with a progress bar."""

from __future__ import annotations

import sys
from datetime import datetime

import click
from click.termui import progressbar

from pos_app.cli.common import amount, caller, emit_json, json_option, parse_day, pin_option, refusals, state
from pos_app.domain.cards import expiry_end_of_day
from pos_app.domain.codes import READABLE_ALPHABET, CodeConfig
from pos_app.formatting import format_money
from pos_app.services import campaigns


def _code_config(pattern: str | None, charset: str | None, prefix: str, postfix: str,
                 length: int | None) -> CodeConfig:
    if pattern is None and length is None and charset is None and not prefix and not postfix:
        return CodeConfig.readable_default()
    return CodeConfig(pattern=pattern, length=length if pattern is None else None,
                      charset=charset or READABLE_ALPHABET, prefix=prefix, postfix=postfix)


@click.group("campaign")
def campaign_group() -> None:
    """Campaigns of gift cards."""


@campaign_group.command("create")
@click.option("--name", required=True)
@click.option("--amount", "amount_text", required=True, help="Value of each card, e.g. 50.00.")
@click.option("--count", type=click.IntRange(1), required=True, help="How many cards to generate.")
@click.option("--pattern", help="Code pattern, '#' = one random character (default GC-XXXX-XXXX-XXXX-XXXX).")
@click.option("--charset", help="Characters of the random part (default: no look-alikes).")
@click.option("--prefix", default="", help="Text before each code.")
@click.option("--postfix", default="", help="Text after each code.")
@click.option("--length", type=click.IntRange(1, 100), help="Random characters when there is no pattern.")
@click.option("--starts", help="First day the cards may be used (YYYY-MM-DD).")
@click.option("--expires", help="Last day the cards may be used (YYYY-MM-DD, inclusive).")
@click.option("--redemption-limit", type=click.IntRange(1), help="How many times a card may be used.")
@click.option("--category")
@pin_option
@json_option
@refusals
def campaign_create(name: str, amount_text: str, count: int, pattern: str | None, charset: str | None,
                    prefix: str, postfix: str, length: int | None, starts: str | None, expires: str | None,
                    redemption_limit: int | None, category: str | None, pin: str | None, as_json: bool) -> None:
    """Generate a campaign of COUNT cards (inactive until sold), showing progress."""
    who = caller(pin)
    tz = datetime.now().astimezone().tzinfo
    start_day, end_day = parse_day(starts), parse_day(expires)
    cmd = campaigns.CreateCampaign(
        name=name, amount=amount(amount_text), count=count,
        code_config=_code_config(pattern, charset, prefix, postfix, length),
        start_date=datetime.combine(start_day, datetime.min.time(), tzinfo=tz) if start_day else None,
        expiration_date=expiry_end_of_day(end_day, tz) if end_day else None,
        redemption_limit=redemption_limit, category=category,
    )
    with progressbar(length=count, label="Generating cards", file=sys.stderr,
                           show_pos=True, show_eta=True) as bar:
        last = [0]

        def progress(done: int, total: int) -> None:
            bar.update(done - last[0])
            last[0] = done

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


COMMANDS = [campaign_group]
