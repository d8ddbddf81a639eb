"""What every ``pos-server`` command shares: ``--db``, the database, amounts, ``--json`` and the error boundary.

A refusal prints ``error: <key>: <sentence>`` on stderr (and ``{"error": {...}}`` on stdout with ``--json``)
and exits with status 1; a database that cannot be reached is the refusal ``database_unavailable``; bad usage
exits 2 (click); anything unexpected exits 70 with one line, the traceback kept in the server's log directory.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, TypeVar

import click
from platformdirs import user_log_dir
from sqlalchemy import Connection, Engine, make_url
from sqlalchemy.exc import OperationalError

from pos_app.cli_options import error_boundary, signed
from pos_app.domain import errors
from pos_app.domain.money import Money, parse_amount
from pos_app.server.db.engine import APP_NAME, DB_ENV, open_engine, read, resolve_url
from pos_app.server.db.migrate import HEAD_REVISION, current_revision
from pos_app.server.ledger import store_info

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
    return signed(text, lambda rest: parse_amount(rest, currency))


def _translate(exc: Exception) -> errors.GiftCardError | None:
    if isinstance(exc, OperationalError):
        return DatabaseUnavailable(str(exc.orig or exc).strip().splitlines()[0])
    return None


refusals = error_boundary(log_dir=lambda: Path(user_log_dir(APP_NAME, appauthor=False)), translate=_translate)
