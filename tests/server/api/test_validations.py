"""``POST /v1/validations`` and LOCK sessions through the official SDK: a validation checks by the redemption's
own rules and writes nothing; an unusable voucher is HTTP 200 ``valid: false``; a LOCK session holds its credits
(others see the balance less the lock) until a redemption names it, it is released, or it expires."""

from __future__ import annotations

import json
import time
from typing import Any

import pytest
import voucherify
from voucherify.exceptions import BadRequestException, NotFoundException

from tests.server.api.conftest import ApiServer, new_code
from tests.server.harness import HttpTill, add_user, enrol_code, pos_server


def _card(api: ApiServer, amount: int, **fields: Any) -> str:
    code = new_code()
    api.vouchers.create_voucher(code, voucherify.VouchersCreateWithSpecificCodeRequestBody(
        type="GIFT_VOUCHER", gift=voucherify.Gift(amount=amount, effect="APPLY_TO_ORDER"), **fields))
    return code


def _validate(api: ApiServer, *parts: tuple[str, int], session: voucherify.Session | None = None,
              client: voucherify.ApiClient | None = None) -> voucherify.ValidationsValidateResponseBody:
    return voucherify.ValidationsApi(client or api.client()).validate_stacked_discounts(
        voucherify.ValidationsValidateRequestBody(
            redeemables=[voucherify.ValidationsValidateRequestBodyRedeemablesItem(
                object="voucher", id=code, gift=voucherify.ValidationsValidateRequestBodyRedeemablesItemGift(
                    credits=credits)) for code, credits in parts],
            order=voucherify.Order(amount=sum(c for _, c in parts)), session=session))


def _redeem(api: ApiServer, code: str, credits: int, session: str | None = None,
            client: voucherify.ApiClient | None = None) -> voucherify.RedemptionsRedeemResponseBody:
    return voucherify.RedemptionsApi(client or api.client()).redeem_stacked_discounts(
        voucherify.RedemptionsRedeemRequestBody(
            redeemables=[voucherify.RedemptionsRedeemRequestBodyRedeemablesItem(
                object="voucher", id=code,
                gift=voucherify.RedemptionsRedeemRequestBodyRedeemablesItemGift(credits=credits))],
            session=None if session is None else voucherify.Session(key=session)))


def _lock(key: str, ttl: int = 1, unit: str = "HOURS") -> voucherify.Session:
    return voucherify.Session(type="LOCK", key=key, ttl=ttl, ttl_unit=unit)


def _balance(api: ApiServer, code: str) -> int:
    balance = api.vouchers.get_voucher(code).gift.balance
    assert isinstance(balance, int)
    return balance


def test_a_valid_voucher_is_applicable_and_nothing_is_written(api: ApiServer) -> None:
    code = _card(api, 5000)
    answer = _validate(api, (code, 1500))
    assert answer.valid is True and answer.stacking_rules is not None
    one = answer.redeemables[0]
    assert (one.status, one.id, one.result.gift.credits, one.result.gift.balance) == ("APPLICABLE", code, 1500, 5000)
    assert answer.session is None
    assert _balance(api, code) == 5000
    shown = pos_server(api.db_url, "card", "show", code, "--json").json()
    assert [e["type"] for e in shown["entries"]] == ["CREDITS_ADDITION"]  # the sale only: no attempt recorded


def test_unusable_vouchers_are_valid_false_with_their_reasons(api: ApiServer) -> None:
    good, small = _card(api, 5000), _card(api, 100)
    disabled = _card(api, 1000)
    pos_server(api.db_url, "card", "disable", disabled)
    expired = _card(api, 1000, start_date="2020-01-01", expiration_date="2021-12-31")
    unknown = new_code()
    answer = _validate(api, (good, 100), (small, 101), (disabled, 10), (expired, 10), (unknown, 10))
    assert answer.valid is False
    keys = {r.id: (r.status, r.result.error.key if r.result.error else None) for r in answer.redeemables}
    assert keys == {good: ("SKIPPED", None), small: ("INAPPLICABLE", "gift_amount_exceeded"),
                    disabled: ("INAPPLICABLE", "voucher_disabled"), expired: ("INAPPLICABLE", "voucher_expired"),
                    unknown: ("INAPPLICABLE", "not_found")}
    assert len(answer.inapplicable_redeemables) == 4 and [r.id for r in answer.skipped_redeemables] == [good]
    assert [_balance(api, c) for c in (good, small, disabled, expired)] == [5000, 100, 1000, 1000]


def test_a_malformed_validation_is_400(api: ApiServer) -> None:
    code = _card(api, 100)
    with pytest.raises(BadRequestException) as twice:
        _validate(api, (code, 10), (code, 20))
    assert json.loads(twice.value.body)["key"] == "invalid_payload"


def test_a_lock_holds_credits_until_redeemed_by_its_session(api: ApiServer) -> None:
    code = _card(api, 5000)
    shop = f"cart-{new_code()}"
    locked = _validate(api, (code, 3000), session=_lock(shop))
    assert locked.valid is True and locked.session.key == shop and locked.session.type == "LOCK"
    other = api.client(*_other_key(api))
    seen = _validate(api, (code, 2000), client=other)  # another client sees the balance less the lock
    assert seen.valid is True and seen.redeemables[0].result.gift.balance == 2000
    assert _validate(api, (code, 2001), client=other).valid is False
    with pytest.raises(BadRequestException) as over:
        _redeem(api, code, 2001, client=other)
    assert json.loads(over.value.body)["key"] == "gift_amount_exceeded"
    assert _balance(api, code) == 5000
    _redeem(api, code, 2000, client=other)  # what is not held may go
    assert _balance(api, code) == 3000
    _redeem(api, code, 3000, session=shop)  # the session takes what it held
    assert _balance(api, code) == 0
    assert _validate(api, (code, 1)).valid is False


def test_a_released_lock_frees_the_credits(api: ApiServer) -> None:
    code = _card(api, 1000)
    cart = f"cart-{new_code()}"
    _validate(api, (code, 800), session=_lock(cart))
    assert _validate(api, (code, 300)).valid is False
    voucherify.VouchersApi(api.client()).release_validation_session(code, cart)
    assert _validate(api, (code, 1000)).valid is True
    with pytest.raises(NotFoundException):  # nothing held any more
        voucherify.VouchersApi(api.client()).release_validation_session(code, cart)


def test_a_lock_expires_after_its_time_to_live(api: ApiServer) -> None:
    code = _card(api, 1000)
    _validate(api, (code, 1000), session=_lock(f"cart-{new_code()}", ttl=2, unit="SECONDS"))
    assert _validate(api, (code, 1)).valid is False
    time.sleep(2.5)
    assert _validate(api, (code, 1000)).valid is True
    _redeem(api, code, 1000)
    assert _balance(api, code) == 0


def test_a_session_validated_again_holds_what_it_asks_now(api: ApiServer) -> None:
    code = _card(api, 1000)
    cart = f"cart-{new_code()}"
    _validate(api, (code, 900), session=_lock(cart))
    assert _validate(api, (code, 1000), session=_lock(cart)).valid is True  # its own hold does not count
    assert _validate(api, (code, 1)).valid is False
    _validate(api, (code, 400), session=_lock(cart))
    assert _validate(api, (code, 600)).valid is True


def _other_key(api: ApiServer) -> tuple[str, str]:
    key = api.new_key(f"web shop {new_code()}")
    return key["app_id"], key["app_token"]


def test_a_tills_online_redemption_leaves_what_a_lock_holds(api: ApiServer) -> None:
    code = _card(api, 5000)
    _validate(api, (code, 4000), session=_lock(f"cart-{new_code()}"))
    cashier = add_user(api.db_url, f"Chris {new_code()}", "cashier", "1234")
    with HttpTill.enrol(api.url, enrol_code(api.db_url), "till", operator_id=cashier["id"]) as till:
        refused = till.authorise("redeem", code, 1001).json()
        assert refused["result"] == "FAILURE" and refused["error"]["key"] == "gift_amount_exceeded"
        assert till.authorise("redeem", code, 1000).json()["result"] == "SUCCESS"
    assert _balance(api, code) == 4000
