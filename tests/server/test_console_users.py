"""The console's accounts and sessions on both databases (``console.users``, ``console.sessions``,
``console.audit``), with made-up times: the lock opens after its time, sessions end at theirs."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import Engine

from pos_app.domain import errors
from pos_app.server.console import audit, sessions, users
from pos_app.server.console.viewer import Viewer
from pos_app.server.db.engine import read, write

T0 = datetime(2026, 12, 7, 9, 0, tzinfo=UTC)
HASH = users.hash_password("a long password", n=2**10)  # cheap for tests; the scheme carries its cost


def _add(engine: Engine, email: str = "ann@example.com", role: str = "support") -> users.ConsoleUser:
    return write(engine, lambda conn: users.add_user(conn, email=email, role=role, password_hash=HASH, at=T0))


def _attempt(engine: Engine, email: str, password: str, at: datetime) -> errors.GiftCardError | None:
    found = read(engine, lambda conn: users.candidate(conn, email))
    try:
        users.check_lock(found.user, at)
    except users.AccountLocked as locked:
        return locked
    ok = users.verify_password(password, found.password_hash)
    return write(engine, lambda conn: users.record_attempt(conn, found.user, ok, at))


def test_the_lock_comes_at_the_fifth_failure_and_opens_after_its_time(engine: Engine) -> None:
    _add(engine)
    for n in range(4):
        assert isinstance(_attempt(engine, "ann@example.com", "wrong", T0 + timedelta(seconds=n)), users.SignInFailed)
    locked = _attempt(engine, "ann@example.com", "wrong", T0 + timedelta(seconds=5))
    assert isinstance(locked, users.AccountLocked) and locked.until == T0 + timedelta(seconds=5) + users.LOCKOUT
    assert isinstance(_attempt(engine, "ann@example.com", "a long password", T0 + timedelta(minutes=10)),
                      users.AccountLocked)
    assert _attempt(engine, "ann@example.com", "a long password", T0 + timedelta(minutes=16)) is None
    # a success resets the count: four more failures do not lock
    for n in range(4):
        assert isinstance(_attempt(engine, "ann@example.com", "wrong", T0 + timedelta(minutes=17, seconds=n)),
                          users.SignInFailed)


def test_an_unknown_address_and_a_disabled_account_answer_as_a_wrong_password(engine: Engine) -> None:
    ann = _add(engine)
    assert isinstance(_attempt(engine, "nobody@example.com", "a long password", T0), users.SignInFailed)
    write(engine, lambda conn: users.disable(conn, ann.id, T0))
    assert isinstance(_attempt(engine, "ann@example.com", "a long password", T0), users.SignInFailed)


def test_sessions_end_at_their_time_when_disabled_and_with_a_new_password(engine: Engine) -> None:
    ann = _add(engine)
    token, csrf = write(engine, lambda conn: sessions.start(conn, ann.id, T0))
    found = read(engine, lambda conn: sessions.find(conn, token, T0 + timedelta(hours=1)))
    assert found is not None and (found.email, found.csrf) == ("ann@example.com", csrf)
    assert read(engine, lambda conn: sessions.find(conn, token, T0 + sessions.LIFETIME)) is None
    assert read(engine, lambda conn: sessions.find(conn, token + "x", T0)) is None
    token, _ = write(engine, lambda conn: sessions.start(conn, ann.id, T0))
    write(engine, lambda conn: users.set_password(conn, ann.id, HASH))
    assert read(engine, lambda conn: sessions.find(conn, token, T0)) is None
    token, _ = write(engine, lambda conn: sessions.start(conn, ann.id, T0))
    write(engine, lambda conn: users.disable(conn, ann.id, T0))
    assert read(engine, lambda conn: sessions.find(conn, token, T0)) is None


def test_accounts_refuse_a_bad_address_role_or_password_and_a_second_address(engine: Engine) -> None:
    _add(engine)
    for bad in ({"email": "no address"}, {"role": "owner"}, {"email": "ANN@example.com"}):
        with pytest.raises(errors.GiftCardError):
            write(engine, lambda conn, bad=bad: users.add_user(conn, **{  # type: ignore[misc]
                "email": "bob@example.com", "role": "finance", "password_hash": HASH, "at": T0, **bad}))
    with pytest.raises(errors.InvalidPayload):
        users.hash_password("short")


def test_the_audit_log_pages_newest_first_with_its_filters(engine: Engine) -> None:
    ann = Viewer(id="cu_ann", email="ann@example.com", role="support", locale="en", csrf="")

    def lines(conn: object) -> None:
        for n in range(7):
            audit.record(conn, ann if n % 2 else None, "cards.correct" if n < 4 else "login",  # type: ignore[arg-type]
                         f"t{n}", {"n": n}, email="x@example.com", at=T0 + timedelta(seconds=n))

    write(engine, lines)
    every = read(engine, lambda conn: audit.page(conn, limit=3))
    assert [line.target for line in every] == ["t6", "t5", "t4"]
    rest = read(engine, lambda conn: audit.page(conn, after=every[-1].id))
    assert [line.target for line in rest] == ["t3", "t2", "t1", "t0"]
    mine = read(engine, lambda conn: audit.page(conn, user_id="cu_ann", action="cards.correct"))
    assert [(line.target, line.email, line.detail) for line in mine] == [("t3", "ann@example.com", {"n": 3}),
                                                                         ("t1", "ann@example.com", {"n": 1})]
