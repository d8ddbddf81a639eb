"""``pos-server export``: vouchers, transactions and redemptions of the whole chain as CSV, in the till's columns
(``services.exports``: minor units, UTC ISO dates) with every cell a spreadsheet would run as a formula escaped.

Rows are streamed from the database in ``server_seq`` (entries) or creation order (cards), never loaded whole.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any, TextIO

from sqlalchemy import Connection, and_, func, select
from sqlalchemy.orm import aliased

from pos_app.domain.ledger import EntryKind, EntryResult
from pos_app.server.db.models import campaigns, cards, entries
from pos_app.server.rows import card_from_row, entry_from_row
from pos_app.services.exports import (
    REDEMPTION_COLUMNS,
    TRANSACTION_COLUMNS,
    VOUCHER_COLUMNS,
    redemption_row,
    transaction_row,
    voucher_row,
    write_csv,
)

BATCH = 1000


def _stream(conn: Connection, stmt: Any) -> Iterator[Any]:
    result = conn.execution_options(yield_per=BATCH).execute(stmt).mappings()
    yield from result


def export_vouchers(conn: Connection, out: TextIO) -> int:
    stmt = (select(cards, campaigns.c.name.label("campaign_name"))
            .outerjoin(campaigns, campaigns.c.id == cards.c.campaign_id).order_by(cards.c.created_at, cards.c.id))
    return write_csv(out, VOUCHER_COLUMNS,
                  (voucher_row(card_from_row(r), r["campaign_name"] or "") for r in _stream(conn, stmt)))


def export_transactions(conn: Connection, out: TextIO) -> int:
    stmt = (select(entries, campaigns.c.name.label("campaign_name"))
            .join(cards, cards.c.id == entries.c.card_id)
            .outerjoin(campaigns, campaigns.c.id == cards.c.campaign_id)
            .where(entries.c.result == EntryResult.SUCCESS.value).order_by(entries.c.server_seq))
    return write_csv(out, TRANSACTION_COLUMNS,
                  (transaction_row(entry_from_row(r), r["campaign_name"] or "") for r in _stream(conn, stmt)))


def export_redemptions(conn: Connection, out: TextIO) -> int:
    refund = aliased(entries)
    refunds = (select(refund.c.refund_of, func.sum(refund.c.amount).label("refunded"))
               .where(refund.c.result == EntryResult.SUCCESS.value, refund.c.refund_of.is_not(None))
               .group_by(refund.c.refund_of).subquery())
    stmt = (select(entries, refunds.c.refunded)
            .outerjoin(refunds, and_(refunds.c.refund_of == entries.c.id,
                                     entries.c.result == EntryResult.SUCCESS.value))
            .where(entries.c.kind == EntryKind.CREDITS_REDEMPTION.value).order_by(entries.c.server_seq))
    return write_csv(out, REDEMPTION_COLUMNS,
                  (redemption_row(entry_from_row(r), r["refunded"]) for r in _stream(conn, stmt)))


EXPORTERS: dict[str, Callable[[Connection, TextIO], int]] = {
    "vouchers": export_vouchers,
    "transactions": export_transactions,
    "redemptions": export_redemptions,
}
