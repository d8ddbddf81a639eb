"""Who is calling a use case, from which till, and what time it is there."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime

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

    def context(self, *, order_ref: str | None = None, reason: str | None = None) -> OperationContext:
        return OperationContext(
            at=self.clock(), device_id=self.device_id, operator_id=self.actor.user_id,
            order_ref=order_ref, reason=reason,
        )

    def require(self, permission: Permission) -> None:
        self.actor.require(permission)

    def allow(self, op: Operation, policy: Policy = NO_POLICY) -> None:
        """Raise ``forbidden`` unless this caller may do ``op`` (the domain's rule, as the server applies it;
        ``policy``: what head office or the shop grants beyond the role, e.g. cashiers who sell)."""
        check_allowed(self.actor, op, self.context(), policy)
