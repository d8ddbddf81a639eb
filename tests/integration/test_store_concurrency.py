"""Four till processes redeeming from one card at once never overspend it and never see "database is locked".

Each process runs the real use case (``pos_app.services.cards.redeem``) on its own ``SqlUnitOfWork``; what
keeps them apart is SQLite's write lock, taken by ``BEGIN IMMEDIATE`` before the card is read.
"""

from __future__ import annotations

import multiprocessing
import traceback
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from pos_app.domain import errors
from pos_app.domain.ledger import EntryKind, EntryResult
from pos_app.domain.money import Money
from pos_app.domain.people import Actor, Role
from pos_app.services.cards import redeem
from pos_app.services.context import Caller
from pos_app.store import Store, open_store
from tests.integration.conftest import new_card

PROCESSES = 4
ATTEMPTS = 50
AMOUNT = 7  # cents
INITIAL = 1000  # room for 142 redemptions of 7 cents out of 200 attempts


def worker(data_dir: str, code: str, device_id: str, start: Any, results: Any) -> None:
    """One till: ATTEMPTS redemptions as fast as it can; reports what happened (never raises)."""
    try:
        store = open_store(data_dir)
        uow = store.unit_of_work()
        caller = Caller(actor=Actor(user_id=f"u_{device_id}", name=device_id, role=Role.CASHIER),
                        device_id=device_id, clock=lambda: datetime.now(UTC))
        start.wait(timeout=60)
        succeeded, refused = [], []
        for _ in range(ATTEMPTS):
            try:
                succeeded.append(str(redeem(uow, caller, code, Money(AMOUNT, "EUR")).id))
            except errors.GiftAmountExceeded as exc:
                refused.append(exc.key)
        store.close()
        results.put((device_id, succeeded, refused, None))
    except BaseException:  # anything else, "database is locked" included, fails the test
        results.put((device_id, [], [], traceback.format_exc()))


@pytest.mark.slow
def test_four_processes_never_overspend_a_card(store: Store, tmp_path: Path) -> None:
    card = new_card(balance=INITIAL)
    with store.unit_of_work() as uow:
        uow.cards.add_many([card])
        uow.commit()

    spawn = multiprocessing.get_context("spawn")
    start, results = spawn.Barrier(PROCESSES), spawn.Queue()
    devices = [f"till-{n}" for n in range(1, PROCESSES + 1)]
    procs = [spawn.Process(target=worker, args=(str(store.path.parent), card.code, d, start, results))
             for d in devices]
    for proc in procs:
        proc.start()
    reports = [results.get(timeout=240) for _ in procs]
    for proc in procs:
        proc.join(timeout=60)

    assert [r[3] for r in reports] == [None] * PROCESSES, "\n".join(r[3] for r in reports if r[3])
    succeeded = [entry_id for r in reports for entry_id in r[1]]
    refused = [key for r in reports for key in r[2]]
    assert len(succeeded) + len(refused) == PROCESSES * ATTEMPTS
    assert len(succeeded) == INITIAL // AMOUNT  # every cent that could be spent was, and not one more
    assert set(refused) == {"gift_amount_exceeded"}
    assert sum(len(r[1]) > 0 for r in reports) > 1  # the tills really did share the card

    with store.unit_of_work(read_only=True) as uow:
        final = uow.cards.get(card.id)
        assert final is not None and final.invariant_holds()
        assert final.balance == INITIAL - AMOUNT * len(succeeded) >= 0
        assert final.redemption_count == len(succeeded)
        # In commit order, every successful redemption saw the balance the previous one left.
        rows = uow.connection.exec_driver_sql(
            "SELECT id, amount, balance_after, result, device_id, device_seq FROM entries "
            "WHERE card_id = ? AND kind = ? ORDER BY rowid", (card.id, EntryKind.CREDITS_REDEMPTION.value),
        ).all()
    balance = INITIAL
    for row in rows:
        if row.result == EntryResult.SUCCESS.value:
            balance += row.amount
            assert row.balance_after == balance >= 0
        else:
            assert row.balance_after == balance < AMOUNT  # refused only when it really did not fit
    assert {row.id for row in rows if row.result == EntryResult.SUCCESS.value} == set(succeeded)
    for device in devices:  # each till's sequence is gapless
        seqs = [row.device_seq for row in rows if row.device_id == device]
        assert seqs == list(range(1, ATTEMPTS + 1))
