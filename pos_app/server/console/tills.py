"""A till's page (``shops.view``): its shop, when it was last seen, the entries it still holds unsynced; rename,
move to another shop, revoke (``tills.manage``); its own offline limits and daily cap (``limits.manage``)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import Annotated

from fastapi import APIRouter, Depends, Form
from fastapi.responses import HTMLResponse
from sqlalchemy import Connection
from starlette.requests import Request
from starlette.responses import Response

from pos_app.domain import errors
from pos_app.domain.money import Money, parse_amount
from pos_app.server import auth, authority, shops, tills
from pos_app.server.console.deps import Db, Viewer, allowed
from pos_app.server.console.i18n import _
from pos_app.server.console.pages import redirect, render
from pos_app.server.console.shop_forms import act
from pos_app.server.db.engine import read
from pos_app.server.ledger import get_setting, now, policy_values, store_info
from pos_app.sync.schemas import WireLimits

router = APIRouter()
Viewing = Annotated[Viewer, Depends(allowed("shops.view"))]
Managing = Annotated[Viewer, Depends(allowed("tills.manage"))]
Limiting = Annotated[Viewer, Depends(allowed("limits.manage"))]
_Text = Annotated[str, Form(max_length=200)]
BASE = "/console/tills"


@dataclass(frozen=True, slots=True)
class TillLimits:
    """What the page shows of a till's limits: the values it works under, which are its own, and its cap."""

    values: WireLimits
    own: dict[str, int]
    cap: int | None  # value it may put on cards a day (None: no maximum)
    own_cap: bool
    currency: str

    def money(self, minor: int | None) -> str:
        return "" if minor is None else Money(minor, self.currency).major_str()

    def hours(self, seconds: int) -> str:
        return f"{seconds / 3600:g}"


def till_limits(conn: Connection, device_id: str) -> TillLimits:
    caps = authority.policy(conn, device_id)
    own_cap = device_id in (get_setting(conn, authority.CAPS_KEY) or {})
    return TillLimits(values=tills.limits_for(conn, device_id), own=tills.own_limits(conn, device_id),
                      cap=caps.daily_created_per_till, own_cap=own_cap, currency=store_info(conn).currency)


def _page(request: Request, viewer: Viewer, engine: Db, device_id: str, *, status_code: int = 200,
          error: str | None = None, form: dict[str, str] | None = None) -> HTMLResponse:
    def work(conn: Connection) -> tuple[tills.Till, list[shops.Shop], TillLimits, dict[str, int | None]]:
        till = tills.get_till(conn, device_id)
        return till, shops.list_shops(conn, limit=500), till_limits(conn, device_id), policy_values(conn)

    till, all_shops, limits, policy = read(engine, work)
    offline = limits.values.max_offline_seconds
    late = till.last_seen_at is not None and now() - till.last_seen_at > timedelta(seconds=offline)
    return render(request, viewer, "shops/till.html", status_code=status_code, title=till.name, till=till,
                  shops=all_shops, limits=limits, chain_cap=policy.get("daily_created_per_till"), late=late,
                  error=error, form=form or {}, now=now())


@router.get("/tills/{device_id}", response_class=HTMLResponse)
def till_page(request: Request, viewer: Viewing, engine: Db, device_id: str) -> HTMLResponse:
    return _page(request, viewer, engine, device_id[:64])


@router.post("/tills/{device_id}/revoke")
def revoke(request: Request, viewer: Managing, engine: Db, device_id: str) -> Response:
    at = now()
    done = act(engine, viewer, "tills.revoke", device_id, lambda conn: auth.revoke(conn, device_id[:64], at),
               lambda device: {"name": device.name})
    if isinstance(done, str):
        return redirect(request, f"{BASE}/{device_id[:64]}", flash=done, kind="error")
    return redirect(request, f"{BASE}/{done.id}", flash=_("“{name}” is revoked: the server refuses its requests from "
                                                          "now on.", name=done.name))


@router.post("/tills/{device_id}/rename")
def rename(request: Request, viewer: Managing, engine: Db, device_id: str, name: _Text = "") -> Response:
    done = act(engine, viewer, "tills.rename", device_id, lambda conn: tills.rename_till(conn, device_id[:64], name),
               lambda till: {"name": till.name})
    if isinstance(done, str):
        return redirect(request, f"{BASE}/{device_id[:64]}", flash=done, kind="error")
    return redirect(request, f"{BASE}/{done.id}", flash=_("Saved."))


@router.post("/tills/{device_id}/move")
def move(request: Request, viewer: Managing, engine: Db, device_id: str, shop_id: _Text = "") -> Response:
    done = act(engine, viewer, "tills.move", device_id, lambda conn: tills.move_till(conn, device_id[:64], shop_id),
               lambda till: {"shop_id": till.shop_id})
    if isinstance(done, str):
        return redirect(request, f"{BASE}/{device_id[:64]}", flash=done, kind="error")
    return redirect(request, f"{BASE}/{done.id}", flash=_("“{name}” is a till of {shop} now; it takes the shop's time "
                                                          "zone with its next sync.", name=done.name,
                                                          shop=done.shop_name or ""))


def amount_minor(text: str, currency: str) -> int | None:
    return None if not text.strip() else parse_amount(text.strip(), currency).minor


def hours_seconds(text: str) -> int | None:
    if not text.strip():
        return None
    try:
        hours = float(text.strip().replace(",", "."))
    except ValueError:
        raise errors.InvalidPayload(f"{text.strip()[:20]!r} is not a number of hours") from None
    if not 0 < hours <= 24 * 365:
        raise errors.InvalidPayload("a time offline is more than 0 hours and at most a year")
    return int(hours * 3600)


@router.post("/tills/{device_id}/limits", response_class=HTMLResponse)
def set_limits(request: Request, viewer: Limiting, engine: Db, device_id: str, per_redemption: _Text = "",
               per_device_unsynced: _Text = "", max_offline_hours: _Text = "", max_card_age_hours: _Text = "",
               daily_cap: _Text = "") -> Response:
    """An empty field gives the limit back to the chain's."""
    at = now()
    form = {"per_redemption": per_redemption, "per_device_unsynced": per_device_unsynced,
            "max_offline_hours": max_offline_hours, "max_card_age_hours": max_card_age_hours, "daily_cap": daily_cap}

    def work(conn: Connection) -> WireLimits:
        currency = store_info(conn).currency
        tills.get_till(conn, device_id[:64])
        authority.set_cap(conn, device_id[:64], amount_minor(daily_cap, currency))
        return tills.set_own_limits(conn, device_id[:64], {
            "per_redemption": amount_minor(per_redemption, currency),
            "per_device_unsynced": amount_minor(per_device_unsynced, currency),
            "max_offline_seconds": hours_seconds(max_offline_hours),
            "max_card_age_seconds": hours_seconds(max_card_age_hours)}, at)

    done = act(engine, viewer, "limits.till", device_id, work, lambda limits: {**limits.model_dump(), **form})
    if isinstance(done, str):
        return _page(request, viewer, engine, device_id[:64], status_code=400, error=done, form=form)
    return redirect(request, f"{BASE}/{device_id[:64]}",
                    flash=_("Saved. The till works under these limits from its next sync."))
