"""``/v1/vouchers/import`` and ``/v1/vouchers/importCSV`` through the official SDK: the till's import rules, all or
nothing, reported by an async action; the cards imported are sold with their value."""

from __future__ import annotations

import json
from pathlib import Path

import httpx
import pytest
import voucherify
from voucherify.exceptions import BadRequestException, NotFoundException

from tests.server.api.conftest import ApiServer, new_code
from tests.server.harness import pos_server


def _action(api: ApiServer, action_id: str) -> voucherify.AsyncActionGetResponseBody:
    return voucherify.AsyncActionsApi(api.client()).get_async_action(action_id)


def _item(code: str, amount: int, **fields: object) -> voucherify.VouchersImportCreateItemRequestBody:
    return voucherify.VouchersImportCreateItemRequestBody(
        code=code, type="GIFT_VOUCHER", gift=voucherify.Gift(amount=amount), **fields)


def test_a_json_import_makes_the_cards_with_their_value(api: ApiServer) -> None:
    one, two = new_code(), new_code()
    answer = api.vouchers.import_vouchers([
        _item(one, 5000, category="import", metadata={"from": "old system"}),
        _item(two, 1200, active=False, redemption=voucherify.VouchersImportCreateItemRequestBodyRedemption(
            quantity=2))])
    action = _action(api, answer.async_action_id)
    assert action.status == "DONE" and action.type == "VOUCHERS.IMPORT" and action.progress == 100
    assert action.result["done_count"] == 2 and action.result["failed"] == []
    first = api.vouchers.get_voucher(one)
    assert first.gift.balance == 5000 and first.active is True and first.category == "import"
    second = api.vouchers.get_voucher(two)
    assert second.gift.balance == 1200 and second.active is False and second.redemption.quantity == 2
    shown = pos_server(api.db_url, "card", "show", one, "--json").json()
    assert shown["balance"] == 5000 and [e["type"] for e in shown["entries"]] == ["CREDITS_ADDITION"]


def test_a_code_twice_in_an_import_or_on_the_server_fails_it_whole(api: ApiServer) -> None:
    taken, fresh, twice = new_code(), new_code(), new_code()
    api.vouchers.import_vouchers([_item(taken, 100)])
    answer = api.vouchers.import_vouchers([_item(fresh, 100), _item(twice, 200), _item(twice, 300),
                                           _item(taken, 400)])
    action = _action(api, answer.async_action_id)
    assert action.status == "FAILED" and action.operation_status == "FAILED"
    failed = action.result["failed"]
    assert {(f["line"], f["key"]) for f in failed} == {("item 3", "duplicate_found"), ("item 4", "duplicate_found")}
    assert action.result["done_count"] == 0
    for code in (fresh, twice):
        with pytest.raises(NotFoundException):
            api.vouchers.get_voucher(code)
    assert api.vouchers.get_voucher(taken).gift.balance == 100  # the first import's card is untouched


def _upload(tmp_path: Path, text: str) -> str:
    path = tmp_path / "cards.csv"
    path.write_text(text, encoding="utf-8")
    return str(path)


def test_a_csv_import_reads_the_tills_columns(api: ApiServer, tmp_path: Path) -> None:
    one, two = new_code(), new_code()
    csv = (f"code,gift_amount,gift_balance,category,expiration_date\n"
           f"{one},2000,1500,csv,2030-12-31\n{two},800,,csv,\n")
    answer = api.vouchers.import_vouchers_using_csv(file=_upload(tmp_path, csv))
    action = _action(api, answer.async_action_id)
    assert action.status == "DONE" and action.type == "VOUCHERS.IMPORT_CSV", action.result
    got = api.vouchers.get_voucher(one)
    assert got.gift.amount == 2000 and got.gift.balance == 1500 and got.expiration_date is not None
    assert api.vouchers.get_voucher(two).gift.balance == 800


def test_a_csv_with_bad_lines_names_them_and_imports_nothing(api: ApiServer, tmp_path: Path) -> None:
    good, bad = new_code(), new_code()
    csv = f"code,gift_amount\n{good},100\n{bad},12.50\n"
    action = _action(api, api.vouchers.import_vouchers_using_csv(file=_upload(tmp_path, csv)).async_action_id)
    assert action.status == "FAILED"
    assert [(f["line"], f["key"]) for f in action.result["failed"]] == [("line 3", "invalid_amount")]
    with pytest.raises(NotFoundException):
        api.vouchers.get_voucher(good)


def test_an_upload_above_the_body_limit_is_refused_before_it_is_read(api: ApiServer) -> None:
    headers = {"X-App-Id": api.app_id, "X-App-Token": api.app_token}
    big = b"code,gift_amount\n" + b"X" * (9 * 1024 * 1024)
    answer = httpx.post(f"{api.url}/v1/vouchers/importCSV", headers=headers,
                        files={"file": ("big.csv", big, "text/csv")}, timeout=60)
    assert answer.status_code == 413 and answer.json()["key"] == "request_too_large"


def test_a_form_elsewhere_is_still_refused(api: ApiServer) -> None:
    headers = {"X-App-Id": api.app_id, "X-App-Token": api.app_token}
    answer = httpx.post(f"{api.url}/v1/vouchers/import", headers=headers,
                        files={"file": ("a.csv", b"code\n", "text/csv")}, timeout=30)
    assert answer.status_code in (400, 415), answer.text  # the edge's refusal, as the framework reports it
    assert json.loads(answer.text)["key"] in ("invalid_payload", "unsupported_media_type")


def test_an_unknown_async_action_is_not_found(api: ApiServer) -> None:
    with pytest.raises(NotFoundException):
        _action(api, "aa_nothing")


def test_an_imported_campaign_has_no_code_config_to_add_cards_with(api: ApiServer, tmp_path: Path) -> None:
    name = f"imported {new_code()}"
    csv = f"code,gift_amount,campaign\n{new_code()},300,{name}\n"
    action = _action(api, api.vouchers.import_vouchers_using_csv(file=_upload(tmp_path, csv)).async_action_id)
    assert action.status == "DONE", action.result
    campaigns = voucherify.CampaignsApi(api.client())
    assert campaigns.get_campaign(name).vouchers_count == 1
    with pytest.raises(BadRequestException) as refused:
        campaigns.add_vouchers_to_campaign(name, 5)
    assert json.loads(refused.value.body)["key"] == "invalid_code_config"
    assert campaigns.get_campaign(name).vouchers_count == 1
