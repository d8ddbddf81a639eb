"""Validation rules on the server's ledger: stored as their JSON (``domain.validation_rules.rule_json``), assigned
to campaigns and cards, and put on a card whenever a decision loads it (:func:`with_rules`: the use cases of
``ServerUnitOfWork``, the API's; the online authorisation reads whether the card has any, and its campaign's flag,
with its first read, :func:`any_rule` and :func:`campaign_active`, and the rules only when there are some), so that
the one redemption decision sees them wherever it runs. A rule or an assignment written or deleted gets its
change-log line (:data:`RULE`, :data:`ASSIGNMENT`), and tills pull them (``pull``)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import ColumnElement, Connection, ScalarSelect, and_, exists, or_, select

from pos_app.domain.cards import GiftCard
from pos_app.domain.validation_rules import ValidationRule, parse_rule
from pos_app.server.db.models import campaigns, rule_assignments, validation_rules
from pos_app.sync.schemas import WireRule, WireRuleAssignment

RULE = "validation_rule"
ASSIGNMENT = "rule_assignment"
CAMPAIGN, VOUCHER = "campaign", "voucher"


def rule_from_row(row: Any) -> ValidationRule:
    return parse_rule(row.definition, rule_id=row.id)


def _assigned(card_id: Any, campaign_id: Any) -> ColumnElement[bool]:
    """An assignment of a rule to the card or to its campaign: ``card_id`` and ``campaign_id`` are values or
    columns of a statement that reads the card (a NULL campaign matches no assignment)."""
    mine = and_(rule_assignments.c.related_object_type == VOUCHER, rule_assignments.c.related_object_id == card_id)
    if campaign_id is None:
        return mine
    return or_(mine, and_(rule_assignments.c.related_object_type == CAMPAIGN,
                          rule_assignments.c.related_object_id == campaign_id))


def any_rule(card_id: ColumnElement[str], campaign_id: ColumnElement[str | None]) -> ColumnElement[bool]:
    """Whether any rule applies to the card: for a statement that reads the card, so that the rules themselves are
    read (:func:`rules_for`) only for a card that has some, which most cards have not."""
    return exists().where(_assigned(card_id, campaign_id))


def campaign_active(campaign_id: ColumnElement[str | None]) -> ScalarSelect[bool]:
    """Its campaign's ``active`` flag, for a statement that reads the card (NULL: no campaign; see :func:`put`)."""
    return select(campaigns.c.active).where(campaigns.c.id == campaign_id).scalar_subquery()


def rules_for(conn: Connection, card_id: str, campaign_id: str | None) -> tuple[ValidationRule, ...]:
    """The rules assigned to the card or to its campaign, oldest first, each once."""
    stmt = (select(validation_rules.c.id, validation_rules.c.definition)
            .where(validation_rules.c.id.in_(select(rule_assignments.c.rule_id)
                                              .where(_assigned(card_id, campaign_id))))
            .order_by(validation_rules.c.created_at, validation_rules.c.id))
    return tuple(rule_from_row(row) for row in conn.execute(stmt))


def put(card: GiftCard, rules: tuple[ValidationRule, ...], active: bool | None) -> GiftCard:
    """``card`` with its ``rules`` and its campaign's ``active`` flag as read (None: no such campaign, which
    disables nothing)."""
    card.rules = rules
    if card.campaign_id is not None:
        card.campaign_enabled = active is not False
    return card


def with_rules(conn: Connection, card: GiftCard | None) -> GiftCard | None:
    """``card`` with the rules that apply to it (see the module) and whether its campaign is enabled."""
    if card is None:
        return None
    active = None
    if card.campaign_id is not None:
        active = conn.execute(select(campaigns.c.active).where(campaigns.c.id == card.campaign_id)).scalar()
    return put(card, rules_for(conn, card.id, card.campaign_id), active)


def wire_rules(conn: Connection, rule_ids: list[str], assignment_ids: list[str]
               ) -> tuple[list[WireRule], list[WireRuleAssignment], list[str], list[str]]:
    """For a pull page: the rules and assignments with these ids as they are now, and the ids of those that no
    longer exist (deleted)."""
    rules = [WireRule(id=r.id, name=r.name, definition=r.definition)
             for r in conn.execute(select(validation_rules).where(validation_rules.c.id.in_(rule_ids))
                                   .order_by(validation_rules.c.id))] if rule_ids else []
    assignments = [WireRuleAssignment(id=a.id, rule_id=a.rule_id, related_object_type=a.related_object_type,
                                      related_object_id=a.related_object_id)
                   for a in conn.execute(select(rule_assignments).where(rule_assignments.c.id.in_(assignment_ids))
                                         .order_by(rule_assignments.c.id))] if assignment_ids else []
    removed_rules = sorted(set(rule_ids) - {r.id for r in rules})
    removed_assignments = sorted(set(assignment_ids) - {a.id for a in assignments})
    return rules, assignments, removed_rules, removed_assignments
