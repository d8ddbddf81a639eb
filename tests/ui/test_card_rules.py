"""A manager sees a card's validation rules in its details on the Cards page, one line per rule in a cashier's
words; the rules come from the till's store (pulled from head office), as the redemption decides by them."""

from __future__ import annotations

from pos_app.domain.validation_rules import parse_rule
from pos_app.services.ports import RuleAssignment
from pos_app.ui.manager.cards_page import CardsPage
from pos_app.ui.manager.rule_text import rule_lines
from tests.ui.test_manager_cards import page, show  # noqa: F401 (the page fixture)


def rule(*conditions: dict[str, object], logic: str = "", rule_id: str = "val_1"):
    body: dict[str, object] = {str(i): c for i, c in enumerate(conditions, start=1)}
    return parse_rule({"name": "r", "rules": {**body, "logic": logic}}, rule_id=rule_id)


AT_LEAST_20 = {"name": "order.amount", "conditions": {"$more_than_or_equal": [2000]}}
WEEKDAYS = {"name": "redemption.day_of_week", "conditions": {"$in": [1, 2, 3, 4, 5]}}
OFFICE_HOURS = {"name": "redemption.time_of_day", "conditions": {"$more_than_or_equal": ["09:00"],
                                                                   "$less_than": ["17:00"]}}
ONCE = {"name": "redemption.count.per_customer", "conditions": {"$less_than_or_equal": [1]}}
GOLD = {"name": "customer.metadata", "property": "tier", "conditions": {"$in": ["gold", "silver"]}}


def test_each_rule_is_one_line_in_a_cashiers_words(qapp) -> None:
    lines = rule_lines([rule(AT_LEAST_20), rule(WEEKDAYS, OFFICE_HOURS, logic="1 and 2"), rule(ONCE),
                        rule(GOLD, AT_LEAST_20, logic="1 or 2"),
                        rule({"name": "redemption.day_of_week", "conditions": {"$is_not": [0, 6]}})],
                       currency="EUR", locale="en_GB")
    assert lines == ["Only on orders of at least €20.00", "Mon–Fri 09:00–17:00", "Once per customer",
                     "Customer's tier is gold, silver or Only on orders of at least €20.00", "not on Sat, Sun"]


def test_the_cards_page_lists_the_cards_rules(page: CardsPage, ctx, codes, qtbot, settle, till) -> None:  # noqa: F811
    code = codes["active"]
    show(page, qtbot, settle, code)
    assert not page.panel.rules.isVisible()  # a card without rules says nothing about them
    card = ctx.session.look_up(code).card
    with till.new_uow() as uow:
        uow.rules.upsert([rule(AT_LEAST_20, rule_id="val_a"), rule(WEEKDAYS, OFFICE_HOURS, logic="1 and 2",
                                                                  rule_id="val_b")],
                         [RuleAssignment("a1", "val_a", "voucher", card.id),
                          RuleAssignment("a2", "val_b", "campaign", card.campaign_id or "")])
        uow.commit()
    show(page, qtbot, settle, code)
    assert page.panel.rules.isVisible()
    assert page.panel.rules.text().splitlines() == [
        "Rules:", "• Only on orders of at least €20.00", "• Mon–Fri 09:00–17:00"]
