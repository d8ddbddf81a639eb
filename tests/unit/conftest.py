"""Fixtures of the unit tests: an initialised EUR store in memory, a manager and a cashier, and a clock that
only moves when a test moves it."""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime

import pytest

from pos_app.domain import people
from pos_app.domain.cards import CardStatus, GiftCard
from pos_app.domain.codes import CodeConfig, generate_code
from pos_app.domain.ledger import Entry
from pos_app.domain.money import Money
from pos_app.domain.offline import OfflineLimits
from pos_app.domain.people import Actor, Role
from pos_app.services import auth, cards, enrolment
from pos_app.services.context import Caller
from pos_app.services.setup import StoreProfile, init_store
from tests.unit.fakes import FakeServer, FakeUnitOfWork, FixedClock

MANAGER_PIN = "9876"
CASHIER_PIN = "1234"
#: A Wednesday morning, in UTC.
START = datetime(2025, 6, 4, 10, 0, tzinfo=UTC)



@pytest.fixture(autouse=True)
def cheap_pin_hashing(monkeypatch: pytest.MonkeyPatch) -> None:
    """scrypt at its real cost takes ~50 ms per PIN; the rules under test do not depend on the cost."""
    monkeypatch.setattr(people, "SCRYPT_N", 2**4)


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock(START)


@dataclass
class Store:
    uow: FakeUnitOfWork
    profile: StoreProfile
    manager: Caller
    cashier: Caller
    clock: FixedClock

    def entries(self) -> int:
        return len(self.uow.state.entries)

    def card(self, code: str) -> GiftCard:
        card = self.uow.cards.get_by_code(code)
        assert card is not None
        return card

    def add_card(self, code: str | None = None, **fields: object) -> GiftCard:
        """Put an unsold card straight into the store (as a campaign or an import would)."""
        card = GiftCard(id=f"v_{len(self.uow.state.cards)}", code=code or readable_code(),
                        currency=self.profile.currency, **fields)  # type: ignore[arg-type]
        with self.uow:
            self.uow.cards.add_many([card])
            self.uow.commit()
        return card

    def sold_card(self, value: int = 5000, **fields: object) -> GiftCard:
        """A card sold by the manager with ``value`` minor units on it."""
        card = self.add_card(**fields)
        cards.sell(self.uow, self.manager, card.code, Money(value, self.profile.currency))
        return self.card(card.code)


@pytest.fixture
def store(clock: FixedClock) -> Store:
    uow = FakeUnitOfWork()
    profile = init_store(uow, store_name="Corner Shop", currency="EUR", manager_pin=MANAGER_PIN,
                         manager_name="Maria")
    manager_user = uow.users.get_by_name("Maria")
    assert manager_user is not None
    manager = Caller(manager_user.actor, profile.device_id, clock)
    cashier_user = auth.add_user(uow, manager, "Carl", Role.CASHIER, CASHIER_PIN)
    cashier = Caller(cashier_user.actor, profile.device_id, clock)
    return Store(uow=uow, profile=profile, manager=manager, cashier=cashier, clock=clock)


@pytest.fixture
def uow(store: Store) -> FakeUnitOfWork:
    return store.uow


@pytest.fixture
def manager(store: Store) -> Caller:
    return store.manager


@pytest.fixture
def cashier(store: Store) -> Caller:
    return store.cashier


@pytest.fixture
def other_cashier(store: Store) -> Caller:
    """A second cashier on the same till (no PIN needed: services take the logged-in Actor)."""
    return Caller(Actor(user_id="u_other", name="Olga", role=Role.CASHIER), store.profile.device_id, store.clock)


_codes = random.Random(20250604)


def readable_code(random_bytes: Callable[[int], bytes] = _codes.randbytes) -> str:
    """A valid code in the readable default format, from a seeded source so that runs repeat."""
    return generate_code(CodeConfig.readable_default(), random_bytes)


# ---- an enrolled till (sync) ----------------------------------------------------------------------------------

@dataclass
class Enrolled:
    """The store above enrolled to a :class:`FakeServer`, which answered just now."""

    store: Store
    server: FakeServer

    @property
    def uow(self) -> FakeUnitOfWork:
        return self.store.uow

    def card(self, value: int = 5000, *, cached: bool = True, **fields: object) -> GiftCard:
        """A card head office made and sold for ``value``; ``cached``: the till has its state from the server."""
        values: dict[str, object] = {"status": CardStatus.ACTIVE if value else CardStatus.INACTIVE,
                                     "loaded": value, "balance": value, "initial_amount": value or None}
        values.update(fields)
        card = GiftCard(id=f"v_srv_{len(self.server.cards)}", code=readable_code(), currency="EUR",
                        **values)  # type: ignore[arg-type]
        self.server.add(card)
        if cached:
            with self.uow:
                self.uow.cards.upsert([card], synced_at=self.store.clock())
                self.uow.commit()
        return card

    def till_card(self, code: str) -> GiftCard:
        return self.store.card(code)

    def server_card(self, code: str) -> GiftCard:
        return self.server.cards[code]

    def redeem(self, who: Caller, code: str, minor: int, **options: object) -> Entry:
        return cards.redeem(self.uow, who, code, Money(minor, "EUR"), authoriser=self.server,
                            **options)  # type: ignore[arg-type]

    def outbox(self) -> list[Entry]:
        return [self.uow.state.entries[i] for i in self.uow.state.outbox]

    def entries(self, code: str) -> list[Entry]:
        """The till's entries of a card, in the order it made them (its own numbers; the ledger's order puts
        the ones not yet at the server last)."""
        return sorted(self.uow.entries.for_card(self.till_card(code).id), key=lambda e: e.device_seq)


@pytest.fixture
def enrolled(store: Store) -> Enrolled:
    with store.uow as uow:
        uow.settings.set(enrolment.MODE, enrolment.ENROLLED)
        enrolment.save_limits(uow.settings, OfflineLimits())
        enrolment.mark_online(uow.settings, store.clock())
        uow.commit()
    return Enrolled(store=store, server=FakeServer(store.uow, store.profile.device_id))
