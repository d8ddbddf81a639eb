"""The Authoriser port over the sync API: this till's outbox first, then the question.

The server's balance of a card must include what this till did offline before it decides anything about that
card, so the outbox is pushed (synchronously, all of it) before each authorisation. Usually the outbox is empty
and that costs one read of the store. Should the server refuse the outbox as a whole (not entry by entry: those
are set aside), it cannot decide with this till's entries counted, and the till stands in for it as if offline.
"""

from __future__ import annotations

import logging
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


class ServerAuthoriser(Authoriser):
    def __init__(self, client: SyncApi, units: Units, *, clock: Callable[[], datetime] = utc_now) -> None:
        self._client = client
        self._units = units
        self._clock = clock

    def authorise(self, operation: OnlineOperation) -> OnlineOutcome:
        try:
            push_pending(self._client, self._units, clock=self._clock)
        except (errors.DeviceRevoked, errors.Unauthorized):
            raise
        except errors.GiftCardError as exc:  # the server refuses the outbox as a whole: it cannot decide either
            log.warning("the server refused this till's outbox: %s", exc)
            raise ServerUnavailable(f"the server refused this till's unsent entries ({exc.key})") from exc
        return outcome_from_wire(self._client.authorise(operation_to_wire(operation)))
