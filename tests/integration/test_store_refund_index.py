"""A redemption's refunds never give back more than it took, and the database itself says so (a trigger over the
indexed refunds); the use case refunds in parts on a real store; a refund of this till's gives way to the
server's refunds of the same redemption only as far as they leave too little of it."""

from __future__ import annotations

import uuid
from dataclasses import replace

import pytest
from sqlalchemy.exc import IntegrityError

from pos_app.domain import errors
from pos_app.domain.ledger import EntryResult, EntryStatus
from pos_app.domain.money import Money
from pos_app.domain.people import Actor, Role
from pos_app.services import cards
from pos_app.services.context import Caller
from pos_app.store.uow import SqlUnitOfWork
from tests.integration.conftest import T0, ctx, later, new_card, redeem

INSERT_REFUND = (
    "INSERT INTO entries (id, card_id, code, kind, amount, currency, balance_after, result, device_id, "
    "device_seq, created_at, refund_of, status) VALUES (?, ?, ?, 'CREDITS_REFUND', ?, 'EUR', 0, ?, 'sql', ?, "
    "'2025-06-04T10:00:00.000000+00:00', ?, ?)"
)


def test_the_database_refuses_refunds_beyond_what_the_redemption_took(uow: SqlUnitOfWork) -> None:
    card = new_card(balance=1000)
    with uow:
        uow.cards.add_many([card])
        redemption = redeem(uow, card, 300)
        uow.commit()
    with uow:
        conn = uow.connection
        seqs = iter(range(1, 100))

        def refund_row(amount: int, result: str = "SUCCESS", status: str = "local") -> None:
            conn.exec_driver_sql(INSERT_REFUND, (str(uuid.uuid4()), card.id, card.code, amount, result, next(seqs),
                                                 str(redemption.id), status))

        refund_row(300, "FAILURE")  # failed attempts do not count
        refund_row(100)
        refund_row(150, status="provisional")
        with pytest.raises(IntegrityError, match=r"refunds exceed their redemption: entries\.refund_of"):
            refund_row(51)  # 100 + 150 + 51 > 300
        refund_row(999, "FAILURE")
        refund_row(50)  # exactly what is left
        with pytest.raises(IntegrityError, match=r"entries\.refund_of"):
            refund_row(1)
        uow.commit()
    with uow:
        sql = dict(uow.connection.exec_driver_sql("SELECT name, sql FROM sqlite_master WHERE tbl_name = 'entries'")
                   .fetchall())
        assert "UNIQUE" not in sql["ix_entries_refund_of_success"]
        assert "WHERE result = 'SUCCESS' AND refund_of IS NOT NULL" in sql["ix_entries_refund_of_success"]
        assert "uq_entries_refund_of_success" not in sql
        assert uow.entries.refunded(redemption.id) == 300


def test_the_servers_refunds_are_stored_as_the_server_decided(uow: SqlUnitOfWork) -> None:
    """What the server decided (a pull: status confirmed) is the authority's: the trigger checks this till's own."""
    card = new_card(balance=1000)
    with uow:
        uow.cards.add_many([card])
        redemption = redeem(uow, card, 300)
        uow.connection.exec_driver_sql(INSERT_REFUND, (str(uuid.uuid4()), card.id, card.code, 500, "SUCCESS", 9,
                                                       str(redemption.id), "confirmed"))
        assert uow.entries.refunded(redemption.id) == 500


def test_the_repository_turns_the_refusal_into_gift_amount_exceeded(uow: SqlUnitOfWork) -> None:
    card = new_card(balance=1000)
    with uow:
        uow.cards.add_many([card])
        redemption = redeem(uow, card, 300)
        first = uow.entries.add(card.refund(redemption, ctx(later(1)), Money(200, "EUR")))
        # The domain would refuse (refunded=200); a racing till that skipped the check meets the trigger.
        second = card.refund(redemption, ctx(later(2)), Money(200, "EUR"))
        with pytest.raises(errors.RefundExceeded):
            uow.entries.add(second)
        failed = replace(second, id=uuid.uuid4(), result=EntryResult.FAILURE, error_key="gift_amount_exceeded")
        assert uow.entries.add(failed).device_seq == first.device_seq + 1  # no gap left by the refusal
        assert uow.entries.refunded(redemption.id) == 200


def test_a_redemption_is_refunded_in_parts_through_the_use_case(uow: SqlUnitOfWork) -> None:
    manager = Caller(Actor("u_m", "Maria", Role.MANAGER), "till-1", lambda: T0)
    card = new_card(balance=5000)
    with uow:
        uow.cards.add_many([card])
        redemption = redeem(uow, card, 3000)
        uow.commit()
    first = cards.refund(uow, manager, redemption.id, Money(1000, "EUR"), reason="one item returned")
    second = cards.refund(uow, manager, redemption.id, Money(500, "EUR"), reason="another item")
    with pytest.raises(errors.RefundExceeded):
        cards.refund(uow, manager, redemption.id, Money(1501, "EUR"))
    rest = cards.refund(uow, manager, redemption.id)  # all that is left
    with pytest.raises(errors.AlreadyRolledBack):
        cards.refund(uow, manager, redemption.id, Money(1, "EUR"))
    assert [e.amount for e in (first, second, rest)] == [1000, 500, 1500]
    assert rest.balance_after == 5000
    with uow:
        after = uow.cards.get(card.id)
        assert after is not None and (after.balance, after.redeemed, after.refunded) == (5000, 3000, 3000)
        assert uow.entries.refunded(redemption.id) == 3000


def test_only_the_tills_refunds_that_no_longer_fit_give_way_to_the_servers(uow: SqlUnitOfWork) -> None:
    """The server's refund of a redemption comes in by pull while two of this till's are still queued: the first
    still fits in what is left and stays; the second no longer does, and is refused here as the server will."""
    card = new_card(balance=5000)
    with uow:
        uow.cards.add_many([card])
        redemption = uow.entries.add(replace(card.redeem(Money(3000, "EUR"), ctx()), status=EntryStatus.CONFIRMED))
        uow.cards.save(card)
        mine = [uow.entries.add(card.refund(redemption, ctx(later(n)), Money(1000, "EUR"), refunded=1000 * n))
                for n in range(2)]
        uow.cards.save(card)
        theirs = replace(card.refund(redemption, ctx(later(5), device="till-2"), Money(1500, "EUR")),
                         status=EntryStatus.CONFIRMED, server_seq=7, device_seq=1)
        uow.entries.merge([theirs])
        uow.commit()
    with uow:
        kept, refused = (uow.entries.get(e.id) for e in mine)
        assert kept is not None and kept.succeeded
        assert refused is not None and (refused.result, refused.error_key) == (EntryResult.FAILURE,
                                                                             "gift_amount_exceeded")
        assert uow.entries.refunded(redemption.id) == 2500
        after = uow.cards.get(card.id)
        # the refused one no longer counts on the till's copy (the server's comes with the card's state by pull)
        assert after is not None and after.refunded == 1000
