"""The end-of-day (Z) report on a real till store: one local day's sales and their takings by payment method,
top-ups, redemptions, refunds and corrections, per till and cashier; the day's bounds in the shop's zone."""

from __future__ import annotations

import csv
import io
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from pos_app.bootstrap import Till
from pos_app.domain.errors import GiftCardError
from pos_app.domain.ledger import PaymentMethod
from pos_app.domain.money import Money
from pos_app.services import cards, reports
from pos_app.services.context import Caller
from tests.integration.test_sale_payment import CASHIER_PIN, MANAGER_PIN, cheap_pins, till, unsold  # noqa: F401

BERLIN = ZoneInfo("Europe/Berlin")
DAY = date(2026, 12, 7)
NOON = datetime(2026, 12, 7, 12, 0, tzinfo=BERLIN)


def eur(minor: int) -> Money:
    return Money(minor, "EUR")


def at(who: Caller, when: datetime) -> Caller:
    return Caller(actor=who.actor, device_id=who.device_id, clock=lambda: when)


@pytest.fixture
def worked(till: Till) -> Till:  # noqa: F811
    """A day at the till: three sales (cash at a promotion price, by card, cash by the cashier), a top-up, two
    redemptions and a refund, a correction down and one up; a sale the evening before and one just after
    midnight (the next day in Berlin, still the day in UTC)."""
    manager, cashier = till.login(MANAGER_PIN), till.login(CASHIER_PIN)
    cards.set_cashiers_sell(till.uow, manager, allowed=True)
    a, b, c, before, after = unsold(till, 5)
    m, k = at(manager, NOON), at(cashier, NOON)
    cards.sell(till.uow, m, a, price=eur(4500), payment=PaymentMethod.CASH)
    cards.sell(till.uow, m, b, payment=PaymentMethod.CARD)
    cards.sell(till.uow, k, c, payment=PaymentMethod.CASH)
    cards.top_up(till.uow, m, a, eur(1000))
    paid = cards.redeem(till.uow, k, a, eur(1200))
    cards.redeem(till.uow, at(cashier, NOON), b, eur(300))
    cards.refund(till.uow, at(cashier, NOON + timedelta(minutes=1)), paid.id, eur(200))
    cards.correct(till.uow, m, b, eur(-500), reason="counted wrong")
    cards.correct(till.uow, m, c, eur(250), reason="goodwill")
    with pytest.raises(GiftCardError):  # a refused attempt moves no money and is not in the figures
        cards.redeem(till.uow, k, c, eur(999_999))
    cards.sell(till.uow, at(manager, datetime(2026, 12, 6, 23, 30, tzinfo=BERLIN)), before,
               payment=PaymentMethod.CASH)
    cards.sell(till.uow, at(manager, datetime(2026, 12, 8, 0, 30, tzinfo=BERLIN)), after,
               payment=PaymentMethod.OTHER)
    return till


def test_the_day_adds_up_per_payment_method_and_per_cashier(worked: Till) -> None:
    report = reports.end_of_day(worked.reader, worked.login(MANAGER_PIN), DAY, zone=BERLIN)
    assert (report.since, report.until) == (datetime(2026, 12, 7, tzinfo=BERLIN),
                                            datetime(2026, 12, 8, tzinfo=BERLIN))
    total = report.total
    assert (total.sales, total.sold, total.paid) == (3, 15_000, 14_500)
    assert [(t.payment, t.count, t.value, t.paid) for t in total.takings] == [
        (PaymentMethod.CASH, 2, 10_000, 9_500), (PaymentMethod.CARD, 1, 5_000, 5_000)]
    assert (total.top_ups, total.topped_up) == (1, 1000)
    assert (total.redemptions, total.redeemed, total.refunds, total.refunded) == (2, 1500, 1, 200)
    assert (total.corrections, total.corrected) == (2, -250)
    assert total.unsynced == 0  # a standalone till has no server to wait for
    assert len(report.tills) == 1 and report.tills[0].paid == 14_500

    by_name = {f.operator_name: f for f in report.shifts}
    assert set(by_name) == {"Maria", "Chris"}
    assert (by_name["Chris"].sales, by_name["Chris"].paid_by(PaymentMethod.CASH)) == (1, 5000)
    assert (by_name["Chris"].redemptions, by_name["Chris"].refunds) == (2, 1)
    assert (by_name["Maria"].sales, by_name["Maria"].paid) == (2, 9500)
    assert (by_name["Maria"].corrections, by_name["Maria"].top_ups) == (2, 1)


def test_the_days_around_it_keep_their_own_sales(worked: Till) -> None:
    manager = worked.login(MANAGER_PIN)
    before = reports.end_of_day(worked.reader, manager, DAY - timedelta(days=1), zone=BERLIN).total
    after = reports.end_of_day(worked.reader, manager, DAY + timedelta(days=1), zone=BERLIN).total
    assert (before.sales, before.paid_by(PaymentMethod.CASH)) == (1, 5000)
    assert (after.sales, after.paid_by(PaymentMethod.OTHER)) == (1, 5000)
    in_utc = reports.end_of_day(worked.reader, manager, DAY, zone=UTC).total  # 00:30 in Berlin is the 7th in UTC
    assert in_utc.sales == 4


def test_the_day_is_the_shops_whatever_zone_the_machine_is_in(worked: Till,
                                                              monkeypatch: pytest.MonkeyPatch) -> None:
    """Without a zone given, the day is the shop's (the till's setting, carried by the caller), not the machine's:
    the sale at 00:30 in Berlin belongs to the 8th there, whatever zone the till's computer runs in."""
    import time as clock

    with worked.uow as uow:
        uow.settings.set("time_zone", "Europe/Berlin")
        uow.commit()
    monkeypatch.setenv("TZ", "America/New_York")
    clock.tzset()
    try:
        manager = worked.login(MANAGER_PIN)
        assert manager.zone == BERLIN
        report = reports.end_of_day(worked.reader, manager, DAY)
        assert (report.since, report.until) == (datetime(2026, 12, 7, tzinfo=BERLIN),
                                                datetime(2026, 12, 8, tzinfo=BERLIN))
        assert report.total.sales == 3
    finally:
        monkeypatch.undo()
        clock.tzset()


def test_a_day_across_summer_time_is_23_hours_long() -> None:
    since, until = reports.day_bounds(date(2027, 3, 28), BERLIN)
    assert until.astimezone(UTC) - since.astimezone(UTC) == timedelta(hours=23)
    assert since.utcoffset() == timedelta(hours=1) and until.utcoffset() == timedelta(hours=2)


def test_the_csv_has_a_row_per_shift_per_till_and_for_the_shop(worked: Till) -> None:
    report = reports.end_of_day(worked.reader, worked.login(MANAGER_PIN), DAY, zone=BERLIN)
    out = io.StringIO()
    assert reports.write_day_csv(report, out) == 4
    rows = list(csv.DictReader(io.StringIO(out.getvalue())))
    shop = rows[-1]
    assert (shop["device_id"], shop["operator_id"], shop["paid_cash"], shop["paid_card"], shop["corrected"]) == (
        "", "", "9500", "5000", "-250")
    assert {r["operator_name"] for r in rows[:2]} == {"Maria", "Chris"}


def test_only_a_manager_sees_the_day(worked: Till) -> None:
    with pytest.raises(GiftCardError) as refused:
        reports.end_of_day(worked.reader, worked.login(CASHIER_PIN), DAY, zone=BERLIN)
    assert refused.value.key == "forbidden"


def test_an_enrolled_till_counts_what_it_has_not_synced_yet(worked: Till) -> None:
    import dataclasses
    import uuid

    from pos_app.domain.ledger import EntryStatus
    from pos_app.services.modes import ENROLLED, MODE_KEY

    manager = worked.login(MANAGER_PIN)
    with worked.uow as uow:
        uow.settings.set(MODE_KEY, ENROLLED)  # as enrolment leaves it (the server is not asked here)
        sale = next(e for e in uow.entries.iter_all() if e.price == 4500)
        queued = dataclasses.replace(sale, id=uuid.uuid4(), device_seq=0, amount=100,
                                     kind=sale.kind, price=None, payment=None, reason=None,
                                     status=EntryStatus.PROVISIONAL)
        uow.entries.add(queued)
        uow.commit()
    report = reports.end_of_day(worked.reader, manager, DAY, zone=BERLIN)
    since, until = reports.day_bounds(DAY, BERLIN)
    with worked.reader as uow:  # this till never synced: every successful entry of the day is still queued
        day = [e for e in uow.entries.iter_all(since, until) if e.succeeded]
    assert report.total.unsynced == len(day) and queued.id in {e.id for e in day}
    assert report.total.top_ups == 2  # the queued addition has a price of none and no reason: a top-up
