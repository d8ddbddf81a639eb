"""A voucher's ``assets``: its QR code and barcode fetched over HTTP at the URLs the SDK reads, and decoded back to
the exact code by the till's own decoder chain (what ``pos-app decode`` runs: ``scanning.frames.load_gray`` and
``scanning.chain.default_chain``), PNG and SVG, at the smallest and the largest ``size``."""

from __future__ import annotations

import base64
import os
from pathlib import Path

import httpx
import numpy as np
import pytest
import voucherify
from fastapi.testclient import TestClient
from sqlalchemy import create_engine, select

from pos_app.scanning.chain import default_chain
from pos_app.scanning.frames import load_gray, to_gray
from pos_app.scanning.results import Symbology
from pos_app.server.app import create_app
from pos_app.server.db.models import changes, settings
from pos_app.server.voucherify.assets import SECRET_KEY
from tests.server.api.conftest import ApiServer, new_code
from tests.server.harness import pos_server

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

CHAIN = default_chain()


def _voucher(api: ApiServer, code: str) -> voucherify.VouchersGetResponseBody:
    api.vouchers.create_voucher(code, voucherify.VouchersCreateWithSpecificCodeRequestBody(
        type="GIFT_VOUCHER", gift=voucherify.Gift(amount=2500, effect="APPLY_TO_ORDER")))
    return api.vouchers.get_voucher(code)


def _fetch(url: str, **params: object) -> httpx.Response:
    """An asset as an e-mail client fetches it: no API key."""
    return httpx.get(url, params=params, timeout=30)


def _decoded_png(body: bytes, tmp_path: Path) -> list[tuple[Symbology, str]]:
    image = tmp_path / "asset.png"
    image.write_bytes(body)
    return [(read.symbology, read.text) for read in CHAIN.decode(load_gray(image), still=True)]


def _decoded_svg(body: bytes) -> list[tuple[Symbology, str]]:
    """The SVG rasterised by Qt's own SVG renderer onto white, then decoded."""
    from PySide6.QtCore import QByteArray
    from PySide6.QtGui import QColor, QImage, QPainter
    from PySide6.QtSvg import QSvgRenderer

    renderer = QSvgRenderer(QByteArray(body))
    assert renderer.isValid()
    size = renderer.defaultSize()
    image = QImage(size, QImage.Format.Format_Grayscale8)
    image.fill(QColor("white"))
    painter = QPainter(image)
    renderer.render(painter)
    painter.end()
    pixels = np.frombuffer(image.constBits(), dtype=np.uint8).reshape(image.height(), image.bytesPerLine())
    gray = to_gray(np.ascontiguousarray(pixels[:, :image.width()]))
    return [(read.symbology, read.text) for read in CHAIN.decode(gray, still=True)]


@pytest.mark.parametrize("prefix", ["GC", "Gc/01 aB", "shop 7/Winter-SALE"])
def test_the_qr_and_the_barcode_of_a_voucher_decode_back_to_its_exact_code(
        api: ApiServer, prefix: str, tmp_path: Path) -> None:
    code = new_code(prefix)
    assets = _voucher(api, code).assets
    assert assets.qr.url.startswith(f"{api.url}/v1/assets/qr/") and assets.barcode.url.startswith(api.url)
    assert code not in assets.qr.url and code not in assets.barcode.url  # the URL does not carry the code
    for url, symbology in ((assets.qr.url, Symbology.QR_CODE), (assets.barcode.url, Symbology.CODE_128)):
        got = _fetch(url)
        assert got.status_code == 200 and got.headers["content-type"] == "image/png"
        assert "max-age" in got.headers["cache-control"] and got.headers["x-content-type-options"] == "nosniff"
        assert _decoded_png(got.content, tmp_path) == [(symbology, code)]


def test_the_svg_qr_and_barcode_rasterised_by_qt_decode_to_the_code(api: ApiServer, qapp: object) -> None:
    code = new_code("Gc/01 aB")
    assets = _voucher(api, code).assets
    for url, symbology in ((assets.qr.url, Symbology.QR_CODE), (assets.barcode.url, Symbology.CODE_128)):
        got = _fetch(url, format="svg", size=3)
        assert got.status_code == 200 and got.headers["content-type"] == "image/svg+xml"
        assert got.headers["content-security-policy"] == "default-src 'none'"
        assert _decoded_svg(got.content) == [(symbology, code)]


@pytest.mark.parametrize("size", [1, 100])
def test_the_smallest_and_the_largest_size_decode(api: ApiServer, size: int, tmp_path: Path) -> None:
    code = new_code()
    assets = _voucher(api, code).assets
    qr = _fetch(assets.qr.url, size=size)
    barcode = _fetch(assets.barcode.url, size=size, format="png")
    assert _decoded_png(qr.content, tmp_path) == [(Symbology.QR_CODE, code)]
    assert _decoded_png(barcode.content, tmp_path) == [(Symbology.CODE_128, code)]


def test_size_is_pixels_per_module(api: ApiServer, tmp_path: Path) -> None:
    assets = _voucher(api, new_code()).assets
    sides = [load_gray(_saved(_fetch(assets.qr.url, size=s).content, tmp_path)).shape for s in (1, 2, 30)]
    assert sides[1] == (2 * sides[0][0], 2 * sides[0][1]) and sides[2] == (30 * sides[0][0], 30 * sides[0][1])


def _saved(body: bytes, tmp_path: Path) -> Path:
    path = tmp_path / "image.png"
    path.write_bytes(body)
    return path


def test_a_size_or_format_out_of_range_is_invalid_query_params(api: ApiServer) -> None:
    assets = _voucher(api, new_code()).assets
    for query in ({"size": 0}, {"size": 101}, {"size": -1}, {"size": "1.5"}, {"size": "ten"}, {"size": ""},
                  {"size": "１"}, {"size": "1000"}, {"format": "gif"}, {"format": "SVG "}):
        for url in (assets.qr.url, assets.barcode.url):
            got = _fetch(url, **query)
            assert got.status_code == 400 and got.headers["content-type"] == "application/json", query
            assert got.json()["key"] == "invalid_query_params", query


NUL_ID, NOT_UTF8_ID = b"card_0\x00", b"card_\xff"


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _flip(token: str, at: int) -> str:
    return token[:at] + ("A" if token[at] != "A" else "B") + token[at + 1:]


def test_a_tampered_or_borrowed_token_is_not_found_and_says_nothing_about_the_card(api: ApiServer) -> None:
    code, other = new_code(), new_code()
    assets, others = _voucher(api, code).assets, _voucher(api, other).assets
    card_id, mac = assets.qr.id.split(".")
    forged = {
        "mac changed": f"{api.url}/v1/assets/qr/{card_id}.{_flip(mac, 3)}",
        "mac cut short": f"{api.url}/v1/assets/qr/{card_id}.{mac[:-2]}",
        "the barcode's token on the QR": f"{api.url}/v1/assets/qr/{assets.barcode.id}",
        "the QR's token on the barcode": f"{api.url}/v1/assets/barcode/{assets.qr.id}",
        "another card's mac": f"{api.url}/v1/assets/qr/{card_id}.{others.qr.id.split('.')[1]}",
        "a card that is not there": f"{api.url}/v1/assets/qr/{_b64(b'card_0000000000000000000000000000')}.{mac}",
        "not base64": f"{api.url}/v1/assets/qr/%FF%FE.{mac}",
        "a NUL in the card id": f"{api.url}/v1/assets/qr/{_b64(NUL_ID)}.{mac}",
        "not UTF-8": f"{api.url}/v1/assets/qr/{_b64(NOT_UTF8_ID)}.{mac}",
        "no mac": f"{api.url}/v1/assets/qr/{card_id}",
        "a character more in the mac": f"{api.url}/v1/assets/qr/{card_id}.{mac[:5]}!{mac[5:]}",
        "far too long": f"{api.url}/v1/assets/qr/{'A' * 5000}.{mac}",
    }
    answers = {}
    for what, url in forged.items():
        got = _fetch(url)
        assert got.status_code == 404 and got.json()["key"] == "not_found", what
        answers[what] = {k: v for k, v in got.json().items() if k != "request_id"}
    # the same answer whether the token names a card that exists or one that does not: no oracle
    assert answers["mac changed"] == answers["a card that is not there"] == answers["not base64"]
    assert code not in str(answers) and card_id not in str(answers)
    assert _fetch(assets.qr.url).status_code == 200  # the real one still works


def test_an_asset_needs_no_api_key_and_ignores_a_wrong_one(api: ApiServer) -> None:
    assets = _voucher(api, new_code()).assets
    got = httpx.get(assets.qr.url, headers={"X-App-Id": "app_nobody", "X-App-Token": "wrong"}, timeout=30)
    assert got.status_code == 200 and got.headers["content-type"] == "image/png"


def test_the_urls_stay_the_same_and_keep_working_after_the_card_is_disabled(api: ApiServer, tmp_path: Path) -> None:
    """Decided: the image only shows the code, and an e-mail already sent keeps its picture; the disabled card is
    refused where it is used."""
    code = new_code()
    before = _voucher(api, code).assets
    pos_server(api.db_url, "card", "disable", code)
    after = api.vouchers.get_voucher(code)
    assert after.active is False and after.assets == before
    assert _decoded_png(_fetch(before.qr.url).content, tmp_path) == [(Symbology.QR_CODE, code)]
    assert _fetch(before.barcode.url).status_code == 200


def test_the_urls_survive_a_restart_of_the_server_and_the_secret_stays_there(api: ApiServer) -> None:
    """The secret is in the database, not in the process: another server on the same database answers the URLs.
    It is not in the change log, so no till ever pulls it."""
    assets = _voucher(api, new_code()).assets
    with TestClient(create_app(api.db_url)) as another:
        for url in (assets.qr.url, assets.barcode.url):
            assert another.get(url.removeprefix(api.url)).status_code == 200
    engine = create_engine(api.db_url)
    try:
        with engine.connect() as conn:
            assert conn.execute(select(settings.c.key).where(settings.c.key == SECRET_KEY)).scalar_one()
            assert conn.execute(select(changes).where(changes.c.ref_id == SECRET_KEY)).first() is None
    finally:
        engine.dispose()


def test_a_code_a_barcode_cannot_carry_has_a_qr_only(api: ApiServer, tmp_path: Path) -> None:
    code = new_code("Grüße/ä")
    assets = _voucher(api, code).assets
    assert assets.barcode is None
    assert _decoded_png(_fetch(assets.qr.url).content, tmp_path) == [(Symbology.QR_CODE, code)]
    card_id, _ = assets.qr.id.split(".")
    assert _fetch(f"{api.url}/v1/assets/barcode/{card_id}.AAAAAAAAAAAAAAAAAAAAAA").status_code == 404
