"""The Authoriser port over the sync API: this till's outbox first, then the question.

The server's balance of a card must include what this till did offline before it decides anything about that
card, so the outbox is pushed (synchronously, all of it) before each authorisation. Usually the outbox is empty
and that costs one read of the store. Should the server refuse the outbox as a whole (not entry by entry: those
are set aside), it cannot decide with this till's entries counted, and the till stands in for it as if offline.

An answer that does not come is asked for again, with the same request (the same entry id), before the till
decides offline: the server answers a replay exactly as the first time, so an answer lost on the way back (the
server has decided, and perhaps taken the money) is heard after all, and the till does not decide otherwise. The
retry is short (``RETRY_DELAYS``): a cashier with a queue waits for the offline fallback, not for the network.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from datetime import datetime

from pos_app.domain import errors
from pos_app.services.context import utc_now
from pos_app.services.online import Authoriser, OnlineOperation, OnlineOutcome, ServerUnavailable
from pos_app.sync.client import SyncApi
from pos_app.sync.convert import operation_to_wire, outcome_from_wire
from pos_app.sync.outbox import push_pending
from pos_app.sync.units import Units

log = logging.getLogger(__name__)

#: The pauses before asking again, after an answer did not come (one retry after a timeout: see ``authorise``).
RETRY_DELAYS = (0.1, 0.4)


class ServerAuthoriser(Authoriser):
    def __init__(self, client: SyncApi, units: Units, *, clock: Callable[[], datetime] = utc_now,
                 retry_delays: tuple[float, ...] = RETRY_DELAYS, sleep: Callable[[float], None] = time.sleep) -> None:
        self._client = client
        self._units = units
        self._clock = clock
        self._retry_delays = retry_delays
        self._sleep = sleep

    def authorise(self, operation: OnlineOperation) -> OnlineOutcome:
        try:
            push_pending(self._client, self._units, clock=self._clock)
        except (errors.DeviceRevoked, errors.Unauthorized):
            raise
        except errors.GiftCardError as exc:  # the server refuses the outbox as a whole: it cannot decide either
            log.warning("the server refused this till's outbox: %s", exc)
            raise ServerUnavailable(f"the server refused this till's unsent entries ({exc.key})") from exc
        request = operation_to_wire(operation)
        delays = iter(self._retry_delays)
        while True:
            started = time.monotonic()
            try:
                return outcome_from_wire(self._client.authorise(request))
            except ServerUnavailable as exc:
                delay = next(delays, None)
                if delay is None:
                    raise
                log.info("no answer to authorisation %s (%s); asking again", request.entry_id, exc)
                if time.monotonic() - started > 1.0:  # a timeout has cost the queue its wait already: once more
                    delays = iter(())
                self._sleep(delay)
