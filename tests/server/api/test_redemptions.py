"""``/v1/redemptions`` through the official SDK (and the legacy ``POST /v1/vouchers/{code}/redemption`` over plain
HTTP, which the SDK no longer has): partial redemptions until the card is spent, each refusal with its key and the
balance unchanged, rollbacks, stacked redemptions all or nothing, replays under ``order.source_id``, and
concurrent redemptions of one card that never overspend it. Balances are checked after every step."""

from __future__ import annotations

import json
import threading
from typing import Any

import httpx
import pytest
import voucherify
from voucherify.exceptions import ApiException, BadRequestException, NotFoundException

from tests.server.api.conftest import ApiServer, new_code
from tests.server.harness import pos_server


def _gift(amount: int, **fields: Any) -> voucherify.VouchersCreateWithSpecificCodeRequestBody:
    return voucherify.VouchersCreateWithSpecificCodeRequestBody(
        type="GIFT_VOUCHER", gift=voucherify.Gift(amount=amount, effect="APPLY_TO_ORDER"), **fields)


def _card(api: ApiServer, amount: int, **fields: Any) -> str:
    code = new_code()
    api.vouchers.create_voucher(code, _gift(amount, **fields))
    return code


def _body(*parts: tuple[str, int | None], amount: int | None = None, source_id: str | None = None,
          session: str | None = None) -> voucherify.RedemptionsRedeemRequestBody:
    return voucherify.RedemptionsRedeemRequestBody(
        redeemables=[voucherify.RedemptionsRedeemRequestBodyRedeemablesItem(
            object="voucher", id=code,
            gift=None if credits is None else voucherify.RedemptionsRedeemRequestBodyRedeemablesItemGift(
                credits=credits)) for code, credits in parts],
        order=voucherify.Order(amount=amount, source_id=source_id),
        session=None if session is None else voucherify.Session(key=session))


def _redemptions(api: ApiServer, client: voucherify.ApiClient | None = None) -> voucherify.RedemptionsApi:
    return voucherify.RedemptionsApi(client or api.client())


def _balance(api: ApiServer, code: str) -> int:
    balance = api.vouchers.get_voucher(code).gift.balance
    assert isinstance(balance, int)
    return balance


def _refused(exc: pytest.ExceptionInfo[ApiException]) -> str:
    key = json.loads(exc.value.body)["key"]
    assert isinstance(key, str)
    return key


def test_a_card_is_redeemed_in_parts_until_spent_and_then_refused(api: ApiServer) -> None:
    code = _card(api, 5000)
    redemptions = _redemptions(api)
    first = redemptions.redeem_stacked_discounts(_body((code, 1500), amount=2000))
    assert [r.result for r in first.redemptions] == ["SUCCESS"] and first.parent_redemption is None
    one = first.redemptions[0]
    assert one.amount == 1500 and one.status == "SUCCEEDED" and one.voucher.code == code
    assert one.voucher.gift.balance == 3500 and first.order.amount == 2000 and first.order.total_amount == 500
    assert _balance(api, code) == 3500
    redemptions.redeem_stacked_discounts(_body((code, 3000)))
    assert _balance(api, code) == 500

    with pytest.raises(BadRequestException) as over:
        redemptions.redeem_stacked_discounts(_body((code, 501)))
    assert _refused(over) == "gift_amount_exceeded"
    assert _balance(api, code) == 500  # unchanged; the attempt is on the ledger
    redemptions.redeem_stacked_discounts(_body((code, 500)))
    assert _balance(api, code) == 0
    shown = pos_server(api.db_url, "card", "show", code, "--json").json()
    assert shown["balance"] == 0 and shown["redeemed"] == 5000

    listed = redemptions.get_voucher_redemptions(code)
    assert listed.redeemed_quantity == 3 and listed.total == 4  # three paid, one refused
    assert [(e.result, e.amount) for e in listed.redemption_entries] == [
        ("SUCCESS", 500), ("FAILURE", 501), ("SUCCESS", 3000), ("SUCCESS", 1500)]
    failed = listed.redemption_entries[1]
    assert failed.status == "FAILED" and failed.failure_code == "gift_amount_exceeded"
    assert redemptions.get_redemption(failed.id).failure_code == "gift_amount_exceeded"


def test_a_disabled_an_expired_and_an_unknown_voucher_are_refused(api: ApiServer) -> None:
    disabled = _card(api, 1000)
    pos_server(api.db_url, "card", "disable", disabled)
    expired = _card(api, 1000, start_date="2020-01-01", expiration_date="2021-12-31")
    redemptions = _redemptions(api)
    for code, key in ((disabled, "voucher_disabled"), (expired, "voucher_expired")):
        with pytest.raises(BadRequestException) as refused:
            redemptions.redeem_stacked_discounts(_body((code, 100)))
        assert _refused(refused) == key
        assert _balance(api, code) == 1000
        failures = redemptions.list_redemptions(result="FAILURE", limit=100).redemptions
        assert any(r.voucher.code == code and r.failure_code == key for r in failures)
    with pytest.raises(NotFoundException) as missing:
        redemptions.redeem_stacked_discounts(_body((new_code(), 100)))
    assert _refused(missing) == "not_found"
    with pytest.raises(NotFoundException):
        redemptions.get_redemption("r_00000000000000000000000000000000")


def test_a_stacked_redemption_takes_from_every_card_or_from_none(api: ApiServer) -> None:
    a, b, c = _card(api, 2000), _card(api, 1000), _card(api, 500)
    redemptions = _redemptions(api)
    with pytest.raises(BadRequestException) as over:  # c has 500: nothing is taken from a or b either
        redemptions.redeem_stacked_discounts(_body((a, 2000), (b, 1000), (c, 600), amount=3600))
    assert _refused(over) == "gift_amount_exceeded"
    assert [_balance(api, code) for code in (a, b, c)] == [2000, 1000, 500]
    assert [e.result for e in redemptions.get_voucher_redemptions(c).redemption_entries] == ["FAILURE"]
    assert redemptions.get_voucher_redemptions(a).redemption_entries == []

    done = redemptions.redeem_stacked_discounts(_body((a, 1500), (b, 1000), (c, 500), amount=3000))
    parent = done.parent_redemption
    assert parent is not None and parent.amount == 3000 and done.order.total_amount == 0
    assert [r.redemption for r in done.redemptions] == [parent.id] * 3
    assert [_balance(api, code) for code in (a, b, c)] == [500, 0, 0]
    again = redemptions.get_redemption(parent.id)
    assert [r.id for r in again.related_redemptions.redemptions] == [r.id for r in done.redemptions]

    with pytest.raises(BadRequestException) as part:  # a part goes back with its parent
        redemptions.rollback_redemption(done.redemptions[0].id)
    assert _refused(part) == "invalid_payload"
    back = redemptions.rollback_stacked_redemptions(parent.id, reason="order cancelled")
    assert sorted(r.amount for r in back.rollbacks) == [500, 1000, 1500] and back.parent_rollback.amount == 3000
    assert [_balance(api, code) for code in (a, b, c)] == [2000, 1000, 500]
    assert redemptions.get_redemption(parent.id).status == "ROLLED_BACK"
    with pytest.raises(BadRequestException) as twice:
        redemptions.rollback_stacked_redemptions(parent.id)
    assert _refused(twice) == "already_rolled_back"


def test_a_rollback_gives_the_credits_back_once(api: ApiServer) -> None:
    code = _card(api, 3000)
    redemptions = _redemptions(api)
    paid = redemptions.redeem_stacked_discounts(_body((code, 1200))).redemptions[0]
    assert _balance(api, code) == 1800
    back = redemptions.rollback_redemption(paid.id, reason="returned")
    assert back.object == "redemption_rollback" and back.amount == 1200 and back.redemption == paid.id
    assert back.result == "SUCCESS" and back.reason == "returned"
    assert _balance(api, code) == 3000
    with pytest.raises(BadRequestException) as twice:
        redemptions.rollback_redemption(paid.id)
    assert _refused(twice) == "already_rolled_back"
    assert _balance(api, code) == 3000
    got = redemptions.get_redemption(paid.id)
    assert got.status == "ROLLED_BACK" and [r.id for r in got.related_redemptions.rollbacks] == [back.id]
    assert redemptions.get_redemption(back.id).object == "redemption_rollback"
    shown = pos_server(api.db_url, "card", "show", code, "--json").json()
    assert shown["refunded"] == 1200 and shown["balance"] == 3000
    assert "CREDITS_REFUND" in {e["type"] for e in shown["entries"]}
    with pytest.raises(NotFoundException):
        redemptions.rollback_redemption("r_" + "0" * 32)


def test_a_replayed_order_is_answered_as_the_first_time_and_applied_once(api: ApiServer) -> None:
    code = _card(api, 5000)
    redemptions = _redemptions(api)
    source = f"order-{new_code()}"
    first = redemptions.redeem_stacked_discounts(_body((code, 1000), amount=1000, source_id=source))
    again = redemptions.redeem_stacked_discounts(_body((code, 1000), amount=1000, source_id=source))
    assert [r.id for r in again.redemptions] == [r.id for r in first.redemptions]
    assert _balance(api, code) == 4000
    with pytest.raises(ApiException) as other:
        redemptions.redeem_stacked_discounts(_body((code, 2000), amount=2000, source_id=source))
    assert other.value.status == 409 and _refused(other) == "duplicate_found"
    assert _balance(api, code) == 4000
    key = api.new_key("another shop")  # another client's source_ids are its own
    voucherify.RedemptionsApi(api.client(key["app_id"], key["app_token"])).redeem_stacked_discounts(
        _body((code, 1000), amount=1000, source_id=source))
    assert _balance(api, code) == 3000


def test_the_legacy_redemption_takes_the_order_amount(api: ApiServer) -> None:
    code = _card(api, 5000)
    headers = {"X-App-Id": api.app_id, "X-App-Token": api.app_token}
    url = f"{api.url}/v1/vouchers/{code}/redemption"
    answer = httpx.post(url, json={"order": {"amount": 1250, "source_id": f"legacy-{code}"}}, headers=headers)
    assert answer.status_code == 200, answer.text
    assert answer.json()["object"] == "redemption" and answer.json()["amount"] == 1250
    assert answer.json()["voucher"]["gift"]["balance"] == 3750
    replayed = httpx.post(url, json={"order": {"amount": 1250, "source_id": f"legacy-{code}"}}, headers=headers)
    assert replayed.json()["id"] == answer.json()["id"] and _balance(api, code) == 3750
    over = httpx.post(url, json={"order": {"amount": 5000}}, headers=headers)
    assert over.status_code == 400 and over.json()["key"] == "gift_amount_exceeded"
    missing = httpx.post(url, json={}, headers=headers)
    assert missing.status_code == 400 and missing.json()["key"] == "missing_amount"
    assert _balance(api, code) == 3750


def test_redemptions_are_listed_newest_first_with_filters(api: ApiServer) -> None:
    code = _card(api, 1000)
    redemptions = _redemptions(api)
    made = [redemptions.redeem_stacked_discounts(_body((code, n))).redemptions[0].id for n in (100, 200)]
    listed = redemptions.list_redemptions(limit=2)
    assert listed.total >= 2 and [r.id for r in listed.redemptions] == made[::-1]
    oldest = redemptions.list_redemptions(limit=1, order=voucherify.ParameterOrderListRedemptions.CREATED_AT)
    assert oldest.redemptions[0].id != made[-1]


def test_eight_clients_at_once_never_overspend_a_card(api: ApiServer) -> None:
    code = _card(api, 1000)
    results: list[str] = []

    def spend() -> None:
        redemptions = _redemptions(api)
        for _ in range(4):
            try:
                redemptions.redeem_stacked_discounts(_body((code, 100)))
                results.append("ok")
            except BadRequestException as exc:
                results.append(json.loads(exc.body)["key"])

    threads = [threading.Thread(target=spend) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert results.count("ok") == 10 and results.count("gift_amount_exceeded") == 22
    assert _balance(api, code) == 0
    shown = pos_server(api.db_url, "card", "show", code, "--json").json()
    assert shown["redeemed"] == 1000 and shown["balance"] == 0
