"""``pos-app`` without a subcommand: the till window. ``--demo`` opens (building it the first time) a demo shop.

The demo lives in ``<data-dir>/demo`` unless ``--data-dir`` is given, so it never mixes with a real shop. Its
login screen shows whose PIN is which, its receipt printer writes ESC/POS to a file in the demo folder, and a
folder of card pictures stands in for the camera.
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


def open_till_window(app: AppState, *, demo: bool, kiosk: bool = False) -> None:
    from pos_app.qt_printing.qt_app import needs_offscreen

    if needs_offscreen():  # a window nobody can see would just hang there
        raise click.ClickException(
            "there is no display to show the till on (no DISPLAY or WAYLAND_DISPLAY): run pos-app on the till's "
            "desktop, or under a virtual one (xvfb-run pos-app --demo); the subcommands (pos-app --help) work here")
    _demo_dir(app, demo)
    till = app.till
    demo_info = None
    try:
        till.profile()
    except StoreNotInitialised:
        if not demo:
            raise StoreNotInitialised(
                f"no shop is set up in {app.data_dir}: run `pos-app init`, or try `pos-app --demo`") from None
        from pos_app.demo import build_demo

        click.echo(f"Building the demo shop in {app.data_dir} …")
        build_demo(till)
    if demo:
        from pos_app.ui.demo import demo_info as make_demo_info

        demo_info = make_demo_info(till)
    from pos_app.ui.app import run_till

    raise SystemExit(run_till(till, demo=demo_info, kiosk=kiosk))
