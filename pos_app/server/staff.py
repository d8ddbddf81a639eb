"""Head office's people as callers of the card use cases (``services.cards``), and the limit on their corrections.

A console user acts as head office does (``uow.HEAD_OFFICE``: a manager on the server, entries made on the server's
own device), but is named on the entries they make: their operator is ``console:<user id>`` (:func:`operator_of`),
so the ledger says who topped up or corrected a card. Head office limits how much the people of a role may correct
a card by (setting ``correction_limits``: role → minor units of the store's currency, ``None`` for no limit;
support: :data:`DEFAULT_LIMITS_MAJOR` unless set, ``pos-server policy set --support-corrections``). The limit is
carried by the caller (``Actor.max_correction``) and decided by the domain where a correction is allowed
(``operations.check_allowed``): the console page holds no rule.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, Engine, insert, update

from pos_app.domain import errors
from pos_app.domain.money import exponent
from pos_app.domain.people import Actor, Role
from pos_app.server.conflicts import SERVER_DEVICE
from pos_app.server.db.engine import read
from pos_app.server.db.models import settings
from pos_app.server.ledger import get_setting, now, store_info, store_zone
from pos_app.services.context import Caller

LIMITS_KEY = "correction_limits"
#: Head office's default limits on corrections, in major units of the store's currency, by console role (a role
#: not named here may correct as much as a manager).
DEFAULT_LIMITS_MAJOR: dict[str, int | None] = {"support": 50}
OPERATOR_PREFIX = "console:"


def operator_of(user_id: int | str) -> str:
    """What an entry made by console user ``user_id`` names as its operator."""
    return f"{OPERATOR_PREFIX}{user_id}"


def correction_limits(conn: Connection) -> dict[str, int | None]:
    """The most the people of each role may correct a card by, in minor units (None: no limit)."""
    scale = 10 ** exponent(store_info(conn).currency)
    limits: dict[str, int | None] = {role: None if major is None else major * scale
                                     for role, major in DEFAULT_LIMITS_MAJOR.items()}
    for role, minor in (get_setting(conn, LIMITS_KEY) or {}).items():
        limits[role] = None if minor is None else int(minor)
    return limits


def set_correction_limit(conn: Connection, role: str, minor: int | None) -> dict[str, int | None]:
    """Set the limit of ``role``'s corrections (None: no limit); returns every role's. Tills do not need it: it is
    not in the change log."""
    if minor is not None and minor < 0:
        raise errors.InvalidAmount("a limit on corrections cannot be negative")
    value = {**(get_setting(conn, LIMITS_KEY) or {}), role: minor}
    if conn.execute(update(settings).where(settings.c.key == LIMITS_KEY).values(value=value)).rowcount == 0:
        conn.execute(insert(settings).values(key=LIMITS_KEY, value=value))
    return correction_limits(conn)


def console_caller(engine: Engine, *, user_id: int | str, name: str, role: str,
                   clock: Callable[[], datetime] = now) -> Caller:
    """Console user ``user_id`` (``name``: their e-mail, ``role``: their console role) as the caller of a use case,
    in the shop's time zone, with their role's limit on corrections."""
    def work(conn: Connection) -> tuple[Any, int | None]:
        return store_zone(store_info(conn)), correction_limits(conn).get(role)

    zone, limit = read(engine, work)
    actor = Actor(user_id=operator_of(user_id), name=name, role=Role.MANAGER, max_correction=limit)
    return Caller(actor=actor, device_id=SERVER_DEVICE, clock=clock, zone=zone)
