"""The head-office console's tables (``server.console``): its users, their sessions and the audit log.

Same ``Base`` (and so the same metadata, naming convention and types) as ``db.models``; kept apart so that the
till's and the API's schema module does not grow with every console area.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import ForeignKey, Index, Integer, String, Table
from sqlalchemy.orm import Mapped, mapped_column

from pos_app.server.db.models import DOC, SEQ, Base, _table


class ConsoleUserRow(Base):
    """A person of head office: e-mail (lower case, unique), role (``admin``, ``finance``, ``support``), the
    password's scrypt hash (``console.users``), the language they chose, and the lock-out state: failed sign-ins
    in a row and, once there were too many, until when the account is locked."""

    __tablename__ = "console_users"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    role: Mapped[str] = mapped_column(String(16))
    password_hash: Mapped[str] = mapped_column(String(200))
    locale: Mapped[str | None] = mapped_column(String(8))
    failed_logins: Mapped[int] = mapped_column(Integer)
    locked_until: Mapped[datetime | None]
    disabled_at: Mapped[datetime | None]
    created_at: Mapped[datetime]


class ConsoleSessionRow(Base):
    """A signed-in browser: the SHA-256 of the cookie's token (the token itself is never stored), its user, the
    CSRF token its forms carry, and when it ends."""

    __tablename__ = "console_sessions"

    token_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    user_id: Mapped[str] = mapped_column(ForeignKey("console_users.id"), index=True)
    csrf: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime]
    expires_at: Mapped[datetime]


class ConsoleAuditRow(Base):
    """One line of the audit log: who (user id and e-mail as they were), what (``action``, e.g. ``cards.top_up``),
    on what (``target``: an id or a masked code, never a whole card code), how it ended (``ok``, ``refused``) and
    the details. Paged newest first by ``id``; the indexes serve the filters by user and by action."""

    __tablename__ = "console_audit"
    __table_args__ = (
        Index("ix_console_audit_user_id_id", "user_id", "id"),
        Index("ix_console_audit_action_id", "action", "id"),
    )

    id: Mapped[int] = mapped_column(SEQ, primary_key=True, autoincrement=True)
    at: Mapped[datetime]
    user_id: Mapped[str | None] = mapped_column(String(64))
    email: Mapped[str] = mapped_column(String(254))
    action: Mapped[str] = mapped_column(String(64))
    target: Mapped[str] = mapped_column(String(200))
    outcome: Mapped[str] = mapped_column(String(16))
    detail: Mapped[dict[str, Any] | None] = mapped_column(DOC)


console_users: Table = _table(ConsoleUserRow)
console_sessions: Table = _table(ConsoleSessionRow)
console_audit: Table = _table(ConsoleAuditRow)
