"""Wrong PINs typed at once on one till's store (issue 13: 20 simultaneous wrong PINs were all checked): each
attempt is counted in a write transaction before its PIN is checked, so no more attempts are checked than the
lock-out allows, whatever the threads' timing."""

from __future__ import annotations

import threading

from pos_app.domain import errors
from pos_app.domain.people import MAX_FAILED_ATTEMPTS, Role
from pos_app.services import auth
from pos_app.store import Store

ATTEMPTS = 20


def test_twenty_wrong_pins_at_once_check_no_more_than_the_limit(store: Store) -> None:
    auth.add_user(store.unit_of_work(), None, "Maria", Role.MANAGER, "9876")
    start = threading.Barrier(ATTEMPTS)
    keys: list[str] = []
    lock = threading.Lock()

    def guess(pin: str) -> None:
        uow = store.unit_of_work()
        start.wait(timeout=30)
        try:
            auth.login(uow, pin)
            key = "logged in"
        except errors.GiftCardError as exc:
            key = exc.key
        with lock:
            keys.append(key)

    threads = [threading.Thread(target=guess, args=(f"{1000 + n:04d}",)) for n in range(ATTEMPTS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert sorted(keys) == sorted(["unauthorized"] * MAX_FAILED_ATTEMPTS
                                  + ["locked_out"] * (ATTEMPTS - MAX_FAILED_ATTEMPTS))
    try:
        auth.login(store.unit_of_work(), "9876")
    except errors.LockedOut:
        pass
    else:
        raise AssertionError("the manager's PIN was accepted after the lock-out")
