"""``/v1/vouchers``: a gift card looked up by its code (exactly as given: codes are case-sensitive here) and made
with a code of the client's choosing.

A look-up of a code that matches no card is recorded against the key and rate-limited (429), as a till's is
(``server.lookups``): codes are bearer money. A voucher made here is an import of one card (``server.imports``:
the till's import rules), sold at once with its value as Voucherify's are, on the ledger every till pulls.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Body, Query
from sqlalchemy import ColumnElement, Connection, Select, func, select
from sqlalchemy.exc import IntegrityError

from pos_app.domain import errors
from pos_app.domain.cards import CardStatus, GiftCard
from pos_app.domain.codes import CodeConfig, generate_code, mask
from pos_app.server import lookups
from pos_app.server.db.engine import read, write
from pos_app.server.db.models import campaigns, cards, deleted_vouchers
from pos_app.server.imports import import_rows
from pos_app.server.ledger import now, store_info, store_zone
from pos_app.server.rows import card_from_row
from pos_app.server.voucherify import shapes
from pos_app.server.voucherify.assets import assets_of
from pos_app.server.voucherify.deps import Api, ApiCall
from pos_app.server.voucherify.fields import (
    Amount,
    DateText,
    Lenient,
    Metadata,
    Name,
    Quantity,
    Text,
    when,
    within_currency,
)
from pos_app.server.voucherify.paths import code_of
from pos_app.services.imports import ImportRow

router = APIRouter(tags=["vouchers"])
MAX_CODE = 100


class Gift(Lenient):
    amount: Amount = 0
    effect: str | None = None


class Redemption(Lenient):
    quantity: Quantity | None = None


def path_code(text: str) -> str:
    """The code of a path parameter, checked."""
    code = code_of(text)
    if not code or len(code) > MAX_CODE or not code.isprintable():
        raise errors.InvalidPayload(f"a code has 1 to {MAX_CODE} printable characters")
    return code


def find(conn: Connection, call: ApiCall, code: str) -> tuple[GiftCard, str | None]:
    """The card with exactly this code and its campaign's name; a miss is recorded against the key (its write
    needs a write transaction: the caller's ``conn``)."""
    at = now()
    lookups.check(conn, call.key_id, at)
    row = conn.execute(visible(cards.c.code == code)).mappings().first()
    if row is None:
        lookups.record(conn, call.key_id, code, at, channel="api")
        raise errors.NotFound(f"no voucher with code {mask(code)}")
    return card_from_row(row), row["campaign_name"]


def answer(call: ApiCall, code: str) -> dict[str, Any]:
    """The voucher as it is now (after a change: read in a fresh transaction)."""
    card, campaign = read(call.engine, lambda conn: _known(conn, code))
    return shapes.voucher(card, campaign=campaign, base_url=call.base_url, assets=assets_of(call, card))


def visible(*where: ColumnElement[bool]) -> Select[Any]:
    """Cards with their campaign's name (``campaign_name``), but those deleted through the API
    (``voucher_changes.delete_voucher``: kept with their ledger, hidden here)."""
    return (select(cards, campaigns.c.name.label("campaign_name"))
            .outerjoin(campaigns, campaigns.c.id == cards.c.campaign_id)
            .where(*where, cards.c.id.not_in(select(deleted_vouchers.c.card_id))))


def _known(conn: Connection, code: str) -> tuple[GiftCard, str | None]:
    row = conn.execute(visible(cards.c.code == code)).mappings().first()
    if row is None:
        raise errors.NotFound(f"no voucher with code {mask(code)}")
    return card_from_row(row), row["campaign_name"]


@router.get("/vouchers/{code}")
def get_voucher(code: str, call: Api) -> dict[str, Any]:
    card, campaign = found_or_recorded(call, path_code(code))
    return shapes.voucher(card, campaign=campaign, base_url=call.base_url, assets=assets_of(call, card))


def found_or_recorded(call: ApiCall, code: str) -> tuple[GiftCard, str | None]:
    """``find`` in a write transaction whose record of a miss commits although the miss is refused."""
    missed: list[errors.GiftCardError] = []

    def work(conn: Connection) -> tuple[GiftCard, str | None] | None:
        try:
            return find(conn, call, code)
        except errors.NotFound as exc:
            missed.append(exc)
            return None

    found = write(call.engine, work)
    if found is None:
        raise missed[0]
    return found


class VoucherBody(Lenient):
    """``create_voucher``'s body: a gift voucher (``type`` other than GIFT_VOUCHER is refused)."""

    type: Name | None = None
    category: Name | None = None
    campaign: Name | None = None
    gift: Gift | None = None
    start_date: DateText | None = None
    expiration_date: DateText | None = None
    metadata: Metadata | None = None
    redemption: Redemption | None = None
    active: bool | None = None
    additional_info: Text | None = None


@router.post("/vouchers/{code}")
def create_voucher(code: str, call: Api, body: Annotated[VoucherBody | None, Body()] = None) -> dict[str, Any]:
    """A gift card with exactly this code, its value loaded and active (``active: false``: made disabled)."""
    return _make(call, path_code(code), body or VoucherBody())


def _make(call: ApiCall, code: str, body: VoucherBody) -> dict[str, Any]:
    if body.type not in (None, "GIFT_VOUCHER"):
        raise errors.InvalidPayload("this server keeps gift vouchers only: type GIFT_VOUCHER")
    store = read(call.engine, store_info)
    zone = store_zone(store)
    value = within_currency(body.gift.amount if body.gift else 0, store.currency, "gift.amount")
    if value < 0:
        raise errors.InvalidAmount("gift.amount cannot be negative")
    row = ImportRow(
        where="body", code=code, value=value, balance=value,
        status=CardStatus.DISABLED if body.active is False else CardStatus.ACTIVE,
        campaign=body.campaign, category=body.category,
        start_date=when(body.start_date, zone), expiration_date=when(body.expiration_date, zone, end_of_day=True),
        redemption_limit=body.redemption.quantity if body.redemption else None, metadata=body.metadata or {},
    )
    try:
        import_rows(call.engine, [row], at=now())
    except errors.ImportFailed as exc:
        if "duplicate_found" in str(exc.details):
            raise errors.DuplicateFound(f"a voucher with code {mask(code)} exists already") from None
        raise errors.InvalidPayload(str(exc.details).split(": ", 2)[-1]) from None
    except IntegrityError:  # made at the same instant by another request
        raise errors.DuplicateFound(f"a voucher with code {mask(code)} exists already") from None
    return answer(call, code)


class CodeConfigBody(Lenient):
    length: Quantity | None = None
    charset: Name | None = None
    prefix: Name = ""
    postfix: Name = ""
    pattern: Name | None = None


class GenerateBody(VoucherBody):
    """``generate_random_code``'s body: a voucher with ``code`` given, or one made by ``code_config`` (none: the
    readable default of DESIGN.md §4)."""

    code: Text | None = None
    code_config: CodeConfigBody | None = None


#: How often a generated code that exists already is made again before giving up (with 60 random bits and more,
#: never in practice; a short ``code_config`` may run out).
ATTEMPTS = 5


@router.post("/vouchers")
def generate_random_code(call: Api, body: Annotated[GenerateBody | None, Body()] = None) -> dict[str, Any]:
    body = body or GenerateBody()
    if body.code is not None:
        return _make(call, path_code(body.code), body)
    cc = body.code_config
    config = CodeConfig.readable_default() if cc is None else CodeConfig.from_options(
        pattern=cc.pattern, charset=cc.charset, prefix=cc.prefix, postfix=cc.postfix, length=cc.length)
    config = config.validate()
    for _ in range(ATTEMPTS - 1):
        try:
            return _make(call, generate_code(config), body)
        except errors.DuplicateFound:
            continue
    return _make(call, generate_code(config), body)


Order = Literal["created_at", "-created_at", "code", "-code"]
_ORDER = {"created_at": cards.c.created_at, "code": cards.c.code}


@router.get("/vouchers")
def list_vouchers(call: Api, limit: Annotated[int, Query(ge=1, le=100)] = 10,
                  page: Annotated[int, Query(ge=1, le=100_000)] = 1,
                  campaign_id: Annotated[str | None, Query(max_length=64)] = None,
                  campaign: Annotated[str | None, Query(max_length=200)] = None,
                  category: Annotated[str | None, Query(max_length=200)] = None,
                  order: Order = "-created_at") -> dict[str, Any]:
    """A page of the vouchers (not those deleted), newest first unless ``order`` says otherwise, with ``total``:
    how many match."""
    where = [c for c in (
        None if campaign_id is None else cards.c.campaign_id == campaign_id,
        None if campaign is None else campaigns.c.name == campaign,
        None if category is None else cards.c.category == category,
    ) if c is not None]
    column = _ORDER[order.lstrip("-")]
    ordered = (column.desc(), cards.c.id.desc()) if order.startswith("-") else (column.asc(), cards.c.id.asc())

    def work(conn: Connection) -> tuple[list[tuple[GiftCard, str | None]], int]:
        listed = visible(*where)
        total = conn.execute(select(func.count()).select_from(listed.subquery())).scalar_one()
        rows = conn.execute(listed.order_by(*ordered).limit(limit).offset((page - 1) * limit)).mappings()
        return [(card_from_row(r), r["campaign_name"]) for r in rows], int(total)

    found, total = read(call.engine, work)
    return shapes.listing([shapes.voucher(card, campaign=name, base_url=call.base_url) for card, name in found],
                          data_ref="vouchers", total=total)
