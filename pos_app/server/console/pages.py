"""Pages: the templates (``templates/``), :func:`render`, flash messages and post/redirect/get.

* ``render(request, viewer, "area/page.html", title=_("…"), **context)``: the page in the viewer's language, with
  the header's navigation (only what the viewer's role may open), the flash message left by the last redirect,
  and ``csrf_field()`` filled for the forms. ``status_code=`` for a form shown again with its error (400, 409…).
* ``redirect(request, "/console/…", flash=_("Saved."))``: 303 after a successful POST; the message is shown once,
  on the next page (a short-lived cookie). ``kind="error"`` for one that says what went wrong.
* ``error_text(exc)``: a refusal of the domain (``GiftCardError``) as one sentence in the viewer's language.
* ``refusal(request, viewer, message, status)``: the page "You may not …" (403) and other refusal pages.

Templates see ``_`` (translate), ``viewer``, ``nav``, ``lang``, ``languages``, ``flash``, ``path`` and ``csrf_token()``;
``_macros.html`` has ``csrf_field()``, ``field(...)``, ``select(...)``, ``pager(...)`` and ``flash_message(...)``.
"""

from __future__ import annotations

import base64
import json
from contextvars import ContextVar
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from fastapi.templating import Jinja2Templates
from starlette.requests import Request
from starlette.responses import HTMLResponse, RedirectResponse, Response

from pos_app.domain import errors
from pos_app.server.console import i18n
from pos_app.server.console.i18n import N_, _
from pos_app.server.console.roles import ROLE_LABELS
from pos_app.server.console.sessions import PATH
from pos_app.server.console.viewer import Viewer

TEMPLATE_DIR = Path(__file__).resolve().with_name("templates")
FLASH_COOKIE = "pos_console_flash"
#: The header's links: (permission needed, path, label). An area whose page is not there yet still has its link.
NAV: tuple[tuple[str, str, str], ...] = (
    ("dashboard.view", "/console/dashboard", N_("Dashboard")),
    ("campaigns.view", "/console/campaigns", N_("Campaigns")),
    ("cards.view", "/console/cards", N_("Cards")),
    ("conflicts.view", "/console/conflicts", N_("Conflicts")),
    ("shops.view", "/console/shops", N_("Shops and tills")),
    ("limits.manage", "/console/limits", N_("Limits")),
    ("people.manage", "/console/head-office", N_("Head office")),
    ("api_keys.manage", "/console/api-keys", N_("API keys")),
    ("audit.view", "/console/audit", N_("Audit log")),
)

_csrf: ContextVar[str] = ContextVar("console_csrf", default="")


def _csrf_token() -> str:
    return _csrf.get()


templates = Jinja2Templates(directory=str(TEMPLATE_DIR))
templates.env.globals.update(_=_, csrf_token=_csrf_token, role_label=lambda role: _(ROLE_LABELS.get(role) or role))


def nav_for(viewer: Viewer | None) -> list[tuple[str, str]]:
    return [] if viewer is None else [(path, _(label)) for permission, path, label in NAV if viewer.may(permission)]


def _read_flash(request: Request) -> dict[str, str] | None:
    raw = request.cookies.get(FLASH_COOKIE)
    if not raw:
        return None
    try:
        found = json.loads(base64.urlsafe_b64decode(raw.encode()))
        return {"kind": str(found["kind"]), "text": str(found["text"])}
    except (ValueError, KeyError, TypeError):
        return None


def render(request: Request, viewer: Viewer | None, template: str, *, status_code: int = 200,
           csrf: str | None = None, **context: Any) -> HTMLResponse:
    """The page ``template`` for ``viewer`` (None: the sign-in page and refusals before sign-in)."""
    language = viewer.locale if viewer else i18n.current()
    flash = _read_flash(request)
    token = _csrf.set(csrf if csrf is not None else (viewer.csrf if viewer else ""))
    try:
        with i18n.use(language):
            page = dict(context)
            page.setdefault("title", "")
            page.update(viewer=viewer, nav=nav_for(viewer), lang=language, languages=i18n.LANGUAGES, flash=flash,
                        path=request.url.path, here=_here(request))
            response = templates.TemplateResponse(request, template, page, status_code=status_code)
    finally:
        _csrf.reset(token)
    if flash is not None:
        response.delete_cookie(FLASH_COOKIE, path=PATH)
    return response


def _here(request: Request) -> str:
    return request.url.path + (f"?{request.url.query}" if request.url.query else "")


def redirect(request: Request, to: str, *, flash: str | None = None, kind: str = "ok") -> RedirectResponse:
    """303 to ``to`` (a path of the console), with a message for the next page."""
    response = RedirectResponse(safe_next(to), status_code=303)
    if flash:
        value = base64.urlsafe_b64encode(json.dumps({"kind": kind, "text": flash}).encode()).decode()
        response.set_cookie(FLASH_COOKIE, value, max_age=120, path=PATH, httponly=True, samesite="lax",
                            secure=request.url.scheme == "https")
    return response


def safe_next(target: str | None, default: str = "/console/dashboard") -> str:
    """``target`` if it is a path of the console (never another site: ``//evil``, ``https://…``), else
    ``default``."""
    if not target:
        return default
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/console") or "\\" in target:
        return default
    return target


#: A sentence for the refusals a console page meets most; others use the domain's message.
ERROR_SENTENCES: dict[str, str] = {
    "not_found": N_("Nothing was found under that name or code."),
    "invalid_payload": N_("Some of what was entered will not do: {details}"),
    "invalid_amount": N_("Enter an amount greater than zero, such as 12.50."),
    "duplicate_found": N_("That exists already: {details}"),
    "forbidden": N_("Your role may not do this."),
    "gift_amount_exceeded": N_("The card does not have enough on it."),
    "voucher_expired": N_("The card has expired."),
    "voucher_disabled": N_("The card is disabled."),
    "currency_mismatch": N_("That is not the card's currency."),
}


def error_text(exc: errors.GiftCardError) -> str:
    """One sentence for a refusal, in the language of the page."""
    sentence = ERROR_SENTENCES.get(exc.key)
    if sentence is not None:
        return _(sentence, details=exc.details or exc.message) if "{details}" in sentence else _(sentence)
    text = _(exc.message)
    text = text[:1].upper() + text[1:]
    if exc.details and exc.details != exc.message:
        text = f"{text.rstrip('.')}: {exc.details}"
    return text if text.endswith((".", "!", "?")) else text + "."


def refusal(request: Request, viewer: Viewer | None, message: str, status_code: int = 403) -> Response:
    """A page that says why the request was refused (nothing was done)."""
    titles = {403: N_("Not allowed"), 404: N_("Not found"), 405: N_("Not allowed")}
    return render(request, viewer, "error.html", status_code=status_code,
                  title=_(titles.get(status_code, N_("Refused"))), message=message)
