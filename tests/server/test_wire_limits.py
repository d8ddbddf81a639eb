"""The limits of the wire (``pos_app.sync.fields``): every field of every wire model has one, they fit the
server's columns, the largest push a till can send fits the body limit, and the log never shows a whole code."""

from __future__ import annotations

import inspect
import json
import logging
import uuid
from datetime import UTC, datetime
from typing import Any

import pytest
from pydantic import BaseModel, ValidationError

from pos_app.domain.codes import MAX_CODE_LENGTH
from pos_app.server.db.models import cards, entries
from pos_app.server.edge import DEFAULT_MAX_BODY, is_json
from pos_app.server.logs import NoCodes, scrub
from pos_app.sync import fields, schemas
from pos_app.sync.schemas import MAX_PUSH, PushRequest, WireEntry

NOW = "2026-03-02T09:00:00+01:00"
ID = str(uuid.uuid4())
ENTRY = {"id": ID, "card_id": "v_1", "code": "GC-AAAA", "kind": "CREDITS_REDEMPTION", "amount": -100,
         "currency": "EUR", "balance_after": 900, "created_at": NOW, "device_id": "dev_1"}
CARD = {"id": "v_1", "code": "GC-AAAA", "currency": "EUR", "status": "active", "loaded": 1000, "balance": 900,
        "redeemed": 100, "refunded": 0}
ERROR = {"code": 404, "key": "not_found", "message": "resource not found"}
STORE = {"name": "Shop", "currency": "EUR"}
#: One valid instance of every wire model (a new model needs one here: then its fields are checked too).
VALID: dict[str, dict[str, Any]] = {
    "ErrorBody": ERROR,
    "StoreInfo": STORE,
    "WireLimits": {},
    "WireEntry": ENTRY,
    "WireCard": CARD,
    "WireCampaign": {"id": "camp_1", "name": "Winter", "currency": "EUR", "amount": 5000},
    "WireUser": {"id": "u_1", "name": "Ann", "role": "cashier", "pin_hash": "scrypt$x"},
    "EnrolRequest": {"code": "ABCD-EFGH", "device_name": "till"},
    "EnrolResponse": {"device_id": "dev_1", "token": "t", "store": STORE, "limits": {}, "server_time": NOW},
    "AuthoriseRequest": {"op": "redeem", "entry_id": ID, "code": "GC-AAAA", "amount": 100, "currency": "EUR",
                         "created_at": NOW},
    "AuthoriseResponse": {"result": "FAILURE", "error": ERROR},
    "PushRequest": {"entries": [ENTRY]},
    "PushResult": {"id": ID, "outcome": "stored"},
    "PushResponse": {"results": [], "server_time": NOW},
    "PullResponse": {"cards": [], "entries": [], "users": [], "limits": {}, "store": STORE, "next_cursor": 0,
                     "has_more": False, "server_time": NOW},
    "ConflictOut": {"id": "con_1", "card_id": "v_1", "code": "GC-AAAA", "status": "open", "overdraft": 100,
                    "currency": "EUR", "entry_ids": [], "opened_at": NOW},
    "ResolveConflict": {"action": "write_off", "reason": "lost"},
    "WireCustomer": {"id": "cust_1", "source_id": "crm-1"},
    "WireRule": {"id": "val_1", "name": "From 20.00", "definition": {"rules": {"logic": ""}}},
    "WireRuleAssignment": {"id": "asgm_1", "rule_id": "val_1", "related_object_type": "voucher",
                           "related_object_id": "v_1"},
    "PublishRequest": {"code": "GC-AAAA", "source_id": "crm-1"},
    "PublishResponse": {"card": CARD, "customer": {"id": "cust_1", "source_id": "crm-1"}},
}
#: Fields without a bound of their own, and why.
UNBOUNDED = {
    ("ErrorBody", "key"): "cut to 64 characters, never refused",
    ("ErrorBody", "message"): "cut to 500 characters, never refused",
    ("ErrorBody", "details"): "cut to 2000 characters, never refused",
    ("PushResponse", "results"): "the server's: one per entry pushed (at most MAX_PUSH)",
    ("PullResponse", "cards"): "the server's: at most one per change of the page (limit <= MAX_PULL)",
    ("PullResponse", "entries"): "the server's: at most one per change of the page",
    ("PullResponse", "users"): "the server's: at most one per change of the page",
    ("PullResponse", "campaigns"): "the server's: at most one per change of the page",
    ("ConflictOut", "entry_ids"): "the server's: the entries of one card's conflict",
    ("ConflictOut", "notes"): "the server's: one line per divergence of one card",
}


def models() -> dict[str, type[BaseModel]]:
    return {name: cls for name, cls in inspect.getmembers(schemas, inspect.isclass)
            if issubclass(cls, schemas.Wire) and cls is not schemas.Wire}


def _type(prop: dict[str, Any]) -> dict[str, Any]:
    """A property's schema without its ``null`` alternative."""
    options = [p for p in prop.get("anyOf", [prop]) if p.get("type") != "null"]
    return options[0] if len(options) == 1 else {}


def _hostile(prop: dict[str, Any]) -> list[Any]:
    kind = _type(prop)
    if "enum" in kind or "const" in kind or "$ref" in kind or kind.get("format") == "uuid":
        return []  # a closed set, a nested model (checked on its own), a UUID: nothing out of range to send
    if kind.get("type") == "string" and kind.get("format") == "date-time":
        return ["0001-01-01T00:30:00+01:00", "9999-12-31T23:30:00-05:00", "2026-01-01T10:00:00"]
    if kind.get("type") == "string":
        return ["x" * 1_000_000]
    if kind.get("type") == "integer":
        return [2**63, -(2**63) - 1]
    if kind.get("type") == "object":
        return [{f"k{i}": "x" * 100 for i in range(10_000)}]
    if kind.get("type") == "array":
        return [[None] * 10_000]
    return []


def test_every_wire_model_has_an_example_here() -> None:
    assert set(models()) == set(VALID)
    for name, cls in models().items():
        cls.model_validate(VALID[name])


@pytest.mark.parametrize("name", sorted(VALID))
def test_every_field_refuses_what_is_out_of_its_length_or_range(name: str) -> None:
    cls = models()[name]
    schema = cls.model_json_schema()
    for field, prop in schema["properties"].items():
        hostile = _hostile(prop)
        if (name, field) in UNBOUNDED or not hostile:
            continue
        for value in hostile:
            with pytest.raises(ValidationError):
                cls.model_validate({**VALID[name], field: value})
            if not isinstance(value, str | int):
                continue
            with pytest.raises(ValidationError):  # as the server reads it
                cls.model_validate_json(json.dumps({**VALID[name], field: value}))


def test_a_till_cannot_put_into_a_field_what_the_server_cannot_store() -> None:
    lengths = {c.name: getattr(c.type, "length", None) for c in entries.columns}
    for field, prop in WireEntry.model_json_schema()["properties"].items():
        longest = _type(prop).get("maxLength")
        if longest is not None and lengths.get(field) is not None:
            assert longest <= lengths[field], field
    assert cards.c.code.type.length == MAX_CODE_LENGTH == fields.MAX_CODE_LENGTH


def test_the_largest_push_a_till_can_send_fits_the_body_limit() -> None:
    worst = "\x01"  # written as \\u0001: six bytes a character, the most JSON takes for one
    entry = WireEntry(
        id=uuid.uuid4(), card_id=worst * fields.MAX_ID, code=worst * MAX_CODE_LENGTH, kind="CREDITS_REDEMPTION",
        amount=-fields.MAX_AMOUNT, currency="KWD", balance_after=-fields.MAX_AMOUNT,
        created_at=datetime(2099, 12, 31, 23, 59, 59, 999999, tzinfo=UTC), device_id=worst * fields.MAX_ID,
        device_seq=fields.INT64_MAX, operator_id=worst * fields.MAX_ID, result="FAILURE",
        error_key=worst * fields.MAX_ERROR_KEY, order_ref=worst * fields.MAX_ORDER_REF,
        reason=worst * fields.MAX_REASON, refund_of=uuid.uuid4(), override_by=worst * fields.MAX_ID,
        status="provisional", server_seq=fields.INT64_MAX,
    )
    body = PushRequest(entries=[entry] * MAX_PUSH).model_dump(mode="json")
    # as the till's client (httpx) writes it
    size = len(json.dumps(body, ensure_ascii=False, separators=(",", ":"), allow_nan=False).encode())
    assert 6 * 2**20 < size < DEFAULT_MAX_BODY


@pytest.mark.parametrize(("content_type", "ok"), [
    ("application/json", True), ("application/json; charset=utf-8", True), ("APPLICATION/JSON;Charset=UTF-8", True),
    ("application/json; charset=latin-1", False), ("text/plain", False), ("application/jsonx", False),
    ("application/json; boundary=x", False), (None, False), ("", False),
])
def test_only_json_is_json(content_type: str | None, ok: bool) -> None:
    assert is_json(content_type) is ok


# ---- the log -----------------------------------------------------------------------------------------------

def test_the_log_filter_masks_codes_in_messages_and_tracebacks() -> None:
    code = "GC-7XZP-23AB-CDEF-GHJK"
    error = ('(psycopg.errors.UniqueViolation) duplicate key value violates unique constraint "uq_cards_code"\n'
             f"DETAIL:  Key (code)=(IMPORTED-{code}) already exists.\n[SQL: INSERT …]")
    try:
        raise RuntimeError(error)
    except RuntimeError as exc:
        record = logging.LogRecord("pos_app.server", logging.ERROR, __file__, 1, "card %s failed", (code,),
                                   (type(exc), exc, exc.__traceback__))
    assert NoCodes(logging.WARNING).filter(record)
    text = logging.Formatter().format(record)
    assert "GHJK" in text and code not in text and "IMPORTED" not in text and "duplicate key" in text
    assert code.lower() not in scrub(f"x {code.lower()} y")
    info = logging.LogRecord("pos_app.server", logging.INFO, __file__, 1, "%s", (code,), None)
    assert not NoCodes(logging.WARNING).filter(info) and code not in info.getMessage()  # scrubbed all the same


def test_the_application_installs_the_filter(tmp_path: Any) -> None:
    from pos_app.server.app import create_app

    create_app(f"sqlite:///{tmp_path / 'server.sqlite3'}")
    create_app(f"sqlite:///{tmp_path / 'server.sqlite3'}")
    ours = [f for h in logging.getLogger("pos_app").handlers for f in h.filters if isinstance(f, NoCodes)]
    assert len(ours) == 1
    assert any(isinstance(f, NoCodes) for f in logging.getLogger("uvicorn.error").filters)
