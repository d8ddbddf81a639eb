"""The console's routes: one router under ``/console`` (left out of the OpenAPI document), one line per area.

:func:`install` puts it into the application (``server.app.create_app``): the router, the static files at
``/console/static``, and the answers of the console's pages — a redirect to sign in or a refusal page
(``deps.ConsoleAnswer``), and refusals and unknown pages under ``/console`` as HTML pages, not JSON.
"""

from __future__ import annotations

import inspect
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

from fastapi import APIRouter, Depends, FastAPI
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from pos_app.domain import errors
from pos_app.server.console import api_keys, audit_log, dashboard, head_office, login
from pos_app.server.console.deps import ConsoleAnswer, csrf_check
from pos_app.server.console.i18n import _
from pos_app.server.console.pages import error_text, refusal

STATIC_DIR = Path(__file__).resolve().with_name("static")
PREFIX = "/console"

router = APIRouter(prefix=PREFIX, include_in_schema=False, dependencies=[Depends(csrf_check)])
router.include_router(login.router)
router.include_router(dashboard.router)
router.include_router(api_keys.router)
router.include_router(audit_log.router)
router.include_router(head_office.router)


@router.get("")
@router.get("/")
def home() -> RedirectResponse:
    return RedirectResponse(f"{PREFIX}/dashboard", status_code=303)


Handler = Callable[[Request, Any], Awaitable[Response] | Response]


def _console_pages(previous: Handler) -> Handler:
    """The application's handler, but for a path of the console: an HTML page in the viewer's language."""

    async def handler(request: Request, exc: Any) -> Response:
        if not request.url.path.startswith(PREFIX):
            answer = previous(request, exc)
            return await answer if inspect.isawaitable(answer) else answer
        viewer = getattr(request.state, "console_viewer", None)
        if isinstance(exc, errors.GiftCardError):
            return refusal(request, viewer, error_text(exc), exc.code)
        status = exc.status_code
        message = {404: _("There is no such page in the console."),
                   405: _("That cannot be done on this page.")}.get(status, _("The request was refused."))
        return refusal(request, viewer, message, status)

    return handler


def install(app: FastAPI) -> None:
    """The console in ``app`` (after ``errors.install``, whose handlers it wraps for ``/console``)."""
    app.include_router(router)
    app.mount(f"{PREFIX}/static", StaticFiles(directory=STATIC_DIR), name="console-static")

    async def answer(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, ConsoleAnswer)
        return exc.response

    app.add_exception_handler(ConsoleAnswer, answer)
    for kind in (errors.GiftCardError, HTTPException):
        app.add_exception_handler(kind, _console_pages(app.exception_handlers[kind]))
