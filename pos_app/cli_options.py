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
import sys
import traceback
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date, datetime
from pathlib import Path
from typing import Any, TextIO, TypeVar

import click
from click.termui import progressbar

from pos_app.domain import errors
from pos_app.domain.cards import expiry_end_of_day
from pos_app.domain.codes import READABLE_ALPHABET, CodeConfig
from pos_app.domain.errors import GiftCardError
from pos_app.domain.money import Money
from pos_app.domain.terms import CardChange, NewTerms
from pos_app.formatting import format_money
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
    (``--json``: a line of JSON). A file is written beside the target and renamed over it once whole, so that a
    reader never sees half a file; a refused or failed export leaves nothing behind."""
    if out == "-":
        write(sys.stdout)
        return
    target = Path(out)
    if not target.parent.is_dir():
        raise errors.InvalidPayload(f"there is no directory {str(target.parent)!r} to write {target.name} in")
    partial = target.with_name(target.name + ".part")
    try:
        with partial.open("w", encoding="utf-8", newline="") as fh:
            rows = write(fh)
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    partial.replace(target)
    if as_json:
        emit_json({"file": str(target), "rows": rows, "export": what})
    else:
        click.echo(f"Wrote {rows} {what} to {target}")


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


def campaign_options(f: F) -> F:
    """The options of ``campaign create``; the command receives them as keyword arguments."""
    for option in reversed(_OPTIONS):
        f = option(f)
    return f


def _code_config(pattern: str | None, charset: str | None, prefix: str, postfix: str,
                 length: int | None) -> CodeConfig:
    if pattern is None and length is None and charset is None and not prefix and not postfix:
        return CodeConfig.readable_default()
    return CodeConfig(pattern=pattern, length=length if pattern is None else None,
                      charset=charset or READABLE_ALPHABET, prefix=prefix, postfix=postfix)


def campaign_command(*, name: str, amount: Money, count: int, pattern: str | None, charset: str | None,
                     prefix: str, postfix: str, length: int | None, starts: str | None, expires: str | None,
                     redemption_limit: int | None, category: str | None) -> CreateCampaign:
    """The use case's command from the options; dates are whole days in this machine's time zone."""
    tz = datetime.now().astimezone().tzinfo
    start_day, end_day = parse_day(starts), parse_day(expires)
    return CreateCampaign(
        name=name, amount=amount, count=count, code_config=_code_config(pattern, charset, prefix, postfix, length),
        start_date=datetime.combine(start_day, datetime.min.time(), tzinfo=tz) if start_day else None,
        expiration_date=expiry_end_of_day(end_day, tz) if end_day else None,
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
