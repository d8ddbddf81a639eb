"""``/v1/exports``: the vouchers as a CSV file to download, with the attributes of Voucherify's voucher export.

``create_export`` records what to export (``exported_object: "voucher"``; ``parameters.fields``, by default
:data:`DEFAULT_FIELDS`, the product docs' list; a campaign by ``parameters.campaign_id`` or
``filters.campaign_id.conditions.$in``/``$is``) and answers ``SCHEDULED``; ``get_export`` answers ``DONE`` with
``result.url``, which carries the export's token and is good for :data:`VALID` (the token alone opens it, as
Voucherify's download links; without a token the route is ``get_export`` and wants the API key).

The file is written **when it is downloaded**, streamed from one read transaction (a consistent picture of the
ledger at that moment, never held whole in memory), so a download a day later shows the balances of that day.
Amounts are minor units, dates ISO-8601 UTC, and every cell a spreadsheet would run as a formula is escaped by
the one rule of every export (``services.exports.spreadsheet_safe``). It is served as ``text/plain`` (the SDK
refuses ``text/csv``). ``qr_code``
is the URL of the voucher's QR image (``assets``).
"""

from __future__ import annotations

import csv
import hmac
import io
import secrets
from collections.abc import Callable, Iterator
from datetime import timedelta
from typing import Annotated, Any

from fastapi import APIRouter, Body, Header, Query, Request
from fastapi.responses import StreamingResponse
from pydantic import Field
from sqlalchemy import Engine, insert, select
from sqlalchemy.engine import RowMapping

from pos_app.domain import errors
from pos_app.domain.cards import CardStatus, GiftCard
from pos_app.server.db.engine import is_postgres, read, write
from pos_app.server.db.models import campaigns, cards, exports
from pos_app.server.ledger import new_id, now
from pos_app.server.rows import card_from_row
from pos_app.server.voucherify import shapes
from pos_app.server.voucherify.assets import AssetLinks, assets_of, secret
from pos_app.server.voucherify.deps import Api, api_call
from pos_app.server.voucherify.fields import Lenient, Name
from pos_app.services.exports import iso_utc, spreadsheet_safe

router = APIRouter(tags=["exports"])
VALID = timedelta(days=7)
ROWS_PER_CHUNK = 1_000

Cell = Callable[[GiftCard, str, AssetLinks], object]  # a card, its campaign's name, the asset links
#: The columns a voucher export may have: the product docs' list first, then a few more the ledger knows.
FIELDS: dict[str, Cell] = {
    "code": lambda c, *_: c.code,
    "voucher_type": lambda c, *_: "GIFT_VOUCHER",
    "value": lambda c, *_: c.loaded,
    "discount_type": lambda c, *_: "",
    "campaign": lambda c, name, _: name,
    "category": lambda c, *_: c.category or "",
    "start_date": lambda c, *_: iso_utc(c.start_date),
    "expiration_date": lambda c, *_: iso_utc(c.expiration_date),
    "gift_balance": lambda c, *_: c.balance,
    "redemption_quantity": lambda c, *_: "" if c.redemption_limit is None else c.redemption_limit,
    "active": lambda c, *_: "true" if c.status not in (CardStatus.DISABLED, CardStatus.FROZEN) else "false",
    "qr_code": lambda c, _, links: assets_of(links, c)["qr"]["url"],
    "id": lambda c, *_: c.id,
    "campaign_id": lambda c, *_: c.campaign_id or "",
    "gift_amount": lambda c, *_: c.loaded,
    "redemption_count": lambda c, *_: c.redemption_count,
    "customer_id": lambda c, *_: c.customer_id or "",
    "created_at": lambda c, *_: iso_utc(c.created_at),
}
DEFAULT_FIELDS = ("code", "voucher_type", "value", "discount_type", "campaign", "category", "start_date",
                  "expiration_date", "gift_balance", "redemption_quantity", "active", "qr_code")


class Parameters(Lenient):
    fields: Annotated[list[Name], Field(max_length=50)] | None = None
    filters: dict[str, Any] | None = None
    campaign_id: Name | None = None
    order: Name | None = None


class ExportBody(Lenient):
    exported_object: Name | None = None
    parameters: Parameters | None = None


def _campaign_filter(parameters: Parameters) -> list[str] | None:
    """The campaigns asked for (ids or names), or None for all."""
    if parameters.campaign_id:
        return [parameters.campaign_id]
    condition = (parameters.filters or {}).get("campaign_id")
    if condition is None:
        return None
    conditions = condition.get("conditions", condition) if isinstance(condition, dict) else None
    if isinstance(conditions, dict):
        value = conditions.get("$in", conditions.get("$is"))
        values = value if isinstance(value, list) else [value]
        if values and all(isinstance(v, str) and 0 < len(v) <= 200 for v in values) and len(values) <= 100:
            return [str(v) for v in values]
    raise errors.InvalidPayload('filters.campaign_id takes {"conditions": {"$in": [ids]}} or {"$is": id}')


@router.post("/exports")
def create_export(call: Api, body: Annotated[ExportBody | None, Body()] = None) -> dict[str, Any]:
    body = body or ExportBody()
    if body.exported_object != "voucher":
        raise errors.InvalidPayload("this server exports vouchers only: exported_object voucher")
    parameters = body.parameters or Parameters()
    fields = list(dict.fromkeys(parameters.fields or DEFAULT_FIELDS))
    unknown = [f for f in fields if f not in FIELDS]
    if unknown:
        raise errors.InvalidPayload(f"fields {', '.join(unknown)[:200]} are not exported; take from "
                                    f"{', '.join(FIELDS)}")
    wanted = _campaign_filter(parameters)
    stored: dict[str, Any] = {"fields": fields}
    if wanted is not None:
        stored["filters"] = {"campaign_id": {"conditions": {"$in": wanted}}}
    at = now()
    row = {"id": new_id("exp"), "key_id": call.key_id, "exported_object": "voucher", "parameters": stored,
           "token": secrets.token_urlsafe(32), "created_at": at, "expires_at": at + VALID}
    write(call.engine, lambda conn: conn.execute(insert(exports).values(**row)))
    return _shape(row, status="SCHEDULED", url=None)


def _shape(row: dict[str, Any] | RowMapping, *, status: str, url: str | None) -> dict[str, Any]:
    return {"id": row["id"], "object": "export", "created_at": shapes.iso(row["created_at"]), "status": status,
            "channel": "API", "result": None if url is None else {"url": url}, "user_id": None,
            "exported_object": row["exported_object"], "parameters": dict(row["parameters"])}


def _export(engine: Engine, export_id: str) -> RowMapping:
    row = read(engine, lambda conn: conn.execute(
        select(exports).where(exports.c.id == export_id[:64])).mappings().first())
    if row is None:
        raise errors.NotFound(f"no export {export_id[:64]!r}")
    return row


@router.get("/exports/{export_id}", response_model=None)
def get_export(export_id: str, request: Request, token: Annotated[str | None, Query(max_length=100)] = None,
               x_app_id: Annotated[str | None, Header(max_length=200)] = None,
               x_app_token: Annotated[str | None, Header(max_length=200)] = None
               ) -> dict[str, Any] | StreamingResponse:
    """Without ``token``: the export (the API key is needed). With it: the file (``download_export``)."""
    if token is None:
        call = api_call(request, x_app_id, x_app_token)
        row = _export(call.engine, export_id)
        return _shape(row, status="DONE", url=f"{call.base_url}/v1/exports/{row['id']}?token={row['token']}")
    engine: Engine = request.app.state.engine
    row = _export(engine, export_id)
    if not hmac.compare_digest(row["token"].encode(), token.encode()):
        raise errors.NotFound(f"no export {export_id[:64]!r} with this token")
    if row["expires_at"] <= now():
        raise errors.NotFound("this export's download link has expired; create the export again")
    links = AssetLinks(secret(engine), str(request.base_url).rstrip("/"))
    return StreamingResponse(_csv(engine, row, links), media_type="text/plain; charset=utf-8",
                             headers={"Content-Disposition": f'attachment; filename="{row["id"]}.csv"'})


def _csv(engine: Engine, row: RowMapping, links: AssetLinks) -> Iterator[bytes]:
    parameters = dict(row["parameters"])
    wanted = (parameters.get("filters") or {}).get("campaign_id", {}).get("conditions", {}).get("$in")
    return voucher_csv(engine, parameters["fields"], links, campaigns_wanted=wanted)


def voucher_csv(engine: Engine, fields: list[str], links: AssetLinks, *,
                campaigns_wanted: list[str] | None = None) -> Iterator[bytes]:
    """The vouchers as CSV with the columns ``fields`` (of :data:`FIELDS`), those of the campaigns
    ``campaigns_wanted`` (ids or names; None: all), a thousand lines at a time, from one read transaction (the
    API's export and the console's campaign export)."""
    columns = [FIELDS[f] for f in fields]
    stmt = (select(cards, campaigns.c.name.label("campaign_name"))
            .outerjoin(campaigns, campaigns.c.id == cards.c.campaign_id).order_by(cards.c.created_at, cards.c.id))
    if campaigns_wanted is not None:
        stmt = stmt.where((campaigns.c.id.in_(campaigns_wanted)) | (campaigns.c.name.in_(campaigns_wanted)))
    buffer = io.StringIO()
    out = csv.writer(buffer, lineterminator="\n")
    out.writerow(fields)
    with engine.connect() as conn:
        if not is_postgres(conn):
            conn.execution_options(read_only=True)  # a snapshot that takes no write lock (db.engine.read)
        conn.begin()
        result = conn.execution_options(yield_per=ROWS_PER_CHUNK).execute(stmt).mappings()
        for n, r in enumerate(result, start=1):
            card, name = card_from_row(r), r["campaign_name"] or ""
            out.writerow(spreadsheet_safe([cell(card, name, links) for cell in columns]))
            if n % ROWS_PER_CHUNK == 0:
                yield buffer.getvalue().encode()
                buffer.seek(0)
                buffer.truncate()
    yield buffer.getvalue().encode()
