"""A till process that dies leaves a consistent store and loses nothing it had committed."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import uuid
from pathlib import Path

from pos_app.store import Store, open_store
from tests.integration.conftest import new_card

ROOT = Path(__file__).resolve().parents[2]

# The child: redeem 1 cent at a time, printing each entry id once its transaction has committed. With an
# argument it then opens one more transaction, writes to the card, the ledger and a new campaign's cards, and
# exits abruptly before the commit.
CHILD = """
import os, sys
from datetime import UTC, datetime
from pos_app.domain.cards import GiftCard, OperationContext
from pos_app.domain.money import Money
from pos_app.store import open_store

store = open_store(sys.argv[1])
code, commits, die_mid_transaction = sys.argv[2], int(sys.argv[3]), sys.argv[4] == "1"
uow = store.unit_of_work()

def redeem_one():
    card = uow.cards.get_by_code(code)
    ctx = OperationContext(at=datetime.now(UTC), zone=UTC, device_id="till-crash", operator_id="u_1")
    entry = uow.entries.add(card.redeem(Money(1, card.currency), ctx))
    uow.cards.save(card)
    return entry

for _ in range(commits):
    with uow:
        entry = redeem_one()
        uow.commit()
    print(entry.id, flush=True)
if die_mid_transaction:
    uow.__enter__()
    redeem_one()
    uow.cards.add_many([GiftCard(id=f"v_lost_{i}", code=f"LOST-{i}", currency="EUR") for i in range(5000)])
    uow.settings.set("lost", True)
    print("about to die", flush=True)
    os._exit(3)
"""


def start_child(store: Store, code: str, commits: int, *, die_mid_transaction: bool) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-c", CHILD, str(store.path.parent), code, str(commits), str(int(die_mid_transaction))],
        stdout=subprocess.PIPE, text=True, cwd=ROOT,
    )


def assert_consistent(store: Store, code: str, initial: int, committed: list[str]) -> None:
    with store.unit_of_work() as uow:
        conn = uow.connection
        assert conn.exec_driver_sql("PRAGMA integrity_check").scalar() == "ok"
        assert conn.exec_driver_sql("PRAGMA foreign_key_check").fetchall() == []
        card = uow.cards.get_by_code(code)
        assert card is not None and card.invariant_holds()
        entries = uow.entries.for_card(card.id)
        assert {str(e.id) for e in entries} == set(committed)  # all of them, and nothing else
        assert card.balance == initial - len(committed) == initial + sum(e.amount for e in entries)
        assert card.redemption_count == len(committed)
        assert sorted(e.device_seq for e in entries) == list(range(1, len(committed) + 1))
        assert uow.entries.outbox_count() == len(committed)
        assert uow.cards.get_by_code("LOST-0") is None and uow.settings.get("lost") is None


def card_in(store: Store, balance: int) -> str:
    card = new_card(balance=balance)
    with store.unit_of_work() as uow:
        uow.cards.add_many([card])
        uow.commit()
    return card.code


def test_dying_before_the_commit_loses_only_the_open_transaction(store: Store) -> None:
    code = card_in(store, 1000)
    child = start_child(store, code, 5, die_mid_transaction=True)
    out, _ = child.communicate(timeout=60)
    assert child.returncode == 3
    lines = out.split()
    assert lines[-3:] == ["about", "to", "die"]
    committed = lines[:-3]
    assert len(committed) == 5 and all(uuid.UUID(x) for x in committed)
    store.close()
    reopened = open_store(store.path.parent)
    assert_consistent(reopened, code, 1000, committed)
    with reopened.unit_of_work() as uow:  # and the till carries on where it stopped
        card = uow.cards.get_by_code(code)
        assert card is not None
    reopened.close()


def test_a_kill_at_any_moment_keeps_every_committed_redemption(store: Store) -> None:
    code = card_in(store, 100_000)
    child = start_child(store, code, 100_000, die_mid_transaction=False)
    assert child.stdout is not None
    committed = [child.stdout.readline().strip() for _ in range(40)]  # reported after their commit
    os.kill(child.pid, signal.SIGKILL)  # wherever it is: mid-transaction, mid-commit, between two
    rest, _ = child.communicate(timeout=60)
    committed += rest.split()
    assert child.returncode == -signal.SIGKILL
    store.close()
    reopened = open_store(store.path.parent)
    with reopened.unit_of_work() as uow:
        card = uow.cards.get_by_code(code)
        assert card is not None
        stored = {str(e.id) for e in uow.entries.for_card(card.id)}
    # Every reported entry is there; at most one more, committed just before the kill but not yet reported.
    assert set(committed) <= stored and len(stored - set(committed)) <= 1
    assert_consistent(reopened, code, 100_000, sorted(stored))
    reopened.close()
