"""Campaigns: the list with each one's figures, a new campaign generated in the background with its progress, a
campaign's page with its card sheets (PDF) and its cards as CSV.

* The list (``campaigns.view``) pages by cursor (``?after=<id>``), newest first: ``server.campaign_figures``.
* Create (``campaigns.create``) converts the form as ``pos-server campaign create`` converts its options
  (``cli_options.campaign_command``: the code config, dates as whole days of the shop) and starts it through the
  API's path (``server.campaigns.start_campaign`` then a generation job of ``voucherify.jobs``, run by
  ``voucherify.campaigns.run_generation`` in a background thread): batch by batch, each committed whole, and a
  job whose server process died is taken over and resumed by whoever looks at it next — here, the campaign's page
  and its progress (``/progress``, polled by a few lines of script while the page is open). Its cards are
  inactive until sold at a till (printed stock, as the CLI makes them), or sold with their value at once (as the
  API makes them) when the form says so.
* Card sheets (``cards.pdf``) and the CSV (``cards.csv``) are exports (``campaigns.export``): a sheet is at most
  ``MAX_SHEET_CARDS`` cards from a chosen one on, drawn without Qt (``printing.card_sheet_fpdf``); the CSV has
  the columns of the API's voucher export and is streamed from one read transaction.

Every POST and every export writes an audit line (the creation's in the transaction that stores the campaign).
"""

from __future__ import annotations

from datetime import date, tzinfo
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form, Query
from fastapi.responses import HTMLResponse, JSONResponse
from sqlalchemy import Connection, Engine, select
from starlette.requests import Request
from starlette.responses import Response, StreamingResponse

from pos_app.cli_options import campaign_command
from pos_app.domain import errors
from pos_app.domain.cards import Campaign
from pos_app.domain.money import Money, parse_amount
from pos_app.domain.shop_time import last_day
from pos_app.formatting import format_money
from pos_app.printing.card_sheet import PAGE_SIZES
from pos_app.printing.card_sheet_fpdf import render_card_sheet_pdf
from pos_app.server import campaign_figures as figures
from pos_app.server.campaigns import start_campaign
from pos_app.server.console import audit
from pos_app.server.console.deps import Db, Viewer, allowed
from pos_app.server.console.i18n import _
from pos_app.server.console.pages import error_text, redirect, render
from pos_app.server.db.engine import read, write
from pos_app.server.db.models import async_actions
from pos_app.server.ledger import store_info, store_zone
from pos_app.server.voucherify import jobs
from pos_app.server.voucherify.assets import AssetLinks, secret
from pos_app.server.voucherify.campaigns import run_generation
from pos_app.server.voucherify.exports import DEFAULT_FIELDS, voucher_csv

router = APIRouter()
Viewing = Annotated[Viewer, Depends(allowed("campaigns.view"))]
Creating = Annotated[Viewer, Depends(allowed("campaigns.create"))]
Exporting = Annotated[Viewer, Depends(allowed("campaigns.export"))]
_Text = Annotated[str, Form(max_length=300)]
BASE = "/console/campaigns"
BATCH = 500  # cards per committed batch: the progress bar moves every few hundred milliseconds
FORM_FIELDS = ("name", "amount", "currency", "count", "pattern", "charset", "prefix", "postfix", "length",
               "starts", "expires", "sold")


def money_locale(viewer: Viewer, store_locale: str) -> str:
    """The locale amounts are shown in: German for a German page, else the shop's."""
    return "de_DE" if viewer.locale == "de" else store_locale


def _money(minor: int, currency: str, locale: str) -> str:
    return format_money(Money(minor, currency), locale=locale)


def _days(zone: tzinfo) -> dict[str, Any]:
    """A campaign's first and last valid days, as the shop reads them (its dates are instants in UTC)."""
    return {"first_day": lambda at: None if at is None else at.astimezone(zone).date(),
            "last_day": lambda at: None if at is None else last_day(at, zone)}


# ---- the list ------------------------------------------------------------------------------------------------


@router.get("/campaigns", response_class=HTMLResponse)
def campaign_list(request: Request, viewer: Viewing, engine: Db,
                  after: Annotated[str | None, Query(max_length=64)] = None) -> HTMLResponse:
    rows, next_after = figures.campaign_page(engine, after=after)
    store = read(engine, store_info)
    return render(request, viewer, "campaigns/index.html", title=_("Campaigns"), rows=rows,
                  locale=money_locale(viewer, store.locale), money=_money, **_days(store_zone(store)),
                  next_url=f"{BASE}?after={next_after}" if next_after else None,
                  first_url=BASE if after else None)


# ---- create --------------------------------------------------------------------------------------------------


def _form_page(request: Request, viewer: Viewer, engine: Engine, *, form: dict[str, str] | None = None,
               error: str | None = None, status_code: int = 200) -> HTMLResponse:
    store = read(engine, store_info)
    values = {"currency": store.currency, **(form or {})}
    return render(request, viewer, "campaigns/new.html", status_code=status_code, title=_("New campaign"),
                  form=values, error=error, store=store)


@router.get("/campaigns/new", response_class=HTMLResponse)
def new_campaign(request: Request, viewer: Creating, engine: Db) -> HTMLResponse:
    return _form_page(request, viewer, engine)


def _day(text: str, what: str) -> str | None:
    if not text.strip():
        return None
    try:
        return date.fromisoformat(text.strip()).isoformat()
    except ValueError:
        raise errors.InvalidPayload(f"{what} {text[:20]!r} is not a date (YYYY-MM-DD)") from None


def _whole(text: str, what: str) -> int | None:
    if not text.strip():
        return None
    if not text.strip().isdigit() or len(text.strip()) > 9:
        raise errors.InvalidPayload(f"{what} must be a whole number")
    return int(text.strip())


@router.post("/campaigns", response_class=HTMLResponse)
def create_campaign(request: Request, viewer: Creating, engine: Db, name: _Text = "", amount: _Text = "",
                    currency: _Text = "", count: _Text = "", pattern: _Text = "", charset: _Text = "",
                    prefix: _Text = "", postfix: _Text = "", length: _Text = "", starts: _Text = "",
                    expires: _Text = "", sold: _Text = "") -> Response:
    form = dict(zip(FORM_FIELDS, (name, amount, currency, count, pattern, charset, prefix, postfix, length,
                                  starts, expires, sold), strict=True))
    made: list[str] = []
    try:
        store = read(engine, store_info)
        cmd = campaign_command(
            name=name, amount=parse_amount(amount, (currency.strip() or store.currency).upper()[:3]),
            count=_whole(count, "the number of cards") or 0, pattern=pattern or None, charset=charset or None,
            prefix=prefix, postfix=postfix, length=_whole(length, "the code length"),
            starts=_day(starts, "the start date"), expires=_day(expires, "the expiry date"),
            redemption_limit=None, category=None, zone=store_zone(store))

        def record(conn: Connection, campaign: Campaign) -> None:
            made.append(jobs.start(conn, key_id=f"console:{viewer.id}"[:64], type=jobs.GENERATION,
                                   campaign_id=campaign.id, sold=bool(sold), requested=cmd.count))
            audit.record(conn, viewer, "campaigns.create", campaign.id, {
                "name": campaign.name, "count": cmd.count, "amount": campaign.amount, "currency": campaign.currency,
                "sold": bool(sold), "code_config": campaign.code_config})

        campaign, _config = start_campaign(engine, cmd, then=record)
    except errors.GiftCardError as exc:
        refused = {"name": name[:200], "count": count[:12], "error": exc.key}
        write(engine, lambda conn: audit.record(conn, viewer, "campaigns.create", "", refused, audit.REFUSED))
        return _form_page(request, viewer, engine, form=form, error=error_text(exc), status_code=exc.code)
    action_id = made[0]
    jobs.in_background(f"generate-{action_id}", lambda: run_generation(engine, action_id, batch_size=BATCH))
    return redirect(request, f"{BASE}/{campaign.id}", flash=_(
        "The campaign “{name}” is made; its {count} cards are being generated.", name=campaign.name,
        count=f"{cmd.count:,}"))


# ---- one campaign ---------------------------------------------------------------------------------------------


def _resume_if_stale(engine: Engine, campaign_id: str) -> None:
    """A generation whose server process went quiet is taken over by this one and carried on (``jobs``)."""
    rows = read(engine, lambda conn: list(conn.execute(select(async_actions).where(
        async_actions.c.campaign_id == campaign_id, async_actions.c.type == jobs.GENERATION,
        async_actions.c.status == jobs.IN_PROGRESS)).mappings()))
    for row in rows:
        jobs.resume(engine, row)


def _progress(found: figures.CampaignFigures) -> dict[str, Any]:
    job = found.generation
    if job is None:
        return {"status": jobs.DONE, "made": found.campaign.vouchers_count,
                "requested": found.campaign.vouchers_count, "message": None}
    return {"status": job.status, "made": job.made, "requested": job.requested, "message": job.message}


@router.get("/campaigns/{campaign_id}", response_class=HTMLResponse)
def campaign_page(request: Request, viewer: Viewing, engine: Db, campaign_id: str) -> HTMLResponse:
    _resume_if_stale(engine, campaign_id[:64])
    found = figures.campaign_figures(engine, campaign_id[:64])
    store = read(engine, store_info)
    return render(request, viewer, "campaigns/campaign.html", title=found.campaign.name, found=found,
                  progress=_progress(found), locale=money_locale(viewer, store.locale), money=_money,
                  **_days(store_zone(store)),
                  page_options=[(p, p) for p in sorted(PAGE_SIZES)], max_sheet=figures.MAX_SHEET_CARDS, base=BASE)


@router.get("/campaigns/{campaign_id}/progress")
def campaign_progress(viewer: Viewing, engine: Db, campaign_id: str) -> JSONResponse:
    """The generation's progress, for the campaign page's script (it resumes a stale generation as the page does)."""
    _resume_if_stale(engine, campaign_id[:64])
    campaign, job = read(engine, lambda conn: figures.generation_of(conn, campaign_id[:64]))
    found = figures.CampaignFigures(campaign=campaign, cards=campaign.vouchers_count, active=0, outstanding=0,
                                    generation=job)  # what the bar needs: two rows read, no card counted
    return JSONResponse(_progress(found) | {"cards": campaign.vouchers_count}, headers={"Cache-Control": "no-store"})


def _export_audit(engine: Engine, viewer: Viewer, campaign: Campaign, detail: dict[str, Any]) -> None:
    write(engine, lambda conn: audit.record(conn, viewer, "campaigns.export", campaign.id,
                                            {"campaign": campaign.name, **detail}))


@router.get("/campaigns/{campaign_id}/cards.pdf")
def card_sheet(viewer: Exporting, engine: Db, campaign_id: str,
               first: Annotated[int, Query(ge=1, le=10_000_000)] = 1,
               count: Annotated[int, Query(ge=1, le=figures.MAX_SHEET_CARDS)] = figures.MAX_SHEET_CARDS,
               page: Annotated[str, Query(max_length=10)] = "A4") -> Response:
    """Cards ``first`` … ``first + count - 1`` as card sheets (PDF)."""
    if page not in PAGE_SIZES:
        raise errors.InvalidPayload(f"the paper is one of {', '.join(sorted(PAGE_SIZES))}")
    campaign = read(engine, lambda conn: figures.find_campaign(conn, campaign_id))
    locale = money_locale(viewer, read(engine, store_info).locale)

    def draw(conn: Connection) -> Any:
        return render_card_sheet_pdf(figures.sheet_faces(conn, campaign, first=first, count=count, locale=locale),
                                     page=page, title=campaign.name)

    try:
        sheet = read(engine, draw)
    except ValueError:  # no card from `first` on
        raise errors.NotFound(f"the campaign has {campaign.vouchers_count} cards; card {first} is not one of "
                              "them") from None
    _export_audit(engine, viewer, campaign, {"format": "pdf", "first": first, "cards": sheet.cards, "page": page})
    last = first + sheet.cards - 1
    return Response(sheet.body, media_type="application/pdf", headers={
        "Content-Disposition": f'attachment; filename="cards-{campaign.id}-{first}-{last}.pdf"',
        "Cache-Control": "no-store"})


@router.get("/campaigns/{campaign_id}/cards.csv")
def card_csv(request: Request, viewer: Exporting, engine: Db, campaign_id: str) -> StreamingResponse:
    """Every card of the campaign in the API export's columns, streamed."""
    campaign = read(engine, lambda conn: figures.find_campaign(conn, campaign_id))
    _export_audit(engine, viewer, campaign, {"format": "csv", "cards": campaign.vouchers_count})
    links = AssetLinks(secret(engine), str(request.base_url).rstrip("/"))
    body = voucher_csv(engine, list(DEFAULT_FIELDS), links, campaigns_wanted=[campaign.id])
    return StreamingResponse(body, media_type="text/csv; charset=utf-8", headers={
        "Content-Disposition": f'attachment; filename="cards-{campaign.id}.csv"', "Cache-Control": "no-store"})
