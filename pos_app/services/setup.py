"""Creating a standalone store, and reading its profile (name, currency, locale, time zone, this till's id)."""

from __future__ import annotations

import os
import secrets
from dataclasses import dataclass
from datetime import tzinfo
from pathlib import Path

from pos_app.domain import errors
from pos_app.domain.money import check_currency
from pos_app.domain.people import Role, validate_pin
from pos_app.domain.shop_time import shop_zone
from pos_app.services.auth import add_user, validate_user_name
from pos_app.services.ports import UnitOfWork

SCHEMA_KEYS = ("store_name", "currency", "locale", "device_id")
#: The setting naming the shop's IANA time zone (a store made before it existed reads as :func:`host_zone_name`).
TIME_ZONE = "time_zone"


def host_zone_name() -> str:
    """This machine's IANA time zone (``$TZ``, else where ``/etc/localtime`` points), else ``UTC``: the default
    zone of a new store. Never the offset of today (it changes with summer time)."""
    candidates = [os.environ.get("TZ", "").removeprefix(":")]
    try:
        target = str(Path("/etc/localtime").resolve())
    except OSError:
        target = ""
    if "zoneinfo/" in target:
        candidates.append(target.split("zoneinfo/", 1)[1])
    for name in candidates:
        try:
            shop_zone(name)
        except errors.InvalidPayload:
            continue
        return name
    return "UTC"


def check_zone_name(name: str) -> str:
    """``name`` stripped, if it names a time zone (else ``invalid_payload``)."""
    name = name.strip()
    shop_zone(name)
    return name


@dataclass(frozen=True, slots=True)
class StoreProfile:
    store_name: str
    currency: str
    locale: str
    device_id: str
    mode: str = "standalone"
    time_zone: str = "UTC"  # IANA name: the shop's dates, days and hours are read in it

    @property
    def zone(self) -> tzinfo:
        return shop_zone(self.time_zone)


def init_store(uow: UnitOfWork, *, store_name: str, currency: str, manager_pin: str,
               manager_name: str = "Manager", locale: str = "en_US", time_zone: str | None = None) -> StoreProfile:
    """``time_zone``: the shop's IANA zone (default: this machine's, :func:`host_zone_name`)."""
    check_currency(currency)
    time_zone = host_zone_name() if time_zone is None else check_zone_name(time_zone)
    validate_pin(manager_pin)
    validate_user_name(manager_name)  # before anything is written: else a store without a manager is left
    store_name = store_name.strip()
    if not store_name or len(store_name) > 120 or not store_name.isprintable():
        raise errors.InvalidPayload("a store name has 1 to 120 printable characters")
    with uow:
        if uow.settings.get("store_name") is not None:
            raise errors.DuplicateFound("this till already has a store; choose another --data-dir")
        profile = StoreProfile(store_name=store_name, currency=currency, locale=locale,
                               device_id=f"till_{secrets.token_hex(4)}", time_zone=time_zone)
        for key in SCHEMA_KEYS:
            uow.settings.set(key, getattr(profile, key))
        uow.settings.set(TIME_ZONE, time_zone)
        uow.settings.set("mode", profile.mode)
        uow.commit()
    add_user(uow, None, manager_name, Role.MANAGER, manager_pin)
    return profile


def load_profile(uow: UnitOfWork) -> StoreProfile:
    with uow:
        values = {key: uow.settings.get(key) for key in SCHEMA_KEYS}
        mode = uow.settings.get("mode", "standalone")
        time_zone = uow.settings.get(TIME_ZONE)
    if any(v is None for v in values.values()):
        raise errors.StoreNotInitialised()
    return StoreProfile(**values, mode=mode, time_zone=time_zone or host_zone_name())


def set_time_zone(uow: UnitOfWork, name: str) -> str:
    """Set the shop's time zone (a manager's shop setting; an enrolled till takes the server's with each pull)."""
    name = check_zone_name(name)
    with uow:
        uow.settings.set(TIME_ZONE, name)
        uow.commit()
    return name
