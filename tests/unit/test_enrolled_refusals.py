"""On an enrolled till, what only the central server may change is refused, clearly, and nothing is written."""

from __future__ import annotations

import io
from collections.abc import Callable
from typing import Any

import pytest

from pos_app.domain import errors
from pos_app.domain.money import Money
from pos_app.domain.people import Role
from pos_app.services import auth, campaigns, cards, customers, imports
from tests.unit.conftest import Store

OPERATIONS: dict[str, Callable[[Store, str], Any]] = {
    "campaign": lambda s, code: campaigns.create_campaign(
        s.uow, s.manager, campaigns.CreateCampaign(name="Spring", amount=Money(1000, "EUR"), count=2)),
    "import": lambda s, code: imports.import_cards(
        s.uow, s.manager, io.StringIO("code,value\nNEW-1,500\n"), fmt="csv"),
    "user": lambda s, code: auth.add_user(s.uow, s.manager, "Robin", Role.CASHIER, "5555"),
    "disable": lambda s, code: cards.set_enabled(s.uow, s.manager, code, enabled=False),
    "publish": lambda s, code: customers.publish_to(s.uow, s.manager, code, "cust-1"),
}


@pytest.mark.parametrize("operation", sorted(OPERATIONS))
def test_server_only_operations_are_refused_on_an_enrolled_till(store: Store, operation: str) -> None:
    code = store.sold_card().code  # sold while standalone
    standalone = store.uow.state
    before = (len(standalone.cards), len(standalone.users), len(standalone.campaigns), len(standalone.customers))
    with store.uow as uow:
        uow.settings.set("mode", "enrolled")
        uow.commit()
    with pytest.raises(errors.ManagedByServer) as refused:
        OPERATIONS[operation](store, code)
    assert refused.value.key == "managed_by_server" and "central server" in refused.value.details
    after = store.uow.state
    assert (len(after.cards), len(after.users), len(after.campaigns), len(after.customers)) == before
    assert store.card(code).status.value == "active"


def test_the_same_operations_work_standalone(store: Store) -> None:
    code = store.sold_card().code
    for name in ("campaign", "user", "disable"):
        OPERATIONS[name](store, code)

