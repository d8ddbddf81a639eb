"""The till window under pytest-qt, offscreen, on a real demo store (a copy per test of one built per session).

Fixtures: ``demo_template`` (the demo shop, built once), ``till`` (a copy of it, opened), ``ctx`` (the window's
context: session, worker threads, events), ``window`` (the whole window, shown, background parts not started),
and ``settle`` (waits until every background op has delivered its result to the GUI thread).
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from pos_app.bootstrap import Till, open_till
from pos_app.demo import build_demo, demo_codes
from pos_app.qt_printing.qt_app import guard_none_refcount
from pos_app.ui.context import DemoInfo, UiContext

CASHIER_PIN, MANAGER_PIN = "1234", "9876"


@pytest.fixture(scope="session")
def demo_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("demo-template")
    till = open_till(folder)
    build_demo(till)
    del till
    return folder


@pytest.fixture
def till(demo_template: Path, tmp_path: Path) -> Till:
    folder = tmp_path / "till"
    shutil.copytree(demo_template, folder)
    opened = open_till(folder)
    # the copy's printer writes into the copy, not into the template
    from pos_app.demo import DEMO_PRINTER_FILE
    from pos_app.printing.printer_settings import PrinterSettings

    settings = opened.printer_settings()
    opened.save_printer_settings(PrinterSettings(**{**_fields(settings),
                                                    "destination": f"file:{folder / DEMO_PRINTER_FILE}"}))
    return opened


def _fields(settings: object) -> dict[str, object]:
    return {name: getattr(settings, name) for name in settings.__dataclass_fields__}  # type: ignore[attr-defined]


@pytest.fixture
def codes(till: Till) -> dict[str, str]:
    """state → code of the demo's cards: active, partly_used, spent, disabled, not_sold, expired."""
    return demo_codes(till)


@pytest.fixture
def ctx(qapp: object, till: Till, codes: dict[str, str]) -> Iterator[UiContext]:
    guard_none_refcount()
    from pos_app.ui.app import build_context

    context = build_context(till, demo=DemoInfo(pins=(("Chris (cashier)", CASHIER_PIN),
                                                      ("Maria (manager)", MANAGER_PIN)), codes=codes),
                            language="en")  # the tests read English, whatever this machine's language
    yield context
    context.ops.shutdown(wait=True)


@pytest.fixture
def settle(qtbot: object, ctx: UiContext) -> Callable[..., None]:
    """Wait until no background op is under way and every result has reached the GUI thread."""

    def wait(timeout: int = 10_000) -> None:
        qtbot.waitUntil(lambda: ctx.ops.busy == 0, timeout=timeout)  # type: ignore[attr-defined]

    return wait


@pytest.fixture
def window(qtbot: object, ctx: UiContext) -> Iterator[object]:
    from pos_app.ui.app import build_window

    win = build_window(ctx)
    qtbot.addWidget(win)  # type: ignore[attr-defined]
    win.resize(1280, 800)
    win.show()
    yield win
    win.close()


def log_in(ctx: UiContext, settle: Callable[..., None], pin: str) -> None:
    """Log in through the session as the login screen does, and tell the window."""
    caller = ctx.session.login(pin)
    ctx.events.logged_in.emit(caller)
    settle()


def manager_page(window, ctx: UiContext, settle: Callable[..., None], page_class: type):  # type: ignore[no-untyped-def]
    """The manager logged in and ``page_class``'s page of the manager screen on show."""
    log_in(ctx, settle, MANAGER_PIN)
    window.show_manager()
    opened = window.manager.open(page_class)
    assert isinstance(opened, page_class)
    return opened
