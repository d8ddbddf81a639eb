"""Validation rules a till has pulled (``RuleRepository``); the card repository puts them on the cards it reads."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import Connection, and_, delete, or_, select
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from pos_app.domain.validation_rules import ValidationRule, parse_rule, rule_json
from pos_app.services.ports import RuleAssignment, RuleRepository
from pos_app.store.models import rule_assignments, validation_rules

_rule = sqlite_insert(validation_rules)
_PUT_RULE = _rule.on_conflict_do_update(index_elements=[validation_rules.c.id],
                                        set_={"definition": _rule.excluded.definition})
_assignment = sqlite_insert(rule_assignments)
_PUT_ASSIGNMENT = _assignment.on_conflict_do_update(
    index_elements=[rule_assignments.c.id],
    set_={name: _assignment.excluded[name] for name in ("rule_id", "related_object_type", "related_object_id")})


_ANY = select(rule_assignments.c.id).limit(1)


class SqlRuleRepository(RuleRepository):
    """``for_card`` asks once per transaction whether the till has any assignment at all (most tills have none),
    and then only looks further when it has: a card read costs no more than it did without rules."""

    def __init__(self, conn: Connection) -> None:
        self._conn = conn
        self._any: bool | None = None  # known for this transaction (reset by what this repository writes)

    def upsert(self, rules: Sequence[ValidationRule], assignments: Sequence[RuleAssignment]) -> None:
        self._any = None
        if rules:
            self._conn.execute(_PUT_RULE, [{"id": r.id, "definition": rule_json(r)} for r in rules])
        if assignments:
            self._conn.execute(_PUT_ASSIGNMENT, [
                {"id": a.id, "rule_id": a.rule_id, "related_object_type": a.related_object_type,
                 "related_object_id": a.related_object_id} for a in assignments])

    def remove(self, rule_ids: Sequence[str], assignment_ids: Sequence[str]) -> None:
        self._any = None
        if assignment_ids or rule_ids:
            self._conn.execute(delete(rule_assignments).where(or_(rule_assignments.c.id.in_(list(assignment_ids)),
                                                                  rule_assignments.c.rule_id.in_(list(rule_ids)))))
        if rule_ids:
            self._conn.execute(delete(validation_rules).where(validation_rules.c.id.in_(list(rule_ids))))

    def for_card(self, card_id: str, campaign_id: str | None) -> tuple[ValidationRule, ...]:
        if self._any is None:
            self._any = self._conn.execute(_ANY).first() is not None
        if not self._any:
            return ()
        mine = and_(rule_assignments.c.related_object_type == "voucher",
                    rule_assignments.c.related_object_id == card_id)
        if campaign_id is not None:
            mine = or_(mine, and_(rule_assignments.c.related_object_type == "campaign",
                                  rule_assignments.c.related_object_id == campaign_id))
        stmt = (select(validation_rules.c.id, validation_rules.c.definition)
                .where(validation_rules.c.id.in_(select(rule_assignments.c.rule_id).where(mine)))
                .order_by(validation_rules.c.id))
        return tuple(parse_rule(row.definition, rule_id=row.id) for row in self._conn.execute(stmt))
