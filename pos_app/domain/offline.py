"""When a till may stand in for the server: the offline floor limits (DESIGN.md §7).

Like a card terminal's floor limit: offline, a redemption is accepted only when every limit holds, and each
refusal names the limit. Head office sets the limits (tills receive them by pull); a standalone shop sets them
in its settings. A manager may override a refusal with their PIN; the override is recorded on the entry.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from pos_app.domain import errors
from pos_app.domain.money import Money


@dataclass(frozen=True, slots=True, kw_only=True)
class OfflineLimits:
    """Amounts in minor units of the store's currency."""

    per_redemption: int = 10_000  # 100.00
    per_device_unsynced: int = 50_000  # 500.00 of unsynced offline spending per till
    max_offline: timedelta = timedelta(hours=24)
    max_card_age: timedelta = timedelta(hours=72)


@dataclass(frozen=True, slots=True, kw_only=True)
class OfflineSituation:
    """What the till knows when the server does not answer."""

    now: datetime
    online_last: datetime | None  # the last time the server answered this till
    card_synced_at: datetime | None  # when this card's state last came from the server (None: never)
    device_unsynced_spent: int  # this till's offline redemptions not yet acknowledged, all cards


def check_offline_redemption(amount: Money, limits: OfflineLimits, situation: OfflineSituation) -> None:
    """Raise the first offline limit that ``amount`` breaks; the card's own rules are checked separately."""
    s = situation
    if s.online_last is None or s.now - s.online_last > limits.max_offline:
        raise errors.OfflineTooLong(
            "no contact with the server for over "
            f"{_hours(limits.max_offline)}; connect the till or ask a manager"
        )
    if s.card_synced_at is None or s.now - s.card_synced_at > limits.max_card_age:
        raise errors.CardStateStale(
            f"this card's balance was last confirmed over {_hours(limits.max_card_age)} ago"
            if s.card_synced_at is not None else "this card has not been seen by the till yet"
        )
    if amount.minor > limits.per_redemption:
        raise errors.OfflineLimitExceeded(
            f"offline, a redemption may be at most {Money(limits.per_redemption, amount.currency)}"
        )
    if s.device_unsynced_spent + amount.minor > limits.per_device_unsynced:
        left = max(0, limits.per_device_unsynced - s.device_unsynced_spent)
        raise errors.OfflineCapExceeded(
            f"offline, this till may take {Money(left, amount.currency)} more until it syncs"
        )


def _hours(span: timedelta) -> str:
    hours = span.total_seconds() / 3600
    return f"{hours:g} hours"
