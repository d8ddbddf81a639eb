"""The till's store keeps pulled validation rules and puts them on the cards it reads (``SqlRuleRepository``):
a card's own and its campaign's, and none once the server has deleted them."""

from __future__ import annotations

from pathlib import Path

from pos_app.domain.cards import Campaign, CardStatus, GiftCard
from pos_app.domain.validation_rules import parse_rule
from pos_app.services.ports import RuleAssignment
from pos_app.store import open_store


def _rule(rule_id: str, minimum: int):
    return parse_rule({"name": rule_id, "rules": {"1": {"name": "order.amount",
                                                        "conditions": {"$more_than_or_equal": [minimum]}}}},
                      rule_id=rule_id)


def test_rules_reach_the_cards_they_are_assigned_to(tmp_path: Path) -> None:
    store = open_store(tmp_path)
    with store.unit_of_work() as uow:
        uow.campaigns.add(Campaign(id="camp_1", name="Winter", currency="EUR", amount=5000, code_config={}))
        uow.cards.add_many([GiftCard(id="c1", code="GC-1", currency="EUR", campaign_id="camp_1",
                                     status=CardStatus.ACTIVE),
                            GiftCard(id="c2", code="GC-2", currency="EUR", status=CardStatus.ACTIVE)])
        assert uow.cards.get("c1").rules == ()  # type: ignore[union-attr]
        uow.rules.upsert([_rule("val_a", 2000), _rule("val_b", 3000)],
                         [RuleAssignment("a1", "val_a", "campaign", "camp_1"),
                          RuleAssignment("a2", "val_b", "voucher", "c1")])
        assert [r.id for r in uow.cards.get("c1").rules] == ["val_a", "val_b"]  # type: ignore[union-attr]
        uow.commit()
    with store.unit_of_work() as uow:
        assert uow.cards.get_by_code("GC-2").rules == ()  # type: ignore[union-attr]
        uow.rules.upsert([_rule("val_a", 2500)], [])  # changed on the server
        assert uow.cards.get_by_code("GC-1").rules[0] == _rule("val_a", 2500)  # type: ignore[union-attr]
        uow.rules.remove(["val_b"], [])  # deleted on the server, with its assignments
        assert [r.id for r in uow.cards.get("c1").rules] == ["val_a"]  # type: ignore[union-attr]
        uow.rules.remove([], ["a1"])
        assert uow.cards.get("c1").rules == ()  # type: ignore[union-attr]
        uow.commit()
    store.close()


def test_a_card_read_from_the_store_knows_whether_its_campaign_is_disabled(tmp_path: Path) -> None:
    store = open_store(tmp_path)
    with store.unit_of_work() as uow:
        uow.campaigns.add(Campaign(id="camp_1", name="Winter", currency="EUR", amount=5000, code_config={}))
        uow.cards.add_many([GiftCard(id="c1", code="GC-1", currency="EUR", campaign_id="camp_1",
                                     status=CardStatus.ACTIVE)])
        assert uow.cards.get("c1").campaign_enabled is True  # type: ignore[union-attr]
        uow.campaigns.upsert([Campaign(id="camp_1", name="Winter", currency="EUR", amount=5000, code_config={},
                                       active=False)])  # as a pull brings head office's disabling
        assert uow.cards.get_by_code("GC-1").campaign_enabled is False  # type: ignore[union-attr]
        uow.commit()
    store.close()
