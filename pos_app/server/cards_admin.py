"""Head office's card operations on the server: disable and enable, top up and correct, change a card's terms
(expiry, category, metadata: kept in its audit trail), give a card to a customer, and look a card up with its
recent entries from every till and its changes.

Every change reaches the tills by pull (its lines in the change log). A value change is decided by the domain
(``operations.decide``, the rules the tills and the online path use) and written as a confirmed entry made on the
server itself (device :data:`~pos_app.server.conflicts.SERVER_DEVICE`, origin ``server``, no till number), the
way a conflict's resolution writes its entry.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field, replace
from datetime import datetime, tzinfo

from sqlalchemy import Connection, insert, select

from pos_app.domain import errors
from pos_app.domain.cards import GiftCard, OperationContext
from pos_app.domain.codes import mask, normalise_readable
from pos_app.domain.ledger import Entry, EntryStatus
from pos_app.domain.money import Money
from pos_app.domain.operations import Correct, Policy, TopUp, decide
from pos_app.domain.terms import CardChange, FieldChange, NewTerms, change_terms
from pos_app.server import authority
from pos_app.server.conflicts import SERVER_DEVICE
from pos_app.server.db.models import campaigns, card_changes, cards, customers, entries
from pos_app.server.ledger import CARD, ENTRY, append_changes, lock_cards, log_one, new_id, save_cards
from pos_app.server.rows import card_from_row, entry_from_row, entry_to_row
from pos_app.services.customers import customer_fields
from pos_app.services.lookup import clean_code

RECENT = 20


@dataclass(frozen=True, slots=True)
class CardView:
    card: GiftCard
    campaign: str | None
    entries: list[Entry]  # the most recent first
    changes: list[CardChange] = field(default_factory=list)  # its audit trail, the most recent first


def _candidates(code: str) -> tuple[str, set[str]]:
    """The code as typed, and the codes it may mean (a readable code is forgiven its case, spaces, hyphens)."""
    typed = clean_code(code)
    return typed, {typed} | ({canonical} if (canonical := normalise_readable(typed)) else set())


def locked_card(conn: Connection, code: str) -> GiftCard:
    """The card with ``code``, locked for this transaction."""
    typed, candidates = _candidates(code)
    found = lock_cards(conn, [], candidates)
    card = next((c for c in found if c.code == typed), found[0] if found else None)
    if card is None:
        raise errors.NotFound(f"no card with code {mask(typed)}")
    return card


def set_enabled(conn: Connection, code: str, *, enabled: bool) -> GiftCard:
    """Disable or enable the card with ``code``."""
    card = locked_card(conn, code)
    if enabled:
        card.enable()
    else:
        card.disable()
    save_cards(conn, [card])
    log_one(conn, CARD, card.id)
    return card


def top_up(conn: Connection, code: str, amount: Money, *, reason: str, at: datetime) -> tuple[GiftCard, Entry]:
    card = locked_card(conn, code)
    entry = decide(card, TopUp(amount), _context(at, reason), policy=head_office(conn))
    return card, record(conn, card, entry, at)


def correct(conn: Connection, code: str, delta: Money, *, reason: str, at: datetime) -> tuple[GiftCard, Entry]:
    card = locked_card(conn, code)
    entry = decide(card, Correct(delta), _context(at, reason), policy=head_office(conn))
    return card, record(conn, card, entry, at)


def head_office(conn: Connection) -> Policy:
    """Head office's maxima of a card; the daily cap is a till's, not head office's own."""
    return replace(authority.policy(conn, SERVER_DEVICE), daily_created_per_till=None)


def _context(at: datetime, reason: str) -> OperationContext:
    return OperationContext(at=at, device_id=SERVER_DEVICE, operator_id=None, reason=reason.strip() or None)


def record(conn: Connection, card: GiftCard, entry: Entry, at: datetime) -> Entry:
    """Save ``card`` and write ``entry`` (made on the server) as confirmed, each with its change-log line."""
    save_cards(conn, [card])
    _, seq = append_changes(conn, [(CARD, card.id), (ENTRY, str(entry.id))])
    entry = replace(entry, status=EntryStatus.CONFIRMED, server_seq=seq)
    conn.execute(insert(entries), entry_to_row(entry, received_at=at, origin="server"))
    return entry


def change(conn: Connection, code: str, terms: NewTerms, *, reason: str, at: datetime,
           zone: tzinfo) -> tuple[GiftCard, CardChange]:
    """Change the terms of the card ``code`` by the domain's rules (``zone``: the shop's, in which a last day
    ends), with its change-log line and a line of its audit trail."""
    card = locked_card(conn, code)
    made = change_terms(card, terms, OperationContext(at=at, device_id=SERVER_DEVICE, operator_id=None,
                                                      reason=reason), zone=zone)
    save_cards(conn, [card])
    log_one(conn, CARD, card.id)
    conn.execute(insert(card_changes), {
        "id": str(made.id), "card_id": made.card_id, "code": made.code,
        "changes": [[c.name, c.before, c.after] for c in made.changes], "reason": made.reason,
        "device_id": made.device_id, "operator_id": made.operator_id, "created_at": made.created_at,
    })
    return card, made


def changes_of(conn: Connection, card_id: str, *, recent: int = RECENT) -> list[CardChange]:
    rows = conn.execute(select(card_changes).where(card_changes.c.card_id == card_id)
                        .order_by(card_changes.c.created_at.desc()).limit(recent))
    return [CardChange(id=uuid.UUID(r.id), card_id=r.card_id, code=r.code,
                       changes=tuple(FieldChange(n, b, a) for n, b, a in r.changes), reason=r.reason,
                       device_id=r.device_id, operator_id=r.operator_id, created_at=r.created_at) for r in rows]


def publish(conn: Connection, code: str, source_id: str, *, name: str | None, email: str | None,
            at: datetime) -> tuple[GiftCard, str]:
    """Give the card to the customer known as ``source_id`` (made on first use); returns the card and the
    customer's id. A card belongs to one customer only."""
    source, name, email = customer_fields(source_id, name, email)
    card = locked_card(conn, code)
    customer_id = conn.execute(select(customers.c.id).where(customers.c.source_id == source)).scalar_one_or_none()
    if customer_id is None:
        customer_id = new_id("cust")
        conn.execute(insert(customers).values(id=customer_id, source_id=source, name=name, email=email,
                                              created_at=at))
    if card.customer_id == customer_id:
        return card, customer_id
    card.publish(customer_id)
    save_cards(conn, [card])
    log_one(conn, CARD, card.id)
    return card, customer_id


def show(conn: Connection, code: str, *, recent: int = RECENT) -> CardView:
    typed, candidates = _candidates(code)
    rows = conn.execute(select(cards).where(cards.c.code.in_(sorted(candidates)))).mappings().all()
    found = [card_from_row(r) for r in rows]
    card = next((c for c in found if c.code == typed), found[0] if found else None)
    if card is None:
        raise errors.NotFound(f"no card with code {mask(typed)}")
    campaign = None if card.campaign_id is None else conn.execute(
        select(campaigns.c.name).where(campaigns.c.id == card.campaign_id)).scalar_one_or_none()
    latest = conn.execute(select(entries).where(entries.c.card_id == card.id)
                          .order_by(entries.c.server_seq.desc()).limit(recent)).mappings()
    return CardView(card=card, campaign=campaign, entries=[entry_from_row(r) for r in latest],
                    changes=changes_of(conn, card.id, recent=recent))
