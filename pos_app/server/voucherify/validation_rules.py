"""``/v1/validation-rules``: Voucherify's validation rules for gift cards, and their assignments to campaigns and
vouchers. The rules themselves are the domain's (``domain.validation_rules``: what a rule may say, and how a
redemption is decided by it); this module only reads the JSON, stores it on the server's ledger (``server.rules``,
with the change-log lines the tills pull) and answers in Voucherify's shapes.

:func:`order_facts` turns the ``order`` and ``customer`` of a validation or redemption request into the
domain's :class:`~pos_app.domain.validation_rules.Order`, for ``services.cards.redeem(order=…)``.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Annotated, Any

from fastapi import APIRouter, Body, Query, Response
from sqlalchemy import ColumnElement, Connection, and_, delete, func, insert, or_, select, update

from pos_app.domain import errors
from pos_app.domain.validation_rules import Order, parse_rule, rule_json
from pos_app.server.db.engine import read, write
from pos_app.server.db.models import campaigns, cards, rule_assignments, validation_rules
from pos_app.server.ledger import log_one, new_id, now
from pos_app.server.rules import ASSIGNMENT, CAMPAIGN, RULE, VOUCHER
from pos_app.server.voucherify import shapes
from pos_app.server.voucherify.deps import Api
from pos_app.server.voucherify.fields import Lenient, Name

router = APIRouter(tags=["validation rules"])
MAX_ID = 64
CONTEXT = "context_type"
RuleBody = Annotated[dict[str, Any] | None, Body()]


def _id(text: str, what: str = "validation rule") -> str:
    if not text or len(text) > MAX_ID or not text.isprintable():
        raise errors.NotFound(f"no {what} with that id")
    return text


def _definition(raw: Mapping[str, Any], rule_id: str) -> dict[str, Any]:
    """What is stored of a rule: the domain's reading of it (``invalid_payload`` for a bad one)."""
    definition = rule_json(parse_rule(raw, rule_id=rule_id))
    context = raw.get(CONTEXT)
    definition[CONTEXT] = context if isinstance(context, str) and 0 < len(context) <= 100 else "global"
    return definition


def _rule_row(conn: Connection, rule_id: str) -> Any:
    row = conn.execute(select(validation_rules).where(validation_rules.c.id == rule_id)).first()
    if row is None:
        raise errors.NotFound(f"no validation rule with id {rule_id[:MAX_ID]}")
    return row


def _count(conn: Connection, rule_id: str) -> int:
    stmt = select(func.count()).select_from(rule_assignments).where(rule_assignments.c.rule_id == rule_id)
    return int(conn.execute(stmt).scalar_one())


def _rule_shape(row: Any, assignments: int) -> dict[str, Any]:
    d = dict(row.definition)
    return {"id": row.id, "name": row.name, "rules": d.get("rules", {}), "error": d.get("error"),
            "type": d.get("type", "basic"), "context_type": d.get(CONTEXT, "global"),
            "created_at": shapes.iso(row.created_at), "updated_at": shapes.iso(row.updated_at),
            "assignments_count": assignments, "object": "validation_rules"}


def _assignment_shape(row: Any) -> dict[str, Any]:
    return {"id": row.id, "rule_id": row.rule_id, "related_object_id": row.related_object_id,
            "related_object_type": row.related_object_type, "created_at": shapes.iso(row.created_at),
            "object": "validation_rules_assignment"}


@router.post("/validation-rules")
def create_validation_rules(call: Api, body: RuleBody = None) -> dict[str, Any]:
    rule_id = new_id("val")
    definition = _definition(body or {}, rule_id)

    def work(conn: Connection) -> Any:
        conn.execute(insert(validation_rules).values(id=rule_id, name=definition["name"], definition=definition,
                                                     created_at=now(), updated_at=None))
        log_one(conn, RULE, rule_id)
        return _rule_row(conn, rule_id)

    return _rule_shape(write(call.engine, work), 0)


@router.get("/validation-rules/{rule_id}")
def get_validation_rule(rule_id: str, call: Api) -> dict[str, Any]:
    rule_id = _id(rule_id)
    return read(call.engine, lambda conn: _rule_shape(_rule_row(conn, rule_id), _count(conn, rule_id)))


@router.get("/validation-rules")
def list_validation_rules(call: Api, limit: Annotated[int, Query(ge=1, le=100)] = 10,
                          page: Annotated[int, Query(ge=1, le=10_000)] = 1) -> dict[str, Any]:
    def work(conn: Connection) -> dict[str, Any]:
        total = int(conn.execute(select(func.count()).select_from(validation_rules)).scalar_one())
        rows = conn.execute(select(validation_rules).order_by(validation_rules.c.created_at, validation_rules.c.id)
                            .limit(limit).offset((page - 1) * limit)).all()
        data = [_rule_shape(row, _count(conn, row.id)) for row in rows]
        return {"object": "list", "data_ref": "data", "data": data, "total": total}

    return read(call.engine, work)


@router.put("/validation-rules/{rule_id}")
def update_validation_rule(rule_id: str, call: Api, body: RuleBody = None) -> dict[str, Any]:
    """The fields given replace the rule's (``rules`` as a whole); the rule is read again as a new one."""
    rule_id = _id(rule_id)

    def work(conn: Connection) -> dict[str, Any]:
        old = dict(_rule_row(conn, rule_id).definition)
        given = {k: v for k, v in (body or {}).items() if k in ("name", "type", "rules", "error", CONTEXT)}
        definition = _definition({**old, **given}, rule_id)
        conn.execute(update(validation_rules).where(validation_rules.c.id == rule_id)
                     .values(name=definition["name"], definition=definition, updated_at=now()))
        log_one(conn, RULE, rule_id)
        return _rule_shape(_rule_row(conn, rule_id), _count(conn, rule_id))

    return write(call.engine, work)


@router.delete("/validation-rules/{rule_id}", status_code=204)
def delete_validation_rules(rule_id: str, call: Api) -> Response:
    """The rule and its assignments: the cards it applied to are free of it, on the server and, once they have
    pulled, on every till."""
    rule_id = _id(rule_id)

    def work(conn: Connection) -> None:
        _rule_row(conn, rule_id)
        gone = conn.execute(select(rule_assignments.c.id).where(rule_assignments.c.rule_id == rule_id)).scalars()
        for assignment_id in list(gone):
            log_one(conn, ASSIGNMENT, assignment_id)
        conn.execute(delete(rule_assignments).where(rule_assignments.c.rule_id == rule_id))
        conn.execute(delete(validation_rules).where(validation_rules.c.id == rule_id))
        log_one(conn, RULE, rule_id)

    write(call.engine, work)
    return Response(status_code=204)


class AssignmentBody(Lenient):
    """``related_object_type`` ``campaign`` or ``voucher`` and the object's id (a voucher also by its code);
    Voucherify's older form ``{"campaign": id}`` / ``{"voucher": code}`` too."""

    related_object_type: Name | None = None
    related_object_id: Name | None = None
    campaign: Name | None = None
    voucher: Name | None = None


def _related(conn: Connection, body: AssignmentBody) -> tuple[str, str]:
    """(type, id) of the object ``body`` names, which must exist: a voucher is the card, by id or code."""
    kind, ref = body.related_object_type or VOUCHER, body.related_object_id
    if body.campaign is not None:
        kind, ref = CAMPAIGN, body.campaign
    elif body.voucher is not None:
        kind, ref = VOUCHER, body.voucher
    if kind not in (CAMPAIGN, VOUCHER) or not ref:
        raise errors.InvalidPayload("a gift card's rule is assigned to a campaign or a voucher, named by its id")
    if kind == CAMPAIGN:
        found = conn.execute(select(campaigns.c.id).where(campaigns.c.id == ref)).scalar_one_or_none()
    else:
        found = conn.execute(select(cards.c.id).where(or_(cards.c.id == ref, cards.c.code == ref))).scalar()
    if found is None:
        raise errors.NotFound(f"no {kind} with that id")
    return kind, found


@router.post("/validation-rules/{rule_id}/assignments")
def create_validation_rule_assignment(rule_id: str, call: Api,
                                      body: Annotated[AssignmentBody | None, Body()] = None) -> dict[str, Any]:
    rule_id = _id(rule_id)

    def work(conn: Connection) -> Any:
        _rule_row(conn, rule_id)
        kind, ref = _related(conn, body or AssignmentBody())
        twice = select(rule_assignments.c.id).where(
            rule_assignments.c.rule_id == rule_id, rule_assignments.c.related_object_type == kind,
            rule_assignments.c.related_object_id == ref)
        if conn.execute(twice).first() is not None:
            raise errors.DuplicateFound(f"the rule is assigned to that {kind} already")
        assignment_id = new_id("asgm")
        conn.execute(insert(rule_assignments).values(id=assignment_id, rule_id=rule_id, related_object_type=kind,
                                                     related_object_id=ref, created_at=now()))
        log_one(conn, ASSIGNMENT, assignment_id)
        return conn.execute(select(rule_assignments).where(rule_assignments.c.id == assignment_id)).one()

    return _assignment_shape(write(call.engine, work))


def _assignments(call: Api, where: Any, limit: int, page: int) -> dict[str, Any]:
    def work(conn: Connection) -> dict[str, Any]:
        total = int(conn.execute(select(func.count()).select_from(rule_assignments).where(where)).scalar_one())
        rows = conn.execute(select(rule_assignments).where(where)
                            .order_by(rule_assignments.c.created_at, rule_assignments.c.id)
                            .limit(limit).offset((page - 1) * limit)).all()
        return {"object": "list", "data_ref": "data", "data": [_assignment_shape(r) for r in rows], "total": total}

    return read(call.engine, work)


@router.get("/validation-rules/{rule_id}/assignments")
def list_validation_rule_assignments(rule_id: str, call: Api, limit: Annotated[int, Query(ge=1, le=100)] = 10,
                                     page: Annotated[int, Query(ge=1, le=10_000)] = 1) -> dict[str, Any]:
    rule_id = _id(rule_id)
    read(call.engine, lambda conn: _rule_row(conn, rule_id))
    return _assignments(call, rule_assignments.c.rule_id == rule_id, limit, page)


@router.get("/validation-rules-assignments")
def list_validation_rules_assignments(call: Api, related_object_id: Annotated[str | None, Query(max_length=200)] = None,
                                      rule: Annotated[str | None, Query(max_length=MAX_ID)] = None,
                                      limit: Annotated[int, Query(ge=1, le=100)] = 10,
                                      page: Annotated[int, Query(ge=1, le=10_000)] = 1) -> dict[str, Any]:
    where: list[ColumnElement[bool]] = [rule_assignments.c.id.is_not(None)]
    if related_object_id is not None:
        where.append(rule_assignments.c.related_object_id == related_object_id)
    if rule is not None:
        where.append(rule_assignments.c.rule_id == rule)
    return _assignments(call, and_(*where), limit, page)


@router.delete("/validation-rules/{rule_id}/assignments/{assignment_id}", status_code=204)
def delete_validation_rule_assignment(rule_id: str, assignment_id: str, call: Api) -> Response:
    rule_id, assignment_id = _id(rule_id), _id(assignment_id, "assignment")

    def work(conn: Connection) -> None:
        gone = conn.execute(delete(rule_assignments).where(rule_assignments.c.id == assignment_id,
                                                           rule_assignments.c.rule_id == rule_id)).rowcount
        if gone == 0:
            raise errors.NotFound("no assignment of that rule with that id")
        log_one(conn, ASSIGNMENT, assignment_id)

    write(call.engine, work)
    return Response(status_code=204)


# ---- the facts of a redemption, for the redemption and validation endpoints -----------------------------------

def _metadata(value: object, what: str) -> dict[str, Any]:
    if value is None:
        return {}
    if not isinstance(value, Mapping) or len(value) > 100:
        raise errors.InvalidPayload(f"{what} is an object of at most 100 keys")
    return {str(k): v for k, v in value.items()}


def order_facts(order_json: object, customer_json: object = None) -> Order:
    """The domain's :class:`Order` from a request's ``order`` and ``customer`` (Voucherify's objects: ``order``
    ``{amount, metadata, customer}``, ``customer`` ``{id, source_id, metadata}``; the order's own ``customer`` when
    the request names none); ``invalid_payload`` for what cannot be read. An amount is integer minor units."""
    order = order_json if isinstance(order_json, Mapping) else {}
    if order_json is not None and not isinstance(order_json, Mapping):
        raise errors.InvalidPayload("order is an object")
    customer = customer_json if customer_json is not None else order.get("customer")
    if customer is not None and not isinstance(customer, Mapping):
        raise errors.InvalidPayload("customer is an object")
    customer = customer or {}
    amount = order.get("amount")
    if amount is not None and (isinstance(amount, bool) or not isinstance(amount, int) or not 0 <= amount < 2**63):
        raise errors.InvalidPayload("order.amount is a whole number of minor units, 0 or more")

    def text(value: object, what: str) -> str | None:
        if value is None:
            return None
        if not isinstance(value, str) or len(value) > 200:
            raise errors.InvalidPayload(f"{what} is text of at most 200 characters")
        return value

    return Order(amount=amount, metadata=_metadata(order.get("metadata"), "order.metadata"),
                 customer_id=text(customer.get("id"), "customer.id"),
                 customer_source_id=text(customer.get("source_id"), "customer.source_id"),
                 customer_metadata=_metadata(customer.get("metadata"), "customer.metadata"))
