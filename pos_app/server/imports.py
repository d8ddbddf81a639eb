"""``pos-server import``: cards from a CSV or JSON file onto the server's ledger, all or nothing.

The file is read and checked by the till's own import (``services.imports.read_file``: the same columns, the same
rules, each problem named by its line), then against the server's ledger (codes that exist, a campaign in another
currency). With any problem nothing is written. Otherwise one transaction writes the cards, the entries that give
them their value and balance (``services.imports.build_card``: made on the server, confirmed), the campaigns the
file names that did not exist, and a change-log line for each, so that every till pulls them.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import asdict, replace
from datetime import datetime

from sqlalchemy import Connection, Engine, insert, select, update

from pos_app.domain import errors
from pos_app.domain.cards import Campaign, GiftCard, OperationContext
from pos_app.domain.codes import mask
from pos_app.domain.ledger import Entry, EntryStatus
from pos_app.server.conflicts import SERVER_DEVICE
from pos_app.server.db.engine import read, write
from pos_app.server.db.models import campaigns, cards, entries
from pos_app.server.ledger import (
    CAMPAIGN,
    CARD,
    ENTRY,
    append_changes,
    bulk_insert,
    log_one,
    new_id,
    store_info,
    store_zone,
)
from pos_app.server.rows import card_to_row, entry_to_row
from pos_app.services.imports import ImportResult, ImportRow, Problems, Source, build_card, read_file

CHUNK = 500  # codes looked up at a time


def import_cards(engine: Engine, source: Source, *, fmt: str, at: datetime) -> ImportResult:
    if fmt not in ("csv", "json"):
        raise errors.InvalidPayload(f"unknown import format {fmt!r}; use csv or json")
    store = read(engine, store_info)
    currency = store.currency
    parsed = read_file(source, fmt=fmt, currency=currency, zone=store_zone(store))
    return import_rows(engine, parsed.rows, at=at, problems=parsed.problems, ignored=parsed.ignored)


def import_rows(engine: Engine, rows: list[ImportRow], *, at: datetime, problems: Problems | None = None,
                ignored: tuple[str, ...] = ()) -> ImportResult:
    """Cards checked already by the till's import rules (``services.imports``) onto the ledger, all or nothing:
    a code that exists already is ``duplicate_found`` (the Voucherify API's vouchers and imports come here too)."""
    found = Problems() if problems is None else problems

    def work(conn: Connection) -> ImportResult:
        currency = store_info(conn).currency
        known = _check_ledger(conn, rows, currency, found)
        found.raise_if_any()
        return _write(conn, rows, known, currency=currency, at=at, ignored=ignored)

    return write(engine, work)


def _check_ledger(conn: Connection, rows: list[ImportRow], currency: str, problems: Problems) -> dict[str, Campaign]:
    """Codes on the server already and campaigns in another currency are problems; returns the campaigns found."""
    for i in range(0, len(rows), CHUNK):
        chunk = rows[i : i + CHUNK]
        taken = set(conn.execute(select(cards.c.code).where(cards.c.code.in_([r.code for r in chunk]))).scalars())
        for row in chunk:
            if row.code in taken:
                problems.add(row.where, errors.DuplicateFound(f"card {mask(row.code)} exists on the server"))
    names = list(dict.fromkeys(r.campaign for r in rows if r.campaign))
    found = {r["name"]: Campaign(**dict(r)) for r in
             conn.execute(select(campaigns).where(campaigns.c.name.in_(names))).mappings()} if names else {}
    for name, campaign in found.items():
        if campaign.currency != currency:
            first = next(r.where for r in rows if r.campaign == name)
            problems.add(first, errors.CurrencyMismatch(f"campaign {name!r} is in {campaign.currency}"))
    return found


def _write(conn: Connection, rows: list[ImportRow], known: dict[str, Campaign], *, currency: str, at: datetime,
           ignored: tuple[str, ...]) -> ImportResult:
    made: dict[str, Campaign] = {}
    for name in dict.fromkeys(r.campaign for r in rows if r.campaign and r.campaign not in known):
        value = next(r.value for r in rows if r.campaign == name)
        made[name] = Campaign(id=new_id("camp"), name=name, currency=currency, amount=value, code_config={},
                              created_at=at)
        conn.execute(insert(campaigns).values(**asdict(made[name])))
        log_one(conn, CAMPAIGN, made[name].id)
    by_name = known | made
    ctx = OperationContext(at=at, zone=store_zone(store_info(conn)), device_id=SERVER_DEVICE, operator_id=None)
    built = [build_card(row, by_name.get(row.campaign) if row.campaign else None, currency, ctx) for row in rows]
    entry_count = write_built(conn, built, at=at)
    counts = Counter(card.campaign_id for card, _ in built if card.campaign_id is not None)
    for campaign_id, n in counts.items():
        conn.execute(update(campaigns).where(campaigns.c.id == campaign_id)
                     .values(vouchers_count=campaigns.c.vouchers_count + n))
        log_one(conn, CAMPAIGN, campaign_id)
    return ImportResult(cards=len(built), entries=entry_count, campaigns_created=len(made),
                        ignored_columns=ignored)


def write_built(conn: Connection, built: list[tuple[GiftCard, list[Entry]]], *, at: datetime) -> int:
    """Cards made with their entries (``build_card``) onto the ledger, confirmed, with a change-log line for each
    card and entry (tills pull them); returns how many entries. The campaigns' counts are the caller's."""
    bulk_insert(conn, cards, [card_to_row(card) for card, _ in built])
    made_entries = [entry for _, card_entries in built for entry in card_entries]
    seqs = append_changes(conn, [(CARD, card.id) for card, _ in built]
                          + [(ENTRY, str(entry.id)) for entry in made_entries])[len(built):]
    entry_rows = [entry_to_row(replace(entry, status=EntryStatus.CONFIRMED, server_seq=seq), received_at=at,
                               origin="server") for entry, seq in zip(made_entries, seqs, strict=True)]
    bulk_insert(conn, entries, entry_rows)
    return len(entry_rows)
