"""The dashboard (a placeholder of the core: the dashboard's branch replaces it with the figures and charts)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends
from fastapi.responses import HTMLResponse
from starlette.requests import Request

from pos_app.server.console.deps import Viewer, allowed
from pos_app.server.console.i18n import _
from pos_app.server.console.pages import render

router = APIRouter()


@router.get("/dashboard", response_class=HTMLResponse)
def dashboard(request: Request, viewer: Annotated[Viewer, Depends(allowed("dashboard.view"))]) -> HTMLResponse:
    return render(request, viewer, "dashboard.html", title=_("Dashboard"))
