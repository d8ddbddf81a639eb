"""The audit log's page: newest first, 50 lines a page by cursor (``?after=<id>``), filtered by user and action
(each filter served by an index, ``console_audit``'s (user_id, id) and (action, id))."""

from __future__ import annotations

from typing import Annotated
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, Query
from fastapi.responses import HTMLResponse
from sqlalchemy import Connection
from starlette.requests import Request

from pos_app.server.console import audit, users
from pos_app.server.console.deps import Db, Viewer, allowed
from pos_app.server.console.i18n import _
from pos_app.server.console.pages import render
from pos_app.server.console.roles import PERMISSIONS
from pos_app.server.db.engine import read

router = APIRouter()
#: What the action filter offers (any text may be typed).
KNOWN_ACTIONS = ("login", "login.locked", "logout", "csrf", "api_keys.create", "api_keys.revoke",
                 "head_office.add", "head_office.role", "head_office.disable", "head_office.enable",
                 "head_office.password", *PERMISSIONS)


@router.get("/audit", response_class=HTMLResponse)
def audit_page(request: Request, viewer: Annotated[Viewer, Depends(allowed("audit.view"))], engine: Db,
               after: Annotated[int | None, Query(ge=1)] = None,
               user: Annotated[str, Query(max_length=64)] = "",
               action: Annotated[str, Query(max_length=64)] = "") -> HTMLResponse:
    def work(conn: Connection) -> tuple[list[audit.AuditLine], list[users.ConsoleUser]]:
        lines = audit.page(conn, after=after, user_id=user or None, action=action.strip() or None,
                           limit=audit.PAGE + 1)
        return lines, users.list_users(conn)

    lines, people = read(engine, work)
    filters = {k: v for k, v in (("user", user), ("action", action.strip())) if v}
    next_url = None
    if len(lines) > audit.PAGE:
        lines = lines[:audit.PAGE]
        next_url = "/console/audit?" + urlencode({**filters, "after": lines[-1].id})
    first_url = ("/console/audit?" + urlencode(filters)) if after else None
    return render(request, viewer, "audit/index.html", title=_("Audit log"), lines=lines, people=people,
                  user=user, action=action.strip(), actions=KNOWN_ACTIONS, next_url=next_url, first_url=first_url)
