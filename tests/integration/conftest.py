"""Fixtures of the store's integration tests: real SQLite files in ``tmp_path``, no mocks."""

from __future__ import annotations

import itertools
import secrets
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from pos_app.domain.cards import Campaign, CardStatus, GiftCard, OperationContext
from pos_app.domain.ledger import Entry
from pos_app.domain.money import Money
from pos_app.store import Store, open_store
from pos_app.store.uow import SqlUnitOfWork

#: A Wednesday morning, in UTC.
T0 = datetime(2025, 6, 4, 10, 0, tzinfo=UTC)
_ids = itertools.count(1)


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    opened = open_store(tmp_path / "data")
    yield opened
    opened.close()


@pytest.fixture
def uow(store: Store) -> SqlUnitOfWork:
    return store.unit_of_work()


def new_card(*, code: str | None = None, balance: int = 0, campaign_id: str | None = None,
             status: CardStatus = CardStatus.ACTIVE, currency: str = "EUR", **fields: object) -> GiftCard:
    """A card with ``balance`` loaded (its cached figures consistent), not yet in the store."""
    n = next(_ids)
    return GiftCard(
        id=f"v_{n:06d}_{secrets.token_hex(3)}", code=code or f"GC-TEST-{n:06d}-{secrets.token_hex(3)}",
        currency=currency, campaign_id=campaign_id, status=status, loaded=balance, balance=balance,
        created_at=T0, **fields,  # type: ignore[arg-type]
    )


def new_campaign(name: str = "Summer", **fields: object) -> Campaign:
    n = next(_ids)
    values: dict[str, object] = {
        "id": f"camp_{n:06d}", "name": f"{name} {n}", "currency": "EUR", "amount": 5000,
        "code_config": {"pattern": "GC-####-####-####-###", "check_character": True}, "created_at": T0,
    }
    values.update(fields)
    return Campaign(**values)  # type: ignore[arg-type]


def ctx(at: datetime = T0, *, device: str = "till-1", operator: str | None = "u_cashier", **extra: str) -> \
        OperationContext:
    return OperationContext(at=at, zone=UTC, device_id=device, operator_id=operator, **extra)


def redeem(uow: SqlUnitOfWork, card: GiftCard, minor: int, *, at: datetime = T0, device: str = "till-1") -> Entry:
    """Redeem through the domain and the repositories (as the use case does), without committing."""
    entry = uow.entries.add(card.redeem(Money(minor, card.currency), ctx(at, device=device)))
    uow.cards.save(card)
    return entry


def later(minutes: float) -> datetime:
    return T0 + timedelta(minutes=minutes)
