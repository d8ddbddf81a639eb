"""``update_voucher``, ``enable_voucher``/``disable_voucher`` and ``delete_voucher`` through the official SDK: a
card's terms and status change by the domain's rules, never its value, in its audit trail and at the tills."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import httpx
import pytest
import voucherify
from voucherify.exceptions import ApiException, BadRequestException, NotFoundException

from tests.server.api.conftest import ApiServer, new_code
from tests.server.harness import HttpTill, add_user, enrol_code, pos_server


def _gift(amount: int, **fields: object) -> voucherify.VouchersCreateWithSpecificCodeRequestBody:
    return voucherify.VouchersCreateWithSpecificCodeRequestBody(
        type="GIFT_VOUCHER", gift=voucherify.Gift(amount=amount, effect="APPLY_TO_ORDER"), **fields)


def _key(error: ApiException) -> str:
    return str(json.loads(error.body)["key"])


def _card(api: ApiServer, code: str) -> dict[str, object]:
    shown: dict[str, object] = pos_server(api.db_url, "card", "show", code, "--json").json()
    return shown


def test_update_changes_dates_validity_category_and_metadata_but_never_the_balance(api: ApiServer) -> None:
    code = new_code()
    api.vouchers.create_voucher(code, _gift(5000, expiration_date=datetime(2030, 6, 30, 12, tzinfo=UTC),
                                            metadata={"shop": "Berlin", "old": "x"}))
    body = voucherify.VouchersUpdateRequestBody(
        start_date=datetime(2026, 1, 1, tzinfo=UTC), expiration_date=datetime(2031, 12, 31, 23, tzinfo=UTC),
        validity_day_of_week=[1, 2, 3, 4, 5],  # Monday to Friday, counted from Sunday
        validity_hours=voucherify.ValidityHours(daily=[voucherify.ValidityHoursDailyItem(
            start_time="09:00", expiration_time="18:30", days_of_week=[1, 2, 3, 4, 5])]),
        category="winter", metadata={"shop": "Hamburg", "old": None, "batch": 7})
    assert body.type == "DISCOUNT_VOUCHER"  # the SDK sends it; the server ignores it
    updated = api.vouchers.update_voucher(code, body)
    assert updated.expiration_date == datetime(2031, 12, 31, 23, tzinfo=UTC)
    assert updated.start_date == datetime(2026, 1, 1, tzinfo=UTC)
    assert updated.validity_day_of_week == [1, 2, 3, 4, 5]
    assert updated.category == "winter" and updated.metadata == {"shop": "Hamburg", "batch": 7}
    assert updated.type == "GIFT_VOUCHER" and updated.gift.balance == 5000 and updated.gift.amount == 5000
    got = api.vouchers.get_voucher(code)
    assert got.validity_hours.daily[0].start_time == "09:00"
    assert got.validity_hours.daily[0].expiration_time == "18:30"
    assert got.validity_hours.daily[0].days_of_week == [1, 2, 3, 4, 5]
    shown = _card(api, code)
    assert shown["balance"] == 5000 and shown["loaded"] == 5000 and len(shown["entries"]) == 1  # type: ignore[arg-type]
    (change,) = shown["changes"]  # type: ignore[misc]
    fields = {c["field"] for c in change["changes"]}
    assert fields == {"expiration_date", "start_date", "validity", "category", "metadata.shop", "metadata.old",
                      "metadata.batch"}
    assert change["device_id"].startswith("key_") and "update_voucher" in change["reason"]


def test_setting_what_a_voucher_has_already_changes_nothing_and_is_no_refusal(api: ApiServer) -> None:
    code = new_code()
    api.vouchers.create_voucher(code, _gift(100, category="winter", metadata={"a": 1}))
    same = api.vouchers.update_voucher(code, voucherify.VouchersUpdateRequestBody(
        category="winter", metadata={"a": 1}, active=True))
    assert same.category == "winter" and same.active is True
    assert _card(api, code)["changes"] == []


def test_an_expiry_is_extended_never_brought_forward(api: ApiServer) -> None:
    code = new_code()
    api.vouchers.create_voucher(code, _gift(100, expiration_date=datetime(2030, 6, 30, tzinfo=UTC)))
    with pytest.raises(BadRequestException) as earlier:
        api.vouchers.update_voucher(code, voucherify.VouchersUpdateRequestBody(
            expiration_date=datetime(2029, 1, 1, tzinfo=UTC)))
    assert _key(earlier.value) == "invalid_payload" and "extension" in json.loads(earlier.value.body)["details"]
    assert api.vouchers.get_voucher(code).expiration_date == datetime(2030, 6, 30, tzinfo=UTC)


def test_an_update_of_an_unknown_code_is_not_found(api: ApiServer) -> None:
    with pytest.raises(NotFoundException) as missing:
        api.vouchers.update_voucher(new_code(), voucherify.VouchersUpdateRequestBody(category="x"))
    assert _key(missing.value) == "not_found"


def test_a_disabled_voucher_takes_no_value_until_it_is_enabled_again(api: ApiServer) -> None:
    code = new_code()
    api.vouchers.create_voucher(code, _gift(2500))
    disabled = api.vouchers.disable_voucher(code)  # no body, Content-Type: application/json
    assert disabled.active is False and disabled.gift.balance == 2500
    assert api.vouchers.disable_voucher(code).active is False  # so already: nothing to do
    with pytest.raises(BadRequestException) as refused:
        api.vouchers.update_voucher_balance(code, voucherify.VouchersBalanceUpdateRequestBody(amount=1000))
    assert _key(refused.value) == "voucher_disabled"
    assert _card(api, code)["balance"] == 2500 and _card(api, code)["status"] == "disabled"
    enabled = api.vouchers.enable_voucher(code)
    assert enabled.active is True
    added = api.vouchers.update_voucher_balance(code, voucherify.VouchersBalanceUpdateRequestBody(amount=1000))
    assert added.balance == 3500
    off = api.vouchers.update_voucher(code, voucherify.VouchersUpdateRequestBody(active=False))
    assert off.active is False and _card(api, code)["status"] == "disabled"


def test_enable_takes_an_empty_json_body(api: ApiServer) -> None:
    code = new_code()
    api.vouchers.create_voucher(code, _gift(100))
    headers = {"X-App-Id": api.app_id, "X-App-Token": api.app_token, "Content-Type": "application/json"}
    answer = httpx.post(f"{api.url}/v1/vouchers/{code}/disable", headers=headers, content=b"", timeout=10)
    assert answer.status_code == 200 and answer.json()["active"] is False


def test_a_till_pulls_the_change_and_the_disabling(api: ApiServer) -> None:
    code = new_code()
    made = api.vouchers.create_voucher(code, _gift(4000))
    cashier = add_user(api.db_url, f"cashier {code}", "cashier", "1234")["id"]
    with HttpTill.enrol(api.url, enrol_code(api.db_url), operator_id=cashier) as till:
        cursor = till.pull_all()["cursor"]
        api.vouchers.update_voucher(code, voucherify.VouchersUpdateRequestBody(category="pulled"))
        api.vouchers.disable_voucher(code)
        pulled = till.pull_all(cursor)["cards"][made.id]
        assert pulled["category"] == "pulled" and pulled["status"] == "disabled" and pulled["balance"] == 4000
        refused = till.authorise("redeem", code, 100)
        assert (refused.json()["result"], refused.json()["error"]["key"]) == ("FAILURE", "voucher_disabled")


def test_a_voucher_holding_money_is_deleted_only_with_force_and_its_ledger_stays(api: ApiServer) -> None:
    code = new_code()
    api.vouchers.create_voucher(code, _gift(1500))
    with pytest.raises(BadRequestException) as refused:
        api.vouchers.delete_voucher(code)
    assert _key(refused.value) == "invalid_payload" and "force" in json.loads(refused.value.body)["details"]
    assert api.vouchers.get_voucher(code).active is True
    assert api.vouchers.delete_voucher(code, force=True) is None  # 204
    with pytest.raises(NotFoundException):
        api.vouchers.get_voucher(code)
    with pytest.raises(NotFoundException):
        api.vouchers.delete_voucher(code, force=True)
    assert code not in {v.code for v in api.vouchers.list_vouchers(limit=100).vouchers}
    shown = _card(api, code)  # head office still sees the card and its entry; tills see it disabled
    assert shown["status"] == "disabled" and shown["balance"] == 1500 and len(shown["entries"]) == 1  # type: ignore[arg-type]
    with pytest.raises(ApiException) as taken:
        api.vouchers.create_voucher(code, _gift(10))
    assert taken.value.status == 409 and _key(taken.value) == "duplicate_found"


def test_an_empty_voucher_is_deleted_without_force(api: ApiServer) -> None:
    code = new_code()
    api.vouchers.create_voucher(code, _gift(300))
    api.vouchers.update_voucher_balance(code, voucherify.VouchersBalanceUpdateRequestBody(
        amount=-300, reason="spent elsewhere"))
    api.vouchers.delete_voucher(code)
    with pytest.raises(NotFoundException):
        api.vouchers.update_voucher_balance(code, voucherify.VouchersBalanceUpdateRequestBody(amount=100))


def test_a_code_is_changed_only_as_written(api: ApiServer) -> None:
    code = new_code()  # mixed case
    api.vouchers.create_voucher(code, _gift(900))
    key = api.new_key("guesser")  # its misses count against its own rate limit, not the module's key
    vouchers = voucherify.VouchersApi(api.client(key["app_id"], key["app_token"]))
    for wrong in (code.lower(), code.upper()):
        with pytest.raises(NotFoundException):
            vouchers.update_voucher(wrong, voucherify.VouchersUpdateRequestBody(category="x"))
        with pytest.raises(NotFoundException):
            vouchers.update_voucher_balance(wrong, voucherify.VouchersBalanceUpdateRequestBody(amount=100))
        with pytest.raises(NotFoundException):
            vouchers.disable_voucher(wrong)
    voucher = api.vouchers.get_voucher(code)
    assert voucher.gift.balance == 900 and voucher.active is True and voucher.category is None
