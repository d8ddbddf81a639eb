"""Sending the outbox: entries this till made and the server has not acknowledged, in batches, in order.

The store's write lock is never held while the server is asked: a batch is read in a read-only snapshot, sent,
and the answers are written in a short transaction of their own. A batch cut off halfway is simply sent again;
the server stores each entry once (by id) and answers a replay as the first time. An entry the server refuses to
store (``rejected``: e.g. a refund of more than is left of a redemption that another till refunded first) gives
way: if it moved money here, it moves nothing from now on (``refuse``: result FAILURE with the server's key, its
effect taken off the till's copy of the card) and is sent again as the refused attempt it now is, which the server
records, so that both ledgers hold the same entry. One the server refuses even as a refused attempt (an unknown
card) is set aside with the reason and stays in the outbox for a manager's review; it is sent again after the
others.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from pos_app.domain.ledger import EntryStatus
from pos_app.services.enrolment import mark_online
from pos_app.services.online import ServerUnavailable
from pos_app.services.ports import Acknowledgement
from pos_app.sync.client import SyncApi
from pos_app.sync.convert import entry_to_wire
from pos_app.sync.schemas import PushResult
from pos_app.sync.units import Units

PUSH_BATCH = 500


@dataclass(frozen=True, slots=True)
class Pushed:
    sent: int = 0
    acknowledged: int = 0
    set_aside: int = 0


def push_pending(client: SyncApi, units: Units, *, clock: Callable[[], datetime], batch: int = PUSH_BATCH,
                 stop: Callable[[], bool] = lambda: False) -> Pushed:
    """Send the outbox until it is empty (set-aside entries excepted); raises :class:`ServerUnavailable`."""
    total = Pushed()
    while not stop():
        with units.read() as uow:
            pending = uow.entries.pending(batch)
            held = uow.entries.outbox_count()
        if not pending:
            break
        response = client.push([entry_to_wire(entry) for entry in pending], unsynced=held)
        sent = {entry.id for entry in pending}
        answers = [result for result in response.results if result.id in sent]
        acks = [_acknowledgement(r) for r in answers if r.outcome != "rejected"]
        refused = [r for r in answers if r.outcome == "rejected"]
        gave_way = 0
        with units.write() as uow:
            uow.entries.acknowledge(acks)
            for result in refused:
                key = result.error.key if result.error is not None else "rejected"
                if uow.entries.refuse(result.id, key) is not None:
                    gave_way += 1  # sent again (at once) as the refused attempt it is now
                else:  # it moved nothing already: kept for review
                    uow.entries.set_aside(result.id, _why(result))
            mark_online(uow.settings, clock())
            uow.commit()
        total = Pushed(total.sent + len(pending), total.acknowledged + len(acks), total.set_aside + len(refused))
        if not answers:  # the same batch again would get the same non-answer
            raise ServerUnavailable("the server answered the push without a result for any entry sent")
        if (len(pending) < batch or not acks) and not gave_way:  # all sent, or only what the server refuses
            break
    return total


def _acknowledgement(result: PushResult) -> Acknowledgement:
    status = result.status or ("conflict" if result.outcome == "conflict" else None)
    return Acknowledgement(entry_id=result.id, status=None if status is None else EntryStatus(status),
                           server_seq=result.server_seq)


def _why(result: PushResult) -> str:
    if result.error is None:
        return "refused by the server"
    return f"{result.error.key}: {result.error.details or result.error.message}"
