"""``/v1/validation-rules`` through the official SDK's ``ValidationRulesApi``: rules made, read, listed, changed and
deleted, assigned to vouchers and campaigns; and the server's own decision (``services.cards.redeem`` over
``ServerUnitOfWork``, as the redemption endpoints run it) refusing by an assigned rule."""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest
import voucherify
from sqlalchemy import Engine, create_engine
from voucherify.exceptions import ApiException, BadRequestException, NotFoundException

from pos_app.domain import errors
from pos_app.domain.money import Money
from pos_app.server.uow import ServerUnitOfWork, head_office
from pos_app.server.voucherify.validation_rules import order_facts
from pos_app.services import cards
from tests.server.api.conftest import ApiServer, new_code
from tests.server.harness import pos_server

AT_LEAST_20 = {"1": {"name": "order.amount", "conditions": {"$more_than_or_equal": [2000]}, "rules": {}},
               "logic": "1"}
GOLD = {"1": {"name": "customer.metadata", "property": "tier", "conditions": {"$is": ["gold"]}, "rules": {}},
        "logic": "1"}


def _rules(api: ApiServer) -> voucherify.ValidationRulesApi:
    return voucherify.ValidationRulesApi(api.client())


def _make(api: ApiServer, rules: dict[str, object], name: str = "orders from 20.00",
          message: str = "Orders from 20.00 only") -> voucherify.ValidationRulesCreateResponseBody:
    return _rules(api).create_validation_rules(voucherify.ValidationRulesCreateRequestBody(
        name=name, type="basic", rules=rules, error=voucherify.ValidationRulesCreateRequestBodyError(message=message)))


def _voucher(api: ApiServer, amount: int = 5000) -> voucherify.VouchersCreateResponseBody:
    return api.vouchers.create_voucher(new_code(), voucherify.VouchersCreateWithSpecificCodeRequestBody(
        type="GIFT_VOUCHER", gift=voucherify.Gift(amount=amount, effect="APPLY_TO_ORDER")))


def _assign(api: ApiServer, rule_id: str, kind: str,
            ref: str) -> voucherify.ValidationRulesAssignmentsCreateResponseBody:
    return _rules(api).create_validation_rule_assignment(rule_id, validation_rules_assignments_create_request_body=(
        voucherify.ValidationRulesAssignmentsCreateRequestBody(related_object_type=kind, related_object_id=ref)))


@pytest.fixture(scope="module")
def engine(api: ApiServer) -> Iterator[Engine]:
    made = create_engine(api.db_url)
    yield made
    made.dispose()


def _redeem(engine: Engine, code: str, amount: int, order: object = None, customer: object = None) -> None:
    cards.redeem(ServerUnitOfWork(engine), head_office(engine), code, Money(amount, "EUR"),
                 order=order_facts(order, customer))


def _balance(api: ApiServer, code: str) -> int:
    return int(api.vouchers.get_voucher(code).gift.balance)


def test_a_rule_is_made_read_listed_changed_and_deleted(api: ApiServer) -> None:
    made = _make(api, AT_LEAST_20)
    assert made.id.startswith("val_") and made.name == "orders from 20.00" and made.type == "basic"
    assert made.rules["1"]["conditions"] == {"$more_than_or_equal": [2000]} and made.error.message
    got = _rules(api).get_validation_rule(made.id)
    assert got.rules == made.rules and got.assignments_count == 0
    listed = _rules(api).list_validation_rules(limit=100)
    assert made.id in [r.id for r in listed.data] and listed.total >= 1
    changed = _rules(api).update_validation_rule(made.id, voucherify.ValidationRulesUpdateRequestBody(
        name="orders from 30.00", rules={**AT_LEAST_20, "1": {**AT_LEAST_20["1"],
                                                               "conditions": {"$more_than_or_equal": [3000]}}}))
    assert changed.name == "orders from 30.00" and changed.rules["1"]["conditions"]["$more_than_or_equal"] == [3000]
    assert changed.error.message == "Orders from 20.00 only"  # what was not given stays
    _rules(api).delete_validation_rules(made.id)
    with pytest.raises(NotFoundException) as gone:
        _rules(api).get_validation_rule(made.id)
    assert json.loads(gone.value.body)["key"] == "not_found"


@pytest.mark.parametrize("rules", [
    {"1": {"name": "product.id", "conditions": {"$is": ["prod_1"]}}, "logic": "1"},
    {"1": {"name": "order.amount", "conditions": {"$more_than": ["20"]}}, "logic": "1"},
    {"1": {"name": "order.amount", "conditions": {"$more_than": [2000]}}, "logic": "1 and 2"},
    {"logic": "1"},
])
def test_a_rule_a_gift_card_cannot_have_is_invalid_payload(api: ApiServer, rules: dict[str, object]) -> None:
    with pytest.raises(BadRequestException) as refused:
        _make(api, rules)
    assert json.loads(refused.value.body)["key"] == "invalid_payload"


def test_assignments_to_a_voucher_and_a_campaign(api: ApiServer) -> None:
    rule = _make(api, AT_LEAST_20)
    voucher = _voucher(api)
    first = _assign(api, rule.id, "voucher", voucher.id)
    assert (first.rule_id, first.related_object_type, first.related_object_id) == (rule.id, "voucher", voucher.id)
    with pytest.raises(ApiException) as twice:
        _assign(api, rule.id, "voucher", voucher.code)  # by its code: the same card
    assert twice.value.status == 409 and json.loads(twice.value.body)["key"] == "duplicate_found"
    with pytest.raises(NotFoundException):
        _assign(api, rule.id, "campaign", "camp_nothing")
    with pytest.raises(NotFoundException):
        _assign(api, "val_nothing", "voucher", voucher.id)
    listed = _rules(api).list_validation_rule_assignments(rule.id)
    assert [a.id for a in listed.data] == [first.id] and listed.total == 1
    assert _rules(api).get_validation_rule(rule.id).assignments_count == 1
    everywhere = _rules(api).list_validation_rules_assignments(related_object_id=voucher.id, rule=rule.id)
    assert [a.id for a in everywhere.data] == [first.id]
    _rules(api).delete_validation_rule_assignment(rule.id, first.id)
    assert _rules(api).list_validation_rule_assignments(rule.id).total == 0
    with pytest.raises(NotFoundException):
        _rules(api).delete_validation_rule_assignment(rule.id, first.id)


def test_the_server_s_decision_refuses_by_a_rule_of_the_card(api: ApiServer, engine: Engine) -> None:
    rule = _make(api, AT_LEAST_20)
    voucher = _voucher(api)
    _assign(api, rule.id, "voucher", voucher.id)
    with pytest.raises(errors.OrderRulesViolated) as refused:
        _redeem(engine, voucher.code, 500, {"amount": 1999})
    assert refused.value.details == "Orders from 20.00 only"
    assert _balance(api, voucher.code) == 5000
    _redeem(engine, voucher.code, 500, {"amount": 2000})
    assert _balance(api, voucher.code) == 4500
    shown = pos_server(api.db_url, "card", "show", voucher.code, "--json").json()
    assert shown["balance"] == 4500
    assert [e["error_key"] for e in shown["entries"] if e["result"] == "FAILURE"] == ["order_rules_violated"]


def test_customer_rules_read_the_request_s_customer(api: ApiServer, engine: Engine) -> None:
    rule = _make(api, GOLD, name="gold customers", message="Gold customers only")
    voucher = _voucher(api)
    _assign(api, rule.id, "voucher", voucher.code)
    with pytest.raises(errors.CustomerRulesViolated):
        _redeem(engine, voucher.code, 500, {"amount": 500}, {"source_id": "c1", "metadata": {"tier": "silver"}})
    _redeem(engine, voucher.code, 500, {"amount": 500, "customer": {"metadata": {"tier": "gold"}}})
    assert _balance(api, voucher.code) == 4500
    _rules(api).delete_validation_rules(rule.id)  # the rule and its assignment gone: the card is free of it
    _redeem(engine, voucher.code, 500)
    assert _balance(api, voucher.code) == 4000


@pytest.mark.parametrize(("order", "customer"), [
    ("x", None), ({"amount": 12.5}, None), ({"amount": True}, None), ({"metadata": [1]}, None), ({}, "c1"),
])
def test_order_facts_refuse_what_they_cannot_read(order: object, customer: object) -> None:
    with pytest.raises(errors.InvalidPayload):
        order_facts(order, customer)
