"""Online authorisation: every operation, every refusal, replays, and a till whose clock is wrong."""

from __future__ import annotations

import uuid
from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import Engine

from pos_app.server.ledger import now
from tests.server.conftest import make_cards, set_card, totals_add_up
from tests.server.harness import HttpTill


def ok(response: Any) -> dict[str, Any]:
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    assert body["result"] == "SUCCESS", body
    return body


def refused(response: Any, key: str) -> dict[str, Any]:
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    assert body["result"] == "FAILURE", body
    assert body["error"]["key"] == key, body["error"]
    assert set(body["error"]) == {"code", "key", "message", "details", "request_id"}
    return body


def test_sell_activates_with_the_preset_value(engine: Engine, till: HttpTill) -> None:
    (fresh,) = make_cards(engine, till, 1, amount=2500)
    assert fresh["status"] == "inactive"
    body = ok(till.authorise("sell", fresh["code"]))
    assert body["card"]["status"] == "active"
    assert (body["card"]["balance"], body["card"]["loaded"]) == (2500, 2500)
    entry = body["entry"]
    assert (entry["kind"], entry["amount"], entry["balance_after"]) == ("CREDITS_ADDITION", 2500, 2500)
    assert entry["status"] == "confirmed"
    assert entry["device_id"] == till.device_id
    assert entry["server_seq"] > 0


def test_redeem_top_up_correct_and_refund(till: HttpTill, card: dict[str, Any], engine: Engine) -> None:
    code = card["code"]
    redeemed = ok(till.authorise("redeem", code, 1250, order_ref="order-1"))
    assert redeemed["card"]["balance"] == 3750
    assert (redeemed["entry"]["kind"], redeemed["entry"]["amount"]) == ("CREDITS_REDEMPTION", -1250)
    assert redeemed["entry"]["order_ref"] == "order-1"
    assert ok(till.authorise("top_up", code, 1000))["card"]["balance"] == 4750
    down = ok(till.authorise("correct", code, -750, reason="miscount"))
    assert (down["entry"]["kind"], down["card"]["balance"], down["card"]["loaded"]) == ("CREDITS_REMOVAL", 4000, 5250)
    up = ok(till.authorise("correct", code, 100, reason="goodwill"))
    assert (up["entry"]["kind"], up["card"]["balance"]) == ("CREDITS_ADDITION", 4100)
    back = ok(till.authorise("refund", code, None, refund_of=redeemed["entry"]["id"]))
    assert (back["entry"]["kind"], back["entry"]["amount"]) == ("CREDITS_REFUND", 1250)
    assert back["entry"]["refund_of"] == redeemed["entry"]["id"]
    assert back["card"]["balance"] == 5350
    assert (back["card"]["redeemed"], back["card"]["refunded"]) == (1250, 1250)
    totals_add_up(engine)


def test_a_partial_refund(till: HttpTill, card: dict[str, Any]) -> None:
    redeemed = ok(till.authorise("redeem", card["code"], 2000))
    back = ok(till.authorise("refund", card["code"], 500, refund_of=redeemed["entry"]["id"]))
    assert back["card"]["balance"] == 3500


@pytest.mark.parametrize(("op", "amount", "extra", "key"), [
    ("redeem", 5001, {}, "gift_amount_exceeded"),
    ("redeem", 0, {}, "invalid_amount"),
    ("redeem", -5, {}, "invalid_amount"),
    ("redeem", None, {}, "missing_amount"),
    ("redeem", 100, {"currency": "USD"}, "currency_mismatch"),
    ("redeem", 100, {"currency": "XYZ"}, "invalid_amount"),
    ("top_up", None, {}, "missing_amount"),
    ("top_up", 10**8, {}, "operation_limit_exceeded"),  # beyond head office's maximum per operation
    ("correct", -100, {}, "invalid_add_balance_params"),
    ("correct", 0, {"reason": "nothing"}, "invalid_amount"),
    ("correct", -6000, {"reason": "too much"}, "gift_amount_exceeded"),
    ("correct", None, {"reason": "no amount"}, "missing_amount"),
    ("sell", None, {}, "voucher_already_active"),
    ("refund", None, {}, "invalid_payload"),
    ("refund", None, {"refund_of": "00000000-0000-4000-8000-000000000000"}, "not_found"),
])
def test_refusals_are_answered_and_recorded(till: HttpTill, card: dict[str, Any], op: str, amount: int | None,
                                            extra: dict[str, Any], key: str) -> None:
    before = till.pull()["next_cursor"]
    body = refused(till.authorise(op, card["code"], amount, **extra), key)
    assert body["card"]["balance"] == 5000
    entry = body["entry"]
    assert (entry["result"], entry["error_key"], entry["balance_after"]) == ("FAILURE", key, 5000)
    page = till.pull(before)
    assert [e["id"] for e in page["entries"]] == [entry["id"]]
    assert page["cards"] == []  # a refusal changes no card


def test_card_rules_refuse_with_their_keys(engine: Engine, till: HttpTill) -> None:
    cards = make_cards(engine, till, 7, redemption_limit=1)
    for c in cards[1:]:
        ok(till.authorise("sell", c["code"]))
    inactive, used, disabled, expired, later, hours, order = cards
    refused(till.authorise("redeem", inactive["code"], 100), "voucher_not_active")
    ok(till.authorise("redeem", used["code"], 100))
    refused(till.authorise("redeem", used["code"], 100), "quantity_exceeded")
    set_card(engine, disabled["id"], status="disabled")
    refused(till.authorise("redeem", disabled["code"], 100), "voucher_disabled")
    refused(till.authorise("top_up", disabled["code"], 100), "voucher_disabled")
    set_card(engine, expired["id"], expiration_date=now() - timedelta(minutes=1))
    refused(till.authorise("redeem", expired["code"], 100), "voucher_expired")
    set_card(engine, later["id"], start_date=now() + timedelta(days=1))
    refused(till.authorise("redeem", later["code"], 100), "voucher_not_active")
    hour = now().astimezone()
    set_card(engine, hours["id"], validity_start=f"{(hour + timedelta(hours=1)).hour:02d}:00",
             validity_end=f"{(hour + timedelta(hours=2)).hour:02d}:00")
    refused(till.authorise("redeem", hours["code"], 100), "voucher_not_active_now")
    set_card(engine, order["id"], min_order_amount=2000)
    refused(till.authorise("redeem", order["code"], 100, order_amount=1500), "order_rules_violated")
    ok(till.authorise("redeem", order["code"], 100, order_amount=2000))


def test_a_refund_is_refused_the_second_time(till: HttpTill, card: dict[str, Any]) -> None:
    redeemed = ok(till.authorise("redeem", card["code"], 1000))
    ok(till.authorise("refund", card["code"], None, refund_of=redeemed["entry"]["id"]))
    refused(till.authorise("refund", card["code"], None, refund_of=redeemed["entry"]["id"]), "already_rolled_back")


def test_a_refund_gives_back_at_most_what_was_taken(till: HttpTill, card: dict[str, Any]) -> None:
    redeemed = ok(till.authorise("redeem", card["code"], 1000))
    refused(till.authorise("refund", card["code"], 1001, refund_of=redeemed["entry"]["id"]), "gift_amount_exceeded")


def test_an_unknown_card_is_a_failure_without_an_entry(till: HttpTill) -> None:
    body = refused(till.authorise("redeem", "GC-NOPE-NOPE-NOPE-NOPE", 100), "not_found")
    assert body["entry"] is None and body["card"] is None
    assert till.pull()["entries"] == []


def test_a_replay_answers_exactly_as_the_first_time(till: HttpTill, card: dict[str, Any]) -> None:
    entry_id = str(uuid.uuid4())
    first = till.authorise("redeem", card["code"], 1000, entry_id=entry_id)
    ok(till.authorise("redeem", card["code"], 500))  # the card moves on
    again = till.authorise("redeem", card["code"], 1000, entry_id=entry_id)
    assert again.content == first.content
    assert again.json()["card"]["balance"] == 4000
    failed_id = str(uuid.uuid4())
    refusal = till.authorise("redeem", card["code"], 99_999, entry_id=failed_id)
    assert till.authorise("redeem", card["code"], 99_999, entry_id=failed_id).content == refusal.content
    assert till.pull()["cards"][0]["balance"] == 3500  # (the first page holds this one card)


def test_a_replay_on_another_card_is_a_duplicate(engine: Engine, till: HttpTill, card: dict[str, Any]) -> None:
    (other,) = make_cards(engine, till, 1)
    entry_id = str(uuid.uuid4())
    ok(till.authorise("redeem", card["code"], 100, entry_id=entry_id))
    response = till.authorise("sell", other["code"], None, entry_id=entry_id)
    assert (response.status_code, response.json()["key"]) == (409, "duplicate_found")


def test_a_till_clock_hours_off_is_stored_but_the_server_decides(engine: Engine, till: HttpTill,
                                                                 card: dict[str, Any]) -> None:
    set_card(engine, card["id"], expiration_date=now() + timedelta(hours=1))
    ahead = (now() + timedelta(hours=5)).replace(microsecond=0)
    behind = (now() - timedelta(hours=7)).replace(microsecond=0)
    first = ok(till.authorise("redeem", card["code"], 100, created_at=ahead.isoformat()))
    second = ok(till.authorise("redeem", card["code"], 100, created_at=behind.isoformat()))
    assert second["entry"]["server_seq"] > first["entry"]["server_seq"]
    entries = [e for e in till.pull()["entries"] if e["kind"] == "CREDITS_REDEMPTION"]
    assert [e["id"] for e in entries] == [first["entry"]["id"], second["entry"]["id"]]  # server order
    from datetime import datetime

    assert [datetime.fromisoformat(e["created_at"]) for e in entries] == [ahead, behind]
    set_card(engine, card["id"], expiration_date=now() - timedelta(seconds=1))
    refused(till.authorise("redeem", card["code"], 100, created_at=behind.isoformat()), "voucher_expired")


def test_a_naive_time_is_a_malformed_request(till: HttpTill, card: dict[str, Any]) -> None:
    response = till.authorise("redeem", card["code"], 100, created_at="2026-01-01T10:00:00")
    assert (response.status_code, response.json()["key"]) == (400, "invalid_payload")
