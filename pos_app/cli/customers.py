"""Customer commands: ``customer find TEXT``, ``customer show ID`` and ``publish CODE --customer ID``.

``publish`` goes to the central server on an enrolled till (refused with ``server_unavailable`` while it does not
answer) and is done here on a standalone one; finding works offline on what the till holds.
"""

from __future__ import annotations

from typing import Any

import click

from pos_app.cli.common import caller as login
from pos_app.cli.common import json_option, pin_option, refusals, state
from pos_app.cli.views import card_json, shown_code
from pos_app.cli_options import emit_json, publish_options
from pos_app.formatting import format_money
from pos_app.services import customers
from pos_app.services.context import Caller
from pos_app.services.customers import CustomerCards
from pos_app.services.ports import Customer


def customer_json(customer: Customer) -> dict[str, Any]:
    return {"id": customer.id, "object": "customer", "source_id": customer.source_id, "name": customer.name,
            "email": customer.email, "phone": customer.phone}


def _view_json(view: CustomerCards, who: Caller) -> dict[str, Any]:
    return customer_json(view.customer) | {"balances": view.balances(),
                                           "vouchers": [card_json(card, who) for card in view.cards]}


def _echo(view: CustomerCards, who: Caller, locale: str) -> None:
    c = view.customer
    contact = " · ".join(part for part in (c.email, c.phone) if part)
    click.echo(f"{c.name or '(no name)'}  [{c.source_id or c.id}]" + (f"  {contact}" if contact else ""))
    for card in view.cards:
        click.echo(f"  {shown_code(card.code, who):<24} {card.status.value:<9} "
                   f"{format_money(card.balance, card.currency, locale=locale):>14}")
    if not view.cards:
        click.echo("  no cards")
    elif len(view.cards) > 1:
        totals = ", ".join(format_money(minor, currency, locale=locale)
                           for currency, minor in sorted(view.balances().items()))
        click.echo(f"  {'together':<34} {totals:>14}")


@click.group("customer")
def customer_group() -> None:
    """Find a customer and see their cards."""


@customer_group.command("find")
@click.argument("text")
@pin_option
@json_option
@refusals
def customer_find(text: str, pin: str | None, as_json: bool) -> None:
    """Customers with TEXT in their name, e-mail address or phone number (any case; a phone by its digits), with
    their cards and balances."""
    who = login(pin)
    found = customers.find(state().till.uow, who, text)
    if as_json:
        emit_json([_view_json(view, who) for view in found])
        return
    if not found:
        click.echo(f"No customer matches {text.strip()!r}.")
    locale = state().till.profile().locale
    for view in found:
        _echo(view, who, locale)


@customer_group.command("show")
@click.argument("customer")
@pin_option
@json_option
@refusals
def customer_show(customer: str, pin: str | None, as_json: bool) -> None:
    """One customer (the shop's id for them, or the till's), with their cards and balances."""
    who = login(pin)
    view = customers.show(state().till.uow, who, customer)
    if as_json:
        emit_json(_view_json(view, who))
    else:
        _echo(view, who, state().till.profile().locale)


@click.command("publish")
@publish_options
@pin_option
@json_option
@refusals
def publish_cmd(code: str, source_id: str, name: str | None, email: str | None, phone: str | None, pin: str | None,
                as_json: bool) -> None:
    """Give the card CODE to a customer; a card belongs to one customer only (manager). On an enrolled till the
    central server does it, and it must answer."""
    who = login(pin)
    till = state().till
    card, customer = customers.publish_to(till.uow, who, code, source_id, name=name, email=email, phone=phone,
                                          publisher=till.publisher())
    if as_json:
        emit_json(card_json(card, who) | {"customer": customer_json(customer)})
    else:
        click.echo(f"Card {shown_code(card.code, who)} now belongs to customer {customer.source_id} ({customer.id})")


COMMANDS = [customer_group, publish_cmd]
