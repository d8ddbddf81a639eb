"""A card's history as a CSV file for people (a spreadsheet, a customer's complaint), written off the GUI thread.

Amounts are written twice: as people read them in the shop's locale, and as a plain decimal number with its
currency (what a spreadsheet sums). Times are ISO 8601 in UTC, so that files from tills in different time
zones sort together. The code is written whole: only a manager can export.
"""

from __future__ import annotations

import csv
from collections.abc import Sequence
from datetime import UTC
from decimal import Decimal
from pathlib import Path

from pos_app.domain.money import exponent
from pos_app.services.exports import spreadsheet_safe
from pos_app.ui.manager.card_history import HistoryRow
from pos_app.ui.manager.card_text import entry_status_text, signed_money

HEADER = ("entry_id", "code", "time_utc", "what", "amount", "amount_decimal", "currency", "balance_after",
          "till", "person", "order_ref", "reason", "status", "refund_of")


def write_history_csv(path: Path, rows: Sequence[HistoryRow], *, locale: str, standalone: bool = True) -> int:
    """Write ``rows`` to ``path`` (replacing it, via a temporary file); returns the number of rows written."""
    temporary = path.with_name(path.name + ".part")
    with temporary.open("w", newline="", encoding="utf-8") as out:
        writer = csv.writer(out)
        writer.writerow(HEADER)
        for row in rows:
            entry = row.entry
            writer.writerow(spreadsheet_safe((
                str(entry.id), entry.code, entry.created_at.astimezone(UTC).isoformat(), row.what,
                signed_money(entry.amount, entry.currency, locale=locale),
                str(Decimal(entry.amount).scaleb(-exponent(entry.currency))), entry.currency,
                str(Decimal(entry.balance_after).scaleb(-exponent(entry.currency))),
                row.till, row.person, entry.order_ref or "", entry.reason or "",
                entry_status_text(entry, standalone=standalone), str(entry.refund_of or ""),
            )))
    temporary.replace(path)
    return len(rows)
