"""Setting up a standalone store and its people."""

from __future__ import annotations

import click

from pos_app.cli.common import caller, json_option, pin_option, refusals, state
from pos_app.cli_options import emit_json
from pos_app.domain.people import Role
from pos_app.formatting import check_locale
from pos_app.services import auth, setup


@click.command("init")
@click.option("--store-name", required=True, help="The shop's name, as printed on receipts.")
@click.option("--currency", required=True, help="ISO 4217 code of the shop's cards, e.g. EUR.")
@click.option("--manager-pin", required=True, help="PIN (4–8 digits) of the first manager.")
@click.option("--manager-name", default="Manager", show_default=True)
@click.option("--locale", default="en_US", show_default=True, help="How amounts and dates are shown.")
@click.option("--time-zone", help="The shop's IANA time zone, e.g. Europe/Berlin: cards are valid through their "
                                  "last day there (default: this machine's).")
@json_option
@refusals
def init(store_name: str, currency: str, manager_pin: str, manager_name: str, locale: str, time_zone: str | None,
         as_json: bool) -> None:
    """Create a standalone store in the data directory."""
    try:
        check_locale(locale)
    except ValueError as exc:
        raise click.BadParameter(str(exc), param_hint="--locale") from exc
    profile = setup.init_store(state().till.uow, store_name=store_name, currency=currency.strip().upper(),
                               manager_pin=manager_pin, manager_name=manager_name, locale=locale,
                               time_zone=time_zone)
    if as_json:
        emit_json({"store_name": profile.store_name, "currency": profile.currency, "locale": profile.locale,
                   "time_zone": profile.time_zone, "device_id": profile.device_id,
                   "data_dir": str(state().data_dir)})
    else:
        click.echo(f"Store {profile.store_name!r} ({profile.currency}, {profile.time_zone}) created in "
                   f"{state().data_dir}")
        click.echo(f"This till is {profile.device_id}; log in with the manager PIN.")


@click.group("user")
def user_group() -> None:
    """People who may use this till."""


@user_group.command("add")
@click.argument("name")
@click.option("--role", type=click.Choice([r.value for r in Role]), required=True)
@click.option("--new-pin", required=True, help="The new person's PIN (4–8 digits, unique in the store).")
@pin_option
@json_option
@refusals
def user_add(name: str, role: str, new_pin: str, pin: str | None, as_json: bool) -> None:
    """Add a cashier or manager (manager)."""
    user = auth.add_user(state().till.uow, caller(pin), name, Role(role), new_pin)
    if as_json:
        emit_json({"id": user.id, "name": user.name, "role": user.role.value})
    else:
        click.echo(f"Added {user.role.value} {user.name} ({user.id})")


@user_group.command("list")
@pin_option
@json_option
@refusals
def user_list(pin: str | None, as_json: bool) -> None:
    """List people (manager)."""
    from pos_app.domain.people import Permission

    who = caller(pin)
    who.require(Permission.MANAGE_USERS)
    with state().till.uow as uow:
        users = uow.users.list()
    rows = [{"id": u.id, "name": u.name, "role": u.role.value, "active": u.active} for u in users]
    if as_json:
        emit_json(rows)
    else:
        for r in rows:
            click.echo(f"{r['name']:<24} {r['role']:<8} {'active' if r['active'] else 'off'}")


@click.group("policy")
def policy_group() -> None:
    """The shop's rules for its people (a standalone shop's own; head office's on an enrolled till)."""


@policy_group.command("set")
@click.option("--cashiers-sell", type=click.Choice(["yes", "no"]), required=True,
              help="Whether cashiers may sell cards (else only managers).")
@pin_option
@json_option
@refusals
def policy_set(cashiers_sell: str, pin: str | None, as_json: bool) -> None:
    """Let cashiers sell cards at the counter, or not (manager)."""
    from pos_app.services.cards import set_cashiers_sell

    policy = set_cashiers_sell(state().till.uow, caller(pin), allowed=cashiers_sell == "yes")
    if as_json:
        emit_json({"object": "policy", "cashiers_sell": policy.cashiers_sell})
    else:
        click.echo(f"Cashiers may {'now' if policy.cashiers_sell else 'no longer'} sell cards.")


COMMANDS = [init, user_group, policy_group]
