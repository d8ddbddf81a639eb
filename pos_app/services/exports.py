"""Exports as CSV for machines (a header row, then one row per voucher / transaction / redemption).

Amounts are integer minor units and dates ISO-8601 in UTC (``2027-12-31T23:00:00Z``), as on Voucherify's API,
so that a voucher export can be imported again (see :mod:`pos_app.services.imports`). Everything is streamed
from the store; nothing is loaded into a list first. Files for people (major units, local dates) are made at the
edge, with Babel. Every export, the till's and the server's, is written by :func:`write_csv`, which escapes the
cells a spreadsheet would run as formulas.

- ``transactions``: the successful ledger entries (money that moved); refused attempts are in ``redemptions``.
- ``redemptions``: every redemption attempt, successful or not; ``status`` is ``ROLLED_BACK`` once a refund of
  it exists (``refunded_amount`` says how much its refunds gave back in all), ``FAILED`` for a refused attempt,
  else ``SUCCEEDED``.
"""

from __future__ import annotations

import csv
import json
import re
from collections import OrderedDict
from collections.abc import Callable, Iterable, Sequence
from datetime import UTC, datetime
from typing import TextIO

from pos_app.domain import errors
from pos_app.domain.cards import CardStatus, GiftCard
from pos_app.domain.ledger import Entry, EntryKind
from pos_app.domain.people import Permission
from pos_app.services.context import Caller
from pos_app.services.ports import UnitOfWork

VOUCHER_COLUMNS = (
    "code", "voucher_type", "value", "initial_amount", "campaign", "category", "start_date", "expiration_date",
    "gift_balance", "redemption_quantity", "redemption_count", "active", "status", "currency", "customer_id",
    "metadata", "created_at",
)
TRANSACTION_COLUMNS = (
    "id", "voucher_code", "campaign", "type", "amount", "balance_after", "currency", "created_at", "device_id",
    "device_seq", "operator_id", "reason", "order_ref", "related_redemption_id", "status",
)
REDEMPTION_COLUMNS = (
    "id", "voucher_code", "amount", "currency", "result", "status", "failure_code", "refunded_amount",
    "created_at", "device_id", "operator_id", "order_ref",
)
_CARD_CACHE = 10_000  # card id → campaign name, for the transactions export


def iso_utc(when: datetime | None) -> str:
    """``2027-12-31T23:00:00Z`` (microseconds kept when there are any, so that a round trip is exact)."""
    return "" if when is None else when.astimezone(UTC).isoformat().replace("+00:00", "Z")


def _text(value: object) -> str:
    return "" if value is None else str(value)


def write_csv(out: TextIO, columns: Sequence[str], rows: Iterable[Sequence[object]]) -> int:
    """The one writer of an export's CSV, the till's and the server's: the header, then each row with the cells a
    spreadsheet would run as formulas escaped (:func:`spreadsheet_safe`); returns how many rows."""
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(columns)
    written = 0
    for row in rows:
        writer.writerow(spreadsheet_safe(row))
        written += 1
    return written


def export_vouchers(uow: UnitOfWork, caller: Caller, out: TextIO, *, campaign_id: str | None = None) -> int:
    caller.require(Permission.IMPORT_EXPORT)
    with uow:
        names = {c.id: c.name for c in uow.campaigns.list()}
        if campaign_id is not None and campaign_id not in names:
            raise errors.NotFound(f"no campaign {campaign_id}")
        return write_csv(out, VOUCHER_COLUMNS, (voucher_row(card, names.get(card.campaign_id or "", ""))
                                                for card in uow.cards.iter_all(campaign_id)))


def export_transactions(uow: UnitOfWork, caller: Caller, out: TextIO, *, since: datetime | None = None,
                        until: datetime | None = None) -> int:
    caller.require(Permission.IMPORT_EXPORT)
    with uow:
        campaign_of = _campaign_names(uow)
        return write_csv(out, TRANSACTION_COLUMNS, (transaction_row(e, campaign_of(e.card_id))
                                                    for e in uow.entries.iter_all(since, until) if e.succeeded))


def export_redemptions(uow: UnitOfWork, caller: Caller, out: TextIO, *, since: datetime | None = None,
                       until: datetime | None = None) -> int:
    caller.require(Permission.IMPORT_EXPORT)
    with uow:
        def row(e: Entry) -> tuple[object, ...]:
            refunded = uow.entries.refunded(e.id) if e.succeeded else 0
            return redemption_row(e, refunded or None)

        return write_csv(out, REDEMPTION_COLUMNS, (row(e) for e in uow.entries.iter_all(since, until)
                                                   if e.kind is EntryKind.CREDITS_REDEMPTION))


def voucher_row(card: GiftCard, campaign: str) -> tuple[object, ...]:
    """One line of ``VOUCHER_COLUMNS`` (the till's and the server's exports write these)."""
    return (
        card.code, "GIFT_VOUCHER", card.loaded, _text(card.initial_amount), campaign, _text(card.category),
        iso_utc(card.start_date), iso_utc(card.expiration_date), card.balance, _text(card.redemption_limit),
        card.redemption_count, "true" if card.status is CardStatus.ACTIVE else "false", card.status.value,
        card.currency, _text(card.customer_id),
        json.dumps(card.metadata, ensure_ascii=False) if card.metadata else "", iso_utc(card.created_at),
    )


def transaction_row(e: Entry, campaign: str) -> tuple[object, ...]:
    """One line of ``TRANSACTION_COLUMNS``: a successful entry."""
    return (
        e.id, e.code, campaign, e.kind.value, e.amount, e.balance_after, e.currency, iso_utc(e.created_at),
        e.device_id, e.device_seq, _text(e.operator_id), _text(e.reason), _text(e.order_ref), _text(e.refund_of),
        e.status.value,
    )


def redemption_row(e: Entry, refunded: int | None) -> tuple[object, ...]:
    """One line of ``REDEMPTION_COLUMNS``: a redemption attempt; ``refunded``: what its refunds gave back
    (None: none)."""
    status = "FAILED" if not e.succeeded else "ROLLED_BACK" if refunded is not None else "SUCCEEDED"
    return (
        e.id, e.code, -e.amount, e.currency, e.result.value, status, _text(e.error_key), _text(refunded),
        iso_utc(e.created_at), e.device_id, _text(e.operator_id), _text(e.order_ref),
    )


_NUMBER = re.compile(r"[+-]?\d+(?:\.\d+)?")  # a plain number is no formula: it stays one


def spreadsheet_safe(row: Iterable[object]) -> list[object]:
    """The row with every text cell that a spreadsheet would run as a formula (``=``, ``+``, ``-``, ``@``, a tab
    or a carriage return first) prefixed with ``'``; numbers, and text that is just a number, stay as they are.
    Exports end up in spreadsheets: a cashier's order reference ``=cmd|…`` or a code imported as
    ``=HYPERLINK(…)`` shows there as text. (An import of such a file keeps the ``'``: such codes are rare, and a
    code that runs as a formula is worse.)"""
    return [f"'{cell}" if isinstance(cell, str) and cell[:1] in _FORMULA_START and not _NUMBER.fullmatch(cell)
            else cell for cell in row]


_FORMULA_START = frozenset("=+-@\t\r")


def _campaign_names(uow: UnitOfWork) -> Callable[[str], str]:
    """Card id → its campaign's name, through a bounded cache (entries of one card come close together)."""
    names = {c.id: c.name for c in uow.campaigns.list()}
    cache: OrderedDict[str, str] = OrderedDict()

    def campaign_of(card_id: str) -> str:
        if card_id in cache:
            cache.move_to_end(card_id)
            return cache[card_id]
        card = uow.cards.get(card_id)
        name = names.get(card.campaign_id or "", "") if card is not None else ""
        cache[card_id] = name
        if len(cache) > _CARD_CACHE:
            cache.popitem(last=False)
        return name

    return campaign_of
