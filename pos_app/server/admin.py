"""Head office's settings on the server: the store (name, currency, locale, time zone), the offline limits, the
people.

Each change writes a change-log line, so tills receive it with their next pull: users with their PIN hashes
(a till logs people in offline), the limits the tills apply when the server does not answer.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Connection, insert, select

from pos_app.domain import errors
from pos_app.domain.money import Money, check_currency
from pos_app.domain.people import Role, hash_pin
from pos_app.server.db.models import users
from pos_app.server.ledger import (
    LIMITS_KEY,
    STORE_KEY,
    USER,
    get_setting,
    limits,
    log_one,
    new_id,
    put_setting,
    store_info,
)
from pos_app.services.setup import check_zone_name
from pos_app.sync.schemas import StoreInfo, WireLimits


def set_store(conn: Connection, *, name: str | None = None, currency: str | None = None,
              locale: str | None = None, time_zone: str | None = None) -> StoreInfo:
    """Set what is given; the first call also stores the defaults of what is not (the time zone: the server
    machine's, ``setup.host_zone_name``)."""
    current = store_info(conn)
    if currency is not None and get_setting(conn, STORE_KEY) is not None and currency != current.currency:
        raise errors.CurrencyMismatch(f"the store's currency is {current.currency}; it cannot change")
    info = StoreInfo(
        name=current.name if name is None else name.strip() or current.name,
        currency=current.currency if currency is None else check_currency(currency.upper()),
        locale=current.locale if locale is None else locale,
        time_zone=current.time_zone if time_zone is None else check_zone_name(time_zone),
    )
    stored = get_setting(conn, STORE_KEY)
    if info != current or stored is None or not stored.get("time_zone"):
        put_setting(conn, STORE_KEY, info.model_dump())
    return info


#: The fields of the limits that come from head office's policy, not from the offline limits.
MAXIMA = {"max_balance", "max_per_operation"}


def set_limits(conn: Connection, *, per_redemption: int | None = None, per_device_unsynced: int | None = None,
               max_offline: timedelta | None = None, max_card_age: timedelta | None = None) -> WireLimits:
    current = limits(conn)
    updated = WireLimits(
        per_redemption=current.per_redemption if per_redemption is None else per_redemption,
        per_device_unsynced=current.per_device_unsynced if per_device_unsynced is None else per_device_unsynced,
        max_offline_seconds=current.max_offline_seconds if max_offline is None else int(max_offline.total_seconds()),
        max_card_age_seconds=current.max_card_age_seconds if max_card_age is None
        else int(max_card_age.total_seconds()),
    )
    offline = check_offline_limits(updated)
    if updated != current or get_setting(conn, LIMITS_KEY) is None:
        put_setting(conn, LIMITS_KEY, offline)
    return updated


def check_offline_limits(value: WireLimits) -> dict[str, Any]:
    """The offline limits of ``value`` as stored (the maxima are head office's policy, ``pos-server policy``), none
    negative."""
    offline: dict[str, Any] = value.model_dump(exclude=MAXIMA)
    for name, number in offline.items():
        if number < 0:
            raise errors.InvalidAmount(f"{name} cannot be negative")
    return offline


def limits_text(value: WireLimits, currency: str) -> dict[str, str]:
    """The limits as people read them: major units and hours."""
    return {
        "per_redemption": Money(value.per_redemption, currency).major_str(),
        "per_device_unsynced": Money(value.per_device_unsynced, currency).major_str(),
        "max_offline_hours": f"{value.max_offline_seconds / 3600:g}",
        "max_card_age_hours": f"{value.max_card_age_seconds / 3600:g}",
    }


@dataclass(frozen=True, slots=True)
class UserInfo:
    id: str
    name: str
    role: str
    active: bool
    created_at: datetime


def add_user(conn: Connection, *, name: str, role: Role, pin_hash: str, at: datetime) -> UserInfo:
    """Add a person (``pin_hash`` from :func:`hash_new_pin`, made before the transaction: it takes ~50 ms)."""
    clean = name.strip()
    if not clean or len(clean) > 200 or not clean.isprintable():
        raise errors.InvalidPayload("a user needs a name of at most 200 printable characters")
    if conn.execute(select(users.c.id).where(users.c.name == clean)).first() is not None:
        raise errors.DuplicateFound(f"a user named {clean!r} exists already")
    user = UserInfo(id=new_id("u"), name=clean, role=role.value, active=True, created_at=at)
    conn.execute(insert(users).values(id=user.id, name=user.name, role=user.role, pin_hash=pin_hash, active=True,
                                      created_at=at))
    log_one(conn, USER, user.id)
    return user


def hash_new_pin(pin: str) -> str:
    return hash_pin(pin)


def list_users(conn: Connection) -> list[UserInfo]:
    rows = conn.execute(select(users.c.id, users.c.name, users.c.role, users.c.active, users.c.created_at)
                        .order_by(users.c.name))
    return [UserInfo(r.id, r.name, r.role, r.active, r.created_at) for r in rows]
