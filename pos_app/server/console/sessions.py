"""Signed-in browsers: the cookie ``pos_console`` holds a random token (256 bits); the server keeps only its
SHA-256, with the user, a CSRF token for the session's forms, and when it ends (:data:`LIFETIME` after sign-in).

The cookie is HttpOnly, SameSite=Lax, path ``/console``, and Secure when the request came over https (behind a
proxy: uvicorn's ``--proxy-headers`` makes ``X-Forwarded-Proto`` count). Signing out, a disabled account and a
new password delete the rows; expired rows are deleted at the next sign-in.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import Connection, delete, insert, select
from starlette.requests import Request
from starlette.responses import Response

from pos_app.server.auth import sha256
from pos_app.server.db.console_models import console_sessions, console_users

COOKIE = "pos_console"
PATH = "/console"
LIFETIME = timedelta(hours=10)

_BY_TOKEN = (
    select(console_users.c.id, console_users.c.email, console_users.c.role, console_users.c.locale,
           console_users.c.disabled_at, console_sessions.c.csrf, console_sessions.c.expires_at)
    .join(console_users, console_users.c.id == console_sessions.c.user_id)
)


@dataclass(frozen=True, slots=True)
class Session:
    user_id: str
    email: str
    role: str
    locale: str | None
    csrf: str


def start(conn: Connection, user_id: str, at: datetime) -> tuple[str, str]:
    """A new session of ``user_id``: (the cookie's token, the CSRF token). Expired sessions of anyone go."""
    conn.execute(delete(console_sessions).where(console_sessions.c.expires_at < at))
    token, csrf = secrets.token_urlsafe(32), secrets.token_urlsafe(32)
    conn.execute(insert(console_sessions).values(token_hash=sha256(token), user_id=user_id, csrf=csrf,
                                                 created_at=at, expires_at=at + LIFETIME))
    return token, csrf


def find(conn: Connection, token: str | None, at: datetime) -> Session | None:
    """The live session of this cookie's token, or None (unknown, expired, or its user disabled)."""
    if not token or len(token) > 100:
        return None
    row = conn.execute(_BY_TOKEN.where(console_sessions.c.token_hash == sha256(token))).first()
    if row is None or row.expires_at <= at or row.disabled_at is not None:
        return None
    return Session(user_id=row.id, email=row.email, role=row.role, locale=row.locale, csrf=row.csrf)


def end(conn: Connection, token: str | None) -> None:
    if token:
        conn.execute(delete(console_sessions).where(console_sessions.c.token_hash == sha256(token)))


def is_https(request: Request) -> bool:
    return request.url.scheme == "https"


def set_cookie(response: Response, request: Request, token: str) -> None:
    response.set_cookie(COOKIE, token, max_age=int(LIFETIME.total_seconds()), path=PATH, httponly=True,
                        samesite="lax", secure=is_https(request))


def clear_cookie(response: Response, request: Request) -> None:
    response.delete_cookie(COOKIE, path=PATH, httponly=True, samesite="lax", secure=is_https(request))
