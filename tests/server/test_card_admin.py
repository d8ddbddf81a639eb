"""Head office disables a lost card: every till learns it by pull, and it can no longer be redeemed online."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import Engine

from pos_app.domain import errors
from pos_app.server.cards_admin import set_enabled
from pos_app.server.db.engine import write
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
