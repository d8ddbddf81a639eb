"""``list_voucher_transactions`` (cursor paging), ``list_vouchers`` and ``generate_random_code`` through the
official SDK."""

from __future__ import annotations

import json

import httpx
import pytest
import voucherify
from voucherify.exceptions import BadRequestException, NotFoundException
from voucherify.models.parameter_order_list_transactions import ParameterOrderListTransactions

from tests.server.api.conftest import ApiServer, new_code
from tests.server.harness import HttpTill, add_user, enrol_code


def _gift(amount: int, **fields: object) -> voucherify.VouchersCreateWithSpecificCodeRequestBody:
    return voucherify.VouchersCreateWithSpecificCodeRequestBody(
        type="GIFT_VOUCHER", gift=voucherify.Gift(amount=amount, effect="APPLY_TO_ORDER"), **fields)


def _change(amount: int, reason: str = "test") -> voucherify.VouchersBalanceUpdateRequestBody:
    return voucherify.VouchersBalanceUpdateRequestBody(amount=amount, reason=reason)


def test_250_transactions_are_paged_through_with_the_cursor_each_once(api: ApiServer) -> None:
    code = new_code()
    api.vouchers.create_voucher(code, _gift(1000))
    expected = [("CREDITS_ADDITION", 1000, 1000, 1000)]  # type, amount, total after, balance after
    balance = total = 1000
    for i in range(249):
        amount = 7 if i % 3 else -5
        answer = api.vouchers.update_voucher_balance(code, _change(amount))
        balance, total = balance + amount, total + amount
        assert (answer.balance, answer.total) == (balance, total)
        expected.append(("CREDITS_ADDITION" if amount > 0 else "CREDITS_REMOVAL", amount, total, balance))
    seen: list[voucherify.VoucherTransaction] = []
    after = None
    while True:
        page = api.vouchers.list_voucher_transactions(code, limit=100, starting_after_id=after)
        assert page.object == "list" and page.data_ref == "data" and len(page.data) <= 100
        seen.extend(page.data)
        if not page.has_more:
            assert page.more_starting_after is None
            break
        after = page.more_starting_after
        assert after == page.data[-1].id
    assert len(seen) == 250 and len({t.id for t in seen}) == 250
    got = [(t.type, t.details.balance.total, t.details.balance.balance) for t in reversed(seen)]
    assert got == [(kind, tot, bal) for kind, _, tot, bal in expected]
    assert all(t.details.balance.type == "gift_voucher" and t.details.balance.related_object.id == seen[0].voucher_id
               for t in seen)
    oldest = api.vouchers.list_voucher_transactions(code, limit=3, order=ParameterOrderListTransactions("id"))
    assert [t.id for t in oldest.data] == [t.id for t in reversed(seen)][:3] and oldest.has_more is True
    assert api.vouchers.get_voucher(code).gift.balance == balance


def test_redemptions_and_refunds_at_a_till_are_transactions_too(api: ApiServer) -> None:
    code = new_code()
    api.vouchers.create_voucher(code, _gift(3000))
    cashier = add_user(api.db_url, f"cashier {code}", "manager", "1234")["id"]
    with HttpTill.enrol(api.url, enrol_code(api.db_url), operator_id=cashier) as till:
        redeemed = till.authorise("redeem", code, 1200).json()
        assert redeemed["result"] == "SUCCESS"
        refund = till.authorise("refund", code, None, refund_of=redeemed["entry"]["id"]).json()
        assert refund["result"] == "SUCCESS"
        assert till.authorise("redeem", code, 9999).json()["result"] == "FAILURE"  # a refused attempt: no transaction
    listed = api.vouchers.list_voucher_transactions(code)
    assert [(t.type, t.details.balance.balance) for t in listed.data] == [
        ("CREDITS_REFUND", 3000), ("CREDITS_REDEMPTION", 1800), ("CREDITS_ADDITION", 3000)]
    assert listed.data[0].related_transaction_id == listed.data[1].id
    assert {t.details.balance.total for t in listed.data} == {3000}


def test_limits_and_cursors_are_checked(api: ApiServer) -> None:
    code = new_code()
    api.vouchers.create_voucher(code, _gift(100))
    headers = {"X-App-Id": api.app_id, "X-App-Token": api.app_token}
    too_many = httpx.get(f"{api.url}/v1/vouchers/{code}/transactions", params={"limit": 101}, headers=headers)
    assert too_many.status_code == 400 and too_many.json()["key"] == "invalid_query_params"  # the SDK would not send it
    with pytest.raises(BadRequestException):
        api.vouchers.list_voucher_transactions(code, starting_after_id="not-an-entry")
    with pytest.raises(NotFoundException):
        api.vouchers.list_voucher_transactions(new_code())


def test_vouchers_are_listed_by_page_with_their_total(api: ApiServer) -> None:
    category = f"list-{new_code()}"
    codes = [new_code() for _ in range(5)]
    for i, code in enumerate(codes):
        api.vouchers.create_voucher(code, _gift(100 * (i + 1), category=category))
    first = api.vouchers.list_vouchers(limit=2, page=1, category=category)
    assert first.object == "list" and first.data_ref == "vouchers" and first.total == 5
    pages = [first] + [api.vouchers.list_vouchers(limit=2, page=p, category=category) for p in (2, 3)]
    listed = [v.code for page in pages for v in page.vouchers]
    assert sorted(listed) == sorted(codes) and len(pages[2].vouchers) == 1
    assert {v.gift.balance for page in pages for v in page.vouchers} == {100, 200, 300, 400, 500}


def test_a_random_code_is_made_by_its_code_config_and_a_given_code_is_kept(api: ApiServer) -> None:
    made = api.vouchers.generate_random_code(voucherify.VouchersCreateRequestBody(
        type="GIFT_VOUCHER", gift=voucherify.Gift(amount=2500),
        code_config=voucherify.CodeConfig(pattern="TEST-########", charset="ABCDEFGHJKMNPQRSTUVWXYZ23456789")))
    assert made.code.startswith("TEST-") and len(made.code) == 13 and made.gift.balance == 2500
    assert api.vouchers.get_voucher(made.code).gift.balance == 2500
    readable = api.vouchers.generate_random_code(voucherify.VouchersCreateRequestBody(
        type="GIFT_VOUCHER", gift=voucherify.Gift(amount=100)))
    assert readable.code.startswith("GC-") and readable.gift.balance == 100
    code = new_code()
    given = api.vouchers.generate_random_code(voucherify.VouchersCreateRequestBody(
        code=code, type="GIFT_VOUCHER", gift=voucherify.Gift(amount=700)))
    assert given.code == code and given.gift.balance == 700
    with pytest.raises(BadRequestException) as bad:
        api.vouchers.generate_random_code(voucherify.VouchersCreateRequestBody(
            type="GIFT_VOUCHER", gift=voucherify.Gift(amount=100), code_config=voucherify.CodeConfig(charset="AA")))
    assert json.loads(bad.value.body)["key"] == "invalid_code_config"
