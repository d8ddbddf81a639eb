"""What every ``pos-server`` command shares: ``--db``, the database, amounts, ``--json`` and the error boundary.

A refusal prints ``error: <key>: <sentence>`` on stderr (and ``{"error": {...}}`` on stdout with ``--json``)
and exits with status 1; a database that cannot be reached is the refusal ``database_unavailable``; bad usage
exits 2 (click); anything unexpected exits 70 with one line, the traceback kept in the server's log directory.
"""

from __future__ import annotations

import functools
import json
import logging
import sys
import traceback
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date, datetime
from pathlib import Path
from typing import Any, TypeVar

import click
from platformdirs import user_log_dir
from sqlalchemy import Connection, Engine, make_url
from sqlalchemy.exc import OperationalError

from pos_app.domain import errors
from pos_app.domain.money import Money, parse_amount
from pos_app.server.db.engine import APP_NAME, DB_ENV, open_engine, read, resolve_url
from pos_app.server.db.migrate import HEAD_REVISION, current_revision
from pos_app.server.ledger import store_info

EXIT_REFUSED = 1
EXIT_INTERNAL = 70
F = TypeVar("F", bound=Callable[..., Any])


class NotInitialised(errors.GiftCardError):
    key, code, message = "not_initialised", 409, "the server database is not set up; run `pos-server init` first"


class DatabaseUnavailable(errors.GiftCardError):
    key, code, message = "database_unavailable", 503, "the database cannot be reached"


def db_option(f: F) -> F:
    return click.option(
        "--db", "db", envvar=DB_ENV, show_envvar=True, metavar="URL",
        help="Database URL (sqlite:///FILE or postgresql+psycopg://…); default: server.sqlite3 in the "
             "server's data directory.",
    )(f)


def json_option(f: F) -> F:
    return click.option("--json", "as_json", is_flag=True, help="Machine-readable output (minor units, ids).")(f)


def shown_url(url: str) -> str:
    return make_url(url).render_as_string(hide_password=True)


@contextmanager
def database(db: str | None, *, migrated: bool = True) -> Iterator[Engine]:
    """The engine on ``--db``, disposed of afterwards; with ``migrated``, refuse a database that ``init`` has not
    brought to the current schema."""
    url = resolve_url(db)
    parsed = make_url(url)
    if migrated and parsed.get_backend_name() == "sqlite" and not Path(parsed.database or "").exists():
        raise NotInitialised(f"there is no server database at {parsed.database}; run `pos-server init` first")
    engine = open_engine(url)
    try:
        if migrated:
            revision = current_revision(engine)
            if revision != HEAD_REVISION:
                raise NotInitialised(f"{shown_url(resolve_url(db))} is at {revision or 'no schema'}; "
                                     "run `pos-server init` to set it up")
        yield engine
    finally:
        engine.dispose()


def currency_of(engine: Engine) -> str:
    def work(conn: Connection) -> str:
        return store_info(conn).currency

    return read(engine, work)


def amount(text: str, currency: str) -> Money:
    return parse_amount(text, currency)


def signed_amount(text: str, currency: str) -> Money:
    sign = -1 if text.strip().startswith("-") else 1
    money = parse_amount(text.strip().lstrip("+-"), currency)
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
    if isinstance(value, datetime | date):
        return value.isoformat()
    return str(value)


def _log_internal(exc: BaseException) -> Path | None:
    try:
        logs = Path(user_log_dir(APP_NAME, appauthor=False))
        logs.mkdir(parents=True, exist_ok=True)
        path = logs / "cli-errors.log"
        with path.open("a", encoding="utf-8") as fh:
            fh.write(f"--- {datetime.now().isoformat()} {' '.join(sys.argv)}\n")
            fh.write("".join(traceback.format_exception(exc)))
        return path
    except Exception:  # best effort: the message below goes out anyway
        return None


def _refuse(exc: errors.GiftCardError, as_json: bool) -> None:
    if as_json:
        emit_json({"error": exc.as_dict()})
    click.echo(f"error: {exc.key}: {exc.details or exc.message}", err=True)
    sys.exit(EXIT_REFUSED)


def refusals(f: F) -> F:
    """The error boundary of a command: refusals and failures become one line and an exit status."""

    @functools.wraps(f)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        as_json = bool(kwargs.get("as_json"))
        try:
            return f(*args, **kwargs)
        except errors.GiftCardError as exc:
            _refuse(exc, as_json)
        except OperationalError as exc:
            _refuse(DatabaseUnavailable(str(exc.orig or exc).strip().splitlines()[0]), as_json)
        except (click.ClickException, click.exceptions.Exit, click.Abort, SystemExit):
            raise
        except OSError as exc:
            click.echo(f"error: io_error: {exc.strerror or exc} ({exc.filename or ''})", err=True)
            sys.exit(EXIT_REFUSED)
        except Exception as exc:
            logging.getLogger("pos_app.server.cli").debug("internal error", exc_info=exc)
            where = _log_internal(exc)
            click.echo(f"error: internal_error: {type(exc).__name__}: {exc}"
                       + (f" (details in {where})" if where else ""), err=True)
            sys.exit(EXIT_INTERNAL)

    return wrapper  # type: ignore[return-value]
