"""What every command shares: the till from ``--data-dir``, PIN login, amounts, output and the error boundary.

A refusal prints ``error: <key>: <sentence>`` on stderr (and ``{"error": {...}}`` on stdout with ``--json``)
and exits with status 1, and so does a server that does not answer a command that needs it
(``server_unavailable``); bad usage exits 2 (click); anything unexpected exits 70 with one line and the
traceback kept in ``<data-dir>/logs/cli-errors.log``, never on the screen.
"""

from __future__ import annotations

import functools
import json
import logging
import os
import sys
import traceback
from collections.abc import Callable
from datetime import date, datetime
from pathlib import Path
from typing import Any, TypeVar

import click

from pos_app.bootstrap import Till, open_till, resolve_data_dir
from pos_app.domain.errors import GiftCardError
from pos_app.domain.money import Money, parse_amount
from pos_app.formatting import decimal_separator
from pos_app.services.context import Caller
from pos_app.services.online import ServerUnavailable

PIN_ENV = "POS_APP_PIN"
EXIT_REFUSED = 1
EXIT_INTERNAL = 70
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


def amount(text: str) -> Money:
    """A typed amount in the store's currency ("12.50"; the locale's decimal comma is accepted too)."""
    profile = state().till.profile()
    return parse_amount(text, profile.currency, decimal_separator=decimal_separator(profile.locale))


def signed_amount(text: str) -> Money:
    sign = -1 if text.strip().startswith("-") else 1
    money = amount(text.strip().lstrip("+-"))
    return Money(sign * money.minor, money.currency)


def parse_day(text: str | None) -> date | None:
    if text is None:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError as exc:
        raise click.BadParameter(f"{text!r} is not a date; use YYYY-MM-DD") from exc


def emit_json(payload: Any) -> None:
    click.echo(json.dumps(payload, default=_json_default, ensure_ascii=False, sort_keys=True))


def _json_default(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def _log_internal(exc: BaseException) -> Path | None:
    try:
        logs = state().data_dir / "logs"
        logs.mkdir(parents=True, exist_ok=True)
        path = logs / "cli-errors.log"
        with path.open("a", encoding="utf-8") as fh:
            fh.write(f"--- {datetime.now().isoformat()} {' '.join(sys.argv)}\n")
            fh.write("".join(traceback.format_exception(exc)))
        return path
    except Exception:  # the error log is best effort; the message below still goes out
        return None


def refusals(f: F) -> F:
    """The error boundary of a command: refusals and failures become a message and an exit status."""

    @functools.wraps(f)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        as_json = bool(kwargs.get("as_json"))
        try:
            return f(*args, **kwargs)
        except GiftCardError as exc:
            if as_json:
                emit_json({"error": exc.as_dict()})
            click.echo(f"error: {exc.key}: {exc.details or exc.message}", err=True)
            sys.exit(EXIT_REFUSED)
        except ServerUnavailable as exc:  # only where the server is needed (enrol, sync); sales fall back
            if as_json:
                emit_json({"error": {"code": 503, "key": "server_unavailable", "message": str(exc)}})
            click.echo(f"error: server_unavailable: {exc}", err=True)
            sys.exit(EXIT_REFUSED)
        except (click.ClickException, click.exceptions.Exit, click.Abort, SystemExit):
            raise
        except BrokenPipeError:  # the reader went away (`… | head`): not an error
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
            sys.exit(0)
        except OSError as exc:
            click.echo(f"error: io_error: {exc.strerror or exc} ({exc.filename or ''})", err=True)
            sys.exit(EXIT_REFUSED)
        except Exception as exc:
            logging.getLogger("pos_app.cli").debug("internal error", exc_info=exc)
            where = _log_internal(exc)
            click.echo(f"error: internal_error: {type(exc).__name__}: {exc}"
                       + (f" (details in {where})" if where else ""), err=True)
            sys.exit(EXIT_INTERNAL)

    return wrapper  # type: ignore[return-value]
