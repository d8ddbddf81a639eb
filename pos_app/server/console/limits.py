"""The chain's offline limits (``limits.manage``), as ``pos-server limits`` sets them (``admin.set_limits``): what a
till may do while the server does not answer (DESIGN.md §7). A till's own limits and daily cap are on its page
(``console.tills``); this page lists the tills that have some."""

from __future__ import annotations

from datetime import timedelta
from typing import Annotated

from fastapi import APIRouter, Depends, Form
from fastapi.responses import HTMLResponse
from sqlalchemy import Connection, select
from starlette.requests import Request
from starlette.responses import Response

from pos_app.server import admin, tills
from pos_app.server.console.deps import Db, Viewer, allowed
from pos_app.server.console.i18n import _
from pos_app.server.console.pages import redirect, render
from pos_app.server.console.shop_forms import act
from pos_app.server.console.tills import TillLimits, amount_minor, hours_seconds, till_limits
from pos_app.server.db.engine import read
from pos_app.server.db.shop_models import till_limits as till_limits_table
from pos_app.server.ledger import limits, store_info
from pos_app.sync.schemas import WireLimits

router = APIRouter()
Limiting = Annotated[Viewer, Depends(allowed("limits.manage"))]
_Text = Annotated[str, Form(max_length=40)]
PAGE = "/console/limits"


def _page(request: Request, viewer: Viewer, engine: Db, *, status_code: int = 200, error: str | None = None,
          form: dict[str, str] | None = None) -> HTMLResponse:
    def work(conn: Connection) -> tuple[WireLimits, str, list[tuple[tills.Till, TillLimits]]]:
        ids = conn.execute(select(till_limits_table.c.device_id).order_by(till_limits_table.c.device_id)
                           .limit(200)).scalars().all()
        own = [(tills.get_till(conn, i), till_limits(conn, i)) for i in ids]
        return limits(conn), store_info(conn).currency, [(t, lim) for t, lim in own if lim.own]

    chain, currency, own = read(engine, work)
    text = admin.limits_text(chain, currency)
    shown = form or {"per_redemption": text["per_redemption"], "per_device_unsynced": text["per_device_unsynced"],
                     "max_offline_hours": text["max_offline_hours"], "max_card_age_hours": text["max_card_age_hours"]}
    return render(request, viewer, "shops/limits.html", status_code=status_code, title=_("Offline limits"),
                  form=shown, currency=currency, own=own, error=error)


@router.get("/limits", response_class=HTMLResponse)
def limits_page(request: Request, viewer: Limiting, engine: Db) -> HTMLResponse:
    return _page(request, viewer, engine)


@router.post("/limits", response_class=HTMLResponse)
def set_limits(request: Request, viewer: Limiting, engine: Db, per_redemption: _Text = "",
               per_device_unsynced: _Text = "", max_offline_hours: _Text = "", max_card_age_hours: _Text = ""
               ) -> Response:
    form = {"per_redemption": per_redemption, "per_device_unsynced": per_device_unsynced,
            "max_offline_hours": max_offline_hours, "max_card_age_hours": max_card_age_hours}

    def work(conn: Connection) -> WireLimits:
        currency = store_info(conn).currency
        per, cap = amount_minor(per_redemption, currency), amount_minor(per_device_unsynced, currency)
        offline, age = hours_seconds(max_offline_hours), hours_seconds(max_card_age_hours)
        return admin.set_limits(conn, per_redemption=per, per_device_unsynced=cap,
                                max_offline=None if offline is None else timedelta(seconds=offline),
                                max_card_age=None if age is None else timedelta(seconds=age))

    done = act(engine, viewer, "limits.chain", "limits", work, lambda value: value.model_dump())
    if isinstance(done, str):
        return _page(request, viewer, engine, status_code=400, error=done, form=form)
    return redirect(request, PAGE, flash=_("Saved. Every till works under these limits from its next sync, but for "
                                           "the limits it has of its own."))
