"""Head office's card operations on the server: disable and enable, top up and correct, change a card's terms
(expiry, category, metadata: kept in its audit trail), give a card to a customer, and look a card up with its
recent entries from every till and its changes.

Value changes and disabling are the till's own use cases (``services.cards``) run over the server's unit of work
(``server.uow``) by head office: the same rules, decided by the domain, as a manager's at a till. A publication
(head office's, or a till's through ``POST /sync/v1/publish``) runs in the caller's transaction with the till's
rule of a publication (``services.customers.decide_publication``). Each
change reaches the tills by pull (its lines in the change log); an entry is written confirmed, made on the
server itself (device :data:`~pos_app.server.conflicts.SERVER_DEVICE`, origin ``server``, no till number).
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import datetime, tzinfo

from sqlalchemy import Connection, Engine, insert, select, update

from pos_app.domain import errors
from pos_app.domain.cards import GiftCard, OperationContext
from pos_app.domain.codes import mask, normalise_readable
from pos_app.domain.ledger import Entry
from pos_app.domain.money import Money
from pos_app.domain.terms import CardChange, FieldChange, NewTerms, change_terms
from pos_app.server.conflicts import SERVER_DEVICE
from pos_app.server.db.engine import read
from pos_app.server.db.models import campaigns, card_changes, customers, entries
from pos_app.server.db.models import cards as cards_table
from pos_app.server.ledger import CARD, CUSTOMER, append_changes, lock_cards, log_one, new_id, save_cards
from pos_app.server.rows import card_from_row, entry_from_row
from pos_app.server.uow import ServerUnitOfWork, head_office
from pos_app.services import cards
from pos_app.services.customers import customer_fields, decide_publication
from pos_app.services.lookup import clean_code
from pos_app.services.ports import Customer

RECENT = 20


@dataclass(frozen=True, slots=True)
class CardView:
    card: GiftCard
    campaign: str | None
    entries: list[Entry]  # the most recent first
    changes: list[CardChange] = field(default_factory=list)  # its audit trail, the most recent first


def code_candidates(code: str) -> tuple[str, set[str]]:
    """The code as typed, and the codes it may mean (a readable code is forgiven its case, spaces, hyphens)."""
    typed = clean_code(code)
    return typed, {typed} | ({canonical} if (canonical := normalise_readable(typed)) else set())


def set_enabled(engine: Engine, code: str, *, enabled: bool) -> GiftCard:
    """Disable or enable the card with ``code``."""
    return cards.set_enabled(ServerUnitOfWork(engine), head_office(engine), code, enabled=enabled)


def top_up(engine: Engine, code: str, amount: Money, *, reason: str) -> tuple[GiftCard, Entry]:
    entry = cards.top_up(ServerUnitOfWork(engine), head_office(engine), code, amount, reason=_reason(reason))
    return _card(engine, entry), entry


def correct(engine: Engine, code: str, delta: Money, *, reason: str) -> tuple[GiftCard, Entry]:
    entry = cards.correct(ServerUnitOfWork(engine), head_office(engine), code, delta, reason=reason)
    return _card(engine, entry), entry


def _reason(reason: str) -> str | None:
    return reason.strip() or None


def _card(engine: Engine, entry: Entry) -> GiftCard:
    """The card as ``entry`` left it (read after the commit)."""
    row = read(engine, lambda conn: conn.execute(select(cards_table).where(cards_table.c.id == entry.card_id))
               .mappings().one())
    return card_from_row(row)


def locked_card(conn: Connection, code: str) -> GiftCard:
    """The card with ``code``, locked for this transaction."""
    typed, candidates = code_candidates(code)
    found = lock_cards(conn, [], candidates)
    card = next((c for c in found if c.code == typed), found[0] if found else None)
    if card is None:
        raise errors.NotFound(f"no card with code {mask(typed)}")
    return card


def change(conn: Connection, code: str, terms: NewTerms, *, reason: str, at: datetime,
           zone: tzinfo, device_id: str = SERVER_DEVICE, operator_id: str | None = None) -> tuple[GiftCard, CardChange]:
    """Change the terms of the card ``code`` by the domain's rules (``zone``: the shop's, in which a last day
    ends), with its change-log line and a line of its audit trail (``device_id``: where it was changed, the server
    itself or an API key; ``operator_id``: who, a console user — ``staff.operator_of`` — or nobody in particular)."""
    card = locked_card(conn, code)
    made = change_terms(card, terms, OperationContext(at=at, zone=zone, device_id=device_id,
                                                      operator_id=operator_id, reason=reason), zone=zone)
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
            phone: str | None = None, at: datetime) -> tuple[GiftCard, Customer]:
    """Give the card to the customer known as ``source_id`` (made on first use; the details given replace the ones
    kept); returns the card and the customer. A card belongs to one customer only. Both reach the tills by pull
    (the customer's line first)."""
    fields = customer_fields(source_id, name, email, phone)
    card = locked_card(conn, code)
    row = conn.execute(select(customers).where(customers.c.source_id == fields[0]).with_for_update()).first()
    known = None if row is None else Customer(id=row.id, source_id=row.source_id, name=row.name, email=row.email,
                                               phone=row.phone)
    decision = decide_publication(card, known, fields, new_customer_id=new_id("cust"))
    customer = decision.customer
    details = {"name": customer.name, "email": customer.email, "phone": customer.phone}
    if known is None:
        conn.execute(insert(customers).values(id=customer.id, source_id=customer.source_id, created_at=at, **details))
    elif decision.customer_changed:
        conn.execute(update(customers).where(customers.c.id == customer.id).values(**details))
    lines = [(CUSTOMER, customer.id)] if decision.customer_changed else []
    if decision.card_changed:
        save_cards(conn, [card])
        lines.append((CARD, card.id))
    append_changes(conn, lines)  # the customer's line first: a till pulls them before the card that names them
    return card, customer


def show(conn: Connection, code: str, *, recent: int = RECENT) -> CardView:
    typed, candidates = code_candidates(code)
    rows = conn.execute(select(cards_table).where(cards_table.c.code.in_(sorted(candidates)))).mappings().all()
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
