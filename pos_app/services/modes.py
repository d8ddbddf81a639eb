"""Standalone or enrolled: which operations a till may do on its own.

A standalone till's store is the authority. An enrolled till's cards, people and campaigns come from the
central server by pull, so a local change to them would be overwritten at the next pull and never reach the
other tills: such operations are refused with ``managed_by_server`` and a pointer to where they are done.
"""

from __future__ import annotations

from pos_app.domain import errors
from pos_app.services.ports import CardsUnitOfWork

MODE_KEY = "mode"
ENROLLED = "enrolled"


def require_standalone(uow: CardsUnitOfWork, what: str, instead: str) -> None:
    """Call inside an open unit of work; refuses on an enrolled till."""
    if uow.settings.get(MODE_KEY) == ENROLLED:
        raise errors.ManagedByServer(f"{what} is done on the central server for an enrolled till: {instead}")
