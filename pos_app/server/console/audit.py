"""The audit log: one line per thing done (or refused) in the console, and per sign-in.

``record(conn, viewer, action, target, detail, outcome)`` in the transaction of the change where the service
lets it (``ServerUnitOfWork(before_commit=…)``), else right after it. ``action`` is the permission's name or
what happened (``cards.top_up``, ``login``, ``login.locked``); ``target`` an id or a masked card code — never a
whole code, in ``target`` nor in ``detail``. The page (``audit_log``) pages it newest first by ``id``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import Connection, insert, select

from pos_app.server.db.console_models import console_audit
from pos_app.server.ledger import now

if TYPE_CHECKING:
    from pos_app.server.console.viewer import Viewer

PAGE = 50
OK, REFUSED = "ok", "refused"


@dataclass(frozen=True, slots=True)
class AuditLine:
    id: int
    at: datetime
    user_id: str | None
    email: str
    action: str
    target: str
    outcome: str
    detail: dict[str, Any] | None


def record(conn: Connection, viewer: Viewer | None, action: str, target: str = "",
           detail: dict[str, Any] | None = None, outcome: str = OK, *, email: str | None = None,
           at: datetime | None = None) -> None:
    """One line of the log. ``viewer`` None (a sign-in that failed): ``email`` says who it claimed to be."""
    conn.execute(insert(console_audit).values(
        at=at or now(), user_id=viewer.id if viewer else None,
        email=(viewer.email if viewer else (email or ""))[:254], action=action[:64], target=str(target)[:200],
        outcome=outcome[:16], detail=detail))


def page(conn: Connection, *, after: int | None = None, user_id: str | None = None, action: str | None = None,
         limit: int = PAGE) -> list[AuditLine]:
    """Up to ``limit`` lines, newest first, older than line ``after`` (the cursor), by user and/or action."""
    query = select(console_audit).order_by(console_audit.c.id.desc()).limit(limit)
    if after is not None:
        query = query.where(console_audit.c.id < after)
    if user_id:
        query = query.where(console_audit.c.user_id == user_id)
    if action:
        query = query.where(console_audit.c.action == action)
    return [AuditLine(id=r.id, at=r.at, user_id=r.user_id, email=r.email, action=r.action, target=r.target,
                      outcome=r.outcome, detail=r.detail) for r in conn.execute(query)]
