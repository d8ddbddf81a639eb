"""Validation rules on the sync API: the online authorisation decides by the card's rules (assigned to it or to
its campaign), and a pull carries rules and assignments, and the ids of deleted ones."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection, Engine, delete, insert

from pos_app.domain.validation_rules import parse_rule, rule_json
from pos_app.server.db.engine import write
from pos_app.server.db.models import rule_assignments, validation_rules
from pos_app.server.ledger import log_one, now
from pos_app.server.rules import ASSIGNMENT, RULE
from tests.server.harness import HttpTill
from tests.server.test_authorise import ok, refused

AT_LEAST_20 = {"name": "orders from 20.00", "rules": {
    "1": {"name": "order.amount", "conditions": {"$more_than_or_equal": [2000]}}, "logic": "1"}}


def add_rule(engine: Engine, raw: dict[str, Any], rule_id: str, kind: str, ref: str) -> None:
    def work(conn: Connection) -> None:
        conn.execute(insert(validation_rules).values(id=rule_id, name=raw["name"], created_at=now(),
                                                     definition=rule_json(parse_rule(raw, rule_id=rule_id))))
        conn.execute(insert(rule_assignments).values(id=f"a_{rule_id}", rule_id=rule_id, related_object_type=kind,
                                                     related_object_id=ref, created_at=now()))
        log_one(conn, RULE, rule_id)
        log_one(conn, ASSIGNMENT, f"a_{rule_id}")

    write(engine, work)


def test_the_online_authorisation_refuses_by_the_card_s_rule(engine: Engine, till: HttpTill,
                                                              card: dict[str, Any]) -> None:
    add_rule(engine, AT_LEAST_20, "val_1", "voucher", card["id"])
    body = refused(till.authorise("redeem", card["code"], 500), "order_rules_violated")
    assert body["card"]["balance"] == 5000 and body["entry"]["result"] == "FAILURE"
    assert ok(till.authorise("redeem", card["code"], 500, order_amount=2500))["card"]["balance"] == 4500


def test_a_campaign_s_rule_applies_to_its_cards(engine: Engine, till: HttpTill, card: dict[str, Any]) -> None:
    add_rule(engine, AT_LEAST_20, "val_2", "campaign", card["campaign_id"])
    refused(till.authorise("redeem", card["code"], 500), "order_rules_violated")


def test_a_pull_carries_rules_assignments_and_deletions(engine: Engine, till: HttpTill,
                                                         card: dict[str, Any]) -> None:
    cursor = till.pull()["next_cursor"]
    add_rule(engine, AT_LEAST_20, "val_3", "voucher", card["id"])
    page = till.pull(cursor)
    assert [r["id"] for r in page["validation_rules"]] == ["val_3"]
    assert parse_rule(page["validation_rules"][0]["definition"]).conditions[0].name == "order.amount"
    assert page["rule_assignments"] == [{"id": "a_val_3", "rule_id": "val_3", "related_object_type": "voucher",
                                         "related_object_id": card["id"]}]

    def remove(conn: Connection) -> None:
        conn.execute(delete(rule_assignments))
        conn.execute(delete(validation_rules))
        log_one(conn, ASSIGNMENT, "a_val_3")
        log_one(conn, RULE, "val_3")

    write(engine, remove)
    later = till.pull(page["next_cursor"])
    assert (later["removed_rules"], later["removed_assignments"]) == (["val_3"], ["a_val_3"])
    assert later["validation_rules"] == later["rule_assignments"] == []
