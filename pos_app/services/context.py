"""Who is calling a use case, from which till, and what time it is there (and in which time zone the shop's
days are read)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, tzinfo

from pos_app.domain.cards import OperationContext
from pos_app.domain.operations import NO_POLICY, Operation, Policy, check_allowed
from pos_app.domain.people import Actor, Permission


def utc_now() -> datetime:
    return datetime.now(UTC)


@dataclass(frozen=True, slots=True)
class Caller:
    actor: Actor
    device_id: str
    clock: Callable[[], datetime] = utc_now
    zone: tzinfo = UTC  # the shop's time zone (``StoreProfile.zone``; the composition root passes it)

    def context(self, *, order_ref: str | None = None, reason: str | None = None) -> OperationContext:
        """The operation's context; an actor who is nobody in particular (head office on the server) names no
        operator."""
        return OperationContext(
            at=self.clock(), zone=self.zone, device_id=self.device_id, operator_id=self.actor.user_id or None,
            order_ref=order_ref, reason=reason,
        )

    def require(self, permission: Permission) -> None:
        self.actor.require(permission)

    def allow(self, op: Operation, policy: Policy = NO_POLICY) -> None:
        """Raise ``forbidden`` unless this caller may do ``op`` (the domain's rule, as the server applies it;
        ``policy``: what head office or the shop grants beyond the role, e.g. cashiers who sell)."""
        check_allowed(self.actor, op, self.context(), policy)
