"""A card's validation rules in a cashier's words, one line per rule, for the manager's card details:
"Only on orders of at least €20.00", "Mon–Fri 09:00–17:00", "Once per customer".

A rule's conditions are written one by one and joined by its logic ("; " for *and*, " or " for *or*); a day
condition beside a time condition reads as one ("Mon–Fri 09:00–17:00"). Amounts and day names follow the shop's
locale (Babel).
"""

from __future__ import annotations

from collections.abc import Sequence

from babel.dates import get_day_names

from pos_app.domain.money import Money
from pos_app.domain.rule_logic import Both, Node, Ref
from pos_app.domain.validation_rules import (
    CUSTOMER_METADATA,
    DAY_OF_WEEK,
    ORDER_AMOUNT,
    PER_CUSTOMER,
    TIME_OF_DAY,
    Condition,
    ValidationRule,
    Value,
)
from pos_app.formatting import format_money
from pos_app.ui.messages import tr


def rule_lines(rules: Sequence[ValidationRule], *, currency: str, locale: str) -> list[str]:
    """One line per rule."""
    return [_line(rule, currency=currency, locale=locale) for rule in rules]


def _line(rule: ValidationRule, *, currency: str, locale: str) -> str:
    by_number = {c.number: c for c in rule.conditions}

    def text(node: Node, top: bool = True) -> str:
        if isinstance(node, Ref):
            return _condition(by_number[node.number], currency=currency, locale=locale)
        names = [by_number[p.number].name if isinstance(p, Ref) else "" for p in node.parts]
        if isinstance(node, Both) and sorted(names) == [DAY_OF_WEEK, TIME_OF_DAY]:
            day, hours = node.parts if names[0] == DAY_OF_WEEK else reversed(node.parts)
            return f"{text(day, False)} {text(hours, False)}"
        joined = ("; " if isinstance(node, Both) else tr(" or ")).join(text(p, False) for p in node.parts)
        return joined if top else f"({joined})"

    return text(rule.tree)


def _days(values: Sequence[Value], locale: str) -> str:
    """Voucherify's days (0 = Sunday) as "Mon–Fri" or "Mon, Wed, Sat", in the shop's language."""
    names = get_day_names("abbreviated", locale=locale)  # Babel: 0 = Monday
    days = sorted({(int(v) - 1) % 7 for v in values if isinstance(v, int)})
    if len(days) >= 3 and days == list(range(days[0], days[-1] + 1)):
        return f"{names[days[0]]}–{names[days[-1]]}"
    return ", ".join(names[d] for d in days)


def _listed(values: Sequence[Value]) -> str:
    return ", ".join(str(v) for v in values)


def _condition(c: Condition, *, currency: str, locale: str) -> str:
    tests = dict(c.tests)
    if c.name == TIME_OF_DAY:
        start = tests.get("$more_than_or_equal") or tests.get("$more_than")
        end = tests.get("$less_than") or tests.get("$less_than_or_equal")
        if start and end:
            return f"{start[0]}–{end[0]}"
        return tr("from {time}").format(time=start[0]) if start else tr("until {time}").format(time=(end or [""])[0])
    if c.name == DAY_OF_WEEK:
        if "$is_not" in tests:
            return tr("not on {days}").format(days=_days(tests["$is_not"], locale))
        return _days(tests.get("$in") or tests.get("$is") or (), locale)
    parts = [_test(c, op, values, currency=currency, locale=locale) for op, values in c.tests]
    return "; ".join(parts)


def _test(c: Condition, op: str, values: tuple[Value, ...], *, currency: str, locale: str) -> str:
    if c.name == ORDER_AMOUNT:
        money = [format_money(Money(int(v), currency), locale=locale) for v in values]
        return {
            "$more_than_or_equal": tr("Only on orders of at least {amount}"),
            "$more_than": tr("Only on orders over {amount}"),
            "$less_than": tr("Only on orders under {amount}"),
            "$less_than_or_equal": tr("Only on orders of at most {amount}"),
            "$is_not": tr("Not on orders of {amount}"),
        }.get(op, tr("Only on orders of {amount}")).format(amount=", ".join(money))
    if c.name == PER_CUSTOMER:
        limit = int(values[0])
        most = {"$less_than_or_equal": limit, "$less_than": limit - 1}.get(op)
        if most == 1:
            return tr("Once per customer")
        if most is not None:
            return tr("At most {count} times per customer").format(count=most)
        return tr("Uses per customer: {rule} {count}").format(rule=op.strip("$").replace("_", " "), count=limit)
    whose = tr("Customer's {name}") if c.name == CUSTOMER_METADATA else tr("Order's {name}")
    subject = whose.format(name=c.prop or "")
    phrase = {
        "$is": tr("{subject} is {values}"), "$in": tr("{subject} is {values}"),
        "$is_not": tr("{subject} is not {values}"), "$contains": tr("{subject} contains {values}"),
        "$starts_with": tr("{subject} starts with {values}"), "$ends_with": tr("{subject} ends with {values}"),
        "$more_than": tr("{subject} is over {values}"), "$more_than_or_equal": tr("{subject} is at least {values}"),
        "$less_than": tr("{subject} is under {values}"), "$less_than_or_equal": tr("{subject} is at most {values}"),
    }[op]
    return phrase.format(subject=subject, values=_listed(values))
