"""Shops and tills: the list of shops (``shops.view``), a new shop and a shop's changes (``shops.manage``), a
shop's page with its tills, and an enrolment code for a new till of the shop (``tills.manage``), shown as text and
as a QR code. The code is shown once, on the answer to the POST (only its hash is kept): no redirect."""

from __future__ import annotations

from typing import Annotated
from urllib.parse import quote

from fastapi import APIRouter, Depends, Form
from fastapi.responses import HTMLResponse
from sqlalchemy import Connection
from starlette.requests import Request
from starlette.responses import Response

from pos_app.server import auth, shops, tills
from pos_app.server.console.deps import Db, Viewer, allowed
from pos_app.server.console.i18n import _
from pos_app.server.console.pages import redirect, render
from pos_app.server.console.shop_forms import act, qr_svg
from pos_app.server.db.engine import read
from pos_app.server.ledger import now

router = APIRouter()
Viewing = Annotated[Viewer, Depends(allowed("shops.view"))]
Managing = Annotated[Viewer, Depends(allowed("shops.manage"))]
Enrolling = Annotated[Viewer, Depends(allowed("tills.manage"))]
_Name = Annotated[str, Form(max_length=400)]
_Address = Annotated[str, Form(max_length=1000)]
_NO_STORE = {"Cache-Control": "no-store"}
LIST = "/console/shops"


def _list(request: Request, viewer: Viewer, engine: Db, *, after: str | None = None, status_code: int = 200,
          error: str | None = None, form: dict[str, str] | None = None) -> HTMLResponse:
    found = read(engine, lambda conn: shops.list_shops(conn, after=after, limit=shops.PAGE + 1))
    more = len(found) > shops.PAGE
    rows = found[:shops.PAGE]
    next_url = f"{LIST}?after={quote(rows[-1].name)}" if more else None
    return render(request, viewer, "shops/index.html", status_code=status_code, title=_("Shops and tills"),
                  shops=rows, next_url=next_url, first_url=LIST if after else None, error=error, form=form or {},
                  zones=ZONES)


#: Time zones offered first in the form (any IANA name may be typed).
ZONES = ("Europe/Berlin", "Europe/Vienna", "Europe/Zurich", "Europe/Dublin", "Europe/London", "Europe/Paris",
         "Europe/Amsterdam", "Europe/Madrid", "Europe/Rome", "America/New_York", "Pacific/Auckland", "UTC")


@router.get("/shops", response_class=HTMLResponse)
def shops_page(request: Request, viewer: Viewing, engine: Db, after: str | None = None) -> HTMLResponse:
    return _list(request, viewer, engine, after=after[:200] if after else None)


@router.post("/shops", response_class=HTMLResponse)
def add_shop(request: Request, viewer: Managing, engine: Db, name: _Name = "", time_zone: _Name = "",
             address: _Address = "") -> Response:
    at = now()
    done = act(engine, viewer, "shops.add", name,
               lambda conn: shops.add_shop(conn, name=name, time_zone=time_zone, address=address or None, at=at),
               lambda shop: {"id": shop.id, "name": shop.name, "time_zone": shop.time_zone})
    if isinstance(done, str):
        return _list(request, viewer, engine, status_code=400, error=done,
                     form={"name": name, "time_zone": time_zone, "address": address})
    return redirect(request, f"{LIST}/{done.id}", flash=_("The shop “{name}” is there; make an enrolment code for "
                                                          "each of its tills.", name=done.name))


def _shop_page(request: Request, viewer: Viewer, engine: Db, shop_id: str, *, after: str | None = None,
               status_code: int = 200, error: str | None = None, form: dict[str, str] | None = None,
               code: auth.EnrolCode | None = None) -> HTMLResponse:
    def work(conn: Connection) -> tuple[shops.Shop, list[tills.Till]]:
        return (shops.get_shop(conn, shop_id),
                tills.list_tills(conn, shop_id=shop_id, after=after, limit=tills.PAGE + 1))

    shop, found = read(engine, work)
    more = len(found) > tills.PAGE
    rows = found[:tills.PAGE]
    here = f"{LIST}/{shop.id}"
    response = render(
        request, viewer, "shops/shop.html", status_code=status_code, title=shop.name, shop=shop, tills=rows,
        next_url=f"{here}?after={quote(rows[-1].id)}" if more else None, first_url=here if after else None,
        error=error, form=form or {"name": shop.name, "time_zone": shop.time_zone, "address": shop.address or ""},
        code=code, qr=None if code is None else qr_svg(code.code), zones=ZONES, now=now())
    if code is not None:
        response.headers.update(_NO_STORE)
    return response


@router.get("/shops/{shop_id}", response_class=HTMLResponse)
def shop_page(request: Request, viewer: Viewing, engine: Db, shop_id: str, after: str | None = None
              ) -> HTMLResponse:
    return _shop_page(request, viewer, engine, shop_id[:64], after=after[:64] if after else None)


@router.post("/shops/{shop_id}", response_class=HTMLResponse)
def edit_shop(request: Request, viewer: Managing, engine: Db, shop_id: str, name: _Name = "", time_zone: _Name = "",
              address: _Address = "") -> Response:
    done = act(engine, viewer, "shops.edit", shop_id,
               lambda conn: shops.edit_shop(conn, shop_id[:64], name=name, time_zone=time_zone, address=address),
               lambda shop: {"name": shop.name, "time_zone": shop.time_zone})
    if isinstance(done, str):
        return _shop_page(request, viewer, engine, shop_id[:64], status_code=400, error=done,
                          form={"name": name, "time_zone": time_zone, "address": address})
    return redirect(request, f"{LIST}/{done.id}", flash=_("Saved. The shop's tills take its time zone with their "
                                                          "next sync."))


@router.post("/shops/{shop_id}/enrol-code", response_class=HTMLResponse)
def make_code(request: Request, viewer: Enrolling, engine: Db, shop_id: str) -> Response:
    at = now()

    def work(conn: Connection) -> auth.EnrolCode:
        shop = shops.get_shop(conn, shop_id[:64])
        return auth.make_enrol_code(conn, at, shop.id)

    done = act(engine, viewer, "tills.enrol_code", shop_id, work,
               lambda code: {"code_id": code.id, "expires_at": code.expires_at.isoformat()})
    if isinstance(done, str):
        return redirect(request, f"{LIST}/{shop_id[:64]}", flash=done, kind="error")
    return _shop_page(request, viewer, engine, shop_id[:64], code=done)  # shown this once: no redirect
