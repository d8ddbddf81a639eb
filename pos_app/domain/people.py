"""People at the till: roles, what each may do, PINs as salted slow hashes, and lock-out after wrong PINs.

PINs are 4 to 8 digits and hashed with scrypt (``hashlib``) and a random salt; the hash string carries its
parameters so they can be raised later without breaking old hashes. After :data:`MAX_FAILED_ATTEMPTS` wrong PINs
in a row a named user is locked for :data:`LOCKOUT`, doubling each time; only their own right PIN resets that
count. A PIN typed alone names nobody: the till counts those (:class:`TillAttempts`) and locks everybody out;
no one's success resets it, so guessing another's PIN between one's own logins locks the till all the same; its
wrong PINs are forgotten after :data:`ATTEMPT_WINDOW`, so a mistyped PIN now and then never adds up to a lock-out.
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


#: What each permission lets a person do, as it follows "may not" in a refusal ("Ann (cashier) may not see
#: reports"); the till's window says it in the shop's language (``ui.messages``, one sentence per permission).
PERMISSION_PHRASES: dict[Permission, str] = {
    Permission.CHECK_BALANCE: "check a card's balance",
    Permission.REDEEM: "take payments with gift cards",
    Permission.REFUND_OWN_RECENT: "refund their own redemption of the last minutes",
    Permission.REFUND: "refund a redemption",
    Permission.SELL: "sell gift cards",
    Permission.TOP_UP: "top up a card",
    Permission.CORRECT: "correct a card's balance",
    Permission.DISABLE: "disable or enable a card",
    Permission.PUBLISH: "give a card to a customer",
    Permission.MANAGE_CAMPAIGNS: "manage campaigns",
    Permission.IMPORT_EXPORT: "import or export cards",
    Permission.REPORTS: "see reports",
    Permission.MANAGE_USERS: "manage the till's people",
    Permission.SEE_FULL_CODES: "see whole card codes",
    Permission.OVERRIDE_OFFLINE_LIMITS: "override the offline limits",
    Permission.CHANGE_CARD: "change a card's expiry, category or metadata",
}

ROLE_PERMISSIONS: dict[Role, frozenset[Permission]] = {
    Role.CASHIER: frozenset({Permission.CHECK_BALANCE, Permission.REDEEM, Permission.REFUND_OWN_RECENT}),
    Role.MANAGER: frozenset(Permission),
}

#: How long after a redemption its cashier may still refund it without a manager.
OWN_REFUND_WINDOW = timedelta(minutes=15)
MAX_FAILED_ATTEMPTS = 5
LOCKOUT = timedelta(minutes=5)
MAX_LOCKOUT = timedelta(hours=4)
#: The till forgets a wrong PIN after this long (a person's own count is reset by their own right PIN instead).
ATTEMPT_WINDOW = timedelta(minutes=30)
#: The till forgets the doubling of its lock-outs once this long has passed without one.
LOCKOUT_MEMORY = timedelta(hours=24)
#: An attempt still being checked after this long was never finished (its process stopped): it no longer counts.
PENDING_TIMEOUT = timedelta(minutes=1)

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
class TillAttempts:
    """The PINs tried at this till: wrong ones typed alone (they name nobody, so the till counts them, for
    whoever was guessed), and every attempt under way.

    An attempt is counted *before* its PIN is checked (:meth:`begin`, in a write transaction of its own), and
    counts as a wrong PIN until :meth:`finish` says otherwise: so PINs tried at once are checked no more often
    than the lock-out allows (the slow checks run outside any transaction). A right PIN takes back only its own
    attempt, never anyone else's wrong ones. ``failures``: when each recent wrong PIN was typed; ``pending``:
    when each attempt under way began, and whose PIN it named (a user id, or None).
    """

    failures: list[datetime] = field(default_factory=list)
    pending: list[tuple[datetime, str | None]] = field(default_factory=list)
    locked_until: datetime | None = None
    lockouts: int = 0

    def _forget(self, at: datetime) -> None:
        self.failures = [t for t in self.failures if at - t < ATTEMPT_WINDOW]
        self.pending = [(t, who) for t, who in self.pending if at - t < PENDING_TIMEOUT]
        if self.locked_until is not None and at - self.locked_until >= LOCKOUT_MEMORY:
            self.locked_until, self.lockouts = None, 0

    def check(self, at: datetime) -> None:
        """``locked_out`` while the till is locked: for everybody, named or not."""
        self._forget(at)
        if self.locked_until is not None and at < self.locked_until:
            minutes = max(1, int((self.locked_until - at).total_seconds() // 60) + 1)
            raise errors.LockedOut(f"too many wrong PINs; try again in {minutes} min")

    def begin(self, at: datetime, user: User | None = None) -> None:
        """Count an attempt before its PIN is checked, or ``locked_out``. ``user``: the person named, whose own
        count it goes to; else the till's (a PIN alone names nobody: the till stands for whoever was guessed)."""
        self.check(at)
        if user is not None:
            user.attempts.check(at)
            counted = user.attempts.failed + sum(who == user.id for _, who in self.pending)
        else:
            counted = len(self.failures) + sum(who is None for _, who in self.pending)
        if counted >= MAX_FAILED_ATTEMPTS:
            raise errors.LockedOut("too many PINs at once; try again in a moment")
        self.pending.append((at, user.id if user is not None else None))

    def finish(self, began: datetime, user_id: str | None, *, right: bool, at: datetime) -> None:
        """The attempt that began at ``began`` is over: a right PIN is taken back; a wrong one stays counted, here
        when nobody was named (a named person's own :class:`Attempts` count theirs)."""
        if (began, user_id) in self.pending:
            self.pending.remove((began, user_id))
        self._forget(at)
        if right or user_id is not None:
            return
        self.failures.append(at)
        if len(self.failures) >= MAX_FAILED_ATTEMPTS:
            self.locked_until = at + min(LOCKOUT * 2**self.lockouts, MAX_LOCKOUT)
            self.lockouts += 1
            self.failures = []


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
    """The person doing an operation, as services see them after login.

    ``max_correction``: the most this person may correct a card by, either way, in minor units of the card's
    currency (None: as much as their role may; head office limits its support people's, see
    ``operations.check_allowed``)."""

    user_id: str
    name: str
    role: Role
    max_correction: int | None = None

    def can(self, permission: Permission, *, granted: frozenset[Permission] = frozenset()) -> bool:
        """Whether the role allows ``permission``, or the shop's rules grant it (``granted``) to this role."""
        return permission in ROLE_PERMISSIONS[self.role] or permission in granted

    def require(self, permission: Permission, *, granted: frozenset[Permission] = frozenset()) -> None:
        if not self.can(permission, granted=granted):
            raise errors.Forbidden(f"{self.name} ({self.role}) may not {PERMISSION_PHRASES[permission]}",
                                   permission=permission.value)
