"""API keys of the Voucherify-compatible API: create (the token shown this once), list, revoke — through
``voucherify.keys``, the functions ``pos-server api-key`` uses. A handful of keys at most: listed whole."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Form
from fastapi.responses import HTMLResponse
from sqlalchemy import Connection
from starlette.requests import Request
from starlette.responses import Response

from pos_app.domain import errors
from pos_app.server.console import audit
from pos_app.server.console.deps import Db, Viewer, allowed
from pos_app.server.console.i18n import _
from pos_app.server.console.pages import error_text, redirect, render
from pos_app.server.db.engine import read, write
from pos_app.server.ledger import now
from pos_app.server.voucherify import keys

router = APIRouter()
Manager = Annotated[Viewer, Depends(allowed("api_keys.manage"))]
_NO_STORE = {"Cache-Control": "no-store"}


def _page(request: Request, viewer: Viewer, engine: Db, *, status_code: int = 200, name: str = "",
          error: str | None = None, created: keys.ApiKey | None = None) -> HTMLResponse:
    found = read(engine, keys.list_keys)
    found.sort(key=lambda k: (k.revoked_at is not None, -k.created_at.timestamp()))
    response = render(request, viewer, "api_keys/index.html", status_code=status_code, title=_("API keys"),
                      keys=found, name=name, error=error, created=created)
    response.headers.update(_NO_STORE)
    return response


@router.get("/api-keys", response_class=HTMLResponse)
def api_keys_page(request: Request, viewer: Manager, engine: Db) -> HTMLResponse:
    return _page(request, viewer, engine)


@router.post("/api-keys", response_class=HTMLResponse)
def create_key(request: Request, viewer: Manager, engine: Db,
               name: Annotated[str, Form(max_length=400)] = "") -> HTMLResponse:
    at = now()

    def work(conn: Connection) -> keys.ApiKey:
        key = keys.create(conn, name, at)
        audit.record(conn, viewer, "api_keys.create", key.id, {"name": key.name, "app_id": key.app_id}, at=at)
        return key

    try:
        created = write(engine, work)
    except errors.GiftCardError as exc:
        write(engine, lambda conn: audit.record(conn, viewer, "api_keys.create", "", {"name": name[:200]},
                                                audit.REFUSED, at=at))
        return _page(request, viewer, engine, status_code=exc.code, name=name, error=error_text(exc))
    return _page(request, viewer, engine, created=created)  # the token is shown this once: no redirect


@router.post("/api-keys/{key_id}/revoke")
def revoke_key(request: Request, viewer: Manager, engine: Db, key_id: str) -> Response:
    at = now()

    def work(conn: Connection) -> keys.ApiKey:
        key = keys.revoke(conn, key_id[:64], at)
        audit.record(conn, viewer, "api_keys.revoke", key.id, {"name": key.name, "app_id": key.app_id}, at=at)
        return key

    try:
        revoked = write(engine, work)
    except errors.GiftCardError as exc:
        write(engine, lambda conn: audit.record(conn, viewer, "api_keys.revoke", key_id[:64], None,
                                                audit.REFUSED, at=at))
        return redirect(request, "/console/api-keys", flash=error_text(exc), kind="error")
    return redirect(request, "/console/api-keys",
                    flash=_("The key “{name}” is revoked: its requests are refused from now on.", name=revoked.name))
