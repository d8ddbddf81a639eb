"""Push: idempotent by entry id, applied in device order, overdrafts frozen into conflicts, nothing dropped."""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import Engine, text

from pos_app.server.divergence import reversal_id
from pos_app.sync.schemas import MAX_PUSH, till_fact_id
from tests.server.conftest import make_cards, totals_add_up
from tests.server.harness import HttpTill


def results(response: Any) -> list[dict[str, Any]]:
    assert response.status_code == 200, response.text
    found: list[dict[str, Any]] = response.json()["results"]
    return found


def count_entries(engine: Engine) -> int:
    with engine.connect() as conn:
        return int(conn.execute(text("SELECT count(*) FROM entries")).scalar_one())


def card_state(till: HttpTill, card_id: str) -> dict[str, Any]:
    state: dict[str, Any] = till.pull_all()["cards"][card_id]
    return state


def test_offline_redemptions_are_stored_and_confirmed(till: HttpTill, card: dict[str, Any], engine: Engine) -> None:
    batch = [till.offline_entry(card, "CREDITS_REDEMPTION", -1000),
             till.offline_entry(card, "CREDITS_REDEMPTION", -500)]
    found = results(till.push(batch))
    assert [r["outcome"] for r in found] == ["stored", "stored"]
    assert [r["status"] for r in found] == ["confirmed", "confirmed"]
    assert found[0]["server_seq"] < found[1]["server_seq"]
    assert card_state(till, card["id"])["balance"] == 3500
    totals_add_up(engine)


def test_a_batch_replayed_three_times_changes_nothing_and_answers_the_same(till: HttpTill, card: dict[str, Any],
                                                                          engine: Engine) -> None:
    batch = [till.offline_entry(card, "CREDITS_REDEMPTION", -700) for _ in range(5)]
    first = results(till.push(batch))
    entries, cursor = count_entries(engine), till.pull_all()["cursor"]
    for _ in range(3):
        assert results(till.push(batch)) == first
    assert count_entries(engine) == entries
    assert till.pull(cursor)["entries"] == []  # nothing new in the change log either
    assert card_state(till, card["id"])["balance"] == 5000 - 5 * 700


def test_a_batch_cut_off_halfway_is_sent_again_whole(till: HttpTill, card: dict[str, Any], engine: Engine) -> None:
    batch = [till.offline_entry(card, "CREDITS_REDEMPTION", -300) for _ in range(6)]
    half = results(till.push(batch[:3]))  # the server stored these, the till never heard back
    whole = results(till.push(batch))
    assert whole[:3] == half
    assert [r["outcome"] for r in whole[3:]] == ["stored"] * 3
    assert count_entries(engine) == 1 + 6  # the sale and six redemptions, each once
    assert card_state(till, card["id"])["balance"] == 5000 - 6 * 300
    totals_add_up(engine)


def test_entries_arriving_out_of_order_are_applied_in_device_order(till: HttpTill, card: dict[str, Any],
                                                                    engine: Engine) -> None:
    first = till.offline_entry(card, "CREDITS_REDEMPTION", -3000)
    second = till.offline_entry(card, "CREDITS_REDEMPTION", -3000)  # together they overdraw the 50.00
    found = {r["id"]: r for r in results(till.push([second, first]))}
    assert found[first["id"]]["outcome"] == "stored"
    assert found[second["id"]]["outcome"] == "conflict"
    assert found[first["id"]]["server_seq"] < found[second["id"]]["server_seq"]
    totals_add_up(engine)


def test_a_refund_after_its_redemption_in_one_batch(till: HttpTill, card: dict[str, Any], engine: Engine) -> None:
    redemption = till.offline_entry(card, "CREDITS_REDEMPTION", -2000)
    refund = till.offline_entry(card, "CREDITS_REFUND", 2000, refund_of=redemption["id"])
    again = till.offline_entry(card, "CREDITS_REFUND", 2000, refund_of=redemption["id"])
    unknown = till.offline_entry(card, "CREDITS_REFUND", 100, refund_of=str(uuid.uuid4()))
    found = results(till.push([again, refund, redemption, unknown]))
    assert [r["outcome"] for r in found] == ["rejected", "stored", "stored", "rejected"]
    assert found[0]["error"]["key"] == "already_rolled_back"
    assert found[3]["error"]["key"] == "not_found"
    state = card_state(till, card["id"])
    assert (state["balance"], state["redeemed"], state["refunded"]) == (5000, 2000, 2000)
    totals_add_up(engine)


def test_an_entry_for_an_unknown_card_is_rejected_and_the_rest_stored(till: HttpTill, card: dict[str, Any]) -> None:
    ghost = {**card, "id": "v_ghost", "code": "GC-GHST-GHST-GHST-GHST"}
    batch = [till.offline_entry(ghost, "CREDITS_REDEMPTION", -100),
             till.offline_entry(card, "CREDITS_REDEMPTION", -100)]
    found = results(till.push(batch))
    assert found[0]["outcome"] == "rejected"
    assert found[0]["server_seq"] is None
    assert set(found[0]["error"]) == {"code", "key", "message", "details", "request_id"}
    assert found[0]["error"]["key"] == "not_found"
    assert found[1]["outcome"] == "stored"
    assert results(till.push(batch))[0]["outcome"] == "rejected"  # and again, the same


def test_malformed_entries_are_rejected_one_by_one(till: HttpTill, card: dict[str, Any]) -> None:
    batch = [
        till.offline_entry(card, "CREDITS_REDEMPTION", -100, currency="USD"),
        till.offline_entry(card, "CREDITS_REDEMPTION", 100),
        till.offline_entry(card, "CREDITS_REMOVAL", -9000, reason="too much"),
        till.offline_entry(card, "CREDITS_REDEMPTION", -100, code="GC-OTHR-OTHR-OTHR-OTHR"),
    ]
    found = results(till.push(batch))
    keys = [r["error"]["key"] if r["error"] else r["outcome"] for r in found]
    # a correction below zero is a fact the rules refuse: kept as a refused attempt, in a conflict
    assert keys == ["currency_mismatch", "invalid_payload", "conflict", "invalid_payload"]
    assert card_state(till, card["id"])["balance"] == 5000


def test_a_pushed_failure_is_kept_and_changes_nothing(till: HttpTill, card: dict[str, Any]) -> None:
    failure = till.offline_entry(card, "CREDITS_REDEMPTION", -9000, result="FAILURE",
                                 error_key="offline_limit_exceeded", balance_after=5000)
    assert results(till.push([failure]))[0]["outcome"] == "stored"
    pulled = [e for e in till.pull_all()["entries"] if e["id"] == failure["id"]]
    assert pulled[0]["result"] == "FAILURE" and pulled[0]["error_key"] == "offline_limit_exceeded"
    assert card_state(till, card["id"])["balance"] == 5000


def test_an_entry_authorised_online_is_a_duplicate_when_pushed(till: HttpTill, card: dict[str, Any]) -> None:
    online = till.authorise("redeem", card["code"], 100).json()["entry"]
    found = results(till.push([online]))
    assert found[0]["outcome"] == "duplicate"
    assert (found[0]["status"], found[0]["server_seq"]) == ("confirmed", online["server_seq"])


def test_an_offline_sale_activates_the_card(engine: Engine, till: HttpTill) -> None:
    (fresh,) = make_cards(engine, till, 1, amount=2000)
    sale = till.offline_entry(fresh, "CREDITS_ADDITION", 2000)
    assert results(till.push([sale]))[0]["outcome"] == "stored"
    state = card_state(till, fresh["id"])
    assert (state["status"], state["balance"], state["loaded"]) == ("active", 2000, 2000)


def test_two_tills_overdrawing_a_card_freeze_it_and_open_one_conflict(till: HttpTill, till2: HttpTill,
                                                                       card: dict[str, Any], engine: Engine) -> None:
    first = till.offline_entry(card, "CREDITS_REDEMPTION", -4000, balance_after=1000)
    second = till2.offline_entry(card, "CREDITS_REDEMPTION", -3000, balance_after=2000)
    assert results(till.push([first]))[0]["outcome"] == "stored"
    over = results(till2.push([second]))[0]
    assert (over["outcome"], over["status"]) == ("conflict", "conflict")
    state = card_state(till, card["id"])
    assert (state["status"], state["balance"], state["redeemed"]) == ("frozen", -2000, 7000)
    pulled = {e["id"]: e for e in till.pull_all()["entries"]}
    assert pulled[first["id"]]["status"] == "confirmed"
    assert (pulled[second["id"]]["status"], pulled[second["id"]]["balance_after"]) == ("conflict", -2000)
    open_ = till.http.get("/sync/v1/conflicts", headers=till.headers).json()
    assert len(open_) == 1
    assert (open_[0]["card_id"], open_[0]["overdraft"], open_[0]["entry_ids"]) == (card["id"], 2000, [second["id"]])
    # the frozen card refuses online redemptions; a later offline one joins the same conflict
    refusal = till.authorise("redeem", card["code"], 100).json()
    assert refusal["error"]["key"] == "voucher_frozen"
    late = till.offline_entry(card, "CREDITS_REDEMPTION", -500)
    assert results(till.push([late]))[0]["outcome"] == "conflict"
    open_ = till.http.get("/sync/v1/conflicts", headers=till.headers).json()
    assert len(open_) == 1
    assert (open_[0]["overdraft"], open_[0]["entry_ids"]) == (2500, [second["id"], late["id"]])
    totals_add_up(engine)


def test_an_offline_redemption_of_a_disabled_card_opens_a_conflict(till: HttpTill, card: dict[str, Any],
                                                                    engine: Engine) -> None:
    from tests.server.conftest import set_card

    set_card(engine, card["id"], status="disabled")
    found = results(till.push([till.offline_entry(card, "CREDITS_REDEMPTION", -100)]))[0]
    assert found["outcome"] == "conflict"
    assert card_state(till, card["id"])["status"] == "frozen"


def test_a_batch_larger_than_the_limit_is_refused(till: HttpTill, card: dict[str, Any]) -> None:
    batch = [till.offline_entry(card, "CREDITS_REDEMPTION", -1) for _ in range(MAX_PUSH + 1)]
    response = till.push(batch)
    assert (response.status_code, response.json()["key"]) == (400, "invalid_payload")


def test_a_full_batch_of_many_cards_in_one_request(engine: Engine, till: HttpTill) -> None:
    cards = make_cards(engine, till, 50, amount=1000)
    sales = [till.offline_entry(c, "CREDITS_ADDITION", 1000) for c in cards]
    sold = [{**c, "balance": 1000} for c in cards]
    spends = [till.offline_entry(c, "CREDITS_REDEMPTION", -10) for c in sold for _ in range(19)]
    found = results(till.push(sales + spends))
    assert {r["outcome"] for r in found} == {"stored"}
    assert len({r["server_seq"] for r in found}) == len(found) == 1000
    states = till.pull_all()["cards"]
    assert {states[c["id"]]["balance"] for c in cards} == {1000 - 190}
    totals_add_up(engine)


def test_a_till_clock_hours_off_is_stored_and_the_device_order_decides(till: HttpTill, card: dict[str, Any]) -> None:
    from datetime import datetime, timedelta

    from pos_app.server.ledger import now

    first = till.offline_entry(card, "CREDITS_REDEMPTION", -3000, created_at=(now() + timedelta(hours=6)).isoformat())
    second = till.offline_entry(card, "CREDITS_REDEMPTION", -3000, created_at=(now() - timedelta(hours=9)).isoformat())
    found = {r["id"]: r for r in results(till.push([second, first]))}
    assert (found[first["id"]]["outcome"], found[second["id"]]["outcome"]) == ("stored", "conflict")
    pulled = {e["id"]: e for e in till.pull_all()["entries"]}
    for sent in (first, second):
        assert datetime.fromisoformat(pulled[sent["id"]]["created_at"]) == datetime.fromisoformat(sent["created_at"])
    assert pulled[first["id"]]["server_seq"] < pulled[second["id"]]["server_seq"]


# ---- divergence: one entry id, other facts at the server and at the till (see pos_app.sync.schemas) ---------------

def _lost_answer(till: HttpTill, code: str, amount: int) -> dict[str, Any]:
    """The till asks the server to redeem ``amount``; the server decides and records, the answer is lost."""
    answer: dict[str, Any] = till.authorise("redeem", code, amount).json()
    return answer


def _conflicts(till: HttpTill) -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = till.http.get("/sync/v1/conflicts", headers=till.headers).json()
    return found


def _entries(engine: Engine, card_id: str) -> dict[str, tuple[Any, ...]]:
    with engine.connect() as conn:
        rows = conn.execute(text("SELECT id, result, amount, device_id, device_seq, status, conflict_id "
                                 "FROM entries WHERE card_id = :c"), {"c": card_id}).all()
    return {row[0]: tuple(row[1:]) for row in rows}


def test_a_refusal_whose_answer_was_lost_then_accepted_offline_keeps_both_facts(
        till: HttpTill, till2: HttpTill, card: dict[str, Any], engine: Engine) -> None:
    assert till2.authorise("redeem", card["code"], 3000).json()["result"] == "SUCCESS"  # 20.00 left
    refused = _lost_answer(till, card["code"], 4000)
    assert (refused["result"], refused["error"]["key"]) == ("FAILURE", "gift_amount_exceeded")
    x = refused["entry"]
    cursor = till.pull_all()["cursor"]
    # Offline, the till (its cache said 50.00) accepted the same sale: same id, same device number, other facts.
    accepted = till.offline_entry(card, "CREDITS_REDEMPTION", -4000, id=x["id"], device_seq=x["device_seq"])
    first = results(till.push([accepted]))[0]
    y = str(till_fact_id(uuid.UUID(x["id"])))
    assert (first["outcome"], first["status"], first["recorded_as"]) == ("conflict", "conflict", y)

    stored = _entries(engine, card["id"])
    assert stored[x["id"]][:4] == ("FAILURE", -4000, till.device_id, x["device_seq"])  # the server's, kept
    assert stored[y][:5] == ("SUCCESS", -4000, till.device_id, 0, "conflict")  # the till's, applied
    state = card_state(till, card["id"])
    assert (state["status"], state["balance"]) == ("frozen", 5000 - 3000 - 4000)
    (conflict,) = _conflicts(till)
    assert conflict["entry_ids"] == [x["id"], y]
    assert conflict["overdraft"] == 2000
    assert len(conflict["notes"]) == 1 and x["id"] in conflict["notes"][0] and y in conflict["notes"][0]
    assert "refused (gift_amount_exceeded)" in conflict["notes"][0] and "accepted" in conflict["notes"][0]
    # The next pull carries both: the server's facts under X (logged again) and the till's under the new id.
    pulled = {e["id"]: e for e in till.pull(cursor)["entries"]}
    assert (pulled[x["id"]]["result"], pulled[y]["result"]) == ("FAILURE", "SUCCESS")
    totals_add_up(engine)

    after = till.pull_all()["cursor"]
    for _ in range(2):  # a replay answers the same and changes nothing
        assert results(till.push([accepted]))[0] == first
    assert _entries(engine, card["id"]) == stored
    assert till.pull(after)["entries"] == [] and till.pull(after)["cards"] == []
    assert len(_conflicts(till)) == 1


def test_a_sale_accepted_online_whose_answer_was_lost_then_refused_offline(till: HttpTill, card: dict[str, Any],
                                                                           engine: Engine) -> None:
    x = _lost_answer(till, card["code"], 1500)["entry"]  # the server took 15.00
    refused = till.offline_entry(card, "CREDITS_REDEMPTION", -1500, id=x["id"], device_seq=x["device_seq"],
                                 result="FAILURE", error_key="offline_limit_exceeded", balance_after=5000)
    found = results(till.push([refused]))[0]
    y = str(till_fact_id(uuid.UUID(x["id"])))
    assert (found["outcome"], found["recorded_as"]) == ("conflict", y)
    state = card_state(till, card["id"])
    assert (state["status"], state["balance"]) == ("active", 5000)  # the customer is not charged: reversed
    stored = _entries(engine, card["id"])
    assert (stored[x["id"]][0], stored[y][0]) == ("SUCCESS", "FAILURE")
    (conflict,) = _conflicts(till)
    z = str(reversal_id(uuid.UUID(x["id"])))
    assert conflict["entry_ids"] == [x["id"], y, z] and conflict["overdraft"] == 0
    assert stored[z][0] == "SUCCESS"
    assert "accepted" in conflict["notes"][0] and "refused (offline_limit_exceeded)" in conflict["notes"][0]
    assert conflict["notes"][1].startswith("reversed:") and z in conflict["notes"][1]
    again = results(till.push([refused]))[0]  # a replay answers the same and reverses nothing twice
    assert (again["outcome"], again["recorded_as"]) == ("conflict", y)
    assert card_state(till, card["id"])["balance"] == 5000
    totals_add_up(engine)


def test_a_divergence_joins_the_card_s_open_conflict(till: HttpTill, till2: HttpTill, card: dict[str, Any],
                                                     engine: Engine) -> None:
    over = till2.offline_entry(card, "CREDITS_REDEMPTION", -6000)
    assert results(till2.push([over]))[0]["outcome"] == "conflict"  # frozen, one conflict open
    x = _lost_answer(till, card["code"], 500)["entry"]
    assert x["result"] == "FAILURE"  # frozen
    accepted = till.offline_entry(card, "CREDITS_REDEMPTION", -500, id=x["id"], device_seq=x["device_seq"])
    assert results(till.push([accepted]))[0]["outcome"] == "conflict"
    (conflict,) = _conflicts(till)
    assert conflict["entry_ids"] == [over["id"], x["id"], str(till_fact_id(uuid.UUID(x["id"])))]
    assert conflict["overdraft"] == 1500 and len(conflict["notes"]) == 1
    totals_add_up(engine)


def test_the_same_refusal_twice_is_a_plain_duplicate(till: HttpTill, card: dict[str, Any], engine: Engine) -> None:
    x = _lost_answer(till, card["code"], 9000)["entry"]  # refused online: over the balance
    refused = till.offline_entry(card, "CREDITS_REDEMPTION", -9000, id=x["id"], device_seq=x["device_seq"],
                                 result="FAILURE", error_key="offline_limit_exceeded", balance_after=5000)
    found = results(till.push([refused]))[0]
    assert (found["outcome"], found["recorded_as"], found["server_seq"]) == ("duplicate", None, x["server_seq"])
    assert _conflicts(till) == []
    assert len(_entries(engine, card["id"])) == 2  # the sale and the refusal


def test_a_divergent_refund_the_rules_refuse_is_rejected_and_nothing_is_stored(
        till: HttpTill, card: dict[str, Any], engine: Engine) -> None:
    redemption = till.authorise("redeem", card["code"], 1000).json()["entry"]
    x = till.authorise("refund", card["code"], 1000, refund_of=redemption["id"]).json()["entry"]
    assert x["result"] == "SUCCESS"
    again = till.offline_entry(card, "CREDITS_REFUND", 600, id=x["id"], device_seq=x["device_seq"],
                               refund_of=redemption["id"])  # the till refunded part of it, offline
    found = results(till.push([again]))[0]
    assert (found["outcome"], found["error"]["key"]) == ("rejected", "already_rolled_back")
    assert str(till_fact_id(uuid.UUID(x["id"]))) not in _entries(engine, card["id"])
    assert _conflicts(till) == []
