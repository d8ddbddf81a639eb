"""The card pages: the search box (a whole code, part of a code, a customer) and a card's page (balance, status,
dates, campaign, customer, rules, its history from every till, the changes of its terms). The operations on a card
are ``cards_ops``; what the pages show is read through ``server.card_search``.

Codes are bearer money. The search box is a form sent by POST, so what is typed never lands in a URL, a browser's
history or a Referer; lists show masked codes and link to a card by its id; the whole code is shown on the card's
own page only, to a signed-in viewer with ``cards.view``. Every search is a line of the audit log (the query
masked), and a search that finds nothing counts as the viewer's failed look-up, rate-limited like a till's.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form, Query
from fastapi.responses import HTMLResponse
from sqlalchemy import Connection
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from pos_app.domain import errors
from pos_app.domain.codes import mask
from pos_app.server import card_search, staff
from pos_app.server.console import audit
from pos_app.server.console.card_view import CardForms, card_context, error_sentence, shown
from pos_app.server.console.deps import Db, Viewer, allowed
from pos_app.server.console.i18n import _
from pos_app.server.console.pages import render
from pos_app.server.db.engine import read, write
from pos_app.server.ledger import now

router = APIRouter()
Looker = Annotated[Viewer, Depends(allowed("cards.view"))]
_Text = Annotated[str, Form(max_length=card_search.MAX_QUERY)]
_Cursor = Annotated[str, Form(max_length=64)]


@router.get("/cards", response_class=HTMLResponse)
def search_page(request: Request, viewer: Looker) -> HTMLResponse:
    return render(request, viewer, "cards/search.html", title=_("Cards"), query="", found=None, error=None)


@router.post("/cards", response_class=HTMLResponse)
def search(request: Request, viewer: Looker, engine: Db, q: _Text = "", after: _Cursor = "",
           cafter: _Cursor = "") -> Response:
    """The search box's answer: the card's page for a whole code, else the cards and customers found."""
    at, query = now(), " ".join(q.split())
    target = mask(query) if query else ""

    def work(conn: Connection) -> card_search.Found:
        found = card_search.search(conn, query, caller=staff.operator_of(viewer.id), at=at,
                                   after=after or None, after_customer=cafter or None)
        audit.record(conn, viewer, "cards.search", target, {
            "cards": len(found.cards.rows), "customers": len(found.customers.rows),
            "card_id": found.card_id}, at=at)
        return found

    try:
        found = write(engine, work)
    except errors.GiftCardError as exc:  # too many failed look-ups: wait
        refused = {"key": exc.key}
        write(engine, lambda conn: audit.record(conn, viewer, "cards.search", target, refused, audit.REFUSED, at=at))
        return render(request, viewer, "cards/search.html", status_code=exc.code, title=_("Cards"), query=query,
                      found=None, error=error_sentence(exc))
    if found.card_id is not None:
        return RedirectResponse(f"/console/cards/{found.card_id}", status_code=303)
    formats = shown(engine, viewer)
    return render(request, viewer, "cards/search.html", title=_("Cards"), query=query, found=found, error=None,
                  show=formats, min_part=card_search.MIN_PART, min_customer=card_search.MIN_CUSTOMER)


@router.get("/cards/{card_id}", response_class=HTMLResponse)
def card_page(request: Request, viewer: Looker, engine: Db, card_id: str,
              before: Annotated[int | None, Query(ge=0)] = None) -> HTMLResponse:
    return card_response(request, viewer, engine, card_id[:64], before=before)


def card_response(request: Request, viewer: Viewer, engine: Db, card_id: str, *, before: int | None = None,
                  forms: CardForms | None = None, status_code: int = 200) -> HTMLResponse:
    """The card's page (``forms``: a form shown again with its error and what was typed)."""
    def work(conn: Connection) -> dict[str, Any]:
        return card_context(conn, viewer, card_id, before=before)

    context = read(engine, work)
    response = render(request, viewer, "cards/card.html", status_code=status_code,
                      title=_("Card {code}", code=context["page"].masked), forms=forms or CardForms(),
                      show=shown(engine, viewer), **context)
    response.headers["Cache-Control"] = "no-store"  # the whole code is on it
    return response
