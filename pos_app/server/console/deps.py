"""What a console route asks for: the signed-in :class:`Viewer`, a permission, the database.

* ``viewer: Annotated[Viewer, Depends(allowed("cards.view"))]``: the viewer, if their role has the permission.
  Not signed in: 303 to ``/console/login?next=<this page>``. Signed in without it: the page "You may not do
  this" (403) and an audit line (outcome ``refused``).
* ``viewer: SignedIn``: any signed-in viewer (sign-out, the language switch).
* ``db: Db``: the application's engine; run work with ``db.engine.read(db, …)`` / ``write(db, …)`` or a
  ``ServerUnitOfWork``, as the API does.
* :func:`csrf_check`: the console router's dependency, so it runs before every route: a POST (any unsafe
  method) must carry the session's CSRF token, as the form field ``csrf_token`` (``{{ csrf_field() }}``) or the
  header ``X-CSRF-Token``, compared in constant time; else 403 and the route does not run. Before sign-in (the
  sign-in form, the language switch) the token is the one of the cookie ``pos_console_csrf`` that the form's
  page set (double submit; the cookie is SameSite=Lax, so another site's form cannot send it).

The viewer's language is set for the request here (``i18n``), so ``_()`` in a route speaks it.
"""

from __future__ import annotations

import hmac
from collections.abc import Awaitable, Callable
from typing import Annotated
from urllib.parse import quote

from fastapi import Depends
from sqlalchemy import Engine
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from pos_app.server.console import audit, i18n, pages, sessions
from pos_app.server.console.i18n import _
from pos_app.server.console.roles import PERMISSIONS, ROLE_LABELS
from pos_app.server.console.viewer import Viewer
from pos_app.server.db.engine import read, write
from pos_app.server.ledger import now

__all__ = ["Db", "SignedIn", "Viewer", "allowed", "csrf_check", "current_viewer"]

LOGIN_CSRF_COOKIE = "pos_console_csrf"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
_UNSET = object()


class ConsoleAnswer(Exception):
    """A dependency's answer in place of the page (a redirect to sign in, a refusal); ``routes.install`` turns it
    into the response."""

    def __init__(self, response: Response) -> None:
        super().__init__(response.status_code)
        self.response = response


def get_engine(request: Request) -> Engine:
    engine: Engine = request.app.state.engine
    return engine


Db = Annotated[Engine, Depends(get_engine)]


async def current_viewer(request: Request) -> Viewer | None:
    """The signed-in viewer of this request, or None (read once per request); sets the request's language."""
    cached = getattr(request.state, "console_viewer", _UNSET)
    if cached is not _UNSET:
        assert cached is None or isinstance(cached, Viewer)
        return cached
    token = request.cookies.get(sessions.COOKIE)
    session = None
    if token:
        engine = get_engine(request)
        session = await run_in_threadpool(read, engine, lambda conn: sessions.find(conn, token, now()))
    language = i18n.pick(session.locale if session else None, request.cookies.get(i18n.LANG_COOKIE),
                         request.headers.get("accept-language"))
    i18n.set_current(language)
    viewer = None if session is None else Viewer(id=session.user_id, email=session.email, role=session.role,
                                                  locale=language, csrf=session.csrf)
    request.state.console_viewer = viewer
    return viewer


def _to_login(request: Request) -> RedirectResponse:
    here = request.url.path + (f"?{request.url.query}" if request.url.query else "")
    return RedirectResponse(f"/console/login?next={quote(here, safe='/')}", status_code=303)


async def signed_in(request: Request) -> Viewer:
    viewer = await current_viewer(request)
    if viewer is None:
        raise ConsoleAnswer(_to_login(request))
    return viewer


SignedIn = Annotated[Viewer, Depends(signed_in)]


def allowed(permission: str) -> Callable[[Request], Awaitable[Viewer]]:
    """A dependency: the signed-in viewer whose role has ``permission`` (see the module's docstring)."""
    if permission not in PERMISSIONS:
        raise ValueError(f"unknown console permission {permission!r}: add it to roles.PERMISSIONS")

    async def viewer_with_permission(request: Request) -> Viewer:
        viewer = await signed_in(request)
        if not viewer.may(permission):
            await run_in_threadpool(write, get_engine(request), lambda conn: audit.record(
                conn, viewer, permission, request.url.path[:200], {"method": request.method}, audit.REFUSED))
            raise ConsoleAnswer(pages.refusal(request, viewer, _(
                "You may not do this: your role ({role}) does not include it. Ask an administrator.",
                role=_(ROLE_LABELS.get(viewer.role) or viewer.role)), 403))
        return viewer

    viewer_with_permission.__name__ = f"allowed_{permission.replace('.', '_')}"
    return viewer_with_permission


async def _sent_token(request: Request) -> str | None:
    header = request.headers.get("x-csrf-token")
    if header:
        return header
    media = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if media in ("application/x-www-form-urlencoded", "multipart/form-data"):
        value = (await request.form()).get("csrf_token")
        return value if isinstance(value, str) else None
    return None


async def csrf_check(request: Request) -> None:
    """The console router's guard of every unsafe request (see the module's docstring)."""
    if request.method in SAFE_METHODS:
        return
    viewer = await current_viewer(request)
    expected = viewer.csrf if viewer else request.cookies.get(LOGIN_CSRF_COOKIE)
    sent = await _sent_token(request)
    if sent and expected and hmac.compare_digest(sent.encode(), expected.encode()):
        return
    if viewer is not None:
        await run_in_threadpool(write, get_engine(request), lambda conn: audit.record(
            conn, viewer, "csrf", request.url.path[:200], {"method": request.method}, audit.REFUSED))
    raise ConsoleAnswer(pages.refusal(request, viewer, _(
        "This form has expired or did not come from this console, so nothing was done. "
        "Go back, reload the page and try again."), 403))
