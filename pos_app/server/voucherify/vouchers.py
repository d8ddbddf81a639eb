"""``/v1/vouchers``: a gift card looked up by its code (exactly as given: codes are case-sensitive here) and made
with a code of the client's choosing.

A look-up of a code that matches no card is recorded against the key and rate-limited (429), as a till's is
(``server.lookups``): codes are bearer money. A voucher made here is an import of one card (``server.imports``:
the till's import rules), sold at once with its value as Voucherify's are, on the ledger every till pulls.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Body
from sqlalchemy import Connection, select
from sqlalchemy.exc import IntegrityError

from pos_app.domain import errors
from pos_app.domain.cards import CardStatus, GiftCard
from pos_app.domain.codes import mask
from pos_app.server import lookups
from pos_app.server.db.engine import read, write
from pos_app.server.db.models import campaigns, cards
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


def _code(text: str) -> str:
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
    row = conn.execute(select(cards, campaigns.c.name.label("campaign_name"))
                       .outerjoin(campaigns, campaigns.c.id == cards.c.campaign_id)
                       .where(cards.c.code == code)).mappings().first()
    if row is None:
        lookups.record(conn, call.key_id, code, at, channel="api")
        raise errors.NotFound(f"no voucher with code {mask(code)}")
    return card_from_row(row), row["campaign_name"]


def answer(call: ApiCall, code: str) -> dict[str, Any]:
    """The voucher as it is now (after a change: read in a fresh transaction)."""
    card, campaign = read(call.engine, lambda conn: _known(conn, code))
    return shapes.voucher(card, campaign=campaign, base_url=call.base_url, assets=assets_of(call, card))


def _known(conn: Connection, code: str) -> tuple[GiftCard, str | None]:
    row = conn.execute(select(cards, campaigns.c.name.label("campaign_name"))
                       .outerjoin(campaigns, campaigns.c.id == cards.c.campaign_id)
                       .where(cards.c.code == code)).mappings().first()
    if row is None:
        raise errors.NotFound(f"no voucher with code {mask(code)}")
    return card_from_row(row), row["campaign_name"]


@router.get("/vouchers/{code}")
def get_voucher(code: str, call: Api) -> dict[str, Any]:
    card, campaign = _found_or_recorded(call, _code(code))
    return shapes.voucher(card, campaign=campaign, base_url=call.base_url, assets=assets_of(call, card))


def _found_or_recorded(call: ApiCall, code: str) -> tuple[GiftCard, str | None]:
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
    code = _code(code)
    body = body or VoucherBody()
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
