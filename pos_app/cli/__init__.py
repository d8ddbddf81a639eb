"""``pos-app``: the till's command line (DESIGN.md §12). Without a subcommand it opens the till."""

from __future__ import annotations

import click

from pos_app import __version__
from pos_app.cli import campaigns, cards, customers, data, decode, receipts, store, sync
from pos_app.cli.common import AppState, refusals


@click.group(invoke_without_command=True, context_settings={"help_option_names": ["-h", "--help"]})
@click.option("--data-dir", envvar="POS_APP_DATA_DIR", show_envvar=True, metavar="DIR",
              help="Where this till keeps its store (default: the platform's user data directory).")
@click.option("--demo", is_flag=True, help="Open a ready demo shop (no server needed).")
@click.option("--kiosk", is_flag=True,
              help="Open the till full-screen in kiosk mode: only a manager's PIN leaves or closes it.")
@click.version_option(__version__, prog_name="pos-app")
@click.pass_context
@refusals
def main(ctx: click.Context, data_dir: str | None, demo: bool, kiosk: bool) -> None:
    """pos_app — an offline-first gift-card till."""
    ctx.obj = AppState(data_dir)
    if ctx.invoked_subcommand is None:
        from pos_app.cli.till import open_till_window

        open_till_window(ctx.obj, demo=demo, kiosk=kiosk)


for module in (store, campaigns, cards, customers, receipts, data, sync, decode):
    for command in module.COMMANDS:
        main.add_command(command)
