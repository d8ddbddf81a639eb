"""A standalone shop's own settings: its name, language and time zone, and its offline limits.

An enrolled till's are head office's: they come with every pull, so a change here would be put back; they are
refused with ``managed_by_server``. The window's Settings page calls these (``ui/manager/settings_store``).
"""

from __future__ import annotations

from datetime import timedelta

from pos_app.domain import errors
from pos_app.domain.offline import OfflineLimits
from pos_app.services.enrolment import offline_limits, save_limits
from pos_app.services.modes import ENROLLED, MODE_KEY, require_standalone
from pos_app.services.ports import UnitOfWork
from pos_app.services.setup import TIME_ZONE, check_store_name, check_zone_name

MAX_LIMIT_HOURS = 24 * 30


def save_shop(uow: UnitOfWork, *, name: str, locale: str, time_zone: str | None = None) -> None:
    """A standalone shop's name, locale (checked by the entry point, which knows the locales) and time zone; the
    currency never changes: every card and entry is in it. Cards' dates keep their instants: a card made for
    "until Jun 30" in the old zone ends at that zone's midnight. An enrolled till's are head office's."""
    name = check_store_name(name)
    zone = None if time_zone is None else check_zone_name(time_zone)
    with uow:
        require_standalone(uow, "the shop's name and language", "change them on the central server")
        uow.settings.set("store_name", name)
        uow.settings.set("locale", locale)
        if zone is not None:
            uow.settings.set(TIME_ZONE, zone)
        uow.commit()


def read_limits(uow: UnitOfWork) -> tuple[OfflineLimits, bool]:
    """The offline limits, and whether head office sets them (an enrolled till)."""
    with uow:
        return offline_limits(uow.settings), uow.settings.get(MODE_KEY) == ENROLLED


def check_limits(limits: OfflineLimits) -> OfflineLimits:
    if limits.per_redemption <= 0 or limits.per_device_unsynced <= 0:
        raise errors.InvalidAmount("offline limits are amounts greater than zero")
    if limits.per_redemption > limits.per_device_unsynced:
        raise errors.InvalidAmount("one redemption may not be more than the till may take in all")
    for span in (limits.max_offline, limits.max_card_age):
        if not timedelta(hours=1) <= span <= timedelta(hours=MAX_LIMIT_HOURS):
            raise errors.InvalidPayload(f"hours between 1 and {MAX_LIMIT_HOURS}")
    return limits


def save_offline_limits(uow: UnitOfWork, limits: OfflineLimits) -> OfflineLimits:
    """A standalone shop's offline limits (an enrolled till's are head office's)."""
    check_limits(limits)
    with uow:
        require_standalone(uow, "the offline limits", "head office sets them on the central server")
        save_limits(uow.settings, limits)
        uow.commit()
    return limits
