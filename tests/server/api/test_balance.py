"""``update_voucher_balance`` through the official SDK: value added and removed by the till's own rules, and a
request under a ``source_id`` applied once."""

from __future__ import annotations

import json

import pytest
import voucherify
from voucherify.exceptions import ApiException, BadRequestException, NotFoundException

from tests.server.api.conftest import ApiServer, new_code
from tests.server.harness import pos_server


def _gift(amount: int) -> voucherify.VouchersCreateWithSpecificCodeRequestBody:
    return voucherify.VouchersCreateWithSpecificCodeRequestBody(
        type="GIFT_VOUCHER", gift=voucherify.Gift(amount=amount, effect="APPLY_TO_ORDER"))


def _change(amount: int | None = None, source_id: str | None = None,
            reason: str | None = None) -> voucherify.VouchersBalanceUpdateRequestBody:
    return voucherify.VouchersBalanceUpdateRequestBody(amount=amount, source_id=source_id, reason=reason)


def _key(error: ApiException) -> str:
    return str(json.loads(error.body)["key"])


def _shown(api: ApiServer, code: str) -> dict[str, object]:
    shown: dict[str, object] = pos_server(api.db_url, "card", "show", code, "--json").json()
    return shown


def test_value_is_added_and_removed_with_the_loaded_total_and_the_balance(api: ApiServer) -> None:
    code = new_code()
    made = api.vouchers.create_voucher(code, _gift(5000))
    added = api.vouchers.update_voucher_balance(code, _change(2500, reason="birthday"))
    assert (added.amount, added.total, added.balance) == (2500, 7500, 7500)
    assert (added.type, added.operation_type, added.object) == ("gift_voucher", "MANUAL", "balance")
    assert added.related_object.type == "voucher" and added.related_object.id == made.id
    removed = api.vouchers.update_voucher_balance(code, _change(-1000, reason="damaged goods"))
    assert (removed.amount, removed.total, removed.balance) == (-1000, 6500, 6500)
    voucher = api.vouchers.get_voucher(code)
    assert voucher.gift.amount == 6500 and voucher.gift.balance == 6500
    shown = _shown(api, code)
    assert (shown["balance"], shown["loaded"]) == (6500, 6500)
    kinds = [(e["type"], e["amount"], e["reason"]) for e in shown["entries"]]  # type: ignore[attr-defined]
    assert kinds == [("CREDITS_REMOVAL", -1000, "damaged goods"), ("CREDITS_ADDITION", 2500, "birthday"),
                     ("CREDITS_ADDITION", 5000, "import")]


@pytest.mark.parametrize("change, key", [
    (_change(None), "invalid_add_balance_params"),
    (_change(0), "invalid_add_balance_params"),
    (_change(-100), "invalid_add_balance_params"),  # a removal needs a reason, as at a till
    (_change(-5001, reason="too much"), "gift_amount_exceeded"),
    (_change(2**62, reason="absurd"), "invalid_amount"),
])
def test_refusals_keep_the_balance(api: ApiServer, change: voucherify.VouchersBalanceUpdateRequestBody,
                                   key: str) -> None:
    code = new_code()
    api.vouchers.create_voucher(code, _gift(5000))
    with pytest.raises(BadRequestException) as refused:
        api.vouchers.update_voucher_balance(code, change)
    assert _key(refused.value) == key
    assert api.vouchers.get_voucher(code).gift.balance == 5000 and _shown(api, code)["balance"] == 5000


def test_an_unknown_code_is_not_found(api: ApiServer) -> None:
    with pytest.raises(NotFoundException) as missing:
        api.vouchers.update_voucher_balance(new_code(), _change(100))
    assert _key(missing.value) == "not_found"


def test_the_same_request_again_is_answered_as_the_first_time_and_applied_once(api: ApiServer) -> None:
    code = new_code()
    api.vouchers.create_voucher(code, _gift(1000))
    first = api.vouchers.update_voucher_balance(code, _change(400, source_id="crm-1", reason="loyalty"))
    api.vouchers.update_voucher_balance(code, _change(100, reason="in between"))
    again = api.vouchers.update_voucher_balance(code, _change(400, source_id="crm-1", reason="loyalty"))
    assert again.to_dict() == first.to_dict() and (again.balance, again.total) == (1400, 1400)
    assert api.vouchers.get_voucher(code).gift.balance == 1500
    assert _shown(api, code)["balance"] == 1500
    # a removal replayed likewise
    removed = api.vouchers.update_voucher_balance(code, _change(-500, source_id="crm-2", reason="fix"))
    assert api.vouchers.update_voucher_balance(code, _change(-500, source_id="crm-2", reason="fix")) == removed
    assert api.vouchers.get_voucher(code).gift.balance == 1000


def test_another_request_under_a_used_source_id_is_refused(api: ApiServer) -> None:
    code, other = new_code(), new_code()
    api.vouchers.create_voucher(code, _gift(1000))
    api.vouchers.create_voucher(other, _gift(1000))
    api.vouchers.update_voucher_balance(code, _change(300, source_id="crm-9"))
    for asked in ((code, _change(301, source_id="crm-9")), (other, _change(300, source_id="crm-9"))):
        with pytest.raises(ApiException) as refused:
            api.vouchers.update_voucher_balance(*asked)
        assert refused.value.status == 409 and _key(refused.value) == "duplicate_found"
    assert api.vouchers.get_voucher(code).gift.balance == 1300
    assert api.vouchers.get_voucher(other).gift.balance == 1000


def test_a_refused_request_may_be_asked_again_under_its_source_id(api: ApiServer) -> None:
    code = new_code()
    api.vouchers.create_voucher(code, _gift(1000))
    api.vouchers.disable_voucher(code)
    with pytest.raises(BadRequestException) as refused:
        api.vouchers.update_voucher_balance(code, _change(500, source_id="crm-retry"))
    assert _key(refused.value) == "voucher_disabled"
    api.vouchers.enable_voucher(code)
    assert api.vouchers.update_voucher_balance(code, _change(500, source_id="crm-retry")).balance == 1500


def test_another_key_has_source_ids_of_its_own(api: ApiServer) -> None:
    code = new_code()
    api.vouchers.create_voucher(code, _gift(1000))
    key = api.new_key("second shop")
    theirs = voucherify.VouchersApi(api.client(key["app_id"], key["app_token"]))
    api.vouchers.update_voucher_balance(code, _change(100, source_id="same-id"))
    assert theirs.update_voucher_balance(code, _change(100, source_id="same-id")).balance == 1200
