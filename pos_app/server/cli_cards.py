"""``pos-server card show|topup|correct|disable|enable|extend|set`` and ``pos-server publish``: head office's card
operations.

Every change reaches the tills at their next pull. Value changes are decided by the domain's rules, as at a till;
so are changes of a card's terms (``extend``, ``set``), kept in the card's audit trail.
"""

from __future__ import annotations

from typing import Any

import click
from sqlalchemy import Connection

from pos_app.cli_options import (
    change_json,
    echo_change,
    echo_dates,
    emit_json,
    extend_options,
    new_terms,
    publish_options,
    set_terms_options,
)
from pos_app.domain.cards import GiftCard
from pos_app.domain.ledger import Entry
from pos_app.domain.terms import CardChange, NewTerms
from pos_app.formatting import format_datetime, format_money
from pos_app.server import cards_admin, tills
from pos_app.server.cli_common import amount, database, db_option, json_option, refusals, signed_amount
from pos_app.server.db.engine import read, write
from pos_app.server.ledger import now, store_info, store_zone
from pos_app.sync.schemas import StoreInfo

SIGNED = {"ignore_unknown_options": True}  # "-5.00" is an amount, not an option


def card_json(card: GiftCard) -> dict[str, Any]:
    return {
        "id": card.id, "object": "voucher", "code": card.code, "status": card.status.value,
        "currency": card.currency, "balance": card.balance, "loaded": card.loaded, "redeemed": card.redeemed,
        "refunded": card.refunded, "redemption_count": card.redemption_count,
        "redemption_limit": card.redemption_limit, "initial_amount": card.initial_amount,
        "campaign_id": card.campaign_id, "start_date": card.start_date, "expiration_date": card.expiration_date,
        "customer_id": card.customer_id, "category": card.category, "metadata": card.metadata,
        "version": card.version,
    }


def entry_json(entry: Entry) -> dict[str, Any]:
    return {
        "id": str(entry.id), "object": "transaction", "card_id": entry.card_id, "type": entry.kind.value,
        "result": entry.result.value, "error_key": entry.error_key, "amount": entry.amount,
        "balance_after": entry.balance_after, "currency": entry.currency, "created_at": entry.created_at,
        "device_id": entry.device_id, "device_seq": entry.device_seq, "operator_id": entry.operator_id,
        "reason": entry.reason, "order_ref": entry.order_ref,
        "refund_of": str(entry.refund_of) if entry.refund_of else None, "status": entry.status.value,
        "server_seq": entry.server_seq,
    }


@click.group("card")
def card_group() -> None:
    """Cards of the server's ledger (whole codes: this is head office)."""


@card_group.command("show")
@click.argument("code")
@click.option("--entries", "recent", type=click.IntRange(0, 1000), default=10, show_default=True,
              help="How many recent entries (of every till) to list.")
@db_option
@json_option
@refusals
def card_show(code: str, recent: int, db: str | None, as_json: bool) -> None:
    """Balance, status, expiry and the recent entries of CODE across all tills."""
    def work(conn: Connection) -> tuple[cards_admin.CardView, StoreInfo, dict[str, str]]:
        view = cards_admin.show(conn, code, recent=recent)
        return view, store_info(conn), tills.labels(conn, {e.device_id for e in view.entries})

    with database(db) as engine:
        view, store, names = read(engine, work)
    locale, zone = store.locale, store_zone(store)
    card = view.card
    if as_json:
        emit_json(card_json(card) | {"campaign": view.campaign, "entries": [entry_json(e) for e in view.entries],
                                     "changes": [change_json(c, c.code) for c in view.changes]})
        return

    def money(minor: int) -> str:
        return format_money(minor, card.currency, locale=locale)

    click.echo(f"Card      {card.code}  ({card.id})")
    click.echo(f"Campaign  {view.campaign or '—'}")
    click.echo(f"Status    {card.status.value}")
    click.echo(f"Balance   {money(card.balance)}")
    click.echo(f"          loaded {money(card.loaded)} · redeemed {money(card.redeemed)} · "
               f"refunded {money(card.refunded)} · used {card.redemption_count}×")
    echo_dates(card.start_date, card.expiration_date, zone=zone, locale=locale)
    if card.customer_id:
        click.echo(f"Customer  {card.customer_id}")
    if view.entries:
        click.echo("Recent entries (newest first):")
    for e in view.entries:
        mark = "" if e.succeeded else f"  REFUSED {e.error_key}"
        when = format_datetime(e.created_at, locale=locale, zone=zone)
        click.echo(f"  {when:<22} {e.kind.value:<19} {money(e.amount):>12}"
                   f"  → {money(e.balance_after):>12}  {tills.label(names, e.device_id)}  {e.status.value}{mark}")
    if view.changes:
        click.echo("Changes of its terms (newest first):")
    for change in view.changes:
        echo_change(change)


def _changed(card: GiftCard, entry: Entry, as_json: bool, verb: str, locale: str) -> None:
    if as_json:
        emit_json(entry_json(entry) | {"card": card_json(card)})
    else:
        click.echo(f"{verb} {format_money(abs(entry.amount), card.currency, locale=locale)}: card {card.code} "
                   f"now holds {format_money(card.balance, card.currency, locale=locale)} (entry {entry.id}); "
                   "tills learn it at their next sync")


@card_group.command("topup")
@click.argument("code")
@click.argument("amount_text", metavar="AMOUNT")
@click.option("--reason", required=True, help="Why (kept on the ledger entry), e.g. the payment's reference.")
@db_option
@json_option
@refusals
def card_topup(code: str, amount_text: str, reason: str, db: str | None, as_json: bool) -> None:
    """Put AMOUNT (e.g. 20.00) more on the sold card CODE."""
    with database(db) as engine:
        store = read(engine, store_info)
        card, entry = cards_admin.top_up(engine, code, amount(amount_text, store.currency), reason=reason)
    _changed(card, entry, as_json, "Topped up", store.locale)


@card_group.command("correct", context_settings=SIGNED)
@click.argument("code")
@click.argument("delta_text", metavar="[+|-]AMOUNT")
@click.option("--reason", required=True, help="Why the balance is corrected (kept on the ledger entry).")
@db_option
@json_option
@refusals
def card_correct(code: str, delta_text: str, reason: str, db: str | None, as_json: bool) -> None:
    """Correct the balance of CODE by a signed AMOUNT, e.g. -5.00 or +5.00."""
    with database(db) as engine:
        store = read(engine, store_info)
        card, entry = cards_admin.correct(engine, code, signed_amount(delta_text, store.currency), reason=reason)
    _changed(card, entry, as_json, "Corrected by", store.locale)


def _set_enabled(code: str, db: str | None, as_json: bool, *, enabled: bool) -> None:
    with database(db) as engine:
        card = cards_admin.set_enabled(engine, code, enabled=enabled)
    if as_json:
        emit_json(card_json(card))
    else:
        click.echo(f"Card {card.masked} is now {card.status.value}; tills learn it at their next sync")


@card_group.command("disable")
@click.argument("code")
@db_option
@json_option
@refusals
def card_disable(code: str, db: str | None, as_json: bool) -> None:
    """Disable a lost or stolen card in every shop."""
    _set_enabled(code, db, as_json, enabled=False)


@card_group.command("enable")
@click.argument("code")
@db_option
@json_option
@refusals
def card_enable(code: str, db: str | None, as_json: bool) -> None:
    """Enable a disabled card again."""
    _set_enabled(code, db, as_json, enabled=True)


def _change(code: str, terms: NewTerms, reason: str, db: str | None, as_json: bool) -> None:
    with database(db) as engine:
        def work(conn: Connection) -> tuple[GiftCard, CardChange]:
            return cards_admin.change(conn, code, terms, reason=reason, at=now(), zone=store_zone(store_info(conn)))

        card, change = write(engine, work)
    if as_json:
        emit_json(change_json(change, card.code) | {"card": card_json(card)})
    else:
        click.echo(f"Card {card.code} changed (tills learn it at their next sync):")
        echo_change(change)


@card_group.command("extend")
@extend_options
@db_option
@json_option
@refusals
def card_extend(code: str, expires: str, reason: str, db: str | None, as_json: bool) -> None:
    """Extend the expiry of CODE to a later day, in every shop."""
    _change(code, new_terms(expires=expires), reason, db, as_json)


@card_group.command("set")
@set_terms_options
@db_option
@json_option
@refusals
def card_set(code: str, category: str | None, metadata: tuple[str, ...], reason: str, db: str | None,
             as_json: bool) -> None:
    """Change the category or metadata of CODE, in every shop."""
    _change(code, new_terms(category=category, metadata=metadata), reason, db, as_json)


@click.command("publish")
@publish_options
@db_option
@json_option
@refusals
def publish(code: str, source_id: str, name: str | None, email: str | None, phone: str | None, db: str | None,
            as_json: bool) -> None:
    """Give the card CODE to a customer (a card belongs to one customer only)."""
    with database(db) as engine:
        card, customer = write(engine, lambda conn: cards_admin.publish(conn, code, source_id, name=name,
                                                                       email=email, phone=phone, at=now()))
    if as_json:
        emit_json({"object": "publication", "customer_id": customer.id, "source_id": customer.source_id,
                   "voucher": card_json(card)})
    else:
        click.echo(f"Card {card.masked} now belongs to customer {customer.source_id!r} ({customer.id})")
