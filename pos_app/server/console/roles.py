"""What each head-office role may do: permissions are plain strings ``<area>.<verb>``; a route asks for one with
``deps.allowed(permission)``, and the header shows only the pages the viewer's role may open.

* ``admin``: everything.
* ``finance``: every ``*.view`` and ``campaigns.export`` (reads and exports, no change).
* ``support``: the dashboard, card look-up and corrections within a limit (``cards.correct``), enabling and
  disabling cards, and seeing conflicts.
"""

from __future__ import annotations

from enum import StrEnum

from pos_app.server.console.i18n import N_


class ConsoleRole(StrEnum):
    ADMIN = "admin"
    FINANCE = "finance"
    SUPPORT = "support"


PERMISSIONS: tuple[str, ...] = (
    "dashboard.view",
    "campaigns.view", "campaigns.create", "campaigns.export",
    "cards.view", "cards.top_up", "cards.correct", "cards.enable", "cards.extend", "cards.publish",
    "conflicts.view", "conflicts.resolve",
    "shops.view", "shops.manage", "tills.manage",
    "people.manage", "limits.manage", "api_keys.manage", "audit.view",
)

ROLE_PERMISSIONS: dict[str, frozenset[str]] = {
    ConsoleRole.ADMIN: frozenset(PERMISSIONS),
    ConsoleRole.FINANCE: frozenset(p for p in PERMISSIONS if p.endswith(".view")) | {"campaigns.export"},
    ConsoleRole.SUPPORT: frozenset({"dashboard.view", "cards.view", "cards.correct", "cards.enable",
                                    "conflicts.view"}),
}

#: Role names as people read them (translated where shown).
ROLE_LABELS: dict[str, str] = {
    ConsoleRole.ADMIN: N_("Administrator"),
    ConsoleRole.FINANCE: N_("Finance"),
    ConsoleRole.SUPPORT: N_("Support"),
}


def may(role: str, permission: str) -> bool:
    """Whether ``role`` has ``permission`` (an unknown permission is a programming error)."""
    if permission not in PERMISSIONS:
        raise ValueError(f"unknown console permission {permission!r}: add it to roles.PERMISSIONS")
    return permission in ROLE_PERMISSIONS.get(role, frozenset())
