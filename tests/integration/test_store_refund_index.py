"""A redemption is refunded at most once, and the database itself says so (partial unique index)."""

from __future__ import annotations

import uuid
from dataclasses import replace

import pytest
from sqlalchemy.exc import IntegrityError

from pos_app.domain import errors
from pos_app.domain.ledger import EntryResult
from pos_app.domain.money import Money
from pos_app.store.uow import SqlUnitOfWork
from tests.integration.conftest import ctx, later, new_card, redeem

INSERT_REFUND = (
    "INSERT INTO entries (id, card_id, code, kind, amount, currency, balance_after, result, device_id, "
    "device_seq, created_at, refund_of, status) VALUES (?, ?, ?, 'CREDITS_REFUND', 100, 'EUR', 0, ?, 'sql', ?, "
    "'2025-06-04T10:00:00.000000+00:00', ?, 'local')"
)


def test_the_database_refuses_a_second_successful_refund(uow: SqlUnitOfWork) -> None:
    card = new_card(balance=1000)
    with uow:
        uow.cards.add_many([card])
        redemption = redeem(uow, card, 300)
        uow.commit()
    with uow:
        conn = uow.connection

        def refund_row(seq: int, result: str) -> None:
            conn.exec_driver_sql(INSERT_REFUND, (str(uuid.uuid4()), card.id, card.code, result, seq,
                                                 str(redemption.id)))

        refund_row(1, "FAILURE")  # failed attempts do not count
        refund_row(2, "SUCCESS")
        refund_row(3, "FAILURE")
        with pytest.raises(IntegrityError, match=r"UNIQUE constraint failed: entries\.refund_of"):
            refund_row(4, "SUCCESS")
        uow.commit()
    with uow:
        index = uow.connection.exec_driver_sql(
            "SELECT sql FROM sqlite_master WHERE name = 'uq_entries_refund_of_success'"
        ).scalar_one()
        assert "UNIQUE" in index and "WHERE result = 'SUCCESS' AND refund_of IS NOT NULL" in index


def test_the_repository_turns_the_refusal_into_already_rolled_back(uow: SqlUnitOfWork) -> None:
    card = new_card(balance=1000)
    with uow:
        uow.cards.add_many([card])
        redemption = redeem(uow, card, 300)
        first = uow.entries.add(card.refund(redemption, ctx(later(1)), Money(100, "EUR")))
        # The domain would refuse (already_refunded); a racing till that skipped the check meets the index.
        second = card.refund(redemption, ctx(later(2)), Money(100, "EUR"))
        with pytest.raises(errors.AlreadyRolledBack):
            uow.entries.add(second)
        failed = replace(second, id=uuid.uuid4(), result=EntryResult.FAILURE, error_key="already_rolled_back")
        assert uow.entries.add(failed).device_seq == first.device_seq + 1  # no gap left by the refusal
        assert uow.entries.refund_of(redemption.id) == first
