"""A card's whole history for a manager: its entries as table rows, with the names of the people who made them.

Read on a reader thread (:func:`load_history`), shown with :func:`history_model` on the Cards page (where a
redemption is picked for a refund) and on the Search page. A row knows whether its redemption may still be
refunded: a redemption is refunded at most once (the ledger's rule), so one that already has a refund entry in
the history is not offered again.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from pos_app.domain.ledger import Entry, EntryKind
from pos_app.formatting import format_datetime
from pos_app.services.cards import CardView
from pos_app.ui.cashier.card_facts import REFUSED_COLOUR, what_of
from pos_app.ui.manager.card_text import entry_status_text, signed_money
from pos_app.ui.messages import tr
from pos_app.ui.session import TillSession
from pos_app.ui.table_model import Column, RowsModel

PANEL_ENTRIES = 8  # what the card panel shows of the history


@dataclass(frozen=True, slots=True)
class HistoryRow:
    entry: Entry
    person: str  # who made it (their name when this till knows them)
    till: str  # "This till" or the other till's device id
    what: str = ""  # Activated, Topped up, Redeemed, Refused: … (the card panel's words)
    balance: int = 0  # the card's balance after it, in the ledger's order (``CardView.balances``)
    refunded: bool = False  # a redemption that has its refund already

    @property
    def refundable(self) -> bool:
        entry = self.entry
        return entry.kind is EntryKind.CREDITS_REDEMPTION and entry.succeeded and not self.refunded


@dataclass(frozen=True, slots=True)
class CardHistory:
    view: CardView  # the card and its entries, newest first
    rows: list[HistoryRow]

    @property
    def panel_view(self) -> CardView:
        """What the card panel shows: the card and only its last few entries."""
        return CardView(card=self.view.card, recent=self.view.recent[:PANEL_ENTRIES],
                        masked_code=self.view.masked_code)


def load_history(session: TillSession, code: str) -> CardHistory:
    """The card ``code`` and every entry of it (reader thread: opens its own units of work)."""
    view = session.history(code)
    names = people(session)
    here = session.profile.device_id
    refunded: set[uuid.UUID] = {e.refund_of for e in view.recent if e.refund_of is not None and e.succeeded}
    rows = [
        HistoryRow(entry=e, person=names.get(e.operator_id or "", e.operator_id or "—"),
                   till=tr("This till") if e.device_id == here else e.device_id,
                   what=what_of(e, view.card), refunded=e.id in refunded, balance=left)
        for e, left in zip(view.recent, view.balances, strict=True)
    ]
    return CardHistory(view=view, rows=rows)


def people(session: TillSession) -> dict[str, str]:
    """user id → name, for the people this till knows (the others show by id)."""
    with session.till.new_reader() as uow:
        return {user.id: user.name for user in uow.users.list()}


def history_model(locale: str, *, standalone: bool = True) -> RowsModel[HistoryRow]:
    def refused(row: HistoryRow) -> str | None:
        return None if row.entry.succeeded else REFUSED_COLOUR

    def kind(row: HistoryRow) -> str:
        return row.what + tr(" · refunded") if row.refunded else row.what

    columns: list[Column[HistoryRow]] = [
        Column(tr("Time"), lambda r: format_datetime(r.entry.created_at, locale=locale),
               sort_key=lambda r: r.entry.created_at),
        Column(tr("What"), kind, colour=refused),
        Column(tr("Amount"), lambda r: signed_money(r.entry.amount, r.entry.currency, locale=locale),
               sort_key=lambda r: r.entry.amount, right=True, colour=refused),
        Column(tr("Balance after"), lambda r: signed_money(r.balance, r.entry.currency, locale=locale).lstrip("+"),
               sort_key=lambda r: r.balance, right=True),
        Column(tr("Till"), lambda r: r.till),
        Column(tr("Person"), lambda r: r.person),
        Column(tr("Order ref"), lambda r: r.entry.order_ref or ""),
        Column(tr("Reason"), lambda r: r.entry.reason or "", tooltip=lambda r: r.entry.reason),
        Column(tr("Status"), lambda r: entry_status_text(r.entry, standalone=standalone), colour=refused,
               tooltip=lambda r: entry_status_text(r.entry, standalone=standalone)),
    ]
    return RowsModel(columns)
