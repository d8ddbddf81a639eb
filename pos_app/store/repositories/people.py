"""Users, with their wrong-PIN bookkeeping (customers: ``customers``)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Connection, Row, bindparam, delete, insert, select, update
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.exc import IntegrityError

from pos_app.domain import errors
from pos_app.domain.people import Attempts, User
from pos_app.services.ports import UserRepository
from pos_app.store.models import users
from pos_app.store.repositories._errors import translate

_USER_BY_ID = select(users).where(users.c.id == bindparam("b_id"))
_USER_BY_NAME = select(users).where(users.c.name == bindparam("b_name"))
_USERS = select(users).order_by(users.c.name)
_USER_INSERT = insert(users)
_USER_SAVE = update(users).where(users.c.id == bindparam("b_id"))
_USER_GIVE_WAY = delete(users).where(users.c.name == bindparam("b_name"), users.c.id != bindparam("b_id"))
_user_upsert = sqlite_insert(users)
_USER_UPSERT = _user_upsert.on_conflict_do_update(
    index_elements=[users.c.id],
    set_={name: _user_upsert.excluded[name] for name in ("name", "role", "pin_hash", "active")},
)


def user_values(user: User) -> dict[str, Any]:
    return {
        "name": user.name,
        "role": user.role,
        "pin_hash": user.pin_hash,
        "active": user.active,
        "failed_attempts": user.attempts.failed,
        "locked_until": user.attempts.locked_until,
        "lockouts": user.attempts.lockouts,
    }


def user_from_row(row: Row[Any]) -> User:
    return User(
        id=row.id, name=row.name, role=row.role, pin_hash=row.pin_hash, active=row.active,
        attempts=Attempts(failed=row.failed_attempts, locked_until=row.locked_until, lockouts=row.lockouts),
    )


class SqlUserRepository(UserRepository):
    def __init__(self, conn: Connection) -> None:
        self._conn = conn

    def add(self, user: User) -> None:
        values = user_values(user)
        values.update(id=user.id, created_at=datetime.now(UTC))
        try:
            self._conn.execute(_USER_INSERT, values)
        except IntegrityError as exc:
            raise (translate(exc, f"user {user.name!r}") or exc) from exc

    def get(self, user_id: str) -> User | None:
        row = self._conn.execute(_USER_BY_ID, {"b_id": user_id}).first()
        return None if row is None else user_from_row(row)

    def get_by_name(self, name: str) -> User | None:
        row = self._conn.execute(_USER_BY_NAME, {"b_name": name}).first()
        return None if row is None else user_from_row(row)

    def list(self) -> list[User]:
        return [user_from_row(row) for row in self._conn.execute(_USERS)]

    def save(self, user: User) -> None:
        params = user_values(user)
        params["b_id"] = user.id
        try:
            result = self._conn.execute(_USER_SAVE, params)
        except IntegrityError as exc:
            raise (translate(exc, f"user {user.name!r}") or exc) from exc
        if result.rowcount != 1:
            raise errors.NotFound(f"user {user.id} is not in the store")

    def upsert(self, users: Sequence[User]) -> None:
        now = datetime.now(UTC)
        for user in users:
            self._conn.execute(_USER_GIVE_WAY, {"b_name": user.name, "b_id": user.id})
            values = user_values(user)
            values.update(id=user.id, created_at=now, failed_attempts=0, locked_until=None, lockouts=0)
            self._conn.execute(_USER_UPSERT, values)
