"""What the server knows that a till's word does not prove: who the operator is, head office's maxima, and how
much value a till has created today. The rules themselves are the domain's (``pos_app.domain.operations``);
this module only reads what they need from the server's tables.

A till's token proves which till is speaking, not that what it says is allowed: every operation it sends names
an operator, who must exist on the server, be active, and have the role the operation needs.

Head office's policy (setting ``policy``, see ``ledger.policy_values``; ``pos-server policy``) bounds the value
an operation may put on a card, the balance a card may hold, and the value one till may create in a day (sales,
top-ups, corrections up; counted by the server's clock, from midnight UTC). A till may have a cap of its own
(``caps``: device id → minor units), which replaces the default for that till.
"""

from __future__ import annotations

from collections.abc import Collection
from datetime import datetime, time
from typing import Any

from sqlalchemy import Connection, func, select

from pos_app.domain import errors
from pos_app.domain.ledger import EntryKind
from pos_app.domain.operations import Policy
from pos_app.domain.people import Actor, Role
from pos_app.server.db.models import entries, users
from pos_app.server.ledger import (
    DEFAULT_POLICY_MAJOR,
    POLICY_KEY,
    get_setting,
    policy_setting,
    policy_values,
    put_setting,
)

CAPS_KEY = "caps"
POLICY_FIELDS = tuple(DEFAULT_POLICY_MAJOR)


def actors(conn: Connection, operator_ids: Collection[str | None]) -> dict[str, Actor]:
    """The active people among ``operator_ids``, by id (the others are not there)."""
    wanted = sorted({i for i in operator_ids if i})
    if not wanted:
        return {}
    rows = conn.execute(select(users.c.id, users.c.name, users.c.role)
                        .where(users.c.id.in_(wanted), users.c.active.is_(True)))
    return {r.id: Actor(user_id=r.id, name=r.name, role=Role(r.role)) for r in rows}


def actor(conn: Connection, operator_id: str | None) -> Actor:
    """The active person ``operator_id`` names, or 403 ``unknown_operator``."""
    found = actors(conn, [operator_id]).get(operator_id or "")
    if found is None:
        raise unknown_operator(operator_id)
    return found


def known(found: Actor | None, operator_id: str | None) -> Actor:
    """``found``, the active person ``operator_id`` names as read with the request's first read, or 403
    ``unknown_operator``."""
    if found is None or found.user_id != operator_id:
        raise unknown_operator(operator_id)
    return found


def unknown_operator(operator_id: str | None) -> errors.UnknownOperator:
    if not operator_id:
        return errors.UnknownOperator("every operation must name the person who does it (operator_id)")
    return errors.UnknownOperator(f"operator {operator_id[:64]!r} is not an active person on the server")


def policy(conn: Connection, device_id: str) -> Policy:
    """Head office's policy for this till (minor units of the store's currency)."""
    values, sell = policy_setting(conn)
    cap = (get_setting(conn, CAPS_KEY) or {}).get(device_id, values["daily_created_per_till"])
    return Policy(max_balance=values["max_balance"], max_per_operation=values["max_per_operation"],
                  daily_created_per_till=_int(cap), cashiers_sell=sell)


def cashiers_sell(conn: Connection) -> bool:
    """Whether head office lets cashiers sell cards (setting ``policy``, ``cashiers_sell``; default: no)."""
    return bool((get_setting(conn, POLICY_KEY) or {}).get("cashiers_sell", False))


def set_cashiers_sell(conn: Connection, allowed: bool) -> None:
    """Let cashiers sell cards, or not; the tills get the rule with their next pull (``ledger.limits``)."""
    current: dict[str, Any] = dict(policy_values(conn))
    current["cashiers_sell"] = allowed
    put_setting(conn, POLICY_KEY, current)


def set_policy(conn: Connection, **values: int | None) -> dict[str, int | None]:
    """Change the named fields of the policy (minor units; None: no maximum); returns the whole policy. The
    maxima of a card reach the tills with the limits (``ledger.limits``)."""
    current: dict[str, int | None] = policy_values(conn)
    for name, value in values.items():
        if name not in POLICY_FIELDS:
            raise errors.InvalidPayload(f"no policy field {name!r}")
        if value is not None and value < 0:
            raise errors.InvalidAmount(f"{name} cannot be negative")
        current[name] = value
    put_setting(conn, POLICY_KEY, {**current, "cashiers_sell": cashiers_sell(conn)})
    return current


def set_cap(conn: Connection, device_id: str, cap: int | None) -> None:
    """This till's own daily cap (None: the policy's default again)."""
    caps: dict[str, Any] = get_setting(conn, CAPS_KEY) or {}
    if cap is None:
        caps.pop(device_id, None)
    elif cap < 0:
        raise errors.InvalidAmount("a cap cannot be negative")
    else:
        caps[device_id] = cap
    put_setting(conn, CAPS_KEY, caps)


def created_today(conn: Connection, device_id: str, at: datetime) -> int:
    """Value this till has put on cards since midnight UTC of ``at`` (successful additions it recorded)."""
    since = datetime.combine(at.date(), time(0), tzinfo=at.tzinfo)
    total = conn.execute(
        select(func.coalesce(func.sum(entries.c.amount), 0)).where(
            entries.c.device_id == device_id, entries.c.kind == EntryKind.CREDITS_ADDITION.value,
            entries.c.result == "SUCCESS", entries.c.received_at >= since,
        )
    ).scalar_one()
    return int(total)


def _int(value: Any) -> int | None:
    return None if value is None else int(value)
