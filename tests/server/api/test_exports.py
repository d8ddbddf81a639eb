"""``/v1/exports`` through the official SDK: a voucher export with the product docs' attributes, downloaded with its
token as text, balances as the ledger has them, formula-like cells escaped, filtered by campaign."""

from __future__ import annotations

import csv
import io
import json
import time

import httpx
import pytest
import voucherify
from voucherify.exceptions import ApiException, BadRequestException, NotFoundException

from tests.server.api.conftest import ApiServer, new_code

PRODUCT_FIELDS = ["code", "voucher_type", "value", "discount_type", "campaign", "category", "start_date",
                  "expiration_date", "gift_balance", "redemption_quantity", "active", "qr_code"]


def _exports(api: ApiServer) -> voucherify.ExportsApi:
    return voucherify.ExportsApi(api.client())


def _download(api: ApiServer, body: voucherify.ExportsCreateRequestBody) -> list[dict[str, str]]:
    made = _exports(api).create_export(body)
    assert made.status == "SCHEDULED" and made.exported_object == "voucher"
    got = _exports(api).get_export(made.id)
    assert got.status == "DONE" and got.result.url
    token = httpx.URL(got.result.url).params["token"]
    text = _exports(api).download_export(made.id, token=token)
    return list(csv.DictReader(io.StringIO(text)))


def _gift(amount: int, **fields: object) -> voucherify.VouchersCreateWithSpecificCodeRequestBody:
    return voucherify.VouchersCreateWithSpecificCodeRequestBody(
        type="GIFT_VOUCHER", gift=voucherify.Gift(amount=amount, effect="APPLY_TO_ORDER"), **fields)


def test_a_voucher_export_has_the_product_attributes_and_the_ledgers_balances(api: ApiServer) -> None:
    code, formula = new_code(), "=HYPERLINK(\"x\")" + new_code()
    api.vouchers.create_voucher(code, _gift(4200, category="exp", expiration_date="2031-06-30"))
    api.vouchers.create_voucher(formula, _gift(100, category="=cmd|' /C calc'!A0"))
    rows = _download(api, voucherify.ExportsCreateRequestBody(exported_object="voucher"))
    assert list(rows[0]) == PRODUCT_FIELDS
    mine = next(r for r in rows if r["code"] == code)
    assert mine["voucher_type"] == "GIFT_VOUCHER" and mine["value"] == "4200" and mine["gift_balance"] == "4200"
    assert mine["category"] == "exp" and mine["active"] == "true" and mine["expiration_date"].startswith("203")
    assert mine["qr_code"] == api.vouchers.get_voucher(code).assets.qr.url  # the voucher's own QR image
    assert httpx.get(mine["qr_code"], timeout=10).headers["content-type"] == "image/png"
    escaped = next(r for r in rows if r["code"].endswith(formula[1:]))
    assert escaped["code"] == "'" + formula and escaped["category"].startswith("'=")


def test_an_export_filtered_by_campaign_with_chosen_fields(api: ApiServer) -> None:
    name = f"exp {time.time_ns()}"
    campaign = voucherify.CampaignsApi(api.client()).create_campaign(voucherify.CampaignsCreateRequestBody(
        name=name, campaign_type="GIFT_VOUCHERS", vouchers_count=4,
        voucher=voucherify.CampaignsCreateRequestBodyVoucher(type="GIFT_VOUCHER",
                                                             gift=voucherify.Gift(amount=900))))
    api.vouchers.create_voucher(new_code(), _gift(100))  # another card, not of the campaign
    rows = _download(api, voucherify.ExportsCreateRequestBody(
        exported_object="voucher", parameters=voucherify.ExportsCreateRequestBodyParameters(
            fields=["code", "campaign", "gift_balance", "campaign_id"],
            filters={"campaign_id": {"conditions": {"$in": [campaign.id]}}})))
    assert len(rows) == 4 and {(r["campaign"], r["gift_balance"], r["campaign_id"]) for r in rows} == {
        (name, "900", campaign.id)}


def test_a_wrong_or_missing_token_downloads_nothing(api: ApiServer) -> None:
    made = _exports(api).create_export(voucherify.ExportsCreateRequestBody(exported_object="voucher"))
    with pytest.raises(NotFoundException):
        _exports(api).download_export(made.id, token="not-the-token")
    answer = httpx.get(f"{api.url}/v1/exports/{made.id}", timeout=30)  # no token, no key
    assert answer.status_code == 401
    url = _exports(api).get_export(made.id).result.url
    assert httpx.get(url, timeout=30).status_code == 200  # the token alone opens it, as a download link


def test_exports_refuse_what_they_cannot_export(api: ApiServer) -> None:
    with pytest.raises(BadRequestException) as refused:
        _exports(api).create_export(voucherify.ExportsCreateRequestBody(exported_object="customer"))
    assert json.loads(refused.value.body)["key"] == "invalid_payload"
    with pytest.raises(ApiException) as missing:
        _exports(api).get_export("exp_nothing")
    assert missing.value.status == 404
