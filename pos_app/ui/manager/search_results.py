"""The Search page's results: cards whose code contains what was typed, with their campaign's name.

:func:`find_cards` runs on a reader thread (the session's search opens its own unit of work); managers see whole
codes, so the code column is not masked. The status words are the card panel's (``status_of``), so a card reads
the same on every screen.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, tzinfo

from pos_app.domain.cards import GiftCard
from pos_app.formatting import format_last_day
from pos_app.services.context import utc_now
from pos_app.ui.cashier.card_facts import status_of
from pos_app.ui.manager.card_text import money_text
from pos_app.ui.messages import tr
from pos_app.ui.session import TillSession
from pos_app.ui.table_model import Column, RowsModel

SEARCH_LIMIT = 200  # more than a manager reads; the page says when the list was cut there


@dataclass(frozen=True, slots=True)
class ResultRow:
    card: GiftCard
    campaign: str
    status: str  # the status badge's words, as of the search


@dataclass(frozen=True, slots=True)
class Results:
    text: str
    rows: list[ResultRow]

    @property
    def cut(self) -> bool:
        return len(self.rows) >= SEARCH_LIMIT


def find_cards(session: TillSession, text: str, *, now: datetime | None = None) -> Results:
    """Cards whose code contains ``text`` (any case), first found first (reader thread)."""
    cards = session.search(text, limit=SEARCH_LIMIT)
    names = campaign_names(session)
    at = now or utc_now()
    rows = [ResultRow(card=card, campaign=names.get(card.campaign_id or "", card.campaign_id or "—"),
                      status=status_of(card, at)[1]) for card in cards]
    return Results(text=text, rows=rows)


def campaign_names(session: TillSession) -> dict[str, str]:
    with session.till.new_reader() as uow:
        return {campaign.id: campaign.name for campaign in uow.campaigns.list()}


def _expiry_key(row: ResultRow) -> float:
    date = row.card.expiration_date
    return float("inf") if date is None else date.timestamp()


def results_model(locale: str, zone: tzinfo = UTC) -> RowsModel[ResultRow]:
    def expiry(row: ResultRow) -> str:
        date = row.card.expiration_date
        return tr("never") if date is None else format_last_day(date, zone=zone, locale=locale)

    columns: list[Column[ResultRow]] = [
        Column(tr("Code"), lambda r: r.card.code),
        Column(tr("Status"), lambda r: r.status),
        Column(tr("Balance"), lambda r: money_text(r.card.balance, r.card.currency, locale=locale),
               sort_key=lambda r: r.card.balance, right=True),
        Column(tr("Initial value"), lambda r: money_text(r.card.initial_amount, r.card.currency, locale=locale),
               sort_key=lambda r: r.card.initial_amount or 0, right=True),
        Column(tr("Expires"), expiry, sort_key=_expiry_key),
        Column(tr("Campaign"), lambda r: r.campaign),
    ]
    return RowsModel(columns)
