"""Batches decided from what the server process knows (``authorise_known``), against a real PostgreSQL and the
real application: a batch of known cards and tills is written without a read; a card changed behind the
server's back (a push, a manual ``UPDATE``, another process) makes the write write nothing and the batch is read
and decided again, never overspending; a replayed entry id answers byte for byte; a revoked till is refused by
its very next request."""

from __future__ import annotations

import uuid
from collections import Counter
from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine, text

from pos_app.server import auth, authorise_batch
from pos_app.server.authorise_async import Authoriser
from pos_app.server.authorise_batch import Batcher
from pos_app.server.authorise_known import Known
from pos_app.server.db.engine import write
from pos_app.server.ledger import now
from pos_app.server.rows import card_from_row
from tests.server.conftest import _empty_pg, set_card, totals_add_up
from tests.server.harness import HttpTill
from tests.server.test_authorise_async import pg, request, token_for
from tests.server.test_authorise_batch import key, log_in_commit_order, run, settle, sold

__all__ = ["pg"]  # the fixture


@pytest.fixture
def db_url(pg_url: str) -> str:
    """PostgreSQL only: the batches run only there."""
    _empty_pg(pg_url)
    return pg_url


@pytest.fixture
def known(client: TestClient) -> Known:
    batcher = client.app.state.authoriser  # type: ignore[attr-defined]
    assert isinstance(batcher, Batcher)
    return batcher.known


@pytest.fixture
def reads(monkeypatch: pytest.MonkeyPatch) -> Iterator[Counter[str]]:
    """How many batches were read (``READ_MANY``)."""
    counted = Counter[str]()
    read_and_decide = authorise_batch._read_and_decide

    async def counting(*args: Any) -> list[authorise_batch.Pending]:
        counted["reads"] += 1
        return await read_and_decide(*args)

    monkeypatch.setattr(authorise_batch, "_read_and_decide", counting)
    yield counted


def redeem(till: HttpTill, card: dict[str, Any], amount: int, **fields: Any) -> dict[str, Any]:
    response = till.authorise("redeem", card["code"], amount, **fields)
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


def stored(engine: Engine, card_id: str) -> tuple[Any, int]:
    with engine.connect() as conn:
        row = conn.execute(text("SELECT xmin::text::bigint AS xmin, * FROM cards WHERE id = :id"),
                           {"id": card_id}).mappings().one()
    return card_from_row(row), row["xmin"]


def test_a_batch_of_known_cards_is_written_without_a_read(till: HttpTill, card: dict[str, Any], engine: Engine,
                                                          known: Known, reads: Counter[str]) -> None:
    """The sale was read; what it wrote is known, exactly as the row holds it, at the row's version; the next
    redemptions (a success and a refusal) are decided from it and written, no read."""
    assert known.cards[card["code"]] == stored(engine, card["id"])
    assert redeem(till, card, 1200)["card"]["balance"] == 3800
    assert redeem(till, card, 9999)["error"]["key"] == "gift_amount_exceeded"
    assert (reads["reads"], known.served, known.missed) == (0, 2, 0)
    assert known.cards[card["code"]] == stored(engine, card["id"])
    totals_add_up(engine)


def test_a_push_behind_the_servers_back_is_read_and_never_overspent(
        till: HttpTill, till2: HttpTill, card: dict[str, Any], engine: Engine, known: Known,
        reads: Counter[str]) -> None:
    assert redeem(till, card, 500)["result"] == "SUCCESS"  # known: 45.00
    pushed = till2.push([till2.offline_entry({**card, "balance": 4500}, "CREDITS_REDEMPTION", -4000)])
    assert pushed.status_code == 200 and pushed.json()["results"][0]["outcome"] == "stored"
    refused = redeem(till, card, 1000)  # 45.00 known, 5.00 left: the write finds a new version
    assert refused["error"]["key"] == "gift_amount_exceeded" and refused["card"]["balance"] == 500
    assert (reads["reads"], known.missed) == (1, 1)
    known.resume()  # the pause after a wasted write has run out
    assert redeem(till, card, 500)["card"]["balance"] == 0  # known again, from the read's write
    assert (reads["reads"], known.missed) == (1, 1)
    totals_add_up(engine)


def test_a_manual_update_behind_the_servers_back_is_read(till: HttpTill, card: dict[str, Any], engine: Engine,
                                                         known: Known, reads: Counter[str]) -> None:
    set_card(engine, card["id"], status="disabled")
    refused = redeem(till, card, 100)
    assert refused["result"] == "FAILURE" and refused["card"]["status"] == "disabled"
    assert (reads["reads"], known.missed, known.served) == (1, 1, 0)
    assert known.cards[card["code"]] == stored(engine, card["id"])  # the refusal locked it: the same version


def test_a_replayed_entry_id_answers_byte_for_byte_and_a_pushed_one_is_refused(
        till: HttpTill, card: dict[str, Any], engine: Engine, known: Known, reads: Counter[str]) -> None:
    entry_id = str(uuid.uuid4())
    first = till.authorise("redeem", card["code"], 700, entry_id=entry_id)
    assert (reads["reads"], known.served) == (0, 1)
    assert redeem(till, card, 100)["card"]["balance"] == 4200  # the card moves on
    again = till.authorise("redeem", card["code"], 700, entry_id=entry_id)
    assert again.content == first.content  # the write found the id stored, wrote nothing; the read replayed
    assert (reads["reads"], known.served, known.missed) == (1, 2, 0)
    offline = till.offline_entry({**card, "balance": 4200}, "CREDITS_REDEMPTION", -100)
    assert till.push([offline]).status_code == 200
    reused = till.authorise("redeem", card["code"], 100, entry_id=offline["id"])
    assert reused.status_code == 409 and reused.json()["key"] == "duplicate_found"
    totals_add_up(engine)


def test_a_till_revoked_between_two_batches_is_refused_at_once(
        client: TestClient, till: HttpTill, till2: HttpTill, card: dict[str, Any], engine: Engine, known: Known,
        reads: Counter[str]) -> None:
    assert redeem(till, card, 100)["result"] == "SUCCESS"
    assert redeem(till2, card, 100)["result"] == "SUCCESS"
    assert reads["reads"] == 1  # till2's first request: its token was not known yet
    write(engine, lambda conn: auth.revoke(conn, till.device_id, now()))
    refused = till.authorise("redeem", card["code"], 100)
    assert refused.status_code == 401 and refused.json()["key"] == "device_revoked"
    assert auth.sha256(till.token) not in known.devices
    assert (reads["reads"], known.missed) == (2, 1)  # its write wrote nothing: the batch was read
    known.resume()
    assert redeem(till2, card, 100)["card"]["balance"] == 4700  # the other till (its card read again)
    assert redeem(till2, card, 100)["card"]["balance"] == 4600  # known: no read
    assert (reads["reads"], known.missed) == (3, 1)
    refused = till.authorise("redeem", card["code"], 100)
    assert refused.status_code == 401 and refused.json()["key"] == "device_revoked"
    totals_add_up(engine)


def test_two_processes_on_a_few_known_cards_never_overspend(pg: Engine, pg_url: str) -> None:
    """Two batchers (two server processes), each deciding from what it knows and each changing the cards under
    the other: every write the other made is caught by the version, nothing is overspent, the log is in order."""
    token = token_for(pg)
    codes = [sold(pg, pg_url, token, 3000)[1] for _ in range(3)]

    async def two(batcher: Batcher) -> tuple[list[str | BaseException], list[Known]]:
        other = Batcher(Authoriser(pg_url, 2))
        answers: list[str | BaseException] = []
        try:
            for round_ in range(10):
                for each in (batcher, other):
                    each.known.resume()  # as if each round came after the pause that follows a wasted write
                answers += await settle(batcher, [
                    (batcher if (i + round_) % 3 else other)(token, request("redeem", codes[i % 3], 100), now())
                    for i in range(15)])
            return answers, [batcher.known, other.known]
        finally:
            await other.close()

    answers, knowns = run(pg_url, two)
    assert Counter(key(a) for a in answers if isinstance(a, str)) == {"SUCCESS": 90, "gift_amount_exceeded": 60}
    assert all(k.served > 0 for k in knowns) and sum(k.missed for k in knowns) > 0
    log_in_commit_order(pg)
    totals_add_up(pg)


def test_a_wasted_write_pauses_the_known_path_doubling_until_a_success() -> None:
    """Two server processes selling the same cards keep invalidating each other's known cards: each wasted write
    pauses the known path (0.05 s, doubling up to 5 s), and a success ends the doubling."""
    known = Known()
    assert known.usable(100.0)
    known.wasted(100.0)
    assert not known.usable(100.04) and known.usable(100.05)
    known.wasted(100.05)
    assert not known.usable(100.14) and known.usable(100.15)
    for _ in range(20):
        known.wasted(200.0)
    assert not known.usable(204.9) and known.usable(205.0)
    known.wrote(205.0)
    known.wasted(205.0)
    assert known.usable(205.05)
