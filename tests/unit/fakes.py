"""In-memory fakes of the ports, for unit tests of the domain and the services (no SQLite, no network, no Qt).

They subclass the real ports and behave like the store where the services can tell: a unit of work that was not
committed leaves no trace (state is copied on enter and restored on rollback).
"""

from __future__ import annotations

import copy
import uuid
from collections import defaultdict
from collections.abc import Iterator, Sequence
from dataclasses import replace
from datetime import UTC, datetime, timedelta, tzinfo
from types import TracebackType
from typing import Any

from pos_app.domain import errors
from pos_app.domain.cards import Campaign, CardStatus, GiftCard, OperationContext
from pos_app.domain.customers import phone_digits, search_key
from pos_app.domain.day_report import DayLine
from pos_app.domain.ledger import Entry, EntryKind, EntryResult, EntryStatus
from pos_app.domain.operations import NO_POLICY, Policy, decide, kind_named, named
from pos_app.domain.people import Attempts, User
from pos_app.domain.terms import CardChange
from pos_app.domain.validation_rules import ValidationRule
from pos_app.services import ports
from pos_app.services.online import Authoriser, OnlineOperation, OnlineOutcome, ServerUnavailable


class FixedClock:
    """A clock that stands still until told to move (the services take any ``() -> datetime``)."""

    def __init__(self, at: datetime) -> None:
        self.at = at

    def __call__(self) -> datetime:
        return self.at

    def advance(self, **delta: float) -> datetime:
        self.at += timedelta(**delta)
        return self.at


class _State:
    def __init__(self) -> None:
        self.cards: dict[str, GiftCard] = {}
        self.codes: dict[str, str] = {}
        self.entries: dict[uuid.UUID, Entry] = {}
        self.outbox: list[uuid.UUID] = []
        self.set_aside: dict[uuid.UUID, str] = {}
        self.synced_at: dict[str, datetime] = {}
        self.server_versions: dict[str, int] = {}  # the last server version applied, per card (stale pages lose)
        self.seq: dict[str, int] = defaultdict(int)
        self.campaigns: dict[str, Campaign] = {}
        self.users: dict[str, User] = {}
        self.customers: dict[str, ports.Customer] = {}
        self.settings: dict[str, Any] = {}
        self.print_jobs: dict[str, ports.PrintJob] = {}  # in the order they were added
        self.card_changes: list[CardChange] = []  # in the order they were made
        self.rules: dict[str, ValidationRule] = {}
        self.assignments: dict[str, ports.RuleAssignment] = {}


class FakeCards(ports.CardRepository):
    def __init__(self, uow: FakeUnitOfWork) -> None:
        self.uow = uow

    def get_by_code(self, code: str) -> GiftCard | None:
        card_id = self.uow.state.codes.get(code)
        return self.get(card_id) if card_id else None

    def get(self, card_id: str) -> GiftCard | None:
        card = copy.deepcopy(self.uow.state.cards.get(card_id))
        if card is not None:
            card.rules = self.uow.rules.for_card(card.id, card.campaign_id)
        return card

    def add_many(self, cards: Sequence[GiftCard]) -> None:
        for card in cards:
            if card.code in self.uow.state.codes:
                raise errors.DuplicateFound(f"code {card.code} exists")
            self.uow.state.codes[card.code] = card.id
            self.uow.state.cards[card.id] = copy.deepcopy(card)

    def save(self, card: GiftCard) -> None:
        self.uow.state.cards[card.id] = copy.deepcopy(card)

    def existing_codes(self, codes: Sequence[str]) -> set[str]:
        return {c for c in codes if c in self.uow.state.codes}

    def iter_all(self, campaign_id: str | None = None) -> Iterator[GiftCard]:
        for card in list(self.uow.state.cards.values()):
            if campaign_id is None or card.campaign_id == campaign_id:
                yield copy.deepcopy(card)

    def search(self, text: str, limit: int = 50) -> list[GiftCard]:
        found = [c for c in self.uow.state.cards.values() if text.lower() in c.code.lower()]
        return [copy.deepcopy(c) for c in found[:limit]]

    def of_customer(self, customer_id: str) -> list[GiftCard]:
        return [copy.deepcopy(c) for c in self.uow.state.cards.values() if c.customer_id == customer_id]

    def upsert(self, cards: Sequence[GiftCard], *, synced_at: datetime) -> None:
        state = self.uow.state
        for card in cards:
            owner = state.codes.get(card.code)
            if owner is not None and owner != card.id:
                raise errors.DuplicateFound(f"code {card.code} belongs to another card")
            old = state.cards.get(card.id)
            known = state.server_versions.get(card.id)
            if old is not None and known is not None and card.version <= known:
                if card.version == known:  # the same state again: the server still says so
                    state.synced_at[card.id] = max(synced_at, state.synced_at.get(card.id) or synced_at)
                continue  # an older state than the one here (a stale pull page)
            state.server_versions[card.id] = card.version
            if old is not None and old.code != card.code:
                del state.codes[old.code]
            state.codes[card.code] = card.id
            state.cards[card.id] = copy.deepcopy(card)
            state.synced_at[card.id] = synced_at

    def synced_at(self, card_id: str) -> datetime | None:
        return self.uow.state.synced_at.get(card_id)


class FakeEntries(ports.EntryRepository):
    def __init__(self, uow: FakeUnitOfWork) -> None:
        self.uow = uow

    def add(self, entry: Entry) -> Entry:
        state = self.uow.state
        if entry.id in state.entries:
            raise errors.DuplicateFound(f"entry {entry.id} exists")
        if entry.refund_of is not None and entry.result is EntryResult.SUCCESS:
            redemption = state.entries.get(entry.refund_of)
            took = -redemption.amount if redemption is not None and redemption.succeeded else 0
            if entry.status in (EntryStatus.LOCAL, EntryStatus.PROVISIONAL) and \
                    self.refunded(entry.refund_of) + entry.amount > took:
                raise errors.RefundExceeded("the refunds of that redemption would give back more than it took")
        reserved = entry.device_seq > 0  # with next_seq
        stored = entry if reserved else replace(entry, device_seq=self.next_seq(entry.device_id))
        state.entries[entry.id] = stored
        if stored.status in (EntryStatus.LOCAL, EntryStatus.PROVISIONAL):
            state.outbox.append(entry.id)
        return stored

    def next_seq(self, device_id: str) -> int:
        self.uow.state.seq[device_id] += 1
        return self.uow.state.seq[device_id]

    def merge(self, entries: Sequence[Entry]) -> None:
        state = self.uow.state
        for entry in entries:
            have = state.entries.get(entry.id)
            if have is None:
                if entry.card_id not in state.cards:
                    raise errors.NotFound(f"entry {entry.id} refers to an unknown card")
                state.entries[entry.id] = entry
            else:
                state.entries[entry.id] = replace(
                    have, status=entry.status,
                    server_seq=entry.server_seq if entry.server_seq is not None else have.server_seq,
                )
            if entry.server_seq is not None and entry.id in state.outbox:
                state.outbox.remove(entry.id)

    def pending(self, limit: int) -> list[Entry]:
        state = self.uow.state
        queued = [state.entries[i] for i in state.outbox]
        return sorted(queued, key=lambda e: (e.id in state.set_aside, e.device_seq))[:limit]

    def acknowledge(self, acks: Sequence[ports.Acknowledgement]) -> None:
        state = self.uow.state
        for ack in acks:
            if ack.entry_id in state.outbox:
                state.outbox.remove(ack.entry_id)
            state.set_aside.pop(ack.entry_id, None)
            have = state.entries.get(ack.entry_id)
            if have is not None:
                state.entries[ack.entry_id] = replace(
                    have, status=ack.status or have.status,
                    server_seq=ack.server_seq if ack.server_seq is not None else have.server_seq,
                )

    def set_aside(self, entry_id: uuid.UUID, error: str) -> None:
        if entry_id in self.uow.state.outbox:
            self.uow.state.set_aside[entry_id] = error

    def refuse(self, entry_id: uuid.UUID, error_key: str) -> Entry | None:
        state = self.uow.state
        entry = state.entries.get(entry_id)
        if entry is None or not entry.succeeded or entry_id not in state.outbox:
            return None
        state.entries[entry_id] = replace(entry, result=EntryResult.FAILURE, error_key=error_key)
        state.set_aside.pop(entry_id, None)
        card = state.cards.get(entry.card_id)
        if card is not None:
            card.move(entry, -1)
        return entry

    def unsynced_for(self, card_id: str) -> list[Entry]:
        state = self.uow.state
        own = [state.entries[i] for i in state.outbox]
        return sorted((e for e in own if e.card_id == card_id and e.succeeded and e.status is EntryStatus.PROVISIONAL),
                      key=lambda e: e.device_seq)

    def unsynced_spent(self) -> int:
        state = self.uow.state
        return sum(
            -e.amount for e in (state.entries[i] for i in state.outbox)
            if e.kind is EntryKind.CREDITS_REDEMPTION and e.succeeded and e.status is EntryStatus.PROVISIONAL
        )

    def set_aside_count(self) -> int:
        return len(self.uow.state.set_aside)

    def get(self, entry_id: uuid.UUID) -> Entry | None:
        return self.uow.state.entries.get(entry_id)

    def for_card(self, card_id: str, limit: int | None = None) -> list[Entry]:
        newest_first = [e for e in self.uow.state.entries.values() if e.card_id == card_id][::-1]
        unnumbered = [e for e in newest_first if e.server_seq is None]  # the ledger's order, as the store's
        numbered = sorted((e for e in newest_first if e.server_seq is not None), key=lambda e: -(e.server_seq or 0))
        found = unnumbered + numbered
        return found[:limit] if limit is not None else found

    def refunded(self, redemption_id: uuid.UUID) -> int:
        return sum(e.amount for e in self.uow.state.entries.values() if e.refund_of == redemption_id and e.succeeded)

    def iter_all(self, since: datetime | None = None, until: datetime | None = None) -> Iterator[Entry]:
        for e in list(self.uow.state.entries.values()):
            if (since is None or e.created_at >= since) and (until is None or e.created_at < until):
                yield e

    def outbox_count(self) -> int:
        return len(self.uow.state.outbox)


class FakeCampaigns(ports.CampaignRepository):
    def __init__(self, uow: FakeUnitOfWork) -> None:
        self.uow = uow

    def add(self, campaign: Campaign) -> None:
        self.uow.state.campaigns[campaign.id] = copy.deepcopy(campaign)

    def get(self, campaign_id: str) -> Campaign | None:
        return copy.deepcopy(self.uow.state.campaigns.get(campaign_id))

    def get_by_name(self, name: str) -> Campaign | None:
        return next((copy.deepcopy(c) for c in self.uow.state.campaigns.values() if c.name == name), None)

    def save(self, campaign: Campaign) -> None:
        self.add(campaign)

    def upsert(self, campaigns: Sequence[Campaign]) -> None:
        state = self.uow.state
        for campaign in campaigns:
            for other in [c for c in state.campaigns.values() if c.name == campaign.name and c.id != campaign.id]:
                other.name = f"{other.name} ({other.id})"
            self.add(campaign)

    def list(self) -> list[Campaign]:
        return [copy.deepcopy(c) for c in self.uow.state.campaigns.values()]


class FakeUsers(ports.UserRepository):
    def __init__(self, uow: FakeUnitOfWork) -> None:
        self.uow = uow

    def add(self, user: User) -> None:
        self.uow.state.users[user.id] = copy.deepcopy(user)

    def get(self, user_id: str) -> User | None:
        return copy.deepcopy(self.uow.state.users.get(user_id))

    def get_by_name(self, name: str) -> User | None:
        return next((copy.deepcopy(u) for u in self.uow.state.users.values() if u.name == name), None)

    def list(self) -> list[User]:
        return [copy.deepcopy(u) for u in self.uow.state.users.values()]

    def save(self, user: User) -> None:
        self.add(user)

    def upsert(self, users: Sequence[User]) -> None:
        state = self.uow.state
        for user in users:
            for other in [u for u in state.users.values() if u.name == user.name and u.id != user.id]:
                del state.users[other.id]
            have = state.users.get(user.id)
            attempts = have.attempts if have is not None else Attempts()
            state.users[user.id] = replace(copy.deepcopy(user), attempts=copy.deepcopy(attempts))


class FakeCustomers(ports.CustomerRepository):
    def __init__(self, uow: FakeUnitOfWork) -> None:
        self.uow = uow

    def add(self, customer: ports.Customer) -> None:
        self.uow.state.customers[customer.id] = customer

    def get(self, customer_id: str) -> ports.Customer | None:
        return self.uow.state.customers.get(customer_id)

    def get_by_source_id(self, source_id: str) -> ports.Customer | None:
        return next((c for c in self.uow.state.customers.values() if c.source_id == source_id), None)

    def save(self, customer: ports.Customer) -> None:
        if customer.id not in self.uow.state.customers:
            raise errors.NotFound(f"customer {customer.id} is not in the store")
        self.uow.state.customers[customer.id] = customer

    def upsert(self, customers: Sequence[ports.Customer]) -> None:
        known = self.uow.state.customers
        for customer in customers:
            for other in [c for c in known.values() if c.source_id == customer.source_id and c.id != customer.id]:
                known[other.id] = replace(other, source_id=None)
            known[customer.id] = customer

    def search(self, text: str, *, phone: str | None = None, limit: int = 50) -> list[ports.Customer]:
        words = search_key(text).split()

        def found(c: ports.Customer) -> bool:
            about = search_key(f"{c.name or ''} {c.email or ''}")
            by_phone = phone is not None and c.phone is not None and phone in phone_digits(c.phone)
            return by_phone or all(word in about for word in words)

        hits = sorted((c for c in self.uow.state.customers.values() if found(c)), key=lambda c: (c.name or "", c.id))
        return hits[:limit]


class FakeSettings(ports.SettingsRepository):
    def __init__(self, uow: FakeUnitOfWork) -> None:
        self.uow = uow

    def get(self, key: str, default: Any = None) -> Any:
        return copy.deepcopy(self.uow.state.settings.get(key, default))

    def set(self, key: str, value: Any) -> None:
        self.uow.state.settings[key] = copy.deepcopy(value)


class FakeCardChanges(ports.CardChangeRepository):
    def __init__(self, uow: FakeUnitOfWork) -> None:
        self.uow = uow

    def add(self, change: CardChange) -> None:
        if change.card_id not in self.uow.state.cards:
            raise errors.NotFound(f"no card {change.card_id}")
        self.uow.state.card_changes.append(change)

    def for_card(self, card_id: str, limit: int | None = None) -> list[CardChange]:
        found = [c for c in reversed(self.uow.state.card_changes) if c.card_id == card_id]
        return found[:limit] if limit is not None else found


class FakePrintJobs(ports.PrintJobRepository):
    def __init__(self, uow: FakeUnitOfWork) -> None:
        self.uow = uow

    def add(self, job: ports.PrintJob) -> None:
        state = self.uow.state
        if job.id in state.print_jobs:
            raise errors.DuplicateFound(f"print job {job.id} exists")
        if job.entry_id not in state.entries:  # the store's foreign key
            raise errors.NotFound(f"print job of entry {job.entry_id} refers to something that does not exist")
        state.print_jobs[job.id] = job

    def get(self, job_id: str) -> ports.PrintJob | None:
        return self.uow.state.print_jobs.get(job_id)

    def for_entry(self, entry_id: uuid.UUID, format: str) -> ports.PrintJob | None:
        jobs = self.uow.state.print_jobs.values()
        return next((j for j in jobs if j.entry_id == entry_id and j.format == format), None)

    def mark_printed(self, job_id: str, *, destination: str, at: datetime) -> None:
        self._sent(job_id, status=ports.PrintJobStatus.PRINTED, destination=destination, printed_at=at)

    def mark_failed(self, job_id: str, *, destination: str | None, error: str) -> None:
        self._sent(job_id, status=ports.PrintJobStatus.FAILED, destination=destination, last_error=error[:1000])

    def _sent(self, job_id: str, **changes: Any) -> None:
        job = self.uow.state.print_jobs.get(job_id)
        if job is not None:
            self.uow.state.print_jobs[job_id] = replace(job, attempts=job.attempts + 1, **changes)

    def recent(self, limit: int = 20) -> list[ports.PrintJob]:
        return list(reversed(self.uow.state.print_jobs.values()))[:max(0, limit)]


class FakeReports(ports.ReportQueries):
    def __init__(self, uow: FakeUnitOfWork) -> None:
        self.uow = uow

    def liability(self) -> list[ports.LiabilityRow]:
        rows: dict[str | None, list[GiftCard]] = defaultdict(list)
        for card in self.uow.state.cards.values():
            rows[card.campaign_id].append(card)
        out = []
        for campaign_id, cards in rows.items():
            campaign = self.uow.state.campaigns.get(campaign_id) if campaign_id else None
            out.append(ports.LiabilityRow(
                campaign_id=campaign_id, campaign_name=campaign.name if campaign else None,
                currency=cards[0].currency, cards=len(cards),
                active_cards=sum(c.status is CardStatus.ACTIVE for c in cards),
                loaded=sum(c.loaded for c in cards), redeemed=sum(c.redeemed for c in cards),
                refunded=sum(c.refunded for c in cards), outstanding=sum(c.balance for c in cards),
            ))
        return out

    def redemptions(self, since: datetime | None, until: datetime | None, utc_offset_minutes: int = 0
                    ) -> list[ports.RedemptionBucket]:
        buckets: dict[tuple[Any, str, str], list[int]] = defaultdict(lambda: [0, 0, 0])
        for e in FakeEntries(self.uow).iter_all(since, until):
            if not e.succeeded or e.kind not in (EntryKind.CREDITS_REDEMPTION, EntryKind.CREDITS_REFUND):
                continue
            if e.is_used_before_import:
                continue
            day = (e.created_at + timedelta(minutes=utc_offset_minutes)).date()
            b = buckets[(day, e.device_id, e.currency)]
            if e.kind is EntryKind.CREDITS_REDEMPTION:
                b[0] += 1
                b[1] += -e.amount
            else:
                b[2] += e.amount
        return [ports.RedemptionBucket(day=k[0], device_id=k[1], currency=k[2], count=v[0], redeemed=v[1],
                                       refunded=v[2]) for k, v in sorted(buckets.items())]


    def day_lines(self, since: datetime, until: datetime) -> list[DayLine]:
        lines: dict[tuple[Any, ...], list[int]] = defaultdict(lambda: [0, 0, 0, 0])
        for e in FakeEntries(self.uow).iter_all(since, until):
            if not e.succeeded:
                continue
            key = (e.device_id, e.operator_id, e.currency, e.kind, e.payment, e.price is not None, bool(e.reason))
            line = lines[key]
            line[0] += 1
            line[1] += e.amount
            line[2] += e.price or 0
            line[3] += e.id in self.uow.state.outbox
        return [DayLine(device_id=k[0], operator_id=k[1], currency=k[2], kind=k[3], payment=k[4], priced=k[5],
                        reasoned=k[6], count=v[0], amount=v[1], price=v[2], unsynced=v[3])
                for k, v in lines.items()]


class FakeRules(ports.RuleRepository):
    def __init__(self, uow: FakeUnitOfWork) -> None:
        self.uow = uow

    def upsert(self, rules: Sequence[ValidationRule], assignments: Sequence[ports.RuleAssignment]) -> None:
        self.uow.state.rules.update({r.id: r for r in rules})
        self.uow.state.assignments.update({a.id: a for a in assignments})

    def remove(self, rule_ids: Sequence[str], assignment_ids: Sequence[str]) -> None:
        state = self.uow.state
        for rule_id in rule_ids:
            state.rules.pop(rule_id, None)
        state.assignments = {i: a for i, a in state.assignments.items()
                             if i not in assignment_ids and a.rule_id not in rule_ids}

    def for_card(self, card_id: str, campaign_id: str | None) -> tuple[ValidationRule, ...]:
        ids = {a.rule_id for a in self.uow.state.assignments.values()
               if (a.related_object_type, a.related_object_id) in {("voucher", card_id), ("campaign", campaign_id)}}
        return tuple(self.uow.state.rules[i] for i in sorted(ids) if i in self.uow.state.rules)


class FakeUnitOfWork(ports.UnitOfWork):
    def __init__(self) -> None:
        self.state = _State()
        self._snapshot: _State | None = None
        self.commits = 0
        self.is_open = False
        self.cards = FakeCards(self)
        self.entries = FakeEntries(self)
        self.campaigns = FakeCampaigns(self)
        self.users = FakeUsers(self)
        self.customers = FakeCustomers(self)
        self.settings = FakeSettings(self)
        self.reports = FakeReports(self)
        self.print_jobs = FakePrintJobs(self)
        self.card_changes = FakeCardChanges(self)
        self.rules = FakeRules(self)

    def __enter__(self) -> FakeUnitOfWork:
        if self.is_open:  # as the store's: one transaction at a time (a nested one would wait for the lock)
            raise RuntimeError("this unit of work is already open")
        self.is_open = True
        self._snapshot = copy.deepcopy(self.state)
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.is_open = False
        self.rollback()

    def commit(self) -> None:
        self._snapshot = None
        self.commits += 1

    def rollback(self) -> None:
        if self._snapshot is not None:
            self.state = self._snapshot
            self._snapshot = None


class FakeServer(Authoriser):
    """The central server as the till's use cases see it: it decides on its own copy of the cards, with the
    domain's rules, and records what it decided (confirmed, numbered). ``offline`` makes it not answer.

    It checks that the till holds no transaction while it waits for the answer (the store's write lock).
    ``policy``: head office's maxima, as the real server applies them (it keeps no count for a daily cap);
    ``zone``: the shop's time zone, as the server's store settings give it."""

    def __init__(self, till: FakeUnitOfWork, device_id: str) -> None:
        self.till = till
        self.device_id = device_id
        self.cards: dict[str, GiftCard] = {}  # by code
        self.entries: dict[uuid.UUID, Entry] = {}
        self.operations: list[OnlineOperation] = []
        self.offline = False
        self.refusal: errors.GiftCardError | None = None  # raised instead of answering (e.g. DeviceRevoked)
        self.seq = 100
        self.policy: Policy = NO_POLICY
        self.zone: tzinfo = UTC  # the shop's time zone in the server's store settings

    def add(self, card: GiftCard) -> GiftCard:
        self.cards[card.code] = copy.deepcopy(card)
        return copy.deepcopy(card)

    def authorise(self, operation: OnlineOperation) -> OnlineOutcome:
        assert not self.till.is_open, "the till must not hold its store while it waits for the server"
        self.operations.append(operation)
        if self.offline:
            raise ServerUnavailable("connection refused")
        if self.refusal is not None:
            raise self.refusal
        card = self.cards.get(operation.code)
        if card is None:
            return OnlineOutcome(entry=None, card=None, error=errors.NotFound("no gift card has that code"))
        ctx = OperationContext(at=operation.created_at, zone=self.zone, device_id=self.device_id,
                               operator_id=operation.operator_id, order_ref=operation.order_ref,
                               reason=operation.reason)
        error: errors.GiftCardError | None = None
        try:
            entry = self._decide(card, operation, ctx)
        except errors.GiftCardError as exc:
            error = exc
            entry = card.failed_attempt(kind_named(operation.op, operation.amount), -(operation.amount or 0), exc, ctx)
        self.seq += 1
        entry = replace(entry, id=operation.entry_id, device_seq=operation.device_seq, status=EntryStatus.CONFIRMED,
                        server_seq=self.seq, refund_of=operation.refund_of)
        self.entries[entry.id] = entry
        return OnlineOutcome(entry=entry, card=copy.deepcopy(card), error=error)

    def _decide(self, card: GiftCard, op: OnlineOperation, ctx: OperationContext) -> Entry:
        """What the real server does with the request (``pos_app.server.authorise``): the domain decides."""
        redemption = None if op.refund_of is None else self.entries.get(op.refund_of)
        done = sum(e.amount for e in self.entries.values() if e.refund_of == op.refund_of and e.succeeded)
        operation = named(op.op, card=card, amount=op.amount, currency=op.currency, order_amount=op.order_amount,
                          redemption=redemption, refunded=done)
        return decide(card, operation, ctx, policy=self.policy)
