"""Words for a card's ledger entries that only the manager's tables show: where an entry stands with the
server, and amounts that always say which way the money went.

The card's status and what an entry did are the card panel's words (``ui.cashier.card_facts``), so that a card
reads the same on every screen; these are the extra columns of the manager's history and its CSV export.
"""

from __future__ import annotations

from pos_app.domain.errors import GiftCardError
from pos_app.domain.ledger import Entry, EntryStatus
from pos_app.domain.money import Money
from pos_app.formatting import format_money
from pos_app.ui.messages import sentence, tr


def entry_status_text(entry: Entry, *, standalone: bool = True) -> str:
    """Where the entry stands with the central server; a standalone till has none, and its entries are simply
    "Recorded here"."""
    if not entry.succeeded:
        return refusal_text(entry.error_key)
    return {
        EntryStatus.LOCAL: tr("Recorded here") if standalone else tr("Not synced yet"),
        EntryStatus.CONFIRMED: tr("Confirmed"),
        EntryStatus.PROVISIONAL: tr("Provisional (offline)"),
        EntryStatus.CONFLICT: tr("Conflict"),
    }.get(entry.status, str(entry.status))


def refusal_text(key: str | None) -> str:
    """The cashier's sentence for a refused attempt's error key, as the till showed it then."""
    recorded = GiftCardError()
    recorded.key = key or "error"  # the entry keeps the key only; the sentence is chosen by it
    return sentence(recorded)


def signed_money(minor: int, currency: str, *, locale: str) -> str:
    """``+€50.00`` / ``-€12.50``: ledger amounts always show which way the money went."""
    text = format_money(Money(minor, currency), locale=locale)
    return f"+{text}" if minor > 0 else text


def money_text(minor: int | None, currency: str, *, locale: str) -> str:
    return "—" if minor is None else format_money(Money(minor, currency), locale=locale)
