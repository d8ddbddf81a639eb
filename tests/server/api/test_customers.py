"""``CustomersApi`` through the official SDK: the server's customers, which tills pull, made, read, changed,
listed and deleted."""

from __future__ import annotations

import json
import secrets

import pytest
import voucherify
from voucherify.exceptions import BadRequestException, NotFoundException

from tests.server.api.conftest import ApiServer
from tests.server.harness import HttpTill, enrol_code


def _customers(api: ApiServer) -> voucherify.CustomersApi:
    return voucherify.CustomersApi(api.client())


def _pulled_customers(till: HttpTill, cursor: int) -> dict[str, dict[str, object]]:
    found: dict[str, dict[str, object]] = {}
    while True:
        page = till.pull(cursor)
        found.update({c["id"]: c for c in page["customers"]})
        cursor = page["next_cursor"]
        if not page["has_more"]:
            return found


def test_a_customer_is_made_read_changed_and_pulled_by_a_till(api: ApiServer) -> None:
    source = f"crm-{secrets.token_hex(4)}"
    with HttpTill.enrol(api.url, enrol_code(api.db_url)) as till:
        cursor = till.pull_all()["cursor"]
        made = _customers(api).create_customer(voucherify.CustomersCreateRequestBody(
            source_id=source, name="Anna Müller", email="anna@example.com", phone="0171 2345678",
            metadata={"tier": "gold"}))
        assert made.id.startswith("cust_") and made.source_id == source and made.object == "customer"
        assert (made.name, made.email, made.phone, made.metadata) == (
            "Anna Müller", "anna@example.com", "0171 2345678", {"tier": "gold"})
        assert _customers(api).get_customer(made.id).email == "anna@example.com"
        assert _customers(api).get_customer(source).id == made.id  # by the shop's own id too
        changed = _customers(api).update_customer(made.id, voucherify.CustomersUpdateRequestBody(
            email="anna.mueller@example.com", metadata={"tier": None, "shop": "Berlin"}))
        assert changed.email == "anna.mueller@example.com" and changed.name == "Anna Müller"
        assert changed.metadata == {"shop": "Berlin"}
        pulled = _pulled_customers(till, cursor)[made.id]
        assert (pulled["source_id"], pulled["name"], pulled["email"]) == (
            source, "Anna Müller", "anna.mueller@example.com")


def test_making_a_customer_with_a_known_source_id_changes_that_customer(api: ApiServer) -> None:
    source = f"crm-{secrets.token_hex(4)}"
    first = _customers(api).create_customer(voucherify.CustomersCreateRequestBody(source_id=source, name="Ben"))
    again = _customers(api).create_customer(voucherify.CustomersCreateRequestBody(
        source_id=source, email="ben@example.com"))
    assert again.id == first.id and (again.name, again.email) == ("Ben", "ben@example.com")


def test_a_customer_without_a_source_id_gets_their_id_as_one(api: ApiServer) -> None:
    made = _customers(api).create_customer(voucherify.CustomersCreateRequestBody(name="Nameless Shopper"))
    assert made.source_id == made.id


def test_bad_details_are_refused(api: ApiServer) -> None:
    with pytest.raises(BadRequestException) as refused:
        _customers(api).create_customer(voucherify.CustomersCreateRequestBody(source_id="x", phone="call me"))
    assert json.loads(refused.value.body)["key"] == "invalid_payload"


def test_customers_are_listed_with_their_total(api: ApiServer) -> None:
    name = f"Listed {secrets.token_hex(4)}"
    made = [_customers(api).create_customer(voucherify.CustomersCreateRequestBody(
        source_id=f"crm-{secrets.token_hex(4)}", name=name)) for _ in range(3)]
    listed = _customers(api).list_customers(limit=2, page=1, name=name)
    assert listed.object == "list" and listed.data_ref == "customers" and listed.total == 3 and listed.has_more
    rest = _customers(api).list_customers(limit=2, page=2, name=name)
    assert {c.id for c in listed.customers + rest.customers} == {c.id for c in made} and not rest.has_more


def test_a_deleted_customer_is_erased_and_their_source_id_freed(api: ApiServer) -> None:
    source = f"crm-{secrets.token_hex(4)}"
    with HttpTill.enrol(api.url, enrol_code(api.db_url)) as till:
        cursor = till.pull_all()["cursor"]
        made = _customers(api).create_customer(voucherify.CustomersCreateRequestBody(
            source_id=source, name="Clara", email="clara@example.com"))
        assert _customers(api).delete_customer(made.id) is None  # 204
        with pytest.raises(NotFoundException):
            _customers(api).get_customer(made.id)
        with pytest.raises(NotFoundException):
            _customers(api).delete_customer(source)
        pulled = _pulled_customers(till, cursor)[made.id]  # the tills erase them too
        assert (pulled["name"], pulled["email"]) == (None, None) and pulled["source_id"] != source
    anew = _customers(api).create_customer(voucherify.CustomersCreateRequestBody(source_id=source, name="Clara"))
    assert anew.id != made.id and anew.email is None
