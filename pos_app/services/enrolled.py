"""Value changes on an enrolled till: the server decides (online), or the till stands in for it (offline).

Every change runs in three steps, and the store's write lock is never held while the server is asked:

1. a short transaction finds the card here (if the till knows it) and reserves the till's next sequence number;
2. the :class:`Authoriser` asks the server, with an entry id made here (a retry or replay is safe);
3. **online**, the server's answer is recorded: the confirmed entry as the server has it (never queued: the server
   has it already) and the card's state as the server now sees it. A refusal is recorded the same way (the server
   records the attempt) and then raised with its key. **Offline** (:class:`ServerUnavailable`), the standalone
   rules run on the till's copy of the card, with the same entry id and sequence number, and the entry is
   ``provisional`` and queued for the server. Should the server have recorded the attempt after all (the answer
   was lost), the queued entry is the same entry, which the server stores once.

A redemption offline must also stay within the floor limits of ``pos_app.domain.offline``; a manager's override
accepts what those limits refuse (never what the card's own rules refuse) and is recorded on the entry.
"""

from __future__ import annotations

import dataclasses
import uuid
from collections.abc import Callable, Sequence
from datetime import datetime

from pos_app.domain import errors
from pos_app.domain.cards import GiftCard
from pos_app.domain.ledger import Entry, EntryStatus, PaymentMethod, new_entry_id
from pos_app.domain.money import Money
from pos_app.domain.offline import OfflineSituation, check_offline_redemption
from pos_app.domain.people import Actor
from pos_app.services.context import Caller
from pos_app.services.enrolment import mark_online, offline_limits, online_last
from pos_app.services.lookup import card_or_code, find_card
from pos_app.services.online import Authoriser, OnlineOperation, OnlineOutcome, OperationName, ServerUnavailable
from pos_app.services.ports import CardsUnitOfWork, UnitOfWork

#: The offline floor limits: what a manager's override may accept.
OFFLINE_REFUSALS = (errors.OfflineLimitExceeded, errors.OfflineCapExceeded, errors.OfflineTooLong,
                    errors.CardStateStale)

Stamp = Callable[[Entry], Entry]
#: The standalone rule of an operation on the till's own copy of the card: writes and commits its entry (or the
#: record of a refused attempt) stamped with ``Stamp``, and returns it.
LocalChange = Callable[[CardsUnitOfWork, GiftCard, Stamp], Entry]
#: The offline floor check of a redemption: raises a refusal, or returns who overrode one (None: nobody had to).
StandIn = Callable[[CardsUnitOfWork, GiftCard, Money, datetime], str | None]


@dataclasses.dataclass(frozen=True, slots=True, kw_only=True)
class Change:
    """What the server is asked to decide (see :class:`OnlineOperation`)."""

    op: OperationName
    code: str
    amount: int | None
    currency: str | None  # None: the card's (or, for a card the till does not know, the store's)
    order_ref: str | None = None
    order_amount: int | None = None
    reason: str | None = None
    refund_of: uuid.UUID | None = None
    price: int | None = None  # a sale's: what the customer paid (None: the value)
    payment: PaymentMethod | None = None


def as_is(entry: Entry) -> Entry:
    return entry


def till_store(uow: CardsUnitOfWork) -> UnitOfWork:
    """The till's own store, which an authoriser and the offline rules need (its outbox, its sync state). The
    central server decides for the tills and runs the use cases without an authoriser: it never gets here."""
    if not isinstance(uow, UnitOfWork):
        raise TypeError("an authoriser and the offline rules go with a till's own store")
    return uow


def authorised_change(store: CardsUnitOfWork, caller: Caller, authoriser: Authoriser, change: Change,
                      local: LocalChange, *, unknown_offline: Callable[[], errors.GiftCardError] | None = None
                      ) -> Entry:
    """Ask the server to decide ``change``; offline, run ``local`` on the till's copy as a provisional entry.

    ``unknown_offline``: the refusal when the till, offline, does not know the card (default ``not_found``).
    """
    uow = till_store(store)
    with uow:
        card, code = card_or_code(uow, change.code)
        currency = change.currency or (card.currency if card is not None else str(uow.settings.get("currency")))
        if card is not None and currency != card.currency:
            raise errors.CurrencyMismatch(f"card {card.masked} is in {card.currency}, not {currency}")
        seq = uow.entries.next_seq(caller.device_id)
        uow.commit()
    entry_id = new_entry_id()
    operation = OnlineOperation(
        op=change.op, entry_id=entry_id, code=code, amount=change.amount, currency=currency,
        operator_id=caller.actor.user_id, created_at=caller.clock(), device_seq=seq, order_ref=change.order_ref,
        order_amount=change.order_amount, reason=change.reason, refund_of=change.refund_of,
        price=change.price, payment=None if change.payment is None else change.payment.value,
    )
    try:
        outcome = authoriser.authorise(operation)
    except ServerUnavailable:
        def stamp(entry: Entry) -> Entry:
            return dataclasses.replace(entry, id=entry_id, device_seq=seq, status=EntryStatus.PROVISIONAL)

        with uow:
            try:
                here = find_card(uow, code)
            except errors.NotFound:
                if unknown_offline is None:
                    raise
                raise unknown_offline() from None
            return local(uow, here, stamp)
    return _settle(uow, caller, outcome)


def _settle(uow: UnitOfWork, caller: Caller, outcome: OnlineOutcome) -> Entry:
    """Record the server's answer: the card as it stands there, the entry as it has it; raise a refusal."""
    now = caller.clock()
    with uow:
        mark_online(uow.settings, now)
        if outcome.card is not None:
            cache_server_cards(uow, [outcome.card], synced_at=now)
        entry = outcome.entry
        if entry is not None and (outcome.card is not None or uow.cards.get(entry.card_id) is not None):
            uow.entries.merge([entry])  # (an entry of a card the till cannot hold would break the ledger here)
        uow.commit()
    if outcome.error is not None:
        raise outcome.error
    if outcome.entry is None:
        raise errors.InvalidPayload("the server accepted the change but sent no entry for it")
    return outcome.entry


def cache_server_cards(uow: UnitOfWork, cards: Sequence[GiftCard], *, synced_at: datetime) -> None:
    """Keep the server's state of these cards, with what this till did on them offline that the server has not
    acknowledged yet (redemptions off, refunds, sales and top-ups on), so that nothing is counted twice, or
    forgotten, until it has; should the server refuse one of them, taking its effect back leaves the server's."""
    if cards and uow.entries.outbox_count() > 0:
        adjusted = []
        for stated in cards:
            card = dataclasses.replace(stated)  # (the server's copy stays as it came)
            for entry in uow.entries.unsynced_for(card.id):
                card.move(entry)
            adjusted.append(card)
        cards = adjusted
    uow.cards.upsert(cards, synced_at=synced_at)


def offline_stand_in(override: Actor | None) -> StandIn:
    """The floor check of an offline redemption; with ``override`` (a manager), a refusal is accepted and the
    manager recorded."""

    def check(store: CardsUnitOfWork, card: GiftCard, amount: Money, at: datetime) -> str | None:
        uow = till_store(store)
        situation = OfflineSituation(
            now=at, online_last=online_last(uow.settings), card_synced_at=uow.cards.synced_at(card.id),
            device_unsynced_spent=uow.entries.unsynced_spent(),
        )
        try:
            check_offline_redemption(amount, offline_limits(uow.settings), situation)
        except OFFLINE_REFUSALS:
            if override is None:
                raise
            return override.user_id
        return None

    return check


def unknown_card_offline() -> errors.GiftCardError:
    return errors.CardStateStale("this card is not known to the till, which cannot check it while offline")

