"""Pull: everything that changed after a till's cursor, a page at a time (``GET /sync/v1/pull``).

A page is the next ``limit`` lines of the change log after ``cursor`` in pull order (keyset on ``pos``, a line's
place, see ``ledger``; never OFFSET, so the hundredth page of a 100,000-card campaign costs what the first does).
It carries the *current* state of the campaigns, customers, cards and users those lines name (a state may
already include changes of later lines; a card's ``version`` only grows), the entries they name (every till's,
the asking till's own too, with the server's ``server_seq``, ``status`` and ``balance_after``), and always the
store (in the asking till's shop's time zone) and the offline limits that till works under. ``next_cursor`` is
the last line's ``pos`` (the cursor itself on an empty page); ``has_more`` says whether another page is waiting.
On PostgreSQL the route first places the lines committed since (``ledger.place_changes``), in a transaction of
its own.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Connection, Select, and_, bindparam, select

from pos_app.domain.people import Role
from pos_app.server.db.models import campaigns, cards, changes, customers, entries, users
from pos_app.server.ledger import CAMPAIGN, CARD, CUSTOMER, ENTRY, USER
from pos_app.server.rows import card_from_row, entry_from_row
from pos_app.server.rules import ASSIGNMENT, RULE, wire_rules
from pos_app.server.shops import till_store
from pos_app.server.tills import limits_for
from pos_app.sync.convert import card_to_wire, entry_to_wire
from pos_app.sync.schemas import PullResponse, WireCampaign, WireCustomer, WireUser

_PAGE = (
    select(changes.c.pos, changes.c.kind)
    .where(changes.c.pos > bindparam("cursor"))
    .order_by(changes.c.pos)
    .limit(bindparam("limit"))
)


def _named(kind: str) -> Select[tuple[str]]:
    """The ids that the page's lines of ``kind`` name (a sub-select on the same range of places)."""
    return select(changes.c.ref_id).where(
        and_(changes.c.pos > bindparam("cursor"), changes.c.pos <= bindparam("last"), changes.c.kind == kind)
    )


_CAMPAIGNS = select(campaigns).where(campaigns.c.id.in_(_named(CAMPAIGN))).order_by(campaigns.c.id)
_CUSTOMERS = select(customers).where(customers.c.id.in_(_named(CUSTOMER))).order_by(customers.c.id)
_CARDS = select(cards).where(cards.c.id.in_(_named(CARD))).order_by(cards.c.id)
_ENTRIES = select(entries).where(entries.c.id.in_(_named(ENTRY))).order_by(entries.c.server_seq)
_USERS = select(users).where(users.c.id.in_(_named(USER))).order_by(users.c.id)


def pull(conn: Connection, cursor: int, limit: int, at: datetime, device_id: str) -> PullResponse:
    """A page for the till ``device_id``: the store in its shop's time zone, the limits it works under."""
    lines = conn.execute(_PAGE, {"cursor": cursor, "limit": limit + 1}).all()
    has_more = len(lines) > limit
    page = lines[:limit]
    last = page[-1].pos if page else cursor
    kinds = {line.kind for line in page}
    bounds = {"cursor": cursor, "last": last}
    found_campaigns = [WireCampaign.model_validate(dict(r)) for r in conn.execute(_CAMPAIGNS, bounds).mappings()] \
        if CAMPAIGN in kinds else []
    found_customers = [
        WireCustomer(id=r.id, source_id=r.source_id, name=r.name, email=r.email, phone=r.phone)
        for r in conn.execute(_CUSTOMERS, bounds)
    ] if CUSTOMER in kinds else []
    found_cards = [card_to_wire(card_from_row(r)) for r in conn.execute(_CARDS, bounds).mappings()] \
        if CARD in kinds else []
    found_entries = [entry_to_wire(entry_from_row(r)) for r in conn.execute(_ENTRIES, bounds).mappings()] \
        if ENTRY in kinds else []
    found_users = [
        WireUser(id=r.id, name=r.name, role=Role(r.role).value, pin_hash=r.pin_hash, active=r.active)
        for r in conn.execute(_USERS, bounds)
    ] if USER in kinds else []
    rules, assignments, removed_rules, removed_assignments = wire_rules(
        conn, _ids(conn, RULE, kinds, bounds), _ids(conn, ASSIGNMENT, kinds, bounds))
    return PullResponse(
        validation_rules=rules, rule_assignments=assignments, removed_rules=removed_rules,
        removed_assignments=removed_assignments, campaigns=found_campaigns, customers=found_customers,
        cards=found_cards, entries=found_entries,
        users=found_users, limits=limits_for(conn, device_id), store=till_store(conn, device_id), next_cursor=last,
        has_more=has_more, server_time=at,
    )


def _ids(conn: Connection, kind: str, kinds: set[str], bounds: dict[str, int]) -> list[str]:
    """The ids the page's lines of ``kind`` name, each once."""
    return sorted({str(ref) for ref in conn.execute(_named(kind), bounds).scalars()}) if kind in kinds else []
