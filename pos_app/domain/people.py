"""People at the till: roles, what each may do, PINs as salted slow hashes, and lock-out after wrong PINs.

PINs are 4 to 8 digits and hashed with scrypt (``hashlib``) and a random salt; the hash string carries its
parameters so they can be raised later without breaking old hashes. After :data:`MAX_FAILED_ATTEMPTS` wrong PINs
in a row the user (or, when nobody was named, the till) is locked for :data:`LOCKOUT`, doubling each time.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from enum import StrEnum

from pos_app.domain import errors


class Role(StrEnum):
    CASHIER = "cashier"
    MANAGER = "manager"


class Permission(StrEnum):
    CHECK_BALANCE = "check_balance"
    REDEEM = "redeem"
    REFUND_OWN_RECENT = "refund_own_recent"  # "Refund last": a cashier's own redemption, minutes ago
    REFUND = "refund"
    SELL = "sell"
    TOP_UP = "top_up"
    CORRECT = "correct"
    DISABLE = "disable"
    CHANGE_CARD = "change_card"  # extend its expiry, change its category or metadata (with a reason)
    PUBLISH = "publish"
    MANAGE_CAMPAIGNS = "manage_campaigns"
    IMPORT_EXPORT = "import_export"
    REPORTS = "reports"
    MANAGE_USERS = "manage_users"
    SEE_FULL_CODES = "see_full_codes"
    OVERRIDE_OFFLINE_LIMITS = "override_offline_limits"  # accept an offline redemption the floor limits refuse


ROLE_PERMISSIONS: dict[Role, frozenset[Permission]] = {
    Role.CASHIER: frozenset({Permission.CHECK_BALANCE, Permission.REDEEM, Permission.REFUND_OWN_RECENT}),
    Role.MANAGER: frozenset(Permission),
}

#: How long after a redemption its cashier may still refund it without a manager.
OWN_REFUND_WINDOW = timedelta(minutes=15)
MAX_FAILED_ATTEMPTS = 5
LOCKOUT = timedelta(minutes=5)
MAX_LOCKOUT = timedelta(hours=4)

# scrypt cost: ~50 ms per check here; enough to make an offline guess of a stolen store slow, cheap at a till.
SCRYPT_N, SCRYPT_R, SCRYPT_P = 2**14, 8, 1


def validate_pin(pin: str) -> str:
    if not (pin.isascii() and pin.isdigit() and 4 <= len(pin) <= 8):
        raise errors.InvalidPayload("a PIN is 4 to 8 digits")
    return pin


def hash_pin(pin: str, *, n: int | None = None) -> str:
    """Salted scrypt hash of a PIN; ``n`` defaults to :data:`SCRYPT_N`, read at call time."""
    validate_pin(pin)
    n = SCRYPT_N if n is None else n
    salt = secrets.token_bytes(16)
    digest = hashlib.scrypt(pin.encode(), salt=salt, n=n, r=SCRYPT_R, p=SCRYPT_P, dklen=32)
    return f"scrypt${n}${SCRYPT_R}${SCRYPT_P}${salt.hex()}${digest.hex()}"


def verify_pin(pin: str, stored: str) -> bool:
    try:
        scheme, n, r, p, salt, digest = stored.split("$")
        if scheme != "scrypt" or not pin.isascii():
            return False
        test = hashlib.scrypt(pin.encode(), salt=bytes.fromhex(salt), n=int(n), r=int(r), p=int(p), dklen=32)
    except ValueError:  # a malformed or corrupted hash matches no PIN
        return False
    return hmac.compare_digest(test.hex(), digest)


@dataclass(slots=True, kw_only=True)
class Attempts:
    """Wrong-PIN bookkeeping, for a user or for the till as a whole."""

    failed: int = 0
    locked_until: datetime | None = None
    lockouts: int = 0

    def check(self, at: datetime) -> None:
        if self.locked_until is not None and at < self.locked_until:
            minutes = max(1, int((self.locked_until - at).total_seconds() // 60) + 1)
            raise errors.LockedOut(f"too many wrong PINs; try again in {minutes} min")

    def failure(self, at: datetime) -> None:
        self.failed += 1
        if self.failed >= MAX_FAILED_ATTEMPTS:
            self.locked_until = at + min(LOCKOUT * 2**self.lockouts, MAX_LOCKOUT)
            self.lockouts += 1
            self.failed = 0

    def success(self) -> None:
        self.failed = 0
        self.locked_until = None
        self.lockouts = 0


@dataclass(slots=True, kw_only=True)
class User:
    id: str
    name: str
    role: Role
    pin_hash: str
    active: bool = True
    attempts: Attempts = field(default_factory=Attempts)

    @property
    def actor(self) -> Actor:
        return Actor(user_id=self.id, name=self.name, role=self.role)


@dataclass(frozen=True, slots=True)
class Actor:
    """The person doing an operation, as services see them after login."""

    user_id: str
    name: str
    role: Role

    def can(self, permission: Permission) -> bool:
        return permission in ROLE_PERMISSIONS[self.role]

    def require(self, permission: Permission) -> None:
        if not self.can(permission):
            raise errors.Forbidden(f"{self.name} ({self.role}) may not {permission.value.replace('_', ' ')}")
