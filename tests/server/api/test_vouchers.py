"""``/v1/vouchers/{code}`` through the official SDK: made with a code kept exactly, read back, refused alike."""

from __future__ import annotations

import json

import httpx
import pytest
import voucherify
from voucherify.exceptions import ApiException, BadRequestException, NotFoundException, UnauthorizedException

from tests.server.api.conftest import ApiServer, new_code
from tests.server.harness import pos_server


def _gift(amount: int, **fields: object) -> voucherify.VouchersCreateWithSpecificCodeRequestBody:
    return voucherify.VouchersCreateWithSpecificCodeRequestBody(
        type="GIFT_VOUCHER", gift=voucherify.Gift(amount=amount, effect="APPLY_TO_ORDER"), **fields)


def test_a_voucher_made_with_its_code_is_read_back_with_its_balance(api: ApiServer) -> None:
    code = new_code()
    made = api.vouchers.create_voucher(code, _gift(5000, category="winter", metadata={"shop": "Berlin"}))
    assert made.code == code and made.type == "GIFT_VOUCHER" and made.active is True
    assert made.gift.amount == 5000 and made.gift.balance == 5000
    got = api.vouchers.get_voucher(code)
    assert got.id == made.id and got.gift.balance == 5000 and got.category == "winter"
    assert got.metadata == {"shop": "Berlin"}
    # the card is on the ledger the tills pull, with its value as an entry
    shown = pos_server(api.db_url, "card", "show", code, "--json").json()
    assert shown["balance"] == 5000 and shown["status"] == "active"


def test_codes_are_case_sensitive_and_may_hold_any_printable_character(api: ApiServer) -> None:
    code = new_code("GC/01 ä")
    api.vouchers.create_voucher(code, _gift(100))
    assert api.vouchers.get_voucher(code).code == code
    with pytest.raises(NotFoundException) as missing:
        api.vouchers.get_voucher(code.lower())
    body = json.loads(missing.value.body)
    assert body["key"] == "not_found" and body["request_id"]


def test_a_code_made_twice_is_duplicate_found_and_keeps_the_first(api: ApiServer) -> None:
    code = new_code()
    api.vouchers.create_voucher(code, _gift(700))
    with pytest.raises(ApiException) as twice:
        api.vouchers.create_voucher(code, _gift(9900))
    assert twice.value.status == 409 and json.loads(twice.value.body)["key"] == "duplicate_found"
    assert api.vouchers.get_voucher(code).gift.balance == 700


def test_an_absurd_amount_is_refused_and_nothing_is_made(api: ApiServer) -> None:
    code = new_code()
    with pytest.raises(BadRequestException) as refused:
        api.vouchers.create_voucher(code, _gift(2**62))
    assert json.loads(refused.value.body)["key"] == "invalid_amount"
    with pytest.raises(NotFoundException):
        api.vouchers.get_voucher(code)


@pytest.mark.parametrize("app_id, app_token", [("app_nobody", "x"), (None, "wrong token")])
def test_missing_or_wrong_keys_are_unauthorized(api: ApiServer, app_id: str | None, app_token: str) -> None:
    code = new_code()
    api.vouchers.create_voucher(code, _gift(100))
    with pytest.raises(UnauthorizedException) as refused:
        voucherify.VouchersApi(api.client(app_id, app_token)).get_voucher(code)
    assert json.loads(refused.value.body)["key"] == "unauthorized"


def test_a_request_without_keys_is_unauthorized(api: ApiServer) -> None:
    answer = httpx.get(f"{api.url}/v1/vouchers/ANY", timeout=10)
    assert answer.status_code == 401 and answer.headers["content-type"] == "application/json"
    assert answer.json()["key"] == "unauthorized"


def test_a_revoked_key_is_unauthorized_from_then_on(api: ApiServer) -> None:
    key = api.new_key("shop to leave")
    vouchers = voucherify.VouchersApi(api.client(key["app_id"], key["app_token"]))
    code = new_code()
    vouchers.create_voucher(code, _gift(100))
    pos_server(api.db_url, "api-key", "revoke", key["id"])
    with pytest.raises(UnauthorizedException):
        vouchers.get_voucher(code)
    assert api.vouchers.get_voucher(code).gift.balance == 100  # other keys unaffected


def test_guessing_codes_is_rate_limited_per_key(api: ApiServer) -> None:
    key = api.new_key("guesser")
    guesser = voucherify.VouchersApi(api.client(key["app_id"], key["app_token"], retry=False))
    statuses = []
    for n in range(40):
        try:
            guesser.get_voucher(f"GUESS-{n:04d}")
        except ApiException as exc:
            statuses.append(exc.status)
            if exc.status == 429:
                assert json.loads(exc.body)["key"] == "too_many_requests"
                break
    assert statuses[-1] == 429 and set(statuses[:-1]) == {404}
    code = new_code()
    api.vouchers.create_voucher(code, _gift(100))
    assert api.vouchers.get_voucher(code).gift.balance == 100  # the honest key is not slowed down
    failed = pos_server(api.db_url, "device", "lookups", "--json").json()
    assert any(f["device_id"] == key["id"] for f in failed)  # the key is named where tills are
