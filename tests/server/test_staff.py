"""Head office's people as callers of the card use cases on the server (``server.staff``): a console user is named
on the entries they make, and a support user corrects within the limit head office sets (the domain's rule, over
the server's unit of work; ``pos-server policy set --support-corrections`` changes it)."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import Engine

from pos_app.domain import errors
from pos_app.domain.money import Money
from pos_app.server import staff
from pos_app.server.conflicts import SERVER_DEVICE
from pos_app.server.db.engine import read, write
from pos_app.server.uow import ServerUnitOfWork
from pos_app.services import cards
from tests.server.conftest import totals_add_up
from tests.server.harness import HttpTill, pos_server


def eur(minor: int) -> Money:
    return Money(minor, "EUR")


def test_support_corrects_within_the_limit_and_is_refused_above_it(engine: Engine, till: HttpTill,
                                                                   card: dict[str, Any]) -> None:
    support = staff.console_caller(engine, user_id=7, name="sam@example.com", role="support")
    assert support.actor.max_correction == 5000  # 50.00 EUR unless head office says otherwise
    with pytest.raises(errors.CorrectionLimitExceeded):
        cards.correct(ServerUnitOfWork(engine), support, card["code"], eur(-5001), reason="typed twice")
    done = cards.correct(ServerUnitOfWork(engine), support, card["code"], eur(-1250), reason="typed twice")
    assert (done.amount, done.balance_after, done.operator_id, done.device_id) == (
        -1250, 3750, "console:7", SERVER_DEVICE)
    pulled = [e for e in till.pull_all()["entries"] if e["id"] == str(done.id)]
    assert pulled and pulled[0]["operator_id"] == "console:7"  # the tills learn who did it

    admin = staff.console_caller(engine, user_id=1, name="ada@example.com", role="admin")
    assert admin.actor.max_correction is None
    cards.correct(ServerUnitOfWork(engine), admin, card["code"], eur(-3750), reason="card returned")
    totals_add_up(engine)


def test_head_office_sets_the_limit(engine: Engine, db_url: str, card: dict[str, Any]) -> None:
    write(engine, lambda conn: staff.set_correction_limit(conn, "support", 1000))
    support = staff.console_caller(engine, user_id=7, name="sam@example.com", role="support")
    with pytest.raises(errors.CorrectionLimitExceeded):
        cards.correct(ServerUnitOfWork(engine), support, card["code"], eur(1001), reason="goodwill")
    with pytest.raises(errors.InvalidAmount):
        write(engine, lambda conn: staff.set_correction_limit(conn, "support", -1))

    shown = pos_server(db_url, "policy", "set", "--support-corrections", "none", "--json").json()
    assert shown["correction_limits"]["support"] is None
    assert read(engine, staff.correction_limits)["support"] is None
    pos_server(db_url, "policy", "set", "--support-corrections", "20.00")
    assert pos_server(db_url, "policy", "show", "--json").json()["correction_limits"]["support"] == 2000
