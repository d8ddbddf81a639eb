"""``pos-app`` without a subcommand: the till window.

The Qt window is built in its own issue; until then this prepares the store (``--demo`` builds the demo shop)
and says how to use it from the command line, instead of pretending.
"""

from __future__ import annotations

import click

from pos_app.cli.common import AppState
from pos_app.domain.errors import StoreNotInitialised


def _demo_dir(app: AppState, demo: bool) -> None:
    if demo and app.data_dir.name != "demo" and not _explicit_dir():
        app.data_dir = app.data_dir / "demo"


def _explicit_dir() -> bool:
    ctx = click.get_current_context()
    return ctx.get_parameter_source("data_dir") not in (None, click.core.ParameterSource.DEFAULT)


def open_till_window(app: AppState, *, demo: bool) -> None:
    _demo_dir(app, demo)
    till = app.till
    try:
        profile = till.profile()
    except StoreNotInitialised:
        if not demo:
            raise
        from pos_app.demo import CASHIER_PIN, MANAGER_PIN, build_demo

        shop = build_demo(till)
        profile = till.profile()
        click.echo(f"Demo shop {profile.store_name!r} created in {app.data_dir}")
        click.echo(f"  cashier PIN {CASHIER_PIN} · manager PIN {MANAGER_PIN}")
        for state, code in shop.codes.items():
            click.echo(f"  {state:<12} {code}")
    click.echo(f"Till {profile.device_id} of {profile.store_name!r} ({profile.currency}) is ready in {app.data_dir}.")
    click.echo("The till window is not built yet; serve customers from the command line meanwhile, e.g.:")
    click.echo(f"  pos-app --data-dir {app.data_dir} card show CODE --pin PIN")
    click.echo(f"  pos-app --data-dir {app.data_dir} redeem CODE 12.50 --pin PIN")
