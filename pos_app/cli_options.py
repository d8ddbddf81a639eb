"""Command-line pieces shared by ``pos-app`` and ``pos-server``: the error boundary, JSON output, dates and
signed amounts, the campaign options, a card's new terms and its changes, and the progress bar.

Both command lines behave alike (DESIGN.md §12): a refusal prints ``error: <key>: <sentence>`` on stderr (and
``{"error": {...}}`` on stdout with ``--json``) and exits 1; bad usage exits 2 (click); anything unexpected exits
70 with one line, the traceback kept in a log file, never on the screen. They are declared once here so that the
two cannot drift apart.
"""

from __future__ import annotations

import functools
import json
import logging
import os
import stat
import sys
import tempfile
import traceback
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date, datetime, tzinfo
from pathlib import Path
from typing import Any, TextIO, TypeVar

import click
from click.termui import progressbar

from pos_app.domain import errors
from pos_app.domain.codes import CodeConfig
from pos_app.domain.errors import GiftCardError
from pos_app.domain.money import Money
from pos_app.domain.shop_time import expiry_end_of_day, start_of_day, zone_name
from pos_app.domain.terms import CardChange, NewTerms
from pos_app.formatting import format_first_day, format_last_day, format_money
from pos_app.services.campaigns import CreateCampaign
from pos_app.services.reports import LiabilityReport

F = TypeVar("F", bound=Callable[..., Any])
EXIT_REFUSED = 1
EXIT_INTERNAL = 70


def emit_json(payload: Any) -> None:
    click.echo(json.dumps(payload, default=_json_default, ensure_ascii=False, sort_keys=True))


def _json_default(value: Any) -> Any:
    if isinstance(value, datetime | date):
        return value.isoformat()
    return str(value)


def echo_dates(start: datetime | None, expiry: datetime | None, *, zone: tzinfo, locale: str) -> None:
    """A card's first and last day, as days of the shop (``card show`` of both command lines): a card
    expiring "end of Jun 30, 2027" may be used all that day in the shop's time zone."""
    where = f" ({zone_name(zone)})"
    if start is not None:
        click.echo(f"Starts    {format_first_day(start, zone=zone, locale=locale)}{where}")
    click.echo("Expires   " + ("—" if expiry is None
                               else f"end of {format_last_day(expiry, zone=zone, locale=locale)}{where}"))


def echo_liability(report: LiabilityReport, locale: str) -> None:
    """The liability report as both command lines print it: per campaign, the totals, whether it adds up."""
    click.echo(f"{'campaign':<30} {'cards':>8} {'active':>8} {'loaded':>14} {'redeemed':>14} {'outstanding':>14}")
    for r in report.rows:
        def m(v: int, cur: str = r.currency) -> str:
            return format_money(v, cur, locale=locale)

        click.echo(f"{(r.campaign_name or '(no campaign)')[:30]:<30} {r.cards:>8} {r.active_cards:>8} "
                   f"{m(r.loaded):>14} {m(r.redeemed - r.refunded):>14} {m(r.outstanding):>14}")
    for total in report.totals:
        click.echo(f"Outstanding in {total.currency}: {format_money(total.outstanding, total.currency, locale=locale)}")
    click.echo("Ledger adds up." if report.balanced else "WARNING: the ledger does not add up; call support.")


def write_export(out: str, write: Callable[[TextIO], int], *, what: str, as_json: bool) -> None:
    """Write an export to ``out`` (``-``: standard output) with ``write`` (it returns how many rows), and say so
    (``--json``: a line of JSON). The file is opened by :func:`export_file`."""
    if out == "-":
        write(sys.stdout)
        return
    target = Path(out)
    with export_file(target) as fh:
        rows = write(fh)
    if as_json:
        emit_json({"file": str(target), "rows": rows, "export": what})
    else:
        click.echo(f"Wrote {rows} {what} to {target}")


EXPORT_MODE = 0o600  # full codes are bearer money: the owner reads an export, nobody else on the machine


@contextmanager
def export_file(target: Path) -> Iterator[TextIO]:
    """An export's file, opened for writing, as an operator expects of ``--out``:

    - a regular file (or none yet) is written beside the target, mode 0600, under a name nobody can guess or
      plant a link at, and renamed over it once whole: a reader never sees half a file, and a refused or failed
      export leaves the old file and no temporary one;
    - a named pipe is written into (``mkfifo p; gzip < p > x.gz & pos-app export … --out p``): its reader
      expects the rows, and there is nothing to replace;
    - a symbolic link is refused, never followed nor replaced: run as root, a link planted where an export goes
      would otherwise overwrite what it points at, or the link would silently become a file;
    - anything else (a device, a folder, a socket) is refused: a device may be ``/dev/null`` as well as a disk,
      and replacing it with a file (as root) breaks the machine. ``--out -`` writes to standard output, which
      the shell can send anywhere.
    """
    if not target.parent.is_dir():
        raise errors.InvalidPayload(f"there is no directory {str(target.parent)!r} to write {target.name} in")
    try:
        mode = target.lstat().st_mode
    except FileNotFoundError:
        mode = None
    if mode is not None and stat.S_ISLNK(mode):
        raise errors.InvalidPayload(f"{target} is a symbolic link; give the path of the file itself")
    if mode is not None and stat.S_ISFIFO(mode):
        with open(os.open(target, os.O_WRONLY | getattr(os, "O_NOFOLLOW", 0)), "w", encoding="utf-8",
                  newline="") as pipe:
            yield pipe
        return
    if mode is not None and not stat.S_ISREG(mode):
        raise errors.InvalidPayload(f"{target} is not a regular file (a device or a folder); give a file's path, "
                                    "or - for standard output")
    fd, partial = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".part", dir=target.parent)
    try:
        if hasattr(os, "fchmod"):
            os.fchmod(fd, EXPORT_MODE)  # mkstemp's mode already; said here so that no umask can widen it
        with open(fd, "w", encoding="utf-8", newline="") as fh:
            yield fh
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(partial, target)
    except BaseException:
        Path(partial).unlink(missing_ok=True)
        raise


def parse_day(text: str | None) -> date | None:
    if text is None:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError as exc:
        raise click.BadParameter(f"{text!r} is not a date; use YYYY-MM-DD") from exc


def new_terms(*, expires: str | None = None, category: str | None = None,
              metadata: tuple[str, ...] = ()) -> NewTerms:
    """``card extend`` / ``card set``'s options as the change they ask for: ``--expires`` the new last day,
    ``--category`` ("" removes it), ``--metadata KEY=VALUE`` (repeatable; ``KEY=`` removes the key)."""
    pairs: dict[str, str | None] = {}
    for pair in metadata:
        key, sep, value = pair.partition("=")
        if not sep or not key.strip():
            raise click.BadParameter(f"{pair!r} is not KEY=VALUE", param_hint="--metadata")
        pairs[key.strip()] = value or None
    return NewTerms(expires_on=parse_day(expires), category=category, metadata=pairs)


def change_json(change: CardChange, code: str) -> dict[str, Any]:
    """A line of a card's audit trail as ``--json`` shows it (``code`` as the caller may see it)."""
    return {
        "id": str(change.id), "object": "card_change", "card_id": change.card_id, "code": code,
        "changes": [{"field": c.name, "before": c.before, "after": c.after} for c in change.changes],
        "reason": change.reason, "device_id": change.device_id, "operator_id": change.operator_id,
        "created_at": change.created_at,
    }


def echo_change(change: CardChange) -> None:
    for c in change.changes:
        click.echo(f"  {c.name}: {c.before or '—'} → {c.after or '—'}")
    click.echo(f"  reason: {change.reason} · by {change.operator_id or '—'} on {change.device_id} · "
               f"{change.created_at:%Y-%m-%d %H:%M} UTC · change {change.id}")


def signed(text: str, parse: Callable[[str], Money]) -> Money:
    """``-5.00`` / ``+5.00`` / ``5.00``: the sign, then ``parse`` (which refuses signs itself) on the rest."""
    sign = -1 if text.strip().startswith("-") else 1
    money = parse(text.strip().lstrip("+-"))
    return Money(sign * money.minor, money.currency)


def _log_internal(exc: BaseException, log_dir: Callable[[], Path]) -> Path | None:
    try:
        logs = log_dir()
        logs.mkdir(parents=True, exist_ok=True)
        path = logs / "cli-errors.log"
        with path.open("a", encoding="utf-8") as fh:
            fh.write(f"--- {datetime.now().isoformat()} {' '.join(sys.argv)}\n")
            fh.write("".join(traceback.format_exception(exc)))
        return path
    except Exception:  # the error log is best effort; the message still goes out
        return None


def _refuse(exc: GiftCardError, as_json: bool) -> None:
    if as_json:
        emit_json({"error": exc.as_dict()})
    click.echo(f"error: {exc.key}: {exc.details or exc.message}", err=True)
    sys.exit(EXIT_REFUSED)


def error_boundary(*, log_dir: Callable[[], Path],
                   translate: Callable[[Exception], GiftCardError | None] = lambda exc: None
                   ) -> Callable[[F], F]:
    """The ``refusals`` decorator of a command line: ``log_dir`` says where tracebacks go, ``translate`` turns
    an exception of that program's own (e.g. an unreachable database) into a refusal, or returns None."""

    def refusals(f: F) -> F:
        @functools.wraps(f)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            as_json = bool(kwargs.get("as_json"))
            try:
                return f(*args, **kwargs)
            except GiftCardError as exc:
                _refuse(exc, as_json)
            except (click.ClickException, click.exceptions.Exit, click.Abort, SystemExit):
                raise
            except BrokenPipeError:  # the reader went away (`… | head`): not an error
                os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
                sys.exit(0)
            except Exception as exc:
                refusal = translate(exc)
                if refusal is not None:
                    _refuse(refusal, as_json)
                if isinstance(exc, OSError):
                    click.echo(f"error: io_error: {exc.strerror or exc} ({exc.filename or ''})", err=True)
                    sys.exit(EXIT_REFUSED)
                logging.getLogger(f.__module__).debug("internal error", exc_info=exc)
                where = _log_internal(exc, log_dir)
                click.echo(f"error: internal_error: {type(exc).__name__}: {exc}"
                           + (f" (details in {where})" if where else ""), err=True)
                sys.exit(EXIT_INTERNAL)

        return wrapper  # type: ignore[return-value]

    return refusals

_OPTIONS = [
    click.option("--name", required=True),
    click.option("--amount", "amount_text", required=True, help="Value of each card, e.g. 50.00."),
    click.option("--count", type=click.IntRange(1), required=True, help="How many cards to generate."),
    click.option("--pattern", help="Code pattern, '#' = one random character (default GC-XXXX-XXXX-XXXX-XXXX)."),
    click.option("--charset", help="Characters of the random part (default: no look-alikes)."),
    click.option("--prefix", default="", help="Text before each code."),
    click.option("--postfix", default="", help="Text after each code."),
    click.option("--length", type=click.IntRange(1, 100), help="Random characters when there is no pattern."),
    click.option("--starts", help="First day the cards may be used (YYYY-MM-DD)."),
    click.option("--expires", help="Last day the cards may be used (YYYY-MM-DD, inclusive)."),
    click.option("--redemption-limit", type=click.IntRange(1), help="How many times a card may be used."),
    click.option("--category"),
]


_REASON = click.option("--reason", required=True, help="Why (kept in the card's audit trail).")
_EXTEND_OPTIONS = (
    click.argument("code"),
    click.option("--expires", required=True, help="The new last day the card may be used (YYYY-MM-DD, inclusive)."),
    _REASON,
)
_SET_TERMS_OPTIONS = (
    click.argument("code"),
    click.option("--category", help="The card's new category (\"\" removes it)."),
    click.option("--metadata", multiple=True, metavar="KEY=VALUE",
                 help="Set a metadata key (KEY= removes it); may be given more than once."),
    _REASON,
)


_PUBLISH_OPTIONS = (
    click.argument("code"),
    click.option("--customer", "source_id", required=True, metavar="ID",
                 help="The shop's own id for the customer (made on first use)."),
    click.option("--name", help="The customer's name (replaces the one kept)."),
    click.option("--email", help="The customer's e-mail address (replaces the one kept)."),
    click.option("--phone", help="The customer's phone number (replaces the one kept)."),
)


def publish_options(f: F) -> F:
    """The arguments of ``publish`` (the till's and the server's)."""
    for option in reversed(_PUBLISH_OPTIONS):
        f = option(f)
    return f


def extend_options(f: F) -> F:
    """The arguments of ``card extend`` (the till's and the server's)."""
    for option in reversed(_EXTEND_OPTIONS):
        f = option(f)
    return f


def set_terms_options(f: F) -> F:
    """The arguments of ``card set`` (the till's and the server's)."""
    for option in reversed(_SET_TERMS_OPTIONS):
        f = option(f)
    return f


def campaign_options(f: F) -> F:
    """The options of ``campaign create``; the command receives them as keyword arguments."""
    for option in reversed(_OPTIONS):
        f = option(f)
    return f


def _code_config(pattern: str | None, charset: str | None, prefix: str, postfix: str,
                 length: int | None) -> CodeConfig:
    return CodeConfig.from_options(pattern=pattern, charset=charset, prefix=prefix, postfix=postfix, length=length)


def campaign_command(*, name: str, amount: Money, count: int, pattern: str | None, charset: str | None,
                     prefix: str, postfix: str, length: int | None, starts: str | None, expires: str | None,
                     redemption_limit: int | None, category: str | None, zone: tzinfo) -> CreateCampaign:
    """The use case's command from the options; dates are whole days in the shop's time zone ``zone``: the
    cards are usable from the first midnight of ``starts`` through the last moment of ``expires`` there."""
    start_day, end_day = parse_day(starts), parse_day(expires)
    return CreateCampaign(
        name=name, amount=amount, count=count, code_config=_code_config(pattern, charset, prefix, postfix, length),
        start_date=start_of_day(start_day, zone) if start_day else None,
        expiration_date=expiry_end_of_day(end_day, zone) if end_day else None,
        redemption_limit=redemption_limit, category=category,
    )


@contextmanager
def progress_bar(total: int, label: str) -> Iterator[Callable[[int, int], None]]:
    """A progress bar on standard error, fed by a use case's ``progress(done, total)`` callback."""
    with progressbar(length=total, label=label, file=sys.stderr, show_pos=True, show_eta=True) as bar:
        last = [0]

        def progress(done: int, _total: int) -> None:
            bar.update(done - last[0])
            last[0] = done

        yield progress
