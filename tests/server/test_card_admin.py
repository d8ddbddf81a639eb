"""Head office disables a lost card: every till learns it by pull, and it can no longer be redeemed online."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest
from sqlalchemy import Engine

from pos_app.domain import errors
from pos_app.server.cards_admin import set_enabled
from pos_app.server.db.engine import write
from tests.server.conftest import make_cards
from tests.server.harness import HttpTill, pos_server


def test_a_disabled_card_reaches_the_tills_and_is_refused(engine: Engine, till: HttpTill, till2: HttpTill,
                                                          card: dict[str, Any]) -> None:
    cursor = till2.pull_all()["cursor"]
    disabled = write(engine, lambda conn: set_enabled(conn, card["code"].lower(), enabled=False))
    assert disabled.status.value == "disabled"

    page = till2.pull_all(cursor)
    assert page["cards"][card["id"]]["status"] == "disabled"
    refused = till.authorise("redeem", card["code"], 100).json()
    assert refused["result"] == "FAILURE" and refused["error"]["key"] == "voucher_disabled"

    write(engine, lambda conn: set_enabled(conn, card["code"], enabled=True))
    assert till.authorise("redeem", card["code"], 100).json()["result"] == "SUCCESS"


def test_unknown_codes_and_frozen_cards_are_refused(engine: Engine, card: dict[str, Any]) -> None:
    with pytest.raises(errors.NotFound):
        write(engine, lambda conn: set_enabled(conn, "NO-SUCH-CARD", enabled=False))
    write(engine, lambda conn: set_enabled(conn, card["code"], enabled=False))
    with pytest.raises(errors.VoucherDisabled):  # already disabled: said so, nothing changes
        write(engine, lambda conn: set_enabled(conn, card["code"], enabled=False))


def test_the_command_line(db_url: str, card: dict[str, Any]) -> None:
    done = pos_server(db_url, "card", "disable", card["code"], "--json").json()
    assert done["status"] == "disabled"
    again = pos_server(db_url, "card", "disable", card["code"], check=False)
    assert again.code == 1 and "voucher_disabled" in again.err and "Traceback" not in again.err
    assert pos_server(db_url, "card", "enable", card["code"], "--json").json()["status"] == "active"


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
