"""``/v1/assets``: a voucher's QR code and barcode as images, at the URLs its ``assets`` give (Voucherify's
``assets.qr.url`` and ``assets.barcode.url``).

``GET /v1/assets/qr/{token}`` and ``GET /v1/assets/barcode/{token}`` take Voucherify's query parameters:
``size`` 1–100 (pixels per module, :mod:`pos_app.printing.symbol_images`; default 4) and ``format`` ``png``
(default) or ``svg``. The QR and the Code128 are the card sheet's own symbols, so the till's scanner reads them.

**No API key.** The URLs go into e-mails and web pages, as Voucherify's do, so an asset URL works on its own. It
is unguessable instead: its token is the card's id and an HMAC-SHA256 (128 bits) of the kind, the card's id and
its code, under a secret of this server (setting ``asset_secret``, made on first use, never in the change log:
tills do not get it). A token that does not verify is 404 ``not_found`` whether or not the card exists, after
the same work (a look-up by id and a constant-time comparison), so a forged token says nothing about any card;
the URL holds no code, so neither do the access logs.

**Decided here:** the image stays available while the card exists, disabled or expired (it only shows the code;
a card refuses at the till for itself, and an e-mail already sent keeps its picture). A deleted card's URLs are
404. A code with characters a Code128 cannot carry (not ASCII) has ``assets.barcode: null`` and its barcode URL
is 404; its QR works. Answers may be cached for a day (``Cache-Control: public, max-age=86400``): the image of a
token never changes.
"""

from __future__ import annotations

import base64
import binascii
import contextlib
import hashlib
import hmac
import secrets
import weakref
from dataclasses import dataclass
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Path, Query, Request, Response
from sqlalchemy import Connection, Engine, insert, select
from sqlalchemy.exc import IntegrityError

from pos_app.domain import errors
from pos_app.domain.cards import GiftCard
from pos_app.printing.symbol_images import (
    DEFAULT_SIZE,
    MAX_SIDE_PX,
    MAX_SIZE,
    code128_can_carry,
    code128_image,
    qr_image,
)
from pos_app.server.db.engine import read, write
from pos_app.server.db.models import cards, settings
from pos_app.server.voucherify.deps import ApiCall

router = APIRouter(tags=["assets"])

SECRET_KEY = "asset_secret"
Kind = Literal["qr", "barcode"]
KINDS: tuple[Kind, ...] = ("qr", "barcode")
MAC_BYTES = 16
MAX_TOKEN = 200
MAX_CARD_ID = 64  # cards.id
CACHE_CONTROL = "public, max-age=86400"
_secrets: weakref.WeakKeyDictionary[Engine, bytes] = weakref.WeakKeyDictionary()


# ---- the secret and the tokens --------------------------------------------------------------------------------

def secret(engine: Engine) -> bytes:
    """This server's asset secret, made on first use (by whichever request comes first: a race is settled by the
    primary key, the loser reads the winner's)."""
    known = _secrets.get(engine)
    if known is None:
        known = read(engine, _stored)
        if known is None:
            with contextlib.suppress(IntegrityError):  # made at the same instant by another request
                write(engine, _make)
            known = read(engine, _stored)
            assert known is not None, "the asset secret was just written"
        _secrets[engine] = known
    return known


def _stored(conn: Connection) -> bytes | None:
    value = conn.execute(select(settings.c.value).where(settings.c.key == SECRET_KEY)).scalar_one_or_none()
    return None if value is None else base64.b64decode(value["key"])


def _make(conn: Connection) -> None:
    conn.execute(insert(settings).values(key=SECRET_KEY, value={"key": base64.b64encode(secrets.token_bytes(32))
                                                                .decode()}))


def _mac(key: bytes, kind: Kind, card_id: str, code: str) -> bytes:
    message = "\0".join((kind, card_id, code)).encode()
    return hmac.new(key, message, hashlib.sha256).digest()[:MAC_BYTES]


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _unb64(text: str) -> bytes:
    """Strict: the decoder would skip characters outside the alphabet, so one text only, the one we write."""
    data = base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
    if _b64(data) != text:
        raise ValueError("not canonical base64url")
    return data


def asset_token(key: bytes, kind: Kind, card: GiftCard) -> str:
    """``<card id>.<mac>``, both base64url: tied to this card's code and to the kind of image."""
    return f"{_b64(card.id.encode())}.{_b64(_mac(key, kind, card.id, card.code))}"


@dataclass(frozen=True, slots=True)
class AssetLinks:
    """What the URLs of many vouchers need, read once: the secret and the server's address."""

    key: bytes
    base_url: str

    @classmethod
    def of(cls, call: ApiCall) -> AssetLinks:
        return cls(secret(call.engine), call.base_url)

    def url(self, kind: Kind, tok: str) -> str:
        return f"{self.base_url}/v1/assets/{kind}/{tok}"


def assets_of(call_or_links: ApiCall | AssetLinks, card: GiftCard) -> dict[str, Any]:
    """A voucher's ``assets``: ``{"qr": {"id", "url"}, "barcode": {"id", "url"} | None}`` (None: the code cannot
    be a Code128). For many vouchers, pass ``AssetLinks.of(call)`` made once."""
    links = call_or_links if isinstance(call_or_links, AssetLinks) else AssetLinks.of(call_or_links)
    out: dict[str, Any] = {}
    for kind in KINDS:
        if kind == "barcode" and not code128_can_carry(card.code):
            out[kind] = None
            continue
        tok = asset_token(links.key, kind, card)
        out[kind] = {"id": tok, "url": links.url(kind, tok)}
    return out


def code_of_token(engine: Engine, kind: Kind, tok: str) -> str:
    """The code whose ``kind`` image ``tok`` stands for; 404 ``not_found`` for any token that does not verify."""
    card_id, given = _parts(tok)
    found = None if card_id is None else read(engine, lambda conn: _code_by_id(conn, card_id))
    expected = _mac(secret(engine), kind, card_id or "", found or "")  # the same work for a card that is not there
    if found is None or not hmac.compare_digest(expected, given):
        raise errors.NotFound(f"no {kind} image at this address")
    return found


def _code_by_id(conn: Connection, card_id: str) -> str | None:
    code: str | None = conn.execute(select(cards.c.code).where(cards.c.id == card_id)).scalar_one_or_none()
    return code


def _parts(tok: str) -> tuple[str | None, bytes]:
    if len(tok) > MAX_TOKEN or tok.count(".") != 1:
        return None, b""
    head, tail = tok.split(".")
    try:
        card_id, mac = _unb64(head).decode(), _unb64(tail)
    except (binascii.Error, ValueError):  # not base64, or not UTF-8 (UnicodeDecodeError is a ValueError)
        return None, b""
    if not card_id.isprintable() or len(card_id) > MAX_CARD_ID:  # PostgreSQL refuses a NUL in a query's text
        return None, b""
    return card_id, mac


# ---- the routes -----------------------------------------------------------------------------------------------

SizeParam = Annotated[int | None, Query(
    ge=1, le=MAX_SIZE,
    description=f"Pixels per module, 1 to {MAX_SIZE} (default {DEFAULT_SIZE}); lowered where the image would pass "
                f"{MAX_SIDE_PX:,} px. Out of range: 400 `invalid_query_params`.")]
FormatParam = Annotated[Literal["png", "svg"] | None, Query(alias="format", description="`png` (default) or `svg`.")]
TokenParam = Annotated[str, Path(description="The token of the voucher's `assets.qr.id` / `assets.barcode.id`.")]


def _image(request: Request, kind: Kind, tok: str, size: int | None, fmt: str | None) -> Response:
    pixels, svg = DEFAULT_SIZE if size is None else size, fmt == "svg"
    code = code_of_token(request.app.state.engine, kind, tok)
    if kind == "qr":
        image = qr_image(code, size=pixels, svg=svg)
    elif code128_can_carry(code):
        image = code128_image(code, size=pixels, svg=svg)
    else:
        raise errors.NotFound("this code has characters a Code128 cannot carry: no barcode (its QR works)")
    headers = {"Cache-Control": CACHE_CONTROL, "X-Content-Type-Options": "nosniff"}
    if svg:
        headers["Content-Security-Policy"] = "default-src 'none'"
    return Response(image.body, media_type=image.media_type, headers=headers)


_IMAGES: dict[int | str, dict[str, Any]] = {200: {"content": {"image/png": {}, "image/svg+xml": {}},
                                                  "description": "The image."}}


@router.get("/assets/qr/{token}", response_class=Response, responses=_IMAGES)
def qr_asset(request: Request, token: TokenParam, size: SizeParam = None, fmt: FormatParam = None) -> Response:
    """A voucher's QR code (PNG or SVG). No API key: the token is the credential."""
    return _image(request, "qr", token, size, fmt)


@router.get("/assets/barcode/{token}", response_class=Response, responses=_IMAGES)
def barcode_asset(request: Request, token: TokenParam, size: SizeParam = None,
                  fmt: FormatParam = None) -> Response:
    """A voucher's Code128 barcode (PNG or SVG). No API key: the token is the credential."""
    return _image(request, "barcode", token, size, fmt)
