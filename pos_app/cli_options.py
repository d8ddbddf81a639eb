"""Command-line pieces shared by ``pos-app`` and ``pos-server``: the campaign options and the progress bar.

Both command lines create campaigns with the same options (DESIGN.md §12); they are declared once here so that
the two cannot drift apart.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date, datetime
from typing import Any, TypeVar

import click
from click.termui import progressbar

from pos_app.domain.cards import expiry_end_of_day
from pos_app.domain.codes import READABLE_ALPHABET, CodeConfig
from pos_app.domain.money import Money
from pos_app.services.campaigns import CreateCampaign

F = TypeVar("F", bound=Callable[..., Any])

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


def _day(text: str | None) -> date | None:
    if text is None:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError as exc:
        raise click.BadParameter(f"{text!r} is not a date; use YYYY-MM-DD") from exc


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
    start_day, end_day = _day(starts), _day(expires)
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
