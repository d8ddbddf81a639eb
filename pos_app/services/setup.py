"""Creating a standalone store, and reading its profile (name, currency, locale, this till's id)."""

from __future__ import annotations

import secrets
from dataclasses import dataclass

from pos_app.domain import errors
from pos_app.domain.money import check_currency
from pos_app.domain.people import Role, validate_pin
from pos_app.services.auth import add_user, validate_user_name
from pos_app.services.ports import UnitOfWork

SCHEMA_KEYS = ("store_name", "currency", "locale", "device_id")


@dataclass(frozen=True, slots=True)
class StoreProfile:
    store_name: str
    currency: str
    locale: str
    device_id: str
    mode: str = "standalone"


def init_store(uow: UnitOfWork, *, store_name: str, currency: str, manager_pin: str,
               manager_name: str = "Manager", locale: str = "en_US") -> StoreProfile:
    check_currency(currency)
    validate_pin(manager_pin)
    validate_user_name(manager_name)  # before anything is written: else a store without a manager is left
    store_name = store_name.strip()
    if not store_name or len(store_name) > 120 or not store_name.isprintable():
        raise errors.InvalidPayload("a store name has 1 to 120 printable characters")
    with uow:
        if uow.settings.get("store_name") is not None:
            raise errors.DuplicateFound("this till already has a store; choose another --data-dir")
        profile = StoreProfile(store_name=store_name, currency=currency, locale=locale,
                               device_id=f"till_{secrets.token_hex(4)}")
        for key in SCHEMA_KEYS:
            uow.settings.set(key, getattr(profile, key))
        uow.settings.set("mode", profile.mode)
        uow.commit()
    add_user(uow, None, manager_name, Role.MANAGER, manager_pin)
    return profile


def load_profile(uow: UnitOfWork) -> StoreProfile:
    with uow:
        values = {key: uow.settings.get(key) for key in SCHEMA_KEYS}
        mode = uow.settings.get("mode", "standalone")
    if any(v is None for v in values.values()):
        raise errors.StoreNotInitialised()
    return StoreProfile(**values, mode=mode)
