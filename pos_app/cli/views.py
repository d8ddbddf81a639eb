"""How cards and entries are shown on the terminal and in ``--json`` (integer minor units, ids, ISO times)."""

from __future__ import annotations

from datetime import tzinfo
from typing import Any

import click

from pos_app.cli_options import echo_dates
from pos_app.domain.cards import GiftCard
from pos_app.domain.codes import mask
from pos_app.domain.ledger import Entry, EntryStatus
from pos_app.domain.people import Permission
from pos_app.formatting import format_datetime, format_money
from pos_app.services.cards import CardView
from pos_app.services.context import Caller


def shown_code(card_code: str, caller: Caller, masked: str | None = None) -> str:
    """Only managers see a whole code; everyone else sees it masked (``masked``: as ``lookup.masked`` made it,
    past the campaign's fixed tail)."""
    return card_code if caller.actor.can(Permission.SEE_FULL_CODES) else (masked or mask(card_code))


def entry_json(entry: Entry, caller: Caller, masked: str | None = None) -> dict[str, Any]:
    return {
        "id": str(entry.id), "object": "transaction", "code": shown_code(entry.code, caller, masked),
        "card_id": entry.card_id, "type": entry.kind.value, "result": entry.result.value,
        "error_key": entry.error_key, "amount": entry.amount, "balance_after": entry.balance_after,
        "currency": entry.currency, "created_at": entry.created_at, "device_id": entry.device_id,
        "device_seq": entry.device_seq, "operator_id": entry.operator_id, "reason": entry.reason,
        "order_ref": entry.order_ref, "refund_of": str(entry.refund_of) if entry.refund_of else None,
        "status": entry.status.value, "override_by": entry.override_by,
        "provisional": entry.status is EntryStatus.PROVISIONAL, "price": entry.price,
        "payment": None if entry.payment is None else entry.payment.value,
    }


def card_json(card: GiftCard, caller: Caller, masked: str | None = None) -> dict[str, Any]:
    return {
        "id": card.id, "object": "voucher", "code": shown_code(card.code, caller, masked),
        "status": card.status.value,
        "currency": card.currency, "balance": card.balance, "loaded": card.loaded, "redeemed": card.redeemed,
        "refunded": card.refunded, "redemption_count": card.redemption_count,
        "redemption_limit": card.redemption_limit, "initial_amount": card.initial_amount,
        "campaign_id": card.campaign_id, "start_date": card.start_date, "expiration_date": card.expiration_date,
        "customer_id": card.customer_id, "category": card.category, "metadata": card.metadata,
    }


def echo_card(view: CardView, caller: Caller, locale: str, zone: tzinfo) -> None:
    """The card and its latest entries, each with the card's balance after it (``CardView.balances``: the
    newest agrees with the card, whatever an offline till saw when it made its entry)."""
    card, recent = view.card, view.recent

    def money(minor: int) -> str:
        return format_money(minor, card.currency, locale=locale)

    click.echo(f"Card      {shown_code(card.code, caller, view.masked)}")
    click.echo(f"Status    {card.status.value}")
    click.echo(f"Balance   {money(card.balance)}")
    click.echo(f"          loaded {money(card.loaded)} · redeemed {money(card.redeemed)} · "
               f"refunded {money(card.refunded)} · used {card.redemption_count}×")
    echo_dates(card.start_date, card.expiration_date, zone=zone, locale=locale)
    if recent:
        click.echo("Recent entries (newest first):")
        for e, left in zip(recent, view.balances, strict=True):
            mark = "" if e.succeeded else f"  REFUSED {e.error_key}"
            click.echo(f"  {format_datetime(e.created_at, locale=locale, zone=zone):<22} {e.kind.value:<19} "
                       f"{money(e.amount):>12} → {money(left):>12}  {e.id}{mark}")


def echo_entry(entry: Entry, caller: Caller, locale: str, verb: str, masked: str | None = None) -> None:
    amount = format_money(abs(entry.amount), entry.currency, locale=locale)
    left = format_money(entry.balance_after, entry.currency, locale=locale)
    click.echo(f"{verb} {amount} · card {shown_code(entry.code, caller, masked)} · remaining balance {left}")
    if entry.price is not None:
        paid = format_money(entry.price, entry.currency, locale=locale)
        how = f" by {entry.payment.value}" if entry.payment is not None else ""
        click.echo(f"Paid {paid}{how}")
    if entry.status is EntryStatus.PROVISIONAL:
        click.echo("The till is offline: this balance is provisional until the till has synced with the server.")
    if entry.override_by:
        click.echo(f"Offline limit overridden by manager {entry.override_by}.")
    click.echo(f"entry {entry.id}")
