"""Card commands: show, sell, topup, correct, disable, enable, redeem, refund.

The commands that move money print a receipt once they have committed (see ``pos_app.cli.receipts``): the sale's
own line comes first, then the receipt, so that whatever the printer does, the cashier has seen the sale done.
"""

from __future__ import annotations

import click

from pos_app.cli.card_terms import extend, set_terms
from pos_app.cli.common import amount, caller, json_option, pin_option, refusals, signed_amount, state
from pos_app.cli.receipts import after_sale, echo_outcome, receipt_options
from pos_app.cli.views import card_json, echo_card, echo_entry, entry_json, shown_code
from pos_app.cli_options import change_json, echo_change, emit_json
from pos_app.domain.ledger import Entry, PaymentMethod
from pos_app.domain.people import Permission
from pos_app.printing.receipt import ReceiptKind
from pos_app.services import card_changes, cards
from pos_app.services.context import Caller
from pos_app.services.online import Authoriser

SIGNED = {"ignore_unknown_options": True}  # "-5.00" is an amount (refused with its reason), not an option


def _authoriser() -> Authoriser | None:
    """The server decides on an enrolled till (which stands in for it offline); None: standalone."""
    return state().till.authoriser()


def _done(entry: Entry, who: Caller, as_json: bool, verb: str, what: str, *, no_print: bool,
          receipt_file: str | None, kind: ReceiptKind | None = None) -> None:
    """Show the committed entry, then print and write its receipt (which can warn, never fail the command)."""
    shown = state().till.masked_code(entry)
    if not as_json:
        echo_entry(entry, who, state().till.profile().locale, verb, shown)
    outcome = after_sale(entry, what, no_print=no_print, receipt_file=receipt_file, kind=kind)
    if as_json:
        emit_json(entry_json(entry, who, shown) | {"remaining_balance": entry.balance_after, "receipt": outcome})
    else:
        echo_outcome(outcome)


@click.group("card")
def card_group() -> None:
    """Look at a card, or change its terms."""


@card_group.command("show")
@click.argument("code")
@click.option("--entries", "recent", default=10, show_default=True, help="How many recent entries to list.")
@pin_option
@json_option
@refusals
def card_show(code: str, recent: int, pin: str | None, as_json: bool) -> None:
    """Balance, status, expiry and recent entries of CODE."""
    who = caller(pin)
    view = cards.check_balance(state().till.uow, who, code, recent=max(0, recent))
    trail = card_changes.changes_of(state().till.uow, who, code) if who.actor.can(Permission.CHANGE_CARD) else []
    if as_json:
        shown = zip(view.recent, view.balances, strict=True)
        emit_json(card_json(view.card, who, view.masked) | {"entries": [
            entry_json(e, who, view.masked) | {"running_balance": left} for e, left in shown]}
                  | {"changes": [change_json(c, shown_code(c.code, who)) for c in trail]})
    else:
        profile = state().till.profile()
        echo_card(view, who, profile.locale, profile.zone)
        if trail:
            click.echo("Changes of its terms (newest first):")
            for change in trail:
                echo_change(change)


@click.command("redeem", context_settings=SIGNED)
@click.argument("code")
@click.argument("amount_text", metavar="AMOUNT")
@click.option("--order", "order_ref", help="Order or receipt number to record with the redemption.")
@click.option("--override-pin", metavar="PIN",
              help="A manager's PIN: accept what the offline limits would refuse (recorded on the entry).")
@receipt_options
@pin_option
@json_option
@refusals
def redeem(code: str, amount_text: str, order_ref: str | None, override_pin: str | None, pin: str | None,
           as_json: bool, no_print: bool, receipt_file: str | None) -> None:
    """Pay AMOUNT (e.g. 12.50) with the card CODE; the rest stays on the card."""
    who = caller(pin)
    override = state().till.login(override_pin).actor if override_pin else None
    entry = cards.redeem(state().till.uow, who, code, amount(amount_text), order_ref=order_ref,
                         authoriser=_authoriser(), override=override)
    _done(entry, who, as_json, "Redeemed", "redeem", no_print=no_print, receipt_file=receipt_file)


@click.command("sell")
@click.argument("code")
@click.option("--amount", "amount_text", help="Value sold (default: the card's campaign value).")
@click.option("--price", "price_text", help="What the customer paid, if less than the value (a promotion).")
@click.option("--payment", type=click.Choice([m.value for m in PaymentMethod]), default=PaymentMethod.CASH.value,
              show_default=True, help="How the customer paid.")
@click.option("--order", "order_ref", help="Order or receipt number of the sale.")
@receipt_options
@pin_option
@json_option
@refusals
def sell(code: str, amount_text: str | None, price_text: str | None, payment: str, order_ref: str | None,
         pin: str | None, as_json: bool, no_print: bool, receipt_file: str | None) -> None:
    """Sell and activate the card CODE once it is paid for (a manager; a cashier where the shop allows it)."""
    who = caller(pin)
    value = amount(amount_text) if amount_text is not None else None
    price = amount(price_text, zero=True) if price_text is not None else None
    entry = cards.sell(state().till.uow, who, code, value, price=price, payment=PaymentMethod(payment),
                       order_ref=order_ref, authoriser=_authoriser())
    _done(entry, who, as_json, "Activated with", "sell", no_print=no_print, receipt_file=receipt_file)


@click.command("topup", context_settings=SIGNED)
@click.argument("code")
@click.argument("amount_text", metavar="AMOUNT")
@click.option("--reason", help="Why (kept on the ledger entry).")
@receipt_options
@pin_option
@json_option
@refusals
def topup(code: str, amount_text: str, reason: str | None, pin: str | None, as_json: bool, no_print: bool,
          receipt_file: str | None) -> None:
    """Add AMOUNT to the card CODE (manager)."""
    who = caller(pin)
    entry = cards.top_up(state().till.uow, who, code, amount(amount_text), reason=reason,
                         authoriser=_authoriser())
    _done(entry, who, as_json, "Topped up", "topup", no_print=no_print, receipt_file=receipt_file)


@click.command("correct", context_settings=SIGNED)
@click.argument("code")
@click.argument("delta_text", metavar="[+|-]AMOUNT")
@click.option("--reason", required=True, help="Why the balance is corrected (required).")
@receipt_options
@pin_option
@json_option
@refusals
def correct(code: str, delta_text: str, reason: str, pin: str | None, as_json: bool, no_print: bool,
            receipt_file: str | None) -> None:
    """Correct the balance of CODE by a signed AMOUNT, e.g. -5.00 (manager)."""
    who = caller(pin)
    entry = cards.correct(state().till.uow, who, code, signed_amount(delta_text), reason=reason,
                          authoriser=_authoriser())
    _done(entry, who, as_json, "Corrected by", "correct", no_print=no_print, receipt_file=receipt_file,
          kind=ReceiptKind.CORRECTION)


@click.command("refund")
@click.argument("entry_id")
@click.option("--amount", "amount_text", help="Give back only part of what the redemption took.")
@click.option("--reason", help="Why (kept on the ledger entry).")
@receipt_options
@pin_option
@json_option
@refusals
def refund(entry_id: str, amount_text: str | None, reason: str | None, pin: str | None, as_json: bool,
           no_print: bool, receipt_file: str | None) -> None:
    """Give back the redemption ENTRY_ID, or part of it (--amount): a redemption may be refunded in parts, several
    times, its refunds together never more than it took; without --amount, all that is left of it."""
    who = caller(pin)
    value = amount(amount_text) if amount_text is not None else None
    entry = cards.refund(state().till.uow, who, entry_id, value, reason=reason, authoriser=_authoriser())
    _done(entry, who, as_json, "Refunded", "refund", no_print=no_print, receipt_file=receipt_file)


def _set_enabled(code: str, pin: str | None, as_json: bool, *, enabled: bool) -> None:
    who = caller(pin)
    card = cards.set_enabled(state().till.uow, who, code, enabled=enabled)
    if as_json:
        emit_json(card_json(card, who))
    else:
        click.echo(f"Card {card.masked} is now {card.status.value}")


@click.command("disable")
@click.argument("code")
@pin_option
@json_option
@refusals
def disable(code: str, pin: str | None, as_json: bool) -> None:
    """Disable a lost or stolen card (manager)."""
    _set_enabled(code, pin, as_json, enabled=False)


@click.command("enable")
@click.argument("code")
@pin_option
@json_option
@refusals
def enable(code: str, pin: str | None, as_json: bool) -> None:
    """Enable a disabled card again (manager)."""
    _set_enabled(code, pin, as_json, enabled=True)


card_group.add_command(extend)
card_group.add_command(set_terms)
COMMANDS = [card_group, redeem, sell, topup, correct, refund, disable, enable]

