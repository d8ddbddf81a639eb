"""Logging in with a PIN, lock-out after wrong PINs, and managing people.

A PIN alone identifies a person at the till (PINs are unique per store); naming the user checks only theirs.
Wrong PINs count against the named user, or against the till when nobody was named (or a name nobody has),
and lock after ``MAX_FAILED_ATTEMPTS`` (see :mod:`pos_app.domain.people`). A right PIN resets only its own
person's count, never the till's: a cashier guessing the manager's PIN between their own logins is locked out
all the same.
The bookkeeping is committed even though the login fails.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from pos_app.domain import errors
from pos_app.domain.people import Actor, Permission, Role, User, hash_pin, validate_pin, verify_pin
from pos_app.services.campaigns import new_id
from pos_app.services.context import Caller, utc_now
from pos_app.services.modes import require_standalone
from pos_app.services.ports import UnitOfWork


def login(uow: UnitOfWork, pin: str | None, *, user_name: str | None = None,
          clock: Callable[[], datetime] = utc_now) -> Actor:
    """The person with this PIN (and name, if given), or ``unauthorized`` / ``locked_out``.

    The attempt is counted first, in a short write transaction of its own (:meth:`TillAttempts.begin`): PINs
    tried at once, from threads or processes, are serialised there, so no more of them are checked than the
    lock-out allows. The slow PIN checks (scrypt, ~50 ms each) then run outside any transaction, so a login
    never holds up a sale on another till process; a second short transaction records the outcome.
    """
    at = clock()
    if not pin:
        raise errors.Unauthorized("enter your PIN")
    with uow:
        till = uow.settings.till_attempts()
        named = uow.users.get_by_name(user_name) if user_name is not None else None
        till.begin(at, named)
        uow.settings.save_till_attempts(till)
        if user_name is not None:
            candidates = [named] if named is not None and named.active else []
        else:
            candidates = [u for u in uow.users.list() if u.active]
        uow.commit()
    match = next((u for u in candidates if verify_pin(pin, u.pin_hash)), None)
    with uow:
        till = uow.settings.till_attempts()
        till.finish(at, named.id if named is not None else None, right=match is not None, at=clock())
        uow.settings.save_till_attempts(till)
        person = match or named
        user = uow.users.get(person.id) if person is not None else None
        if match is not None and user is not None:
            try:
                user.attempts.check(at)  # their own PIN, but they are locked out by wrong ones named at them
            except errors.LockedOut:
                uow.commit()
                raise
            user.attempts.success()
            uow.users.save(user)
            uow.commit()
            return user.actor
        if user is not None:
            user.attempts.failure(at)
            uow.users.save(user)
        uow.commit()
    raise errors.Unauthorized("wrong user or PIN" if user_name is not None else "wrong PIN")


def _pin_in_use(uow: UnitOfWork, pin: str, except_id: str | None = None) -> bool:
    return any(u.id != except_id and verify_pin(pin, u.pin_hash) for u in uow.users.list() if u.active)


def validate_user_name(name: str) -> str:
    """The stripped name of a person, or ``invalid_payload``."""
    name = name.strip()
    if not name or len(name) > 80 or not name.isprintable():
        raise errors.InvalidPayload("a name has 1 to 80 printable characters")
    return name


def add_user(uow: UnitOfWork, caller: Caller | None, name: str, role: Role, pin: str) -> User:
    """Add a person. ``caller`` None is allowed only for the first manager, when the store is set up."""
    validate_pin(pin)
    name = validate_user_name(name)
    with uow:
        if caller is None:
            if uow.users.list():
                raise errors.Unauthorized("a manager must add people")
        else:
            caller.require(Permission.MANAGE_USERS)
            require_standalone(uow, "adding a person", "pos-server user add")
        if uow.users.get_by_name(name) is not None:
            raise errors.DuplicateFound(f"there is already a user called {name!r}")
        if _pin_in_use(uow, pin):
            raise errors.DuplicateFound("that PIN is taken; choose another")
        user = User(id=new_id("u"), name=name, role=role, pin_hash=hash_pin(pin))
        uow.users.add(user)
        uow.commit()
        return user


def set_active(uow: UnitOfWork, caller: Caller, name: str, *, active: bool) -> User:
    caller.require(Permission.MANAGE_USERS)
    with uow:
        require_standalone(uow, "switching a person on or off", "on the central server")
        user = uow.users.get_by_name(name)
        if user is None:
            raise errors.NotFound(f"no user called {name!r}")
        if not active and user.id == caller.actor.user_id:
            raise errors.InvalidPayload("you cannot switch yourself off")
        user.active = active
        uow.users.save(user)
        uow.commit()
        return user
