"""People: PINs, their hashes, lock-out after wrong PINs, and what each role may do."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from pos_app.domain import people
from pos_app.domain.errors import Forbidden, GiftCardError
from pos_app.domain.people import (
    LOCKOUT,
    MAX_FAILED_ATTEMPTS,
    MAX_LOCKOUT,
    Actor,
    Attempts,
    Permission,
    Role,
    hash_pin,
    validate_pin,
    verify_pin,
)

NOW = datetime(2025, 6, 4, 10, 0, tzinfo=UTC)


@pytest.mark.parametrize("pin", ["1234", "0000", "12345678"])
def test_a_pin_is_four_to_eight_digits(pin: str) -> None:
    assert validate_pin(pin) == pin


@pytest.mark.parametrize("pin", ["", "123", "123456789", "12a4", "12 34", " 1234", "١٢٣٤", "１２３４", "-123"])
def test_anything_else_is_not_a_pin(pin: str) -> None:
    with pytest.raises(GiftCardError) as caught:
        validate_pin(pin)
    assert caught.value.key == "invalid_payload"
    with pytest.raises(GiftCardError):
        hash_pin(pin)


def test_a_hash_verifies_its_pin_and_no_other() -> None:
    stored = hash_pin("2468")
    assert verify_pin("2468", stored)
    assert not verify_pin("2469", stored)
    assert not verify_pin("24680", stored)
    assert not verify_pin("２４６８", stored)


def test_the_same_pin_hashes_differently_with_each_salt() -> None:
    first, second = hash_pin("2468"), hash_pin("2468")
    assert first != second
    assert first.split("$")[4] != second.split("$")[4]
    assert verify_pin("2468", first) and verify_pin("2468", second)


def test_the_hash_carries_its_cost_so_it_can_be_raised_later() -> None:
    old = hash_pin("2468", n=2**4)
    assert old.startswith("scrypt$16$8$1$")
    new = hash_pin("2468", n=2**6)
    assert new.startswith("scrypt$64$")
    assert verify_pin("2468", old) and verify_pin("2468", new)


def test_the_default_cost_is_read_when_hashing(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(people, "SCRYPT_N", 2**5)
    assert hash_pin("2468").startswith("scrypt$32$")


@pytest.mark.parametrize(
    "stored",
    ["", "plain", "md5$1$2$3$4$5", "scrypt$x$8$1$00$00", "scrypt$16$8$1$zz$00", "scrypt$15$8$1$00$00"],
)
def test_a_malformed_hash_matches_no_pin(stored: str) -> None:
    assert verify_pin("1234", stored) is False


# ---- lock-out -------------------------------------------------------------------------------------------------

def fail(attempts: Attempts, times: int, at: datetime = NOW) -> None:
    for _ in range(times):
        attempts.failure(at)


def test_four_wrong_pins_do_not_lock() -> None:
    attempts = Attempts()
    fail(attempts, MAX_FAILED_ATTEMPTS - 1)
    attempts.check(NOW)
    assert attempts.failed == MAX_FAILED_ATTEMPTS - 1


def test_the_fifth_wrong_pin_locks_for_five_minutes() -> None:
    attempts = Attempts()
    fail(attempts, MAX_FAILED_ATTEMPTS)
    with pytest.raises(GiftCardError) as caught:
        attempts.check(NOW + LOCKOUT - timedelta(seconds=1))
    assert caught.value.key == "locked_out"
    attempts.check(NOW + LOCKOUT)


def test_each_lockout_lasts_twice_as_long_as_the_one_before_up_to_a_cap() -> None:
    attempts = Attempts()
    at = NOW
    lengths = []
    for _ in range(8):
        fail(attempts, MAX_FAILED_ATTEMPTS, at)
        assert attempts.locked_until is not None
        lengths.append(attempts.locked_until - at)
        at = attempts.locked_until
    assert lengths[:4] == [LOCKOUT, 2 * LOCKOUT, 4 * LOCKOUT, 8 * LOCKOUT]
    assert max(lengths) == MAX_LOCKOUT == lengths[-1]


def test_a_right_pin_resets_the_count_and_the_doubling() -> None:
    attempts = Attempts()
    fail(attempts, MAX_FAILED_ATTEMPTS)
    attempts.success()
    fail(attempts, MAX_FAILED_ATTEMPTS - 1)
    attempts.check(NOW)
    attempts.failure(NOW)
    assert attempts.locked_until == NOW + LOCKOUT


# ---- roles ----------------------------------------------------------------------------------------------------

CASHIER = Actor(user_id="u_c", name="Carl", role=Role.CASHIER)
MANAGER = Actor(user_id="u_m", name="Maria", role=Role.MANAGER)


def test_a_cashier_checks_redeems_and_refunds_their_own_last_sale_only() -> None:
    allowed = {p for p in Permission if CASHIER.can(p)}
    assert allowed == {Permission.CHECK_BALANCE, Permission.REDEEM, Permission.REFUND_OWN_RECENT}


@pytest.mark.parametrize("permission", sorted(set(Permission) - {Permission.CHECK_BALANCE, Permission.REDEEM,
                                                                 Permission.REFUND_OWN_RECENT}))
def test_a_cashier_is_refused_manager_operations(permission: Permission) -> None:
    with pytest.raises(GiftCardError) as caught:
        CASHIER.require(permission)
    assert caught.value.key == "forbidden"
    MANAGER.require(permission)


@pytest.mark.parametrize("permission", sorted(set(Permission) - people.ROLE_PERMISSIONS[Role.CASHIER]))
def test_every_refusal_names_what_was_refused_in_words(permission: Permission) -> None:
    """Not "Ann (cashier) may not reports" nor "may not import export": each permission has a phrase."""
    ann = Actor(user_id="u_ann", name="Ann", role=Role.CASHIER)
    with pytest.raises(Forbidden) as refused:
        ann.require(permission)
    assert refused.value.details == f"Ann (cashier) may not {people.PERMISSION_PHRASES[permission]}"
    assert refused.value.context["permission"] == permission.value


def test_every_permission_has_a_phrase_of_its_own_in_words() -> None:
    phrases = people.PERMISSION_PHRASES
    assert set(phrases) == set(Permission) and len(set(phrases.values())) == len(Permission)
    verbs = {"check", "take", "refund", "sell", "top", "correct", "disable", "give", "manage", "import", "see",
             "override", "change"}
    for phrase in phrases.values():  # "may not <verb> …" reads as a sentence
        assert phrase.split()[0] in verbs and len(phrase.split()) >= 2 and "_" not in phrase, phrase
