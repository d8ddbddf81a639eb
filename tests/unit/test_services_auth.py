"""Logging in with a PIN, lock-out, managing people, and setting up the store."""

from __future__ import annotations

import pytest

from pos_app.domain.errors import GiftCardError
from pos_app.domain.people import ATTEMPT_WINDOW, LOCKOUT, MAX_FAILED_ATTEMPTS, Role
from pos_app.services import auth
from pos_app.services.setup import init_store, load_profile
from tests.unit.conftest import CASHIER_PIN, MANAGER_PIN, FixedClock, Store
from tests.unit.fakes import FakeUnitOfWork


def refused(call, *args, **kwargs) -> str:  # type: ignore[no-untyped-def]
    with pytest.raises(GiftCardError) as caught:
        call(*args, **kwargs)
    return caught.value.key


def login(store: Store, pin: str | None, user_name: str | None = None):  # type: ignore[no-untyped-def]
    return auth.login(store.uow, pin, user_name=user_name, clock=store.clock)


# ---- logging in -----------------------------------------------------------------------------------------------

def test_a_pin_alone_identifies_the_person(store: Store) -> None:
    assert login(store, MANAGER_PIN).role is Role.MANAGER
    assert login(store, CASHIER_PIN) == store.cashier.actor


def test_a_named_user_logs_in_with_their_own_pin_only(store: Store) -> None:
    assert login(store, CASHIER_PIN, "Carl").name == "Carl"
    assert refused(login, store, MANAGER_PIN, "Carl") == "unauthorized"  # someone else's PIN
    assert refused(login, store, CASHIER_PIN, "Nobody") == "unauthorized"


@pytest.mark.parametrize("pin", [None, ""])
def test_no_pin_is_refused_without_counting(store: Store, pin: str | None) -> None:
    for _ in range(MAX_FAILED_ATTEMPTS + 1):
        assert refused(login, store, pin) == "unauthorized"
    assert login(store, CASHIER_PIN).name == "Carl"


def test_wrong_pins_count_against_the_named_user(store: Store) -> None:
    assert refused(login, store, "0000", "Carl") == "unauthorized"
    assert refused(login, store, "0001", "Carl") == "unauthorized"
    carl = store.uow.users.get_by_name("Carl")
    assert carl is not None and carl.attempts.failed == 2
    login(store, CASHIER_PIN, "Carl")
    carl = store.uow.users.get_by_name("Carl")
    assert carl is not None and carl.attempts.failed == 0


def test_five_wrong_pins_lock_the_named_user_out_even_with_the_right_pin(store: Store) -> None:
    for _ in range(MAX_FAILED_ATTEMPTS):
        assert refused(login, store, "0000", "Carl") == "unauthorized"
    assert refused(login, store, CASHIER_PIN, "Carl") == "locked_out"
    assert login(store, MANAGER_PIN, "Maria").name == "Maria"  # others are not locked out
    store.clock.advance(seconds=LOCKOUT.total_seconds())
    assert login(store, CASHIER_PIN, "Carl").name == "Carl"


def test_a_second_lockout_lasts_twice_as_long(store: Store) -> None:
    for _ in range(2):
        for _ in range(MAX_FAILED_ATTEMPTS):
            refused(login, store, "0000", "Carl")
        store.clock.advance(seconds=LOCKOUT.total_seconds())
    assert refused(login, store, CASHIER_PIN, "Carl") == "locked_out"
    store.clock.advance(seconds=LOCKOUT.total_seconds())
    assert login(store, CASHIER_PIN, "Carl").name == "Carl"


def test_wrong_pins_without_a_name_lock_the_till(store: Store) -> None:
    for _ in range(MAX_FAILED_ATTEMPTS):
        assert refused(login, store, "0000") == "unauthorized"
    assert refused(login, store, CASHIER_PIN) == "locked_out"
    assert refused(login, store, MANAGER_PIN, "Maria") == "locked_out"
    store.clock.advance(seconds=LOCKOUT.total_seconds())
    assert login(store, CASHIER_PIN).name == "Carl"


def test_the_wrong_pin_bookkeeping_survives_the_failed_login(store: Store) -> None:
    refused(login, store, "0000")
    assert len(store.uow.settings.till_attempts().failures) == 1


def test_a_switched_off_user_cannot_log_in(store: Store) -> None:
    auth.set_active(store.uow, store.manager, "Carl", active=False)
    assert refused(login, store, CASHIER_PIN) == "unauthorized"
    assert refused(login, store, CASHIER_PIN, "Carl") == "unauthorized"
    auth.set_active(store.uow, store.manager, "Carl", active=True)
    assert login(store, CASHIER_PIN).name == "Carl"


# ---- managing people ------------------------------------------------------------------------------------------

def test_a_manager_adds_people_who_can_then_log_in(store: Store) -> None:
    auth.add_user(store.uow, store.manager, "  Dora ", Role.CASHIER, "5555")
    assert login(store, "5555").name == "Dora"


def test_pins_are_unique_in_a_store(store: Store) -> None:
    assert refused(auth.add_user, store.uow, store.manager, "Dora", Role.CASHIER, CASHIER_PIN) == "duplicate_found"
    assert store.uow.users.get_by_name("Dora") is None


def test_a_pin_of_a_switched_off_user_may_be_given_again(store: Store) -> None:
    auth.set_active(store.uow, store.manager, "Carl", active=False)
    auth.add_user(store.uow, store.manager, "Dora", Role.CASHIER, CASHIER_PIN)
    assert login(store, CASHIER_PIN).name == "Dora"


def test_names_are_unique_in_a_store(store: Store) -> None:
    assert refused(auth.add_user, store.uow, store.manager, "Carl", Role.CASHIER, "5555") == "duplicate_found"


@pytest.mark.parametrize(("name", "pin"), [("", "5555"), ("   ", "5555"), ("x" * 81, "5555"), ("Tab\there", "5555"),
                                           ("Dora", "55"), ("Dora", "abcd")])
def test_a_person_needs_a_name_and_a_pin(store: Store, name: str, pin: str) -> None:
    assert refused(auth.add_user, store.uow, store.manager, name, Role.CASHIER, pin) == "invalid_payload"


def test_only_a_manager_adds_people(store: Store) -> None:
    assert refused(auth.add_user, store.uow, store.cashier, "Dora", Role.MANAGER, "5555") == "forbidden"
    assert refused(auth.add_user, store.uow, None, "Dora", Role.MANAGER, "5555") == "unauthorized"
    assert store.uow.users.get_by_name("Dora") is None


def test_a_manager_cannot_switch_themselves_off(store: Store) -> None:
    assert refused(auth.set_active, store.uow, store.manager, "Maria", active=False) == "invalid_payload"
    assert refused(auth.set_active, store.uow, store.manager, "Nobody", active=False) == "not_found"
    assert refused(auth.set_active, store.uow, store.cashier, "Maria", active=False) == "forbidden"


# ---- setting up the store -------------------------------------------------------------------------------------

def test_init_store_writes_the_profile_and_the_first_manager(clock: FixedClock) -> None:
    uow = FakeUnitOfWork()
    profile = init_store(uow, store_name=" Corner Shop ", currency="EUR", manager_pin="9876", locale="de_DE")
    assert load_profile(uow) == profile
    assert (profile.store_name, profile.currency, profile.locale, profile.mode) == (
        "Corner Shop", "EUR", "de_DE", "standalone")
    assert auth.login(uow, "9876", clock=clock).role is Role.MANAGER


def test_a_store_is_initialised_once(store: Store) -> None:
    assert refused(init_store, store.uow, store_name="Other", currency="USD", manager_pin="1111") == "duplicate_found"
    assert load_profile(store.uow) == store.profile
    assert [u.name for u in store.uow.users.list()] == ["Maria", "Carl"]


def test_a_store_that_was_never_set_up_says_so() -> None:
    assert refused(load_profile, FakeUnitOfWork()) == "store_not_initialised"


@pytest.mark.parametrize(
    ("fields", "key"),
    [
        ({"currency": "EUT"}, "invalid_amount"),
        ({"manager_pin": "12"}, "invalid_payload"),
        ({"store_name": "  "}, "invalid_payload"),
        ({"manager_name": "  "}, "invalid_payload"),
        ({"manager_name": "x" * 81}, "invalid_payload"),
    ],
)
def test_a_refused_setup_writes_nothing(fields: dict[str, str], key: str) -> None:
    uow = FakeUnitOfWork()
    args = {"store_name": "Corner Shop", "currency": "EUR", "manager_pin": "9876", **fields}
    assert refused(init_store, uow, **args) == key
    assert uow.state.settings == {} and uow.state.users == {}
    init_store(uow, store_name="Corner Shop", currency="EUR", manager_pin="9876")  # and it can be done right


# ---- guessing someone else's PIN (issue 13) -------------------------------------------------------------------

def test_a_cashiers_own_logins_do_not_reset_the_tills_wrong_pins(store: Store) -> None:
    """A cashier guessing the manager's PIN, logging in with their own every 4 guesses, is locked out at the
    fifth wrong PIN, and the manager's PIN is then refused too until the lock-out ends."""
    results = []
    for guess in range(12):
        if guess and guess % 4 == 0:
            results.append(refused(login, store, CASHIER_PIN) if results[-1] == "locked_out"
                           else login(store, CASHIER_PIN).name)
        results.append(refused(login, store, f"{1000 + guess:04d}"))
    assert results[:6] == ["unauthorized"] * 4 + ["Carl", "unauthorized"]
    assert "locked_out" in results and results.index("locked_out") <= MAX_FAILED_ATTEMPTS + 1
    assert refused(login, store, MANAGER_PIN) == "locked_out"


def test_someone_elses_success_resets_nothing_of_a_named_persons_wrong_pins(store: Store) -> None:
    for guess in range(MAX_FAILED_ATTEMPTS - 1):
        refused(login, store, f"{1000 + guess:04d}", "Maria")
    login(store, CASHIER_PIN, "Carl")
    login(store, CASHIER_PIN)
    maria = store.uow.users.get_by_name("Maria")
    assert maria is not None and maria.attempts.failed == MAX_FAILED_ATTEMPTS - 1
    assert refused(login, store, "1999", "Maria") == "unauthorized"
    assert refused(login, store, MANAGER_PIN, "Maria") == "locked_out"
    assert refused(login, store, MANAGER_PIN) == "locked_out"  # her PIN alone too


def test_the_tills_wrong_pins_are_forgotten_after_a_while(store: Store) -> None:
    """A wrong PIN now and then over a day never locks the till: only a run of them within the window does."""
    for _ in range(3 * MAX_FAILED_ATTEMPTS):
        assert refused(login, store, "0000") == "unauthorized"
        store.clock.advance(seconds=ATTEMPT_WINDOW.total_seconds() / (MAX_FAILED_ATTEMPTS - 1))
        assert login(store, CASHIER_PIN).name == "Carl"
