"""``pos-server``: the central server's command line. Its commands arrive with the central server."""

from __future__ import annotations

import click

from pos_app import __version__


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="pos-server")
def main() -> None:
    """pos_app central server (sync API and Voucherify-compatible API)."""
