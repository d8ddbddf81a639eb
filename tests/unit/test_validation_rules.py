"""Validation rules (``domain.validation_rules``): reading Voucherify's JSON, the logic, and the one decision of a
redemption (``operations.decide``) refusing with Voucherify's keys."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from pos_app.domain import errors
from pos_app.domain.cards import CardStatus, GiftCard, OperationContext
from pos_app.domain.money import Money
from pos_app.domain.operations import Redeem, decide
from pos_app.domain.rule_logic import Both, Either, Ref, evaluate, parse_logic
from pos_app.domain.validation_rules import Order, parse_rule, rule_json

BERLIN = ZoneInfo("Europe/Berlin")
MONDAY_NOON = datetime(2026, 12, 7, 11, 0, tzinfo=UTC)  # 12:00 in Berlin, a Monday
SATURDAY_NOON = datetime(2026, 12, 12, 11, 0, tzinfo=UTC)


def rule(*conditions: dict[str, object], logic: str = "", **extra: object) -> dict[str, object]:
    body: dict[str, object] = {str(i): c for i, c in enumerate(conditions, start=1)}
    body["logic"] = logic
    return {"name": "test rule", "type": "basic", "rules": body, **extra}


def card(*rules: dict[str, object], redemptions: int = 0) -> GiftCard:
    return GiftCard(id="c1", code="GC-TEST-0001", currency="EUR", status=CardStatus.ACTIVE, loaded=10_000,
                    balance=10_000, redemption_count=redemptions,
                    rules=tuple(parse_rule(r, rule_id=f"val_{i}") for i, r in enumerate(rules)))


def redeem(c: GiftCard, minor: int = 500, *, at: datetime = MONDAY_NOON, order: Order | None = None,
           order_amount: int | None = None) -> None:
    ctx = OperationContext(at=at, zone=BERLIN, device_id="till-1", operator_id="u1")
    decide(c, Redeem(Money(minor, "EUR"), order_amount, order), ctx)


AMOUNT_20 = {"name": "order.amount", "conditions": {"$more_than_or_equal": [2000]}, "rules": {}}
WEEKDAYS = {"name": "redemption.day_of_week", "conditions": {"$in": [1, 2, 3, 4, 5]}}
OFFICE_HOURS = {"name": "redemption.time_of_day", "conditions": {"$more_than_or_equal": ["09:00"],
                                                                   "$less_than": ["17:00"]}}


def test_an_order_amount_rule_refuses_smaller_orders_and_allows_larger():
    c = card(rule(AMOUNT_20, error={"message": "Orders from 20.00 only"}))
    with pytest.raises(errors.OrderRulesViolated) as refused:
        redeem(c, 500, order_amount=1999)
    assert refused.value.details == "Orders from 20.00 only"
    assert c.balance == 10_000
    redeem(c, 500, order_amount=2000)
    assert c.balance == 9_500


def test_without_an_order_amount_the_redeemed_amount_is_the_order():
    c = card(rule(AMOUNT_20))
    with pytest.raises(errors.OrderRulesViolated):
        redeem(c, 1500)
    redeem(c, 2500)
    redeem(c, 100, order=Order(amount=3000))


def test_day_and_hours_are_read_in_the_shops_zone():
    c = card(rule(WEEKDAYS, OFFICE_HOURS, logic="1 and 2"))
    redeem(c, at=MONDAY_NOON)
    with pytest.raises(errors.VoucherNotActiveNow):
        redeem(c, at=SATURDAY_NOON)
    with pytest.raises(errors.VoucherNotActiveNow):  # 17:30 in Berlin, 16:30 UTC
        redeem(c, at=datetime(2026, 12, 7, 16, 30, tzinfo=UTC))
    redeem(c, at=datetime(2026, 12, 7, 15, 59, tzinfo=UTC))  # 16:59 in Berlin


def test_once_per_customer():
    once = {"name": "redemption.count.per_customer", "conditions": {"$less_than_or_equal": [1]}}
    c = card(rule(once))
    redeem(c)
    with pytest.raises(errors.CustomerRulesViolated):
        redeem(c)
    assert c.redemption_count == 1


def test_metadata_rules_read_the_order_and_the_customer():
    vip = {"name": "customer.metadata", "property": "tier", "conditions": {"$in": ["gold", "silver"]}}
    shop = {"name": "order.metadata", "property": "channel", "conditions": {"$is_not": ["web"]}}
    c = card(rule(vip, shop, logic="1 and 2"))
    with pytest.raises(errors.CustomerRulesViolated):
        redeem(c)  # no customer: no tier
    with pytest.raises(errors.OrderRulesViolated):
        redeem(c, order=Order(metadata={"channel": "web"}, customer_metadata={"tier": "gold"}))
    redeem(c, order=Order(metadata={"channel": "till"}, customer_metadata={"tier": "silver"}))
    redeem(c, order=Order(customer_metadata={"tier": "gold"}))  # no channel: "is not web" holds


def test_or_logic_needs_one_side():
    c = card(rule(AMOUNT_20, WEEKDAYS, logic="1 or 2"))
    redeem(c, 500, at=MONDAY_NOON)  # small, but a weekday
    redeem(c, 2500, at=SATURDAY_NOON)  # Saturday, but large
    with pytest.raises(errors.OrderRulesViolated):  # the first condition that failed names the key
        redeem(c, 500, at=SATURDAY_NOON)


def test_the_card_s_own_refusals_come_first():
    c = card(rule(AMOUNT_20))
    c.status = CardStatus.DISABLED
    with pytest.raises(errors.VoucherDisabled):
        redeem(c, 500)


@pytest.mark.parametrize("bad", [
    None, [], {"rules": {"1": AMOUNT_20}},  # no name
    rule(),  # no conditions
    rule({"name": "product.id", "conditions": {"$is": ["p1"]}}),
    rule({"name": "order.amount", "conditions": {"$like": [1]}}),
    rule({"name": "order.amount", "conditions": {"$more_than": [1, 2]}}),
    rule({"name": "order.amount", "conditions": {"$more_than": ["20"]}}),
    rule({"name": "order.amount", "conditions": {"$more_than": [12.5]}}),
    rule({"name": "order.amount", "conditions": {"$is": [True]}}),
    rule({"name": "customer.metadata", "conditions": {"$is": ["x"]}}),  # no property
    rule({"name": "redemption.day_of_week", "conditions": {"$in": [7]}}),
    rule({"name": "redemption.time_of_day", "conditions": {"$less_than": ["25:00"]}}),
    rule({**AMOUNT_20, "rules": {"1": AMOUNT_20}}),  # nested
    rule(AMOUNT_20, logic="1 and 2"),
    rule(AMOUNT_20, logic="1 and"),
    rule(AMOUNT_20, logic="(1"),
    rule(AMOUNT_20, logic="1 xor 1"),
    {**rule(AMOUNT_20), "type": "weird"},
])
def test_bad_rules_are_invalid_payload(bad):
    with pytest.raises(errors.InvalidPayload):
        parse_rule(bad)


def test_logic_and_binds_tighter_than_or():
    assert parse_logic("1 or 2 and 3", {"1", "2", "3"}) == Either((Ref("1"), Both((Ref("2"), Ref("3")))))
    assert parse_logic("(1 or 2) AND 3", {"1", "2", "3"}) == Both((Either((Ref("1"), Ref("2"))), Ref("3")))
    assert parse_logic("", {"2", "1"}) == Both((Ref("1"), Ref("2")))


@given(st.lists(st.booleans(), min_size=3, max_size=3))
def test_logic_evaluates_like_python(truth):
    tree = parse_logic("1 or (2 and 3)", {"1", "2", "3"})
    a, b, c = truth
    assert evaluate(tree, lambda n: truth[int(n) - 1]) == (a or (b and c))


@given(st.integers(min_value=0, max_value=10**9), st.integers(min_value=0, max_value=10**9),
       st.sampled_from(["$more_than", "$more_than_or_equal", "$less_than", "$less_than_or_equal", "$is",
                        "$is_not"]))
def test_amount_comparisons_match_python(order, limit, op):
    c = card(rule({"name": "order.amount", "conditions": {op: [limit]}}))
    expected = {"$more_than": order > limit, "$more_than_or_equal": order >= limit, "$less_than": order < limit,
                "$less_than_or_equal": order <= limit, "$is": order == limit, "$is_not": order != limit}[op]
    try:
        redeem(c, 1, order_amount=order)
    except errors.OrderRulesViolated:
        assert not expected
    else:
        assert expected


def test_rule_json_reads_back_to_the_same_rule():
    raw = rule(AMOUNT_20, {"name": "customer_metadata", "property": "tier", "conditions": {"$is": ["gold"]},
                           "error": {"message": "gold only"}}, logic="1 or 2", error={"message": "no"})
    parsed = parse_rule(raw, rule_id="val_1")
    assert parse_rule(rule_json(parsed), rule_id="val_1") == parsed
    assert rule_json(parsed)["rules"]["2"]["name"] == "customer.metadata"
