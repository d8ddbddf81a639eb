"""The till's side of the server's sync conflicts: list them, and resolve one with a manager's reason.

A conflict lives on the central server (the card was overdrawn by offline redemptions of several tills, see
``schemas``); a manager at any enrolled till reviews and resolves it there. These functions take the till (anything
with a ``sync_client()``, :class:`ServerLink`) and open their own client and their own read-only unit of work to
find the server, so they may run on any worker
thread (never the till's shared ``uow``, which belongs to the writer thread). A standalone till has no server:
``not_enrolled``. A server that does not answer: ``server_unavailable``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Literal, Protocol, get_args

from pydantic import ValidationError

from pos_app.domain import errors
from pos_app.services.online import ServerUnavailable
from pos_app.sync.schemas import ConflictOut, ResolveConflict

if TYPE_CHECKING:
    from pos_app.sync.client import SyncClient

Which = Literal["open", "resolved", "all"]
Action = Literal["recover", "write_off", "correct"]
WHICH: tuple[Which, ...] = get_args(Which)
ACTIONS: tuple[Action, ...] = get_args(Action)


class Unreachable(errors.GiftCardError):
    """The server did not answer a manager's request. Unlike a sale, there is no offline fallback: it is a
    refusal to show (``server_unavailable``), with a Retry, not a fault."""

    key, code, message = "server_unavailable", 503, "the central server does not answer"


class ServerLink(Protocol):
    """The till, as these functions need it (``bootstrap.Till``: the composition root is not imported here)."""

    def sync_client(self) -> SyncClient:
        """A client of the server this till is enrolled to (``not_enrolled`` when it is standalone)."""
        ...


def client_for(till: ServerLink) -> SyncClient:
    return till.sync_client()


def list_conflicts(till: ServerLink, which: Which = "open") -> list[ConflictOut]:
    """The server's conflicts, oldest first."""
    if which not in WHICH:
        raise errors.InvalidPayload(f"status is one of {', '.join(WHICH)}")
    with client_for(till) as client:
        try:
            return client.conflicts(which)
        except ServerUnavailable as exc:
            raise Unreachable(str(exc)) from exc


def resolve_conflict(till: ServerLink, conflict_id: str, *, action: Action, reason: str, operator_id: str | None,
                     amount: int | None = None, disable: bool = False) -> ConflictOut:
    """Resolve ``conflict_id`` on the server: ``recover``/``write_off`` bring the card back to zero (no amount);
    ``correct`` moves it by ``amount`` (signed minor units). The card unfreezes at the till's next pull."""
    try:
        request = ResolveConflict(action=action, reason=reason.strip(), amount=amount, disable=disable,
                                  operator_id=operator_id)
    except ValidationError as exc:
        problem = exc.errors()[0]
        where = ".".join(str(part) for part in problem.get("loc", ())) or "body"
        raise errors.InvalidPayload(f"{where}: {problem.get('msg', 'invalid')}") from exc
    with client_for(till) as client:
        try:
            return client.resolve_conflict(conflict_id, request)
        except ServerUnavailable as exc:
            raise Unreachable(str(exc)) from exc
