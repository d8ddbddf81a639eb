"""Guessing codes is slow: the rule (made-up times, so it cannot flake) and the till's lookups under it."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from pos_app.domain import errors
from pos_app.domain.lookups import DEFAULT_LIMIT, LookupLimit, retry_after
from pos_app.services import cards
from pos_app.services.lookup import FAILURES_KEY, find_card
from tests.unit.conftest import Store

T0 = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
LIMIT = LookupLimit(failures=20, window=timedelta(minutes=10))


def seconds(n: float) -> timedelta:
    return timedelta(seconds=n)


def test_fewer_failures_than_the_limit_never_wait() -> None:
    assert retry_after([], T0) is None
    assert retry_after([T0 + seconds(i) for i in range(19)], T0 + seconds(19), LIMIT) is None


def test_the_failure_that_reaches_the_limit_starts_a_wait_of_one_window() -> None:
    burst = [T0 + seconds(i / 10) for i in range(20)]  # 20 failures in 2 s: the last one, at 1.9 s, strikes
    assert retry_after(burst[:19], T0 + seconds(2), LIMIT) is None
    assert retry_after(burst, T0 + seconds(2), LIMIT) == 600
    assert retry_after(burst, T0 + seconds(601), LIMIT) == 1
    assert retry_after(burst, T0 + seconds(601.9), LIMIT) is None


def test_a_cashier_mistyping_now_and_then_never_waits() -> None:
    every_45_s = [T0 + seconds(45 * i) for i in range(640)]  # one every 45 s, 8 hours long
    assert all(retry_after([f for f in every_45_s if f <= at], at, LIMIT) is None
               for at in every_45_s[::37])


def test_each_further_run_of_guesses_waits_twice_as_long_up_to_a_day() -> None:
    failures: list[datetime] = []
    at = T0
    waits = []
    for _ in range(12):
        while (wait := retry_after(failures, at, LIMIT)) is None:  # guess as fast as allowed
            failures.append(at)
            at += seconds(0.01)
        waits.append(wait)
        at += seconds(wait)  # then wait exactly as long as told
    assert waits[:4] == [600, 1200, 2400, 4800]
    assert max(waits) <= 24 * 3600
    assert len(failures) < 20 * 14  # twelve waits, within a day and a half: a few hundred guesses, not millions


def test_the_limit_refuses_nonsense() -> None:
    with pytest.raises(errors.InvalidPayload):
        LookupLimit(failures=0)
    with pytest.raises(errors.InvalidPayload):
        LookupLimit(window=timedelta(days=2))


# ---- the till ---------------------------------------------------------------------------------------------

def test_the_till_refuses_lookups_after_too_many_unknown_codes_known_card_or_not(store: Store) -> None:
    card = store.sold_card(5000)
    for i in range(DEFAULT_LIMIT.failures):
        with store.uow, pytest.raises(errors.NotFound):
            find_card(store.uow, f"NO-SUCH-{i}", at=T0 + seconds(i))
    later = T0 + seconds(30)
    with store.uow, pytest.raises(errors.TooManyRequests) as refused:
        find_card(store.uow, card.code, at=later)  # a known card too: a refusal must not tell which exist
    assert refused.value.key == "too_many_requests" and refused.value.code == 429
    assert refused.value.retry_after == 19 + 600 - 30  # the 20th failure, at 19 s, started the wait
    with store.uow, pytest.raises(errors.TooManyRequests):
        find_card(store.uow, "NO-SUCH-MORE", at=later)
    assert len(store.uow.settings.get(FAILURES_KEY)) == DEFAULT_LIMIT.failures  # a refusal counts nothing
    with store.uow:
        assert find_card(store.uow, card.code, at=T0 + seconds(619)).id == card.id


def test_the_till_counts_through_its_use_cases_and_a_cashier_sees_the_refusal(store: Store) -> None:
    card = store.sold_card(5000)
    for i in range(DEFAULT_LIMIT.failures):
        with pytest.raises(errors.NotFound):
            cards.check_balance(store.uow, store.cashier, f"NO-SUCH-{i}")
    with pytest.raises(errors.TooManyRequests):
        cards.check_balance(store.uow, store.cashier, card.code)
    with pytest.raises(errors.TooManyRequests):
        cards.redeem(store.uow, store.cashier, card.code, cards.Money(100, "EUR"))
    assert store.card(card.code).balance == 5000


def test_a_mistyped_readable_code_is_not_a_lookup(store: Store) -> None:
    card = store.sold_card(5000)
    typo = card.code[:-1] + ("2" if card.code[-1] != "2" else "3")  # the check character catches it
    for _ in range(DEFAULT_LIMIT.failures + 5):
        with store.uow, pytest.raises(errors.InvalidCode):
            find_card(store.uow, typo, at=T0)
    assert store.uow.settings.get(FAILURES_KEY) is None
