"""Signing in and out, and the language switch: ``GET/POST /console/login``, ``POST /console/logout``,
``POST /console/language``.

A sign-in reads the account in one short transaction, checks the password (scrypt, ~0.1 s) outside any, then
records the attempt and starts the session in a write transaction (``users.record_attempt``): failures are
counted, locked accounts refused with the time they open, every attempt is a line of the audit log.
"""

from __future__ import annotations

import secrets
from typing import Annotated

from fastapi import APIRouter, Form
from sqlalchemy import Connection
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response

from pos_app.domain import errors
from pos_app.server.console import audit, i18n, sessions, users
from pos_app.server.console.deps import LOGIN_CSRF_COOKIE, Db, SignedIn, current_viewer
from pos_app.server.console.i18n import _
from pos_app.server.console.pages import redirect, render, safe_next
from pos_app.server.db.engine import read, write
from pos_app.server.ledger import now

router = APIRouter()
_Text = Annotated[str, Form(max_length=300)]


def _login_page(request: Request, *, email: str = "", next_url: str = "", error: str | None = None,
                status_code: int = 200) -> Response:
    token = request.cookies.get(LOGIN_CSRF_COOKIE) or secrets.token_urlsafe(32)
    response = render(request, None, "login.html", status_code=status_code, csrf=token, title=_("Sign in"),
                      email=email, next_url=safe_next(next_url), error=error)
    response.set_cookie(LOGIN_CSRF_COOKIE, token, path=sessions.PATH, httponly=True, samesite="lax",
                        secure=sessions.is_https(request))
    return response


@router.get("/login")
async def login_page(request: Request, next: str = "") -> Response:
    if await current_viewer(request) is not None:
        return redirect(request, safe_next(next))
    return _login_page(request, next_url=next)


@router.post("/login")
async def login(request: Request, engine: Db, email: _Text = "", password: _Text = "",
                next: _Text = "") -> Response:
    at = now()
    found = await run_in_threadpool(read, engine, lambda conn: users.candidate(conn, email))
    refusal: errors.GiftCardError | None
    try:
        users.check_lock(found.user, at)
        ok = len(password) <= users.MAX_PASSWORD and await run_in_threadpool(
            users.verify_password, password, found.password_hash)
        refusal = None
    except users.AccountLocked as locked:
        refusal, ok = locked, False

    def record(conn: Connection) -> tuple[errors.GiftCardError | None, str | None]:
        answer = refusal or users.record_attempt(conn, found.user, ok, at)
        shown = found.user.email if found.user else email.strip().lower()[:254]
        if answer is None:
            assert found.user is not None
            token, _csrf = sessions.start(conn, found.user.id, at)
            audit.record(conn, None, "login", found.user.id, email=shown, at=at)
            return None, token
        action = "login.locked" if isinstance(answer, users.AccountLocked) else "login"
        audit.record(conn, None, action, found.user.id if found.user else "", email=shown,
                     outcome=audit.REFUSED, at=at)
        return answer, None

    answer, token = await run_in_threadpool(write, engine, record)
    if answer is not None or token is None:
        if isinstance(answer, users.AccountLocked):
            message = _("Too many wrong passwords: this account is locked until {time} UTC. Try again then, "
                        "or ask an administrator to set a new password.", time=f"{answer.until:%H:%M}")
        else:
            message = _("The e-mail address or the password is wrong.")
        return _login_page(request, email=email, next_url=next, error=message, status_code=401)
    response = redirect(request, safe_next(next))
    sessions.set_cookie(response, request, token)
    response.delete_cookie(LOGIN_CSRF_COOKIE, path=sessions.PATH)
    return response


@router.post("/logout")
async def logout(request: Request, viewer: SignedIn, engine: Db) -> Response:
    token = request.cookies.get(sessions.COOKIE)

    def work(conn: Connection) -> None:
        sessions.end(conn, token)
        audit.record(conn, viewer, "logout", viewer.id)

    await run_in_threadpool(write, engine, work)
    response = redirect(request, "/console/login", flash=_("You have signed out."))
    sessions.clear_cookie(response, request)
    return response


@router.post("/language")
async def language(request: Request, engine: Db, lang: _Text = "en", next: _Text = "") -> Response:
    chosen = lang if lang in i18n.LANGUAGES else i18n.DEFAULT
    viewer = await current_viewer(request)
    if viewer is not None:
        await run_in_threadpool(write, engine, lambda conn: users.set_locale(conn, viewer.id, chosen))
    response = redirect(request, safe_next(next, "/console/login"))
    response.set_cookie(i18n.LANG_COOKIE, chosen, max_age=365 * 24 * 3600, path=sessions.PATH, httponly=True,
                        samesite="lax", secure=sessions.is_https(request))
    return response
