"""Reports: the liability outstanding (and its invariant), redemptions per local day and per till."""

from __future__ import annotations

import dataclasses
from datetime import UTC, date, datetime, timedelta

import pytest

from pos_app.domain import errors
from pos_app.domain.money import Money
from pos_app.domain.people import Role
from pos_app.services import auth, campaigns, cards, reports, setup
from pos_app.services.context import Caller
from pos_app.services.imports import import_cards
from tests.unit.fakes import FakeUnitOfWork
from tests.unit.fakes import FixedClock as Clock

NOW = datetime(2026, 3, 1, 10, 0, tzinfo=UTC)


@pytest.fixture
def store() -> tuple[FakeUnitOfWork, Caller, Clock]:
    uow = FakeUnitOfWork()
    profile = setup.init_store(uow, store_name="Shop", currency="EUR", manager_pin="9876")
    clock = Clock(NOW)
    return uow, Caller(auth.login(uow, "9876"), profile.device_id, clock), clock


def eur(minor: int) -> Money:
    return Money(minor, "EUR")


def test_liability_adds_up_after_sells_redemptions_and_refunds(store: tuple[FakeUnitOfWork, Caller, Clock]) -> None:
    uow, manager, _ = store
    campaigns.create_campaign(uow, manager, campaigns.CreateCampaign(name="Spring", amount=eur(5000), count=3))
    first, second, _unsold = (c.code for c in uow.cards.iter_all())
    cards.sell(uow, manager, first)
    cards.sell(uow, manager, second)
    taken = cards.redeem(uow, manager, first, eur(2000))
    cards.redeem(uow, manager, second, eur(500))
    cards.refund(uow, manager, taken.id, eur(1500))
    cards.top_up(uow, manager, second, eur(1000))
    import_cards(uow, manager, "code,value,gift_balance\nLOOSE-1,3000,1000\n", fmt="csv")

    report = reports.liability(uow, manager, verify_ledger=True)

    by_campaign = {row.campaign_name: row for row in report.rows}
    spring = by_campaign["Spring"]
    assert (spring.cards, spring.active_cards) == (3, 2)
    assert (spring.loaded, spring.redeemed, spring.refunded, spring.outstanding) == (11000, 2500, 1500, 10000)
    assert by_campaign[None].outstanding == 1000
    (total,) = report.totals
    assert (total.currency, total.cards, total.loaded, total.redeemed, total.refunded, total.outstanding) == (
        "EUR", 4, 14000, 4500, 1500, 11000)
    assert total.difference == 0
    assert report.balanced and report.ledger_matches is True


def test_liability_notices_figures_that_do_not_add_up(store: tuple[FakeUnitOfWork, Caller, Clock]) -> None:
    uow, manager, _ = store
    import_cards(uow, manager, "code,value\nA,3000\nB,2000\n", fmt="csv")
    a_id = uow.state.codes["A"]
    uow.state.cards[a_id].balance += 100  # a cached balance written without an entry

    report = reports.liability(uow, manager)

    assert not report.balanced and report.totals[0].difference == -100
    assert report.ledger_matches is None  # not asked for


def test_liability_can_check_the_cached_figures_against_the_ledger(
    store: tuple[FakeUnitOfWork, Caller, Clock],
) -> None:
    uow, manager, _ = store
    import_cards(uow, manager, "code,value\nA,3000\n", fmt="csv")
    a_id = uow.state.codes["A"]
    card = uow.state.cards[a_id]
    uow.state.cards[a_id] = dataclasses.replace(card, loaded=card.loaded + 100, balance=card.balance + 100)

    report = reports.liability(uow, manager, verify_ledger=True)

    assert report.balanced  # the cached figures agree with each other …
    assert report.ledger_matches is False  # … but not with the entries


def test_redemptions_are_grouped_by_local_day_using_the_offset(store: tuple[FakeUnitOfWork, Caller, Clock]) -> None:
    uow, manager, clock = store
    import_cards(uow, manager, "code,value\nA,10000\n", fmt="csv")
    clock.at = datetime(2026, 3, 1, 23, 30, tzinfo=UTC)
    cards.redeem(uow, manager, "A", eur(700))
    clock.at = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
    cards.redeem(uow, manager, "A", eur(300))
    since, until = datetime(2026, 3, 1, 12, tzinfo=UTC), datetime(2026, 3, 4, tzinfo=UTC)

    in_utc = reports.redemptions(uow, manager, since=since, until=until)
    in_paris = reports.redemptions(uow, manager, since=since, until=until, utc_offset_minutes=60)

    assert [(d.day, d.count, d.redeemed) for d in in_utc.per_day] == [
        (date(2026, 3, 1), 1, 700), (date(2026, 3, 2), 1, 300), (date(2026, 3, 3), 0, 0)]
    assert [(d.day, d.count, d.redeemed) for d in in_paris.per_day] == [  # until is 01:00 on the 4th there
        (date(2026, 3, 1), 0, 0), (date(2026, 3, 2), 2, 1000), (date(2026, 3, 3), 0, 0), (date(2026, 3, 4), 0, 0)]


def test_redemptions_per_till_with_refunds_and_net(store: tuple[FakeUnitOfWork, Caller, Clock]) -> None:
    uow, manager, clock = store
    import_cards(uow, manager, "code,value\nA,10000\n", fmt="csv")
    other_till = Caller(manager.actor, "till_other", clock)
    clock.at = NOW + timedelta(hours=1)
    taken = cards.redeem(uow, manager, "A", eur(2000))
    cards.redeem(uow, other_till, "A", eur(1000))
    cards.redeem(uow, other_till, "A", eur(500))
    clock.at = NOW + timedelta(days=1)
    cards.refund(uow, other_till, taken.id, eur(800))  # counted where and when it happened

    report = reports.redemptions(uow, manager, since=NOW, until=datetime(2026, 3, 3, tzinfo=UTC))

    tills = {(t.device_id, t.count, t.redeemed, t.refunded, t.net) for t in report.per_till}
    assert tills == {(manager.device_id, 1, 2000, 0, 2000), ("till_other", 2, 1500, 800, 700)}
    (total,) = report.totals
    assert (total.count, total.redeemed, total.refunded, total.net) == (3, 3500, 800, 2700)
    assert [(d.day, d.net) for d in report.per_day] == [(date(2026, 3, 1), 3500), (date(2026, 3, 2), -800)]


@pytest.mark.parametrize(("kwargs", "why"), [
    ({"utc_offset_minutes": 15 * 60}, "UTC offset"),
    ({"since": datetime(2026, 3, 1)}, "time zone"),
    ({"since": NOW, "until": NOW}, "after since"),
])
def test_a_nonsense_period_is_refused(store: tuple[FakeUnitOfWork, Caller, Clock], kwargs: dict[str, object],
                                      why: str) -> None:
    uow, manager, _ = store
    args: dict[str, object] = {"since": None, "until": None, **kwargs}
    with pytest.raises(errors.InvalidPayload, match=why):
        reports.redemptions(uow, manager, **args)  # type: ignore[arg-type]


def test_a_cashier_may_not_see_reports(store: tuple[FakeUnitOfWork, Caller, Clock]) -> None:
    uow, manager, clock = store
    auth.add_user(uow, manager, "Cathy", Role.CASHIER, "1234")
    cashier = Caller(auth.login(uow, "1234"), manager.device_id, clock)

    with pytest.raises(errors.Forbidden) as refused:
        reports.liability(uow, cashier)
    assert refused.value.key == "forbidden"
    with pytest.raises(errors.Forbidden):
        reports.redemptions(uow, cashier, since=None, until=None)
