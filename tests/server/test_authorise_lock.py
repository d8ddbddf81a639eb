"""Online authorisation locks its card in its first read: a second till's request for a card that another
authorisation holds waits for it, and is decided on the card as the first one left it (never a lost update); a
redemption that waited for a validation holding the card is decided with what that validation's session holds."""

from __future__ import annotations

import threading
import time
import uuid
from datetime import timedelta
from typing import Any

from sqlalchemy import Engine

from pos_app.server.authorise import authorise
from pos_app.server.db.engine import write
from pos_app.server.ledger import lock_cards, now
from pos_app.server.voucherify import sessions
from pos_app.sync.schemas import AuthoriseRequest
from tests.server.conftest import person, totals_add_up
from tests.server.harness import HttpTill


def _redeem(code: str, amount: int, operator_id: str) -> AuthoriseRequest:
    return AuthoriseRequest(op="redeem", entry_id=uuid.uuid4(), code=code, amount=amount, currency="EUR",
                            operator_id=operator_id, created_at=now())


def test_a_second_redemption_waits_for_the_first_and_sees_what_it_left(engine: Engine, till: HttpTill,
                                                                        till2: HttpTill,
                                                                        card: dict[str, Any]) -> None:
    manager = person(engine)
    answers: list[str] = []
    with engine.connect() as first, first.begin():  # till 1's authorisation, not committed yet
        authorise(first, till.token, _redeem(card["code"], 4_500, manager), now())
        second = threading.Thread(target=lambda: answers.append(
            write(engine, lambda conn: authorise(conn, till2.token, _redeem(card["code"], 1_000, manager), now()))))
        second.start()
        time.sleep(0.5)
        assert second.is_alive(), "the second authorisation read the card while the first one held it"
    second.join(timeout=30)
    assert not second.is_alive()
    (answer,) = answers
    assert '"result":"FAILURE"' in answer and '"key":"gift_amount_exceeded"' in answer, answer
    assert '"balance":500' in answer, answer  # the card as the first redemption left it
    totals_add_up(engine)


def test_a_redemption_that_waited_for_a_validation_sees_what_its_session_holds(engine: Engine, till: HttpTill,
                                                                               card: dict[str, Any]) -> None:
    """The redemption's first read starts before the validation commits, and on PostgreSQL reads as of its start:
    the hold it could not see is found once the card is locked, and the redemption decided again."""
    manager = person(engine)
    answers: list[str] = []
    with engine.connect() as api, api.begin():  # an API validation with a LOCK session, not committed yet
        (locked,) = lock_cards(api, [], [card["code"]])
        sessions.lock(api, "key_test", "ssn_test", locked.id, 4_500, now(), timedelta(hours=1))
        redemption = threading.Thread(target=lambda: answers.append(
            write(engine, lambda conn: authorise(conn, till.token, _redeem(card["code"], 1_000, manager), now()))))
        redemption.start()
        time.sleep(0.5)
        assert redemption.is_alive(), "the redemption read the card while the validation held it"
    redemption.join(timeout=30)
    assert not redemption.is_alive()
    (answer,) = answers
    assert '"result":"FAILURE"' in answer and '"key":"gift_amount_exceeded"' in answer, answer
    assert "held by a validation" in answer and '"balance":5000' in answer, answer
    totals_add_up(engine)
