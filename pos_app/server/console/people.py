"""The people of the tills (``people.manage``): cashiers and managers, with their PINs. Add one, disable or enable,
give a new PIN — on ``server.admin`` as ``pos-server user`` is; every till learns it with its next pull (an
offline till keeps what it had until then)."""

from __future__ import annotations

from typing import Annotated
from urllib.parse import quote

from fastapi import APIRouter, Depends, Form
from fastapi.responses import HTMLResponse
from sqlalchemy import Connection
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response

from pos_app.domain import errors
from pos_app.domain.people import Role
from pos_app.server import admin
from pos_app.server.console.deps import Db, Viewer, allowed
from pos_app.server.console.i18n import N_, _
from pos_app.server.console.pages import redirect, render
from pos_app.server.console.shop_forms import act, refused
from pos_app.server.db.engine import read
from pos_app.server.ledger import now

router = APIRouter()
Managing = Annotated[Viewer, Depends(allowed("people.manage"))]
_Text = Annotated[str, Form(max_length=300)]
PAGE = "/console/people"
ROLES = {Role.CASHIER.value: N_("Cashier"), Role.MANAGER.value: N_("Manager")}


def _page(request: Request, viewer: Viewer, engine: Db, *, after: str | None = None, status_code: int = 200,
          error: str | None = None, form: dict[str, str] | None = None) -> HTMLResponse:
    found = read(engine, lambda conn: admin.list_users(conn, after=after, limit=admin.PAGE + 1))
    more = len(found) > admin.PAGE
    rows = found[:admin.PAGE]
    return render(request, viewer, "shops/people.html", status_code=status_code, title=_("People of the tills"),
                  people=rows, next_url=f"{PAGE}?after={quote(rows[-1].name)}" if more else None,
                  first_url=PAGE if after else None, error=error, form=form or {},
                  roles=[(value, _(label)) for value, label in ROLES.items()], role_names=ROLES)


@router.get("/people", response_class=HTMLResponse)
def people_page(request: Request, viewer: Managing, engine: Db, after: str | None = None) -> HTMLResponse:
    return _page(request, viewer, engine, after=after[:200] if after else None)


@router.post("/people", response_class=HTMLResponse)
async def add_person(request: Request, viewer: Managing, engine: Db, name: _Text = "", role: _Text = "",
                     pin: _Text = "") -> Response:
    at = now()
    form = {"name": name, "role": role}
    try:
        chosen = Role(role)
        pin_hash = await run_in_threadpool(admin.hash_new_pin, pin)  # scrypt: ~50 ms, off the event loop
    except (ValueError, errors.GiftCardError) as exc:
        refusal = exc if isinstance(exc, errors.GiftCardError) else errors.InvalidPayload("choose cashier or manager")
        text = await run_in_threadpool(refused, engine, viewer, "people.add", name, refusal)
        return await run_in_threadpool(lambda: _page(request, viewer, engine, status_code=400, error=text, form=form))
    done = await run_in_threadpool(act, engine, viewer, "people.add", name,
                                   lambda conn: admin.add_user(conn, name=name, role=chosen, pin_hash=pin_hash,
                                                               at=at),
                                   lambda user: {"id": user.id, "role": user.role})
    if isinstance(done, str):
        return await run_in_threadpool(lambda: _page(request, viewer, engine, status_code=400, error=done,
                                                     form=form))
    return redirect(request, PAGE, flash=_("{name} can log in at the tills after their next sync.", name=done.name))


def _switch(request: Request, viewer: Viewer, engine: Db, user_id: str, active: bool) -> Response:
    action = "people.enable" if active else "people.disable"
    done = act(engine, viewer, action, user_id,
               lambda conn: admin.set_user_active(conn, user_id[:64], active), lambda user: {"name": user.name})
    if isinstance(done, str):
        return redirect(request, PAGE, flash=done, kind="error")
    text = _("{name} can log in at the tills again after their next sync.", name=done.name) if active else \
        _("{name} cannot log in at the tills once they have synced.", name=done.name)
    return redirect(request, PAGE, flash=text)


@router.post("/people/{user_id}/disable")
def disable_person(request: Request, viewer: Managing, engine: Db, user_id: str) -> Response:
    return _switch(request, viewer, engine, user_id, False)


@router.post("/people/{user_id}/enable")
def enable_person(request: Request, viewer: Managing, engine: Db, user_id: str) -> Response:
    return _switch(request, viewer, engine, user_id, True)


@router.post("/people/{user_id}/pin")
async def reset_pin(request: Request, viewer: Managing, engine: Db, user_id: str, pin: _Text = "") -> Response:
    try:
        pin_hash = await run_in_threadpool(admin.hash_new_pin, pin)
    except errors.GiftCardError as exc:
        text = await run_in_threadpool(refused, engine, viewer, "people.reset_pin", user_id, exc)
        return redirect(request, PAGE, flash=text, kind="error")

    def change(conn: Connection) -> admin.UserInfo:
        return admin.reset_pin(conn, user_id[:64], pin_hash)

    done = await run_in_threadpool(act, engine, viewer, "people.reset_pin", user_id, change,
                                   lambda user: {"name": user.name})
    if isinstance(done, str):
        return redirect(request, PAGE, flash=done, kind="error")
    return redirect(request, PAGE, flash=_("{name} has a new PIN; the tills take it with their next sync.",
                                           name=done.name))
