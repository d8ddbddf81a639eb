"""Pulling: what changed on the server since the till's cursor, applied page by page, idempotently.

A page is applied in one transaction: the campaigns and the customers by id (before the cards that name them;
so an offline till finds a card by its customer), the entries merged
by id, the cards' states (less this till's own spending that the server has not acknowledged yet, so nothing is
counted twice; and only states newer than the one the till holds, so that a page fetched just before an online
operation does not put back the state from before it), the validation rules and their assignments (those deleted
on the server removed), the people, the limits and the store's name,
currency and time zone, and the cursor. Applying the same page again changes nothing; a page fetched from a
cursor that another process has moved on meanwhile is dropped (the next pull starts from the new cursor).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from pos_app.domain.cards import CardStatus, GiftCard
from pos_app.domain.validation_rules import parse_rule
from pos_app.services.enrolled import cache_server_cards
from pos_app.services.enrolment import CURSOR, mark_online, save_limits, save_policy
from pos_app.services.online import ServerUnavailable
from pos_app.services.ports import RuleAssignment, UnitOfWork
from pos_app.services.setup import TIME_ZONE
from pos_app.sync.client import SyncApi
from pos_app.sync.convert import (
    campaign_from_wire,
    card_from_wire,
    customer_from_wire,
    entry_from_wire,
    limits_from_wire,
    policy_from_wire,
    user_from_wire,
)
from pos_app.sync.schemas import MAX_PULL, PullResponse
from pos_app.sync.units import Units


def apply_page(uow: UnitOfWork, page: PullResponse, *, now: datetime, expect_cursor: int | None = None) -> bool:
    """Apply one page in one transaction; False when ``expect_cursor`` is no longer the store's cursor."""
    campaigns = [campaign_from_wire(campaign) for campaign in page.campaigns]  # converted before the write lock
    customers = [customer_from_wire(customer) for customer in page.customers]
    cards = [card_from_wire(card) for card in page.cards]
    entries = [entry_from_wire(entry) for entry in page.entries]
    users = [user_from_wire(user) for user in page.users]
    limits = limits_from_wire(page.limits)
    rules = [parse_rule(rule.definition, rule_id=rule.id) for rule in page.validation_rules]
    assignments = [RuleAssignment(id=a.id, rule_id=a.rule_id, related_object_type=a.related_object_type,
                                  related_object_id=a.related_object_id) for a in page.rule_assignments]
    with uow:
        if expect_cursor is not None and cursor(uow) != expect_cursor:
            return False
        uow.campaigns.upsert(campaigns)
        uow.customers.upsert(customers)  # before the cards that name them
        uow.rules.remove(page.removed_rules, page.removed_assignments)
        uow.rules.upsert(rules, assignments)  # the validation rules its decisions read (offline too)
        in_page = {card.id: card for card in cards}
        missing = {e.card_id: e for e in entries if uow.cards.get(e.card_id) is None}
        if missing:  # so that the entries find their cards; a state from the server (now or in a later page)
            uow.cards.add_many([  # replaces it, and until then it is never counted as spendable
                GiftCard(id=card_id, code=in_page[card_id].code if card_id in in_page else e.code,
                         currency=e.currency, status=CardStatus.INACTIVE)
                for card_id, e in missing.items()
            ])
        uow.entries.merge(entries)  # this till's own among them leave the outbox: the server has them
        cache_server_cards(uow, cards, synced_at=now)  # … what it has not had yet stays off the cached balances
        uow.users.upsert(users)
        save_limits(uow.settings, limits)
        save_policy(uow.settings, policy_from_wire(page.limits))
        uow.settings.set("store_name", page.store.name)
        uow.settings.set("currency", page.store.currency)
        uow.settings.set("locale", page.store.locale)
        if page.store.time_zone is not None:  # (a server older than the zone sends none: the till keeps its own)
            uow.settings.set(TIME_ZONE, page.store.time_zone)
        uow.settings.set(CURSOR, page.next_cursor)
        mark_online(uow.settings, now)
        uow.commit()
    return True


def cursor(uow: UnitOfWork) -> int:
    return int(uow.settings.get(CURSOR) or 0)


def pull_all(client: SyncApi, units: Units, *, clock: Callable[[], datetime],
             stop: Callable[[], bool] = lambda: False, page_size: int = MAX_PULL) -> int:
    """Pull and apply pages until the server has no more; returns how many pages were applied.

    ``page_size``: changes per page. The till window asks for small pages: parsing and applying a page holds
    Python's GIL for most of its time, and the window's thread must not wait that long (README: stalls)."""
    applied = 0
    while not stop():
        with units.read() as uow:
            start = cursor(uow)
            held = uow.entries.outbox_count()  # head office sees it on the till's page
        page = client.pull(start, page_size, unsynced=held)
        if apply_page(units.write(), page, now=clock(), expect_cursor=start):
            applied += 1
        if not page.has_more:
            break
        if page.next_cursor <= start:
            raise ServerUnavailable(f"the server's pull does not move on from cursor {start}")
    return applied
