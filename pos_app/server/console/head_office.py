"""Head office's people (console users): add one, change a role, disable or enable, set a new password — the
administrator's page (``people.manage``), on ``console.users`` as ``pos-server console-user`` is. The people of
the tills (cashiers, managers) are the shops' pages. The console keeps at least one active administrator."""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated

from fastapi import APIRouter, Depends, Form
from fastapi.responses import HTMLResponse
from sqlalchemy import Connection
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response

from pos_app.domain import errors
from pos_app.server.console import audit, users
from pos_app.server.console.deps import Db, Viewer, allowed
from pos_app.server.console.i18n import _
from pos_app.server.console.pages import error_text, redirect, render
from pos_app.server.console.roles import ROLE_LABELS, ConsoleRole
from pos_app.server.db.engine import read, write
from pos_app.server.ledger import now

router = APIRouter()
Admin = Annotated[Viewer, Depends(allowed("people.manage"))]
_Text = Annotated[str, Form(max_length=300)]
PAGE = "/console/head-office"


def _page(request: Request, viewer: Viewer, engine: Db, *, status_code: int = 200, error: str | None = None,
          form: dict[str, str] | None = None) -> HTMLResponse:
    return render(request, viewer, "head_office/index.html", status_code=status_code, title=_("Head office"),
                  people=read(engine, users.list_users), error=error, form=form or {},
                  roles=[(r.value, _(ROLE_LABELS[r])) for r in ConsoleRole], now=now())


@router.get("/head-office", response_class=HTMLResponse)
def people_page(request: Request, viewer: Admin, engine: Db) -> HTMLResponse:
    return _page(request, viewer, engine)


@router.post("/head-office", response_class=HTMLResponse)
async def add_person(request: Request, viewer: Admin, engine: Db, email: _Text = "", role: _Text = "",
                     password: _Text = "") -> Response:
    at = now()
    try:
        password_hash = await run_in_threadpool(users.hash_password, password)

        def work(conn: Connection) -> users.ConsoleUser:
            added = users.add_user(conn, email=email, role=role, password_hash=password_hash, at=at)
            audit.record(conn, viewer, "head_office.add", added.id, {"email": added.email, "role": added.role})
            return added

        added = await run_in_threadpool(write, engine, work)
    except errors.GiftCardError as exc:
        await run_in_threadpool(write, engine, lambda conn: audit.record(
            conn, viewer, "head_office.add", "", {"email": email[:254], "role": role[:16]}, audit.REFUSED))
        status, message = exc.code, error_text(exc)
        return await run_in_threadpool(lambda: _page(request, viewer, engine, status_code=status, error=message,
                                                     form={"email": email, "role": role}))
    return redirect(request, PAGE, flash=_("{email} can sign in now, as {role}.", email=added.email,
                                           role=_(ROLE_LABELS[added.role])))


def _change(request: Request, viewer: Viewer, engine: Db, action: str, user_id: str,
            change: Callable[[Connection], users.ConsoleUser], done: Callable[[users.ConsoleUser], str],
            detail: dict[str, str] | None = None) -> Response:
    def work(conn: Connection) -> users.ConsoleUser:
        changed = change(conn)
        audit.record(conn, viewer, action, changed.id, {"email": changed.email, **(detail or {})})
        return changed

    try:
        changed = write(engine, work)
    except errors.GiftCardError as exc:
        write(engine, lambda conn: audit.record(conn, viewer, action, user_id[:64], detail, audit.REFUSED))
        return redirect(request, PAGE, flash=error_text(exc), kind="error")
    return redirect(request, PAGE, flash=done(changed))


@router.post("/head-office/{user_id}/role")
def change_role(request: Request, viewer: Admin, engine: Db, user_id: str, role: _Text = "") -> Response:
    def change(conn: Connection) -> users.ConsoleUser:
        users.keep_an_administrator(conn, user_id, role=users.check_role(role))
        return users.set_role(conn, user_id, role)

    return _change(request, viewer, engine, "head_office.role", user_id, change,
                   lambda u: _("{email} is {role} now.", email=u.email, role=_(ROLE_LABELS[u.role])),
                   {"role": role[:16]})


@router.post("/head-office/{user_id}/disable")
def disable_person(request: Request, viewer: Admin, engine: Db, user_id: str) -> Response:
    at = now()

    def change(conn: Connection) -> users.ConsoleUser:
        users.keep_an_administrator(conn, user_id, disabling=True)
        return users.disable(conn, user_id, at)

    return _change(request, viewer, engine, "head_office.disable", user_id, change,
                   lambda u: _("{email} cannot sign in any more; their sessions have ended.", email=u.email))


@router.post("/head-office/{user_id}/enable")
def enable_person(request: Request, viewer: Admin, engine: Db, user_id: str) -> Response:
    return _change(request, viewer, engine, "head_office.enable", user_id,
                   lambda conn: users.enable(conn, user_id),
                   lambda u: _("{email} can sign in again.", email=u.email))


@router.post("/head-office/{user_id}/password")
async def reset_password(request: Request, viewer: Admin, engine: Db, user_id: str,
                         password: _Text = "") -> Response:
    try:
        password_hash = await run_in_threadpool(users.hash_password, password)
    except errors.GiftCardError as exc:
        return redirect(request, PAGE, flash=error_text(exc), kind="error")
    return await run_in_threadpool(
        _change, request, viewer, engine, "head_office.password", user_id,
        lambda conn: users.set_password(conn, user_id, password_hash),
        lambda u: _("{email} has a new password; their sessions have ended and the lock is open.", email=u.email))
