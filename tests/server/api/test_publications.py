"""``create_publication`` through the official SDK: a voucher given to a customer by the till's rule of a
publication, seen by tills at their next pull."""

from __future__ import annotations

import json
import secrets

import pytest
import voucherify
from voucherify.exceptions import ApiException, BadRequestException, NotFoundException

from tests.server.api.conftest import ApiServer, new_code
from tests.server.harness import HttpTill, enrol_code


def _gift(amount: int) -> voucherify.VouchersCreateWithSpecificCodeRequestBody:
    return voucherify.VouchersCreateWithSpecificCodeRequestBody(
        type="GIFT_VOUCHER", gift=voucherify.Gift(amount=amount, effect="APPLY_TO_ORDER"))


def _publications(api: ApiServer) -> voucherify.PublicationsApi:
    return voucherify.PublicationsApi(api.client())


def _to(code: str, source_id: str, **details: str) -> voucherify.PublicationsCreateRequestBody:
    return voucherify.PublicationsCreateRequestBody(
        voucher=code, customer=voucherify.Customer(source_id=source_id, **details))


def test_a_voucher_is_given_to_a_customer_made_on_first_use_and_a_till_pulls_both(api: ApiServer) -> None:
    code, source = new_code(), f"crm-{secrets.token_hex(4)}"
    made = api.vouchers.create_voucher(code, _gift(2000))
    with HttpTill.enrol(api.url, enrol_code(api.db_url)) as till:
        cursor = till.pull_all()["cursor"]
        given = _publications(api).create_publication(join_once=True, publications_create_request_body=_to(
            code, source, name="Dora", email="dora@example.com"))
        assert given.object == "publication" and given.result == "SUCCESS" and given.vouchers == [code]
        assert given.tracking_id == source and given.customer.name == "Dora"
        assert given.voucher.code == code and given.voucher.gift.balance == 2000
        customer = voucherify.CustomersApi(api.client()).get_customer(source)
        assert customer.id == given.customer_id
        voucher = api.vouchers.get_voucher(code)
        assert voucher.holder_id == customer.id and voucher.publish.count == 1
        pages = till.pull(cursor)
        assert [c["source_id"] for c in pages["customers"]] == [source]
        assert {c["id"]: c["customer_id"] for c in pages["cards"]}[made.id] == customer.id
    again = _publications(api).create_publication(join_once=True, publications_create_request_body=_to(code, source))
    assert again.customer_id == customer.id  # the same card to the same customer: nothing changes
    listed = _publications(api).list_publications(customer=source)
    assert listed.total == 1 and [p.vouchers for p in listed.publications] == [[code]]


def test_a_voucher_goes_to_one_customer_only(api: ApiServer) -> None:
    code = new_code()
    api.vouchers.create_voucher(code, _gift(2000))
    _publications(api).create_publication(publications_create_request_body=_to(code, f"crm-{secrets.token_hex(4)}"))
    with pytest.raises(ApiException) as refused:
        _publications(api).create_publication(publications_create_request_body=_to(
            code, f"crm-{secrets.token_hex(4)}"))
    assert refused.value.status == 409 and json.loads(refused.value.body)["key"] == "voucher_already_published"


def test_an_unknown_voucher_or_no_customer_is_refused(api: ApiServer) -> None:
    with pytest.raises(NotFoundException):
        _publications(api).create_publication(publications_create_request_body=_to(new_code(), "crm-x"))
    code = new_code()
    api.vouchers.create_voucher(code, _gift(100))
    with pytest.raises(BadRequestException) as nobody:
        _publications(api).create_publication(publications_create_request_body=voucherify.PublicationsCreateRequestBody(
            voucher=code))
    assert json.loads(nobody.value.body)["key"] == "invalid_payload"
    with pytest.raises(NotFoundException):  # a customer named by an id that is no customer's
        _publications(api).create_publication(publications_create_request_body=voucherify.PublicationsCreateRequestBody(
            voucher=code, customer=voucherify.Customer(id="cust_nobody")))
