"""Head office's card operations on the server: the till's use cases over the server's unit of work.

Head office disables a lost card: every till learns it by pull, and it can no longer be redeemed online. Its top-ups
and corrections are decided by the same rules as a manager's at a till (head office's maxima included), written as
confirmed entries made on the server, and pulled by every till.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest
from sqlalchemy import Engine

from pos_app.domain import errors
from pos_app.domain.ledger import EntryKind, EntryStatus
from pos_app.domain.money import Money
from pos_app.server import authority
from pos_app.server.cards_admin import correct, publish, set_enabled, top_up
from pos_app.server.conflicts import SERVER_DEVICE
from pos_app.server.db.engine import write
from pos_app.server.ledger import now
from pos_app.server.uow import ServerUnitOfWork, head_office
from pos_app.services import cards as card_cases
from tests.server.conftest import make_cards, totals_add_up
from tests.server.harness import HttpTill, pos_server


def test_a_disabled_card_reaches_the_tills_and_is_refused(engine: Engine, till: HttpTill, till2: HttpTill,
                                                          card: dict[str, Any]) -> None:
    cursor = till2.pull_all()["cursor"]
    disabled = set_enabled(engine, card["code"].lower(), enabled=False)
    assert disabled.status.value == "disabled"

    page = till2.pull_all(cursor)
    assert page["cards"][card["id"]]["status"] == "disabled"
    refused = till.authorise("redeem", card["code"], 100).json()
    assert refused["result"] == "FAILURE" and refused["error"]["key"] == "voucher_disabled"

    set_enabled(engine, card["code"], enabled=True)
    assert till.authorise("redeem", card["code"], 100).json()["result"] == "SUCCESS"


def test_unknown_codes_and_frozen_cards_are_refused(engine: Engine, card: dict[str, Any]) -> None:
    with pytest.raises(errors.NotFound):
        set_enabled(engine, "NO-SUCH-CARD", enabled=False)
    set_enabled(engine, card["code"], enabled=False)
    with pytest.raises(errors.VoucherDisabled):  # already disabled: said so, nothing changes
        set_enabled(engine, card["code"], enabled=False)


def test_the_command_line(db_url: str, card: dict[str, Any]) -> None:
    done = pos_server(db_url, "card", "disable", card["code"], "--json").json()
    assert done["status"] == "disabled"
    again = pos_server(db_url, "card", "disable", card["code"], check=False)
    assert again.code == 1 and "voucher_disabled" in again.err and "Traceback" not in again.err
    assert pos_server(db_url, "card", "enable", card["code"], "--json").json()["status"] == "active"


def test_head_offices_top_up_and_correction_reach_the_tills(engine: Engine, till: HttpTill, till2: HttpTill,
                                                           card: dict[str, Any]) -> None:
    cursor = till2.pull_all()["cursor"]
    topped, entry = top_up(engine, card["code"], Money(2_000, "EUR"), reason="  paid by bank transfer 42  ")
    assert topped.balance == 7_000 and entry.amount == 2_000 and entry.kind is EntryKind.CREDITS_ADDITION
    assert (entry.device_id, entry.operator_id, entry.device_seq, entry.status) == (
        SERVER_DEVICE, None, 0, EntryStatus.CONFIRMED)
    assert entry.reason == "paid by bank transfer 42" and entry.server_seq is not None
    corrected, fix = correct(engine, card["code"], Money(-500, "EUR"), reason="counted twice")
    assert corrected.balance == 6_500 and fix.amount == -500

    page = till2.pull_all(cursor)
    assert page["cards"][card["id"]]["balance"] == 6_500
    pulled = {e["id"]: e for e in page["entries"]}
    assert {str(entry.id), str(fix.id)} <= set(pulled)
    assert till.authorise("redeem", card["code"], 6_500).json()["result"] == "SUCCESS"
    totals_add_up(engine)


def test_head_office_is_held_to_its_own_maxima_and_rules(engine: Engine, card: dict[str, Any]) -> None:
    write(engine, lambda conn: authority.set_policy(conn, max_balance=10_000, max_per_operation=4_000))
    with pytest.raises(errors.OperationLimitExceeded):
        top_up(engine, card["code"], Money(4_001, "EUR"), reason="too much at once")
    assert top_up(engine, card["code"], Money(3_000, "EUR"), reason="within")[0].balance == 8_000
    with pytest.raises(errors.BalanceLimitExceeded):
        correct(engine, card["code"], Money(2_001, "EUR"), reason="over the maximum balance")
    with pytest.raises(errors.InvalidAddBalanceParams):
        correct(engine, card["code"], Money(100, "EUR"), reason="   ")
    set_enabled(engine, card["code"], enabled=False)
    with pytest.raises(errors.VoucherDisabled):  # nothing is added to a disabled card, by anyone
        top_up(engine, card["code"], Money(100, "EUR"), reason="a lost card")
    with pytest.raises(errors.CurrencyMismatch):
        top_up(engine, card["code"], Money(100, "USD"), reason="wrong money")
    totals_add_up(engine)


def test_a_refused_attempt_is_recorded_though_the_use_case_raises(engine: Engine, card: dict[str, Any]) -> None:
    """The unit of work commits the refused attempt in its own transaction, as the till's store does."""
    with pytest.raises(errors.GiftAmountExceeded):
        card_cases.redeem(ServerUnitOfWork(engine), head_office(engine), card["code"], Money(9_999, "EUR"))
    with ServerUnitOfWork(engine) as uow:
        latest = uow.entries.for_card(card["id"], limit=1)[0]
    assert (latest.kind, latest.result.value, latest.error_key, latest.amount) == (
        EntryKind.CREDITS_REDEMPTION, "FAILURE", "gift_amount_exceeded", -9_999)
    assert latest.status is EntryStatus.CONFIRMED and latest.server_seq is not None


def test_publishing_makes_the_customer_once(engine: Engine, card: dict[str, Any]) -> None:
    def publish_as(source_id: str, **details: str | None) -> tuple[Any, Any]:
        return write(engine, lambda conn: publish(conn, card["code"], source_id, name=details.get("name"),
                                                  email=details.get("email"), at=now()))

    published, customer = publish_as(" crm-7 ", name="Ann", email="ann@example.com")
    assert published.customer_id == customer.id and customer.source_id == "crm-7"
    again, same = publish_as("crm-7")
    assert same.id == customer.id and again.customer_id == customer.id and same.name == "Ann"
    with pytest.raises(errors.InvalidPayload):
        publish_as("x" * 201)


def when(text: str) -> datetime:
    return datetime.fromisoformat(text.replace("Z", "+00:00"))


def test_head_office_changes_a_cards_terms_and_every_till_learns_them(db_url: str, engine: Engine, till: HttpTill,
                                                                       till2: HttpTill) -> None:
    (fresh,) = make_cards(engine, till, 1, expiration_date=datetime(2031, 1, 1, tzinfo=UTC))
    assert till.authorise("sell", fresh["code"]).json()["result"] == "SUCCESS"
    cursor = till2.pull_all()["cursor"]

    extended = pos_server(db_url, "card", "extend", fresh["code"], "--expires", "2031-06-30", "--reason",
                          "the shop was closed", "--json").json()
    assert extended["object"] == "card_change" and extended["reason"] == "the shop was closed"
    assert extended["card"]["expiration_date"] > "2031-06-30"
    pos_server(db_url, "card", "set", fresh["code"], "--category", "staff", "--metadata", "owner=Ann",
               "--reason", "given to staff")
    refused = pos_server(db_url, "card", "extend", fresh["code"], "--expires", "2031-01-15", "--reason", "r",
                         check=False)
    assert refused.code == 1 and "invalid_payload" in refused.err and "Traceback" not in refused.err

    learnt = till2.pull_all(cursor)["cards"][fresh["id"]]  # every till learns the new terms by pull
    assert (learnt["category"], learnt["metadata"]) == ("staff", {"owner": "Ann"})
    assert when(learnt["expiration_date"]) == when(extended["card"]["expiration_date"]) > datetime(2031, 6, 30,
                                                                                                 tzinfo=UTC)
    assert learnt["balance"] == 5000  # no value moved
    shown = pos_server(db_url, "card", "show", fresh["code"], "--json").json()
    assert [c["reason"] for c in shown["changes"]] == ["given to staff", "the shop was closed"]
    assert [c["field"] for c in shown["changes"][0]["changes"]] == ["category", "metadata.owner"]
    assert [e["type"] for e in shown["entries"]] == ["CREDITS_ADDITION"]  # the ledger only has the sale
