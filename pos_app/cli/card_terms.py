"""``pos-app card extend`` and ``card set``: change a card's terms (a manager, with a reason), kept in its audit
trail; ``card show`` lists that trail for a manager. On an enrolled till these are head office's
(``pos-server card extend|set``)."""

from __future__ import annotations

import click

from pos_app.cli.common import caller, json_option, pin_option, refusals, state
from pos_app.cli.views import shown_code
from pos_app.cli_options import change_json, echo_change, emit_json, extend_options, new_terms, set_terms_options
from pos_app.domain.terms import NewTerms
from pos_app.services import card_changes


def _change(code: str, terms: NewTerms, reason: str, pin: str | None, as_json: bool) -> None:
    who = caller(pin)
    done = card_changes.change_card(state().till.uow, who, code, terms, reason=reason, zone=who.zone)
    code_shown = shown_code(done.card.code, who)
    if as_json:
        emit_json(change_json(done.change, code_shown) | {"expiration_date": done.card.expiration_date,
                                                          "category": done.card.category,
                                                          "metadata": done.card.metadata})
    else:
        click.echo(f"Card {code_shown} changed:")
        echo_change(done.change)


@click.command("extend")
@extend_options
@pin_option
@json_option
@refusals
def extend(code: str, expires: str, reason: str, pin: str | None, as_json: bool) -> None:
    """Extend the expiry of CODE to a later day (manager)."""
    _change(code, new_terms(expires=expires), reason, pin, as_json)


@click.command("set")
@set_terms_options
@pin_option
@json_option
@refusals
def set_terms(code: str, category: str | None, metadata: tuple[str, ...], reason: str, pin: str | None,
              as_json: bool) -> None:
    """Change the category or metadata of CODE (manager)."""
    _change(code, new_terms(category=category, metadata=metadata), reason, pin, as_json)
