"""Validation rules (Voucherify's ``/v1/validation-rules``), for what a gift card needs: decided here once, so the
server, the Voucherify API and a till (offline too, once it has pulled them) refuse alike.

A rule is numbered conditions combined by its ``logic`` (``rule_logic``), as Voucherify writes it::

    {"name": "Weekdays, orders from 20.00", "type": "basic",
     "rules": {"1": {"name": "order.amount", "conditions": {"$more_than_or_equal": [2000]}, "rules": {}},
               "2": {"name": "redemption.day_of_week", "conditions": {"$in": [1, 2, 3, 4, 5]}, "rules": {}},
               "logic": "1 and 2"},
     "error": {"message": "Only on weekdays, for orders of 20.00 or more"}}

The conditions a gift card needs (every operator key of a condition must hold; a list of values means "one of
them" for ``$is``/``$in``, "none of them" for ``$is_not``; comparisons take one value):

* ``order.amount`` — the order's amount in minor units (the redeemed amount when no order amount is given):
  ``$is``, ``$is_not``, ``$in``, ``$more_than``, ``$more_than_or_equal``, ``$less_than``, ``$less_than_or_equal``;
* ``order.metadata`` / ``customer.metadata`` with ``property`` — a value of the order's or customer's metadata: the
  same, plus ``$contains``, ``$starts_with``, ``$ends_with`` (a missing property holds only ``$is_not``);
* ``redemption.count.per_customer`` — how many redemptions of the card its customer will have made with this one
  (the card's redemptions are its customer's: a gift card belongs to one customer); ``$less_than_or_equal: [1]``
  is "once";
* ``redemption.day_of_week`` — the shop's local day, 0 = Sunday … 6 = Saturday (Voucherify's
  ``validity_day_of_week``): ``$is``, ``$is_not``, ``$in``;
* ``redemption.time_of_day`` — the shop's local time ``"HH:MM"``: the four comparisons (``"09:00"`` ≤ t <
  ``"17:00"`` is ``{"$more_than_or_equal": ["09:00"], "$less_than": ["17:00"]}``).

Nested ``rules`` (Voucherify's product conditions) have no meaning for a gift card and are refused. A refusal
carries Voucherify's key of the first condition that did not hold: ``order_rules_violated`` (order),
``customer_rules_violated`` (customer, count per customer), ``voucher_not_active_now`` (day and time); its
details are the rule's ``error.message`` when it has one.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from pos_app.domain import errors
from pos_app.domain.rule_logic import Node, evaluate, parse_logic, refs

ORDER_AMOUNT = "order.amount"
ORDER_METADATA = "order.metadata"
CUSTOMER_METADATA = "customer.metadata"
PER_CUSTOMER = "redemption.count.per_customer"
DAY_OF_WEEK = "redemption.day_of_week"
TIME_OF_DAY = "redemption.time_of_day"
_ALIASES = {"order_metadata": ORDER_METADATA, "customer_metadata": CUSTOMER_METADATA}

_COMPARE = ("$more_than", "$more_than_or_equal", "$less_than", "$less_than_or_equal")
_EQUAL = ("$is", "$is_not", "$in")
_TEXT = ("$contains", "$starts_with", "$ends_with")
OPERATORS: dict[str, tuple[str, ...]] = {
    ORDER_AMOUNT: _EQUAL + _COMPARE, PER_CUSTOMER: _EQUAL + _COMPARE,
    ORDER_METADATA: _EQUAL + _COMPARE + _TEXT, CUSTOMER_METADATA: _EQUAL + _COMPARE + _TEXT,
    DAY_OF_WEEK: _EQUAL, TIME_OF_DAY: _COMPARE,
}
RULE_TYPES = ("basic", "advanced", "complex", "expression")
MAX_CONDITIONS = 20
MAX_VALUES = 50
MAX_TEXT = 200
MAX_MESSAGE = 500
MAX_RULE_BYTES = 4096  # as JSON: what the sync wire carries of a document
_CLOCK = re.compile(r"([01]\d|2[0-3]):[0-5]\d")

Value = str | int | float | bool


@dataclass(frozen=True, slots=True, kw_only=True)
class Condition:
    """One numbered condition: what it reads (``name``, with ``prop`` for metadata) and its tests, each an operator
    with its values; ``message`` its own error message (Voucherify's per-rule ``error.message``)."""

    number: str
    name: str
    prop: str | None = None
    tests: tuple[tuple[str, tuple[Value, ...]], ...]
    message: str | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class ValidationRule:
    """A validation rule: ``conditions`` combined by ``logic`` (its tree ``tree``)."""

    id: str
    name: str
    type: str = "basic"
    conditions: tuple[Condition, ...]
    logic: str
    tree: Node
    message: str | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class Order:
    """The facts of a redemption that rules read besides the card and the time: the order's ``amount`` (minor
    units; None: the redeemed amount, or the operation's order amount) and ``metadata``, the customer (by id and
    the shop's ``customer_source_id``) and their ``customer_metadata``."""

    amount: int | None = None
    metadata: Mapping[str, Any] = field(default_factory=dict)
    customer_id: str | None = None
    customer_source_id: str | None = None
    customer_metadata: Mapping[str, Any] = field(default_factory=dict)


# ---- reading a rule's JSON ------------------------------------------------------------------------------------

def _text(value: object, what: str, limit: int = MAX_TEXT) -> str:
    if not isinstance(value, str) or not value.strip() or len(value) > limit or not value.isprintable():
        raise errors.InvalidPayload(f"{what} is text of 1 to {limit} printable characters")
    return value.strip()


def _message(raw: object, what: str) -> str | None:
    if raw is None:
        return None
    if not isinstance(raw, Mapping):
        raise errors.InvalidPayload(f"{what}'s error is an object with a message")
    message = raw.get("message")
    return None if message in (None, "") else _text(message, f"{what}'s error message", MAX_MESSAGE)


def _value(name: str, op: str, value: object, what: str) -> Value:
    if name in (ORDER_AMOUNT, PER_CUSTOMER, DAY_OF_WEEK):
        if isinstance(value, bool) or not isinstance(value, int) or not -(10**15) <= value <= 10**15:
            raise errors.InvalidPayload(f"{what} compares whole numbers (minor units for an amount)")
        if name == DAY_OF_WEEK and not 0 <= value <= 6:
            raise errors.InvalidPayload(f"{what}: a day of the week is 0 (Sunday) to 6 (Saturday)")
        return value
    if name == TIME_OF_DAY:
        if not isinstance(value, str) or not _CLOCK.fullmatch(value):
            raise errors.InvalidPayload(f"{what} compares times of day as \"HH:MM\"")
        return value
    if op in _TEXT and not isinstance(value, str):
        raise errors.InvalidPayload(f"{what}: {op} takes text")
    if isinstance(value, str):
        return _text(value, what) if value.strip() else value
    if isinstance(value, bool | int | float) and value == value and abs(value) < 1e15:  # noqa: PLR0124 (NaN)
        return value
    raise errors.InvalidPayload(f"{what} takes text, numbers or true/false")


def _condition(number: str, raw: object) -> Condition:
    what = f"rule {number}"
    if not isinstance(raw, Mapping):
        raise errors.InvalidPayload(f"{what} is an object with a name and conditions")
    name = _text(raw.get("name"), f"{what}'s name")
    name = _ALIASES.get(name, name)
    if name not in OPERATORS:
        raise errors.InvalidPayload(f"{what}: {name[:40]!r} is not a rule a gift card can have "
                                    f"({', '.join(OPERATORS)})")
    if raw.get("rules"):
        raise errors.InvalidPayload(f"{what}: nested rules (products) do not apply to gift cards")
    prop = None
    if name in (ORDER_METADATA, CUSTOMER_METADATA):
        prop = _text(raw.get("property"), f"{what}'s property")
    conditions = raw.get("conditions")
    if not isinstance(conditions, Mapping) or not conditions:
        raise errors.InvalidPayload(f"{what} needs conditions such as {{\"$is\": [...]}}")
    tests: list[tuple[str, tuple[Value, ...]]] = []
    for op, values in conditions.items():
        if op not in OPERATORS[name]:
            raise errors.InvalidPayload(f"{what}: {name} takes {', '.join(OPERATORS[name])}, not {str(op)[:30]!r}")
        listed = list(values) if isinstance(values, list | tuple) else [values]
        if not 1 <= len(listed) <= MAX_VALUES or (op in _COMPARE + _TEXT and len(listed) != 1):
            raise errors.InvalidPayload(f"{what}: {op} takes {'one value' if op in _COMPARE + _TEXT else 'values'}")
        tests.append((op, tuple(_value(name, op, v, what) for v in listed)))
    return Condition(number=number, name=name, prop=prop, tests=tuple(tests), message=_message(raw.get("error"), what))


def parse_rule(raw: object, *, rule_id: str = "") -> ValidationRule:
    """The rule ``raw`` (the JSON body of ``POST /v1/validation-rules``) describes, or ``invalid_payload``."""
    if not isinstance(raw, Mapping):
        raise errors.InvalidPayload("a validation rule is a JSON object")
    name = _text(raw.get("name"), "a validation rule's name")
    kind = raw.get("type") or "basic"
    if kind not in RULE_TYPES:
        raise errors.InvalidPayload(f"a validation rule's type is one of {', '.join(RULE_TYPES)}")
    body = raw.get("rules")
    if not isinstance(body, Mapping):
        raise errors.InvalidPayload("a validation rule has rules: {\"1\": {...}, \"logic\": \"1\"}")
    numbered = {str(k): v for k, v in body.items() if k != "logic"}
    if not numbered or len(numbered) > MAX_CONDITIONS or not all(k.isdigit() and k == str(int(k)) for k in numbered):
        raise errors.InvalidPayload(f"a validation rule has 1 to {MAX_CONDITIONS} rules numbered \"1\", \"2\", …")
    logic = body.get("logic") or ""
    if not isinstance(logic, str):
        raise errors.InvalidPayload("a validation rule's logic is text such as \"1 and 2\"")
    conditions = tuple(_condition(n, numbered[n]) for n in sorted(numbered, key=int))
    tree = parse_logic(logic, set(numbered))
    written = logic.strip() or " and ".join(c.number for c in conditions)  # no logic: every condition
    rule = ValidationRule(id=rule_id, name=name, type=str(kind), conditions=conditions, logic=written,
                          tree=tree, message=_message(raw.get("error"), "the validation rule"))
    size = len(json.dumps(rule_json(rule), ensure_ascii=False).encode())
    if size > MAX_RULE_BYTES:
        raise errors.InvalidPayload(f"a validation rule takes {size:,} bytes as JSON; at most {MAX_RULE_BYTES:,}")
    return rule


def rule_json(rule: ValidationRule) -> dict[str, Any]:
    """The rule as Voucherify writes it (what :func:`parse_rule` reads back to the same rule)."""
    body: dict[str, Any] = {}
    for c in rule.conditions:
        item: dict[str, Any] = {"name": c.name, "conditions": {op: list(vs) for op, vs in c.tests}, "rules": {}}
        if c.prop is not None:
            item["property"] = c.prop
        if c.message is not None:
            item["error"] = {"message": c.message}
        body[c.number] = item
    body["logic"] = rule.logic
    out: dict[str, Any] = {"name": rule.name, "type": rule.type, "rules": body}
    if rule.message is not None:
        out["error"] = {"message": rule.message}
    return out


# ---- deciding ------------------------------------------------------------------------------------------------

@dataclass(frozen=True, slots=True, kw_only=True)
class Facts:
    """What the conditions read: the order's amount, its metadata, the customer's, the count of the customer's
    redemptions of the card with this one, and the shop's local time."""

    amount: int
    order_metadata: Mapping[str, Any]
    customer_metadata: Mapping[str, Any]
    per_customer: int
    local: datetime


def _read(c: Condition, facts: Facts) -> tuple[bool, object]:
    """Whether the condition's subject is there, and its value."""
    if c.name == ORDER_AMOUNT:
        return True, facts.amount
    if c.name == PER_CUSTOMER:
        return True, facts.per_customer
    if c.name == DAY_OF_WEEK:
        return True, (facts.local.weekday() + 1) % 7  # Python: Monday 0; Voucherify: Sunday 0
    if c.name == TIME_OF_DAY:
        return True, facts.local.strftime("%H:%M")
    source = facts.order_metadata if c.name == ORDER_METADATA else facts.customer_metadata
    return c.prop in source, source.get(c.prop or "")


def _same(a: object, b: object) -> bool:
    if isinstance(a, bool) or isinstance(b, bool):
        return a is b
    if isinstance(a, int | float) and isinstance(b, int | float):
        return a == b
    return isinstance(a, str) and isinstance(b, str) and a == b


def _test(op: str, values: tuple[Value, ...], there: bool, value: object) -> bool:
    if op == "$is_not":
        return not there or not any(_same(value, v) for v in values)
    if not there:
        return False
    if op in ("$is", "$in"):
        return any(_same(value, v) for v in values)
    target = values[0]
    if op in _TEXT:
        if not isinstance(value, str) or not isinstance(target, str):
            return False
        return (target in value if op == "$contains" else value.startswith(target) if op == "$starts_with"
                else value.endswith(target))
    numbers = all(isinstance(x, int | float) and not isinstance(x, bool) for x in (value, target))
    if not numbers and not (isinstance(value, str) and isinstance(target, str)):
        return False
    a, b = value, target
    assert isinstance(a, int | float | str) and isinstance(b, int | float | str)
    if op == "$more_than":
        return a > b  # type: ignore[operator]
    if op == "$more_than_or_equal":
        return a >= b  # type: ignore[operator]
    if op == "$less_than":
        return a < b  # type: ignore[operator]
    return a <= b  # type: ignore[operator]


def holds(c: Condition, facts: Facts) -> bool:
    there, value = _read(c, facts)
    return all(_test(op, values, there, value) for op, values in c.tests)


def _refusal(rule: ValidationRule, failed: Condition) -> errors.GiftCardError:
    details = failed.message or rule.message or f"the card's rule {rule.name!r} does not allow this"
    if failed.name in (DAY_OF_WEEK, TIME_OF_DAY):
        return errors.VoucherNotActiveNow(details, rule=rule.id)
    if failed.name in (CUSTOMER_METADATA, PER_CUSTOMER):
        return errors.CustomerRulesViolated(details, rule=rule.id)
    return errors.OrderRulesViolated(details, rule=rule.id)


def check_rules(rules: Sequence[ValidationRule], facts: Facts) -> None:
    """Raise the refusal of the first of ``rules`` that ``facts`` do not satisfy (see the module)."""
    for rule in rules:
        by_number = {c.number: c for c in rule.conditions}
        results = {n: holds(c, facts) for n, c in by_number.items()}
        if not evaluate(rule.tree, results.__getitem__):
            named = sorted(refs(rule.tree), key=int)
            failed = next((by_number[n] for n in named if not results[n]), by_number[named[0]])
            raise _refusal(rule, failed)
