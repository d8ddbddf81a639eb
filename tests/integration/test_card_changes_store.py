"""Changing a card's terms on a real store: the card and its audit trail in one transaction, read back as written,
and the ledger untouched."""

from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import pytest

from pos_app.domain import errors
from pos_app.domain.people import Actor, Role
from pos_app.domain.terms import FieldChange, NewTerms
from pos_app.services import card_changes
from pos_app.services.context import Caller
from pos_app.store import Store
from pos_app.store.uow import SqlUnitOfWork
from tests.integration.conftest import T0, new_card

NEW_YORK = ZoneInfo("America/New_York")


def test_a_change_and_its_audit_trail_are_stored_together(store: Store, uow: SqlUnitOfWork) -> None:
    manager = Caller(Actor("u_m", "Maria", Role.MANAGER), "till-1", lambda: T0)
    card = new_card(balance=2500, expiration_date=datetime(2025, 12, 1, 5, tzinfo=UTC), category="xmas",
                    metadata={"batch": 3})
    with uow:
        uow.cards.add_many([card])
        uow.commit()
    extended = card_changes.change_card(uow, manager, card.code, NewTerms(expires_on=date(2026, 6, 30)),
                                        reason="shop closed for works", zone=NEW_YORK)
    card_changes.change_card(uow, manager, card.code, NewTerms(category="spring", metadata={"batch": None, "n": "1"}),
                             reason="re-filed", zone=NEW_YORK)
    with pytest.raises(errors.InvalidPayload):
        card_changes.change_card(uow, manager, card.code, NewTerms(category="spring"), reason="again", zone=NEW_YORK)

    with store.unit_of_work() as read:
        after = read.cards.get(card.id)
        assert after is not None
        assert after.expiration_date == datetime(2026, 7, 1, 4, tzinfo=UTC)  # New York's midnight, summer time
        assert (after.category, after.metadata, after.balance) == ("spring", {"n": "1"}, 2500)
        assert read.entries.for_card(card.id) == []  # no value moved: no entry
        trail = read.card_changes.for_card(card.id)
    assert [c.reason for c in trail] == ["re-filed", "shop closed for works"]
    assert trail[1] == extended.change
    assert trail[0].changes == (FieldChange("category", "xmas", "spring"), FieldChange("metadata.batch", "3", None),
                                FieldChange("metadata.n", None, '"1"'))
    assert (trail[0].operator_id, trail[0].device_id, trail[0].created_at) == ("u_m", "till-1", T0)
