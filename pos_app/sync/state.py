"""The sync state the status bar and ``pos-app status`` show, read from the store alone.

Kept apart from the worker so that a standalone till (and the till window starting up) can read it without
importing the network client (httpx, pydantic): see ``pos_app.bootstrap``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Literal

from pos_app.services.enrolment import LAST_ERROR, LAST_SYNC, online_last
from pos_app.sync.units import Units

#: ``stuck``: the server answers, but the last sync could not finish (it refused, or the till could not apply what
#: it sent): this till's figures are no longer the server's until someone looks (the reason is ``last_error``).
Mode = Literal["standalone", "online", "offline", "revoked", "stuck"]
#: The mode the last sync cycle ended in (``pos-app status`` shows ``stuck`` from it while the server answers).
LAST_MODE = "sync.last_mode"


@dataclass(frozen=True, slots=True)
class SyncState:
    """What the status bar shows. ``unsynced``: entries the server has not acknowledged (``set_aside`` of them
    refused by the server and kept for a manager's review); ``online_last``: the last time the server answered."""

    mode: Mode
    unsynced: int = 0
    set_aside: int = 0
    last_sync: datetime | None = None
    last_error: str | None = None
    online_last: datetime | None = None


Observer = Callable[[SyncState], None]


def read_state(units: Units, mode: Mode) -> SyncState:
    """The counts and times as the store has them (what ``pos-app status`` shows). A server that answers
    (``online``) to a till whose last sync got stuck is shown as ``stuck``."""
    with units.read() as uow:
        last_sync = uow.settings.get(LAST_SYNC)
        if mode == "online" and uow.settings.get(LAST_MODE) == "stuck":
            mode = "stuck"
        return SyncState(
            mode=mode, unsynced=uow.entries.outbox_count(), set_aside=uow.entries.set_aside_count(),
            last_sync=None if last_sync is None else datetime.fromisoformat(last_sync),
            last_error=uow.settings.get(LAST_ERROR), online_last=online_last(uow.settings),
        )


def standalone_state(units: Units) -> SyncState:
    """A standalone till: its entries stay in the outbox forever, harmlessly; nothing else applies."""
    return replace(read_state(units, "standalone"), last_sync=None, last_error=None, online_last=None)
