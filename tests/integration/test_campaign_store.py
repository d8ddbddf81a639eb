"""Campaign generation on a real store: batches committed with progress, and a clash with an existing code."""

from __future__ import annotations

import pytest

from pos_app.domain.cards import CardStatus
from pos_app.domain.codes import looks_readable, verify_readable
from pos_app.domain.money import Money
from pos_app.domain.people import Role
from pos_app.services import auth, campaigns, setup
from pos_app.services.context import Caller
from pos_app.store import Store


@pytest.fixture
def manager(store: Store) -> Caller:
    uow = store.unit_of_work()
    profile = setup.init_store(uow, store_name="Shop", currency="EUR", manager_pin="9876")
    return Caller(auth.login(uow, "9876"), profile.device_id)


def test_a_campaign_is_written_in_batches_with_progress(store: Store, manager: Caller) -> None:
    seen: list[tuple[int, int]] = []
    camp = campaigns.create_campaign(
        store.unit_of_work(), manager,
        campaigns.CreateCampaign(name="Spring", amount=Money(2500, "EUR"), count=2345),
        progress=lambda done, total: seen.append((done, total)), batch_size=1000,
    )
    assert seen == [(0, 2345), (1000, 2345), (2000, 2345), (2345, 2345)]
    with store.unit_of_work(read_only=True) as uow:
        made = list(uow.cards.iter_all(camp.id))
        assert uow.campaigns.get(camp.id).vouchers_count == 2345  # type: ignore[union-attr]
    assert len({c.code for c in made}) == len({c.id for c in made}) == 2345
    assert all(looks_readable(c.code) and verify_readable(c.code) == c.code for c in made)
    assert {(c.status, c.initial_amount, c.balance, c.campaign_id) for c in made} == {
        (CardStatus.INACTIVE, 2500, 0, camp.id)}


def test_a_code_that_exists_already_is_left_out_and_made_up_for(store: Store, manager: Caller,
                                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    first = campaigns.create_campaign(store.unit_of_work(), manager, campaigns.CreateCampaign(
        name="Old", amount=Money(1000, "EUR"), count=3))
    with store.unit_of_work(read_only=True) as uow:
        existing = next(uow.cards.iter_all(first.id)).code
    real = campaigns.fresh_codes
    calls = []

    def with_a_clash(config, n, seen, *args):  # the first batch repeats a code the store has
        calls.append(n)
        batch = real(config, n, seen, *args)
        return [existing, *batch[1:]] if len(calls) == 1 else batch

    monkeypatch.setattr(campaigns, "fresh_codes", with_a_clash)
    camp = campaigns.create_campaign(store.unit_of_work(), manager, campaigns.CreateCampaign(
        name="New", amount=Money(1000, "EUR"), count=10))
    with store.unit_of_work(read_only=True) as uow:
        codes = [c.code for c in uow.cards.iter_all(camp.id)]
    assert len(codes) == len(set(codes)) == 10 and existing not in codes
    assert calls == [10, 1]


def test_cashiers_cannot_make_campaigns(store: Store, manager: Caller) -> None:
    uow = store.unit_of_work()
    auth.add_user(uow, manager, "Chris", Role.CASHIER, "1234")
    cashier = Caller(auth.login(uow, "1234"), manager.device_id)
    with pytest.raises(Exception, match="forbidden"):
        campaigns.create_campaign(uow, cashier, campaigns.CreateCampaign(
            name="X", amount=Money(1000, "EUR"), count=1))
