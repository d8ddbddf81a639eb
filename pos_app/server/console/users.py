"""People of head office: e-mail, role, a password hashed with scrypt (memory-hard, ``hashlib``), lock-out.

* A password is 10 to 200 characters. Its hash is ``scrypt$N$r$p$salt$digest`` with N = 2**15, r = 8 (32 MiB and
  ~0.1 s per check: slow for a thief with a copy of the database, once per sign-in for a person).
* :data:`MAX_FAILURES` wrong passwords in a row lock the account for :data:`LOCKOUT` (sign-in refused, even with
  the right password, with the time it opens again); a right one before that resets the count. An unknown e-mail
  costs the same hash as a known one, and gets the same answer as a wrong password.
* A disabled account cannot sign in, and its sessions end at once. Setting a password (``passwd``, the people
  page) clears the lock and ends the sessions too.

The functions take a connection in a transaction (``db.engine.read``/``write``); they never commit.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import Connection, delete, insert, select, update

from pos_app.domain import errors
from pos_app.server.console.roles import ConsoleRole
from pos_app.server.db.console_models import console_sessions, console_users
from pos_app.server.ledger import new_id

SCRYPT_N, SCRYPT_R, SCRYPT_P = 2**15, 8, 1
_MAXMEM = 64 * 1024 * 1024
MIN_PASSWORD, MAX_PASSWORD = 10, 200
MAX_FAILURES = 5
LOCKOUT = timedelta(minutes=15)
_EMAIL = re.compile(r"^[^@\s]{1,64}@[^@\s]+\.[^@\s]+$")


class SignInFailed(errors.GiftCardError):
    """Unknown e-mail, wrong password or a disabled account: one answer for all three."""

    key, code, message = "unauthorized", 401, "The e-mail address or the password is wrong."


class AccountLocked(errors.GiftCardError):
    key, code, message = "locked_out", 401, "Too many wrong passwords: this account is locked for a while."

    def __init__(self, until: datetime) -> None:
        super().__init__(f"locked until {until:%Y-%m-%d %H:%M} UTC", until=until)
        self.until = until


@dataclass(frozen=True, slots=True)
class ConsoleUser:
    id: str
    email: str
    role: str
    locale: str | None
    failed_logins: int
    locked_until: datetime | None
    disabled_at: datetime | None
    created_at: datetime

    @property
    def active(self) -> bool:
        return self.disabled_at is None


def hash_password(password: str, *, n: int | None = None) -> str:
    """A salted scrypt hash of ``password`` (which must be a valid one, :func:`check_password`)."""
    check_password(password)
    n = SCRYPT_N if n is None else n
    salt = secrets.token_bytes(16)
    digest = hashlib.scrypt(password.encode(), salt=salt, n=n, r=SCRYPT_R, p=SCRYPT_P, maxmem=_MAXMEM, dklen=32)
    return f"scrypt${n}${SCRYPT_R}${SCRYPT_P}${salt.hex()}${digest.hex()}"


def verify_password(password: str, stored: str) -> bool:
    try:
        scheme, n, r, p, salt, digest = stored.split("$")
        if scheme != "scrypt":
            return False
        test = hashlib.scrypt(password.encode(), salt=bytes.fromhex(salt), n=int(n), r=int(r), p=int(p),
                              maxmem=_MAXMEM, dklen=32)
    except (ValueError, UnicodeEncodeError):  # a malformed hash matches no password
        return False
    return hmac.compare_digest(test.hex(), digest)


#: Checked against when the e-mail is unknown, so that an unknown address takes as long as a wrong password.
_DUMMY_HASH = f"scrypt${SCRYPT_N}${SCRYPT_R}${SCRYPT_P}${'00' * 16}${'00' * 32}"


def check_password(password: str) -> str:
    if not MIN_PASSWORD <= len(password) <= MAX_PASSWORD or not password.isprintable():
        raise errors.InvalidPayload(f"a password is {MIN_PASSWORD} to {MAX_PASSWORD} printable characters")
    return password


def normalise_email(email: str) -> str:
    text = email.strip().lower()
    if len(text) > 254 or not _EMAIL.match(text):
        raise errors.InvalidPayload(f"not an e-mail address: {email[:80]!r}")
    return text


def check_role(role: str) -> str:
    if role not in {r.value for r in ConsoleRole}:
        raise errors.InvalidPayload(f"a console role is one of {', '.join(r.value for r in ConsoleRole)}")
    return role


def _user(row: object) -> ConsoleUser:
    m = row._mapping  # type: ignore[attr-defined]
    return ConsoleUser(id=m["id"], email=m["email"], role=m["role"], locale=m["locale"],
                       failed_logins=m["failed_logins"], locked_until=m["locked_until"],
                       disabled_at=m["disabled_at"], created_at=m["created_at"])


_COLUMNS = [c for c in console_users.c if c.name != "password_hash"]


def add_user(conn: Connection, *, email: str, role: str, password_hash: str, at: datetime) -> ConsoleUser:
    """A new console user (``password_hash`` from :func:`hash_password`, made outside the transaction)."""
    email, role = normalise_email(email), check_role(role)
    if conn.execute(select(console_users.c.id).where(console_users.c.email == email)).first() is not None:
        raise errors.DuplicateFound(f"there is a console user {email} already")
    user_id = new_id("cu")
    conn.execute(insert(console_users).values(id=user_id, email=email, role=role, password_hash=password_hash,
                                              locale=None, failed_logins=0, locked_until=None, disabled_at=None,
                                              created_at=at))
    return get_user(conn, user_id)


def get_user(conn: Connection, user: str) -> ConsoleUser:
    """A console user by id or e-mail address, or 404."""
    where = console_users.c.email == user.strip().lower() if "@" in user else console_users.c.id == user
    row = conn.execute(select(*_COLUMNS).where(where)).first()
    if row is None:
        raise errors.NotFound(f"no console user {user[:80]!r}; see `pos-server console-user list`")
    return _user(row)


def list_users(conn: Connection) -> list[ConsoleUser]:
    return [_user(r) for r in conn.execute(select(*_COLUMNS).order_by(console_users.c.email))]


def set_role(conn: Connection, user: str, role: str) -> ConsoleUser:
    found = get_user(conn, user)
    conn.execute(update(console_users).where(console_users.c.id == found.id).values(role=check_role(role)))
    return get_user(conn, found.id)


def set_locale(conn: Connection, user_id: str, locale: str) -> None:
    conn.execute(update(console_users).where(console_users.c.id == user_id).values(locale=locale))


def disable(conn: Connection, user: str, at: datetime) -> ConsoleUser:
    """No more sign-ins; the user's sessions end now. Disabling twice changes nothing."""
    found = get_user(conn, user)
    if found.disabled_at is None:
        conn.execute(update(console_users).where(console_users.c.id == found.id).values(disabled_at=at))
    conn.execute(delete(console_sessions).where(console_sessions.c.user_id == found.id))
    return get_user(conn, found.id)


def enable(conn: Connection, user: str) -> ConsoleUser:
    found = get_user(conn, user)
    conn.execute(update(console_users).where(console_users.c.id == found.id)
                 .values(disabled_at=None, failed_logins=0, locked_until=None))
    return get_user(conn, found.id)


def set_password(conn: Connection, user: str, password_hash: str) -> ConsoleUser:
    """A new password (hash from :func:`hash_password`): the lock opens, every session of the user ends."""
    found = get_user(conn, user)
    conn.execute(update(console_users).where(console_users.c.id == found.id)
                 .values(password_hash=password_hash, failed_logins=0, locked_until=None))
    conn.execute(delete(console_sessions).where(console_sessions.c.user_id == found.id))
    return get_user(conn, found.id)


@dataclass(frozen=True, slots=True)
class Candidate:
    """What a sign-in needs to know before the slow hash is checked (read in a short transaction)."""

    user: ConsoleUser | None
    password_hash: str


def candidate(conn: Connection, email: str) -> Candidate:
    try:
        address = normalise_email(email)
    except errors.InvalidPayload:
        return Candidate(None, _DUMMY_HASH)
    row = conn.execute(select(console_users).where(console_users.c.email == address)).first()
    if row is None:
        return Candidate(None, _DUMMY_HASH)
    return Candidate(_user(row), str(row.password_hash))


def check_lock(user: ConsoleUser | None, at: datetime) -> None:
    """:class:`AccountLocked` while the user's lock lasts."""
    if user is not None and user.locked_until is not None and user.locked_until > at:
        raise AccountLocked(user.locked_until)


def record_attempt(conn: Connection, user: ConsoleUser | None, ok: bool, at: datetime) -> errors.GiftCardError | None:
    """After the password was checked: count a failure (a lock at :data:`MAX_FAILURES`) or reset the count.
    Returns the refusal to give once this transaction has committed (None: signed in). The user's row is read
    again here, so that attempts made at once all count."""
    row = None if user is None else conn.execute(select(*_COLUMNS).where(console_users.c.id == user.id)).first()
    if row is None:
        return SignInFailed()
    fresh = _user(row)
    if fresh.locked_until is not None and fresh.locked_until > at:  # locked meanwhile: even the right password
        return AccountLocked(fresh.locked_until)
    if not fresh.active:
        return SignInFailed()
    if ok:
        conn.execute(update(console_users).where(console_users.c.id == fresh.id)
                     .values(failed_logins=0, locked_until=None))
        return None
    failures = fresh.failed_logins + 1
    until = at + LOCKOUT if failures >= MAX_FAILURES else None
    conn.execute(update(console_users).where(console_users.c.id == fresh.id)
                 .values(failed_logins=0 if until else failures, locked_until=until))
    return AccountLocked(until) if until else SignInFailed()


class LastAdministrator(errors.GiftCardError):
    key, code, message = "forbidden", 409, "The console needs at least one active administrator."


def keep_an_administrator(conn: Connection, user_id: str, *, role: str | None = None,
                          disabling: bool = False) -> None:
    """Refuse to demote or disable the last active administrator (no one could manage the console then)."""
    found = get_user(conn, user_id)
    if found.role != ConsoleRole.ADMIN or not found.active or (role in (None, ConsoleRole.ADMIN) and not disabling):
        return
    others = conn.execute(select(console_users.c.id).where(
        console_users.c.role == ConsoleRole.ADMIN.value, console_users.c.disabled_at.is_(None),
        console_users.c.id != found.id).limit(1)).first()
    if others is None:
        raise LastAdministrator(f"{found.email} is the only active administrator")
