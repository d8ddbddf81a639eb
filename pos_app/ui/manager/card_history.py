"""A card's whole history for a manager: its entries as table rows, with the names of the people who made them.

Read on a reader thread (:func:`load_history`), shown with :func:`history_model` on the Cards page (where a
redemption is picked for a refund) and on the Search page. A row knows whether its redemption may still be
refunded: a redemption may be refunded in parts, several times, but its refunds never give back more than it
took (the ledger's rule), so one whose refunds in the history gave back all it took is not offered again.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field

from pos_app.domain.ledger import Entry, EntryKind
from pos_app.domain.money import Money
from pos_app.domain.terms import CardChange
from pos_app.formatting import format_datetime, format_money
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
    refunded: int = 0  # of a redemption: what its successful refunds gave back so far (minor units)

    @property
    def is_redemption(self) -> bool:
        return self.entry.kind is EntryKind.CREDITS_REDEMPTION and self.entry.succeeded

    @property
    def left(self) -> int:
        """What is left to refund of a redemption (0 for anything else)."""
        return max(0, -self.entry.amount - self.refunded) if self.is_redemption else 0

    @property
    def refunded_in_full(self) -> bool:
        return self.is_redemption and self.left == 0

    @property
    def refundable(self) -> bool:
        return self.left > 0


@dataclass(frozen=True, slots=True)
class CardHistory:
    view: CardView  # the card and its entries, newest first
    rows: list[HistoryRow]
    changes: list[CardChange] = field(default_factory=list)  # changes of its terms, newest first (a manager's)

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
    refunded: dict[uuid.UUID, int] = {}
    for e in view.recent:
        if e.refund_of is not None and e.succeeded:
            refunded[e.refund_of] = refunded.get(e.refund_of, 0) + e.amount
    rows = [
        HistoryRow(entry=e, person=names.get(e.operator_id or "", e.operator_id or "—"),
                   till=tr("This till") if e.device_id == here else e.device_id,
                   what=what_of(e, view.card), refunded=refunded.get(e.id, 0), balance=left)
        for e, left in zip(view.recent, view.balances, strict=True)
    ]
    return CardHistory(view=view, rows=rows, changes=session.card_changes(view.card.code))


def people(session: TillSession) -> dict[str, str]:
    """user id → name, for the people this till knows (the others show by id)."""
    with session.till.new_reader() as uow:
        return {user.id: user.name for user in uow.users.list()}


def history_model(locale: str, *, standalone: bool = True) -> RowsModel[HistoryRow]:
    def refused(row: HistoryRow) -> str | None:
        return None if row.entry.succeeded else REFUSED_COLOUR

    def kind(row: HistoryRow) -> str:
        if row.refunded_in_full:
            return row.what + tr(" · refunded")
        if row.refunded > 0:
            return row.what + tr(" · {amount} refunded").format(
                amount=format_money(Money(row.refunded, row.entry.currency), locale=locale))
        return row.what

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
