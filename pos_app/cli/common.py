"""What every command shares: the till from ``--data-dir``, PIN login, amounts, output and the error boundary.

The error boundary is ``pos_app.cli_options.error_boundary``, shared with ``pos-server``. Here tracebacks go
to ``<data-dir>/logs/cli-errors.log``, and a server that does not answer a command that needs it is the refusal
``server_unavailable``.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import click

from pos_app.bootstrap import Till, open_till, resolve_data_dir
from pos_app.cli_options import error_boundary, signed
from pos_app.domain.errors import GiftCardError
from pos_app.domain.money import Money, parse_amount
from pos_app.formatting import decimal_separator
from pos_app.services.context import Caller
from pos_app.services.online import ServerUnavailable

PIN_ENV = "POS_APP_PIN"
F = TypeVar("F", bound=Callable[..., Any])


class AppState:
    def __init__(self, data_dir: str | None) -> None:
        self.data_dir = resolve_data_dir(data_dir)
        self._till: Till | None = None

    @property
    def till(self) -> Till:
        if self._till is None:
            self._till = open_till(self.data_dir)
        return self._till


def state() -> AppState:
    obj = click.get_current_context().find_object(AppState)
    assert obj is not None, "the pos-app group creates the AppState"
    return obj


def caller(pin: str | None) -> Caller:
    """Log in with ``--pin``, else ``POS_APP_PIN``, else ask (only on a terminal)."""
    pin = pin or os.environ.get(PIN_ENV)
    if not pin and sys.stdin.isatty():
        pin = click.prompt("PIN", hide_input=True)
    return state().till.login(pin)


def pin_option(f: F) -> F:
    return click.option("--pin", envvar=PIN_ENV, metavar="PIN", show_envvar=True,
                        help="Your PIN (default: $POS_APP_PIN; asked for on a terminal).")(f)


def json_option(f: F) -> F:
    return click.option("--json", "as_json", is_flag=True, help="Machine-readable output (minor units).")(f)


def amount(text: str, *, zero: bool = False) -> Money:
    """A typed amount in the store's currency ("12.50"; the locale's decimal comma is accepted too); ``zero``:
    0 is an amount too (a card's price when it is given away)."""
    profile = state().till.profile()
    return parse_amount(text, profile.currency, decimal_separator=decimal_separator(profile.locale),
                        allow_zero=zero)


def signed_amount(text: str) -> Money:
    return signed(text, amount)


class _ServerUnavailableRefusal(GiftCardError):
    key, code, message = "server_unavailable", 503, "the central server does not answer"


def _translate(exc: Exception) -> GiftCardError | None:
    """Only where the server is needed (enrol, sync) does its absence reach here; sales fall back offline."""
    return _ServerUnavailableRefusal(str(exc)) if isinstance(exc, ServerUnavailable) else None


def _log_dir() -> Path:
    return state().data_dir / "logs"


refusals = error_boundary(log_dir=_log_dir, translate=_translate)
