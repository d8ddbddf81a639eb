"""A till enrolled to a central server: what it keeps about the server in its settings, and enrolment itself.

The settings (JSON values in the store's key/value table):

==========================  ========================================================================================
``mode``                    ``standalone`` (no server: the store is the authority) or ``enrolled``
``sync.server_url``         the server's base URL; ``sync.token`` the device's bearer token (a credential that
                            spends money: the store keeps it in a 0600 file of its own, never in its database file,
                            which gets copied for support and backups)
``sync.limits``             the offline limits head office set (:data:`LIMIT_FIELDS`, minor units and seconds)
``sync.online_last``        the last time the server answered this till (the offline period is measured from it)
``sync.cursor``             where the next pull starts
``sync.last_sync``          when the last full sync (push and pull) finished; ``sync.last_error``: why the last one
                            failed, one sentence (None after a good one)
==========================  ========================================================================================

Enrolment spends a one-time code on the server (the sync client does that), then records what the server said
here. A till that already has a ledger as a standalone shop is refused *before* the code is spent: its entries
were never the server's, and the server's ledger must add up.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from pos_app.domain import errors
from pos_app.domain.money import check_currency
from pos_app.domain.offline import OfflineLimits
from pos_app.domain.operations import Policy
from pos_app.domain.people import Permission
from pos_app.services.context import Caller
from pos_app.services.modes import ENROLLED, MODE_KEY
from pos_app.services.ports import SettingsRepository, UnitOfWork
from pos_app.services.setup import SCHEMA_KEYS, TIME_ZONE, StoreProfile, check_zone_name, host_zone_name

STANDALONE = "standalone"

MODE = MODE_KEY
SERVER_URL = "sync.server_url"
TOKEN = "sync.token"
LIMITS = "sync.limits"
ONLINE_LAST = "sync.online_last"
CURSOR = "sync.cursor"
LAST_SYNC = "sync.last_sync"
LAST_ERROR = "sync.last_error"

#: The limits as stored (the wire's names): minor units, and seconds for the durations.
LIMIT_FIELDS = ("per_redemption", "per_device_unsynced", "max_offline_seconds", "max_card_age_seconds")


@dataclass(frozen=True, slots=True)
class Enrolment:
    server_url: str
    token: str
    device_id: str


def enrolment(uow: UnitOfWork) -> Enrolment | None:
    """The server this till is enrolled to (None: standalone)."""
    with uow:
        if uow.settings.get(MODE) != ENROLLED:
            return None
        url, token, device = uow.settings.get(SERVER_URL), uow.settings.get(TOKEN), uow.settings.get("device_id")
    if not (url and token and device):
        raise errors.NotEnrolled("the till's enrolment is incomplete; enrol it again")
    return Enrolment(server_url=str(url), token=str(token), device_id=str(device))


def needs_manager(uow: UnitOfWork) -> bool:
    """Whether enrolling this till takes a manager's PIN: it switches off the till's own people, if it has any."""
    with uow:
        return uow.settings.get(MODE) != ENROLLED and any(user.active for user in uow.users.list())


def check_can_enrol(uow: UnitOfWork, caller: Caller | None) -> None:
    """Refuse a till that is enrolled already, or whose standalone store has a ledger (sales) of its own; and,
    since enrolment switches off the till's own people, anyone but their manager (``caller`` None: nobody logged
    in, which only a till without people may do)."""
    with uow:
        if uow.settings.get(MODE) == ENROLLED:
            raise errors.DuplicateFound(f"this till is enrolled to {uow.settings.get(SERVER_URL)} already")
        if next(iter(uow.entries.iter_all()), None) is not None:
            raise errors.DuplicateFound(
                "this till already has sales as a standalone shop; enrol a new till (another --data-dir)"
            )
        if any(user.active for user in uow.users.list()):
            if caller is None:
                raise errors.Unauthorized("enrolling switches off this till's people: a manager's PIN is needed")
            caller.require(Permission.MANAGE_USERS)


def save_enrolment(uow: UnitOfWork, *, server_url: str, token: str, device_id: str, store_name: str,
                   currency: str, locale: str, limits: OfflineLimits, now: datetime,
                   time_zone: str | None = None) -> StoreProfile:
    """Record what the server answered: this till's id and token, the store, the limits. People come from the
    server from now on, so those of a standalone store (which had no sales) are switched off."""
    check_currency(currency)
    with uow:  # a server that sends no zone (older than it) leaves the till's own
        zone = check_zone_name(time_zone) if time_zone else uow.settings.get(TIME_ZONE) or host_zone_name()
    profile = StoreProfile(store_name=store_name, currency=currency, locale=locale, device_id=device_id,
                           mode=ENROLLED, time_zone=zone)
    with uow:
        for key in SCHEMA_KEYS:
            uow.settings.set(key, getattr(profile, key))
        uow.settings.set(TIME_ZONE, zone)
        uow.settings.set(MODE, ENROLLED)
        uow.settings.set(SERVER_URL, server_url)
        uow.settings.set(TOKEN, token)
        uow.settings.set(CURSOR, 0)
        uow.settings.set(LAST_ERROR, None)
        save_limits(uow.settings, limits)
        mark_online(uow.settings, now)
        for user in uow.users.list():
            if user.active:
                user.active = False
                uow.users.save(user)
        uow.commit()
    return profile


def offline_limits(settings: SettingsRepository) -> OfflineLimits:
    raw: dict[str, Any] = settings.get(LIMITS) or {}
    default = OfflineLimits()
    return OfflineLimits(
        per_redemption=int(raw.get("per_redemption", default.per_redemption)),
        per_device_unsynced=int(raw.get("per_device_unsynced", default.per_device_unsynced)),
        max_offline=timedelta(seconds=int(raw.get("max_offline_seconds", default.max_offline.total_seconds()))),
        max_card_age=timedelta(seconds=int(raw.get("max_card_age_seconds", default.max_card_age.total_seconds()))),
    )


POLICY = "policy"


def head_office_policy(settings: SettingsRepository) -> Policy:
    """Head office's maxima for value put on cards (``policy``: minor units; absent: none but the ceiling), and
    whether cashiers may sell cards (``cashiers_sell``; absent: only managers)."""
    raw: dict[str, Any] = settings.get(POLICY) or {}

    def value(name: str) -> int | None:
        found = raw.get(name)
        return None if found is None else int(found)

    return Policy(max_balance=value("max_balance"), max_per_operation=value("max_per_operation"),
                  daily_created_per_till=value("daily_created_per_till"),
                  cashiers_sell=bool(raw.get("cashiers_sell", False)))


def save_policy(settings: SettingsRepository, policy: Policy) -> None:
    """Head office's rules as the server sent them (a till applies them offline too); on a standalone till, the
    shop's own (``services.shop_rules``)."""
    settings.set(POLICY, {"max_balance": policy.max_balance, "max_per_operation": policy.max_per_operation,
                          "daily_created_per_till": policy.daily_created_per_till,
                          "cashiers_sell": policy.cashiers_sell})


def save_limits(settings: SettingsRepository, limits: OfflineLimits) -> None:
    settings.set(LIMITS, {
        "per_redemption": limits.per_redemption, "per_device_unsynced": limits.per_device_unsynced,
        "max_offline_seconds": int(limits.max_offline.total_seconds()),
        "max_card_age_seconds": int(limits.max_card_age.total_seconds()),
    })


def online_last(settings: SettingsRepository) -> datetime | None:
    raw = settings.get(ONLINE_LAST)
    return None if raw is None else datetime.fromisoformat(raw)


def mark_online(settings: SettingsRepository, at: datetime) -> None:
    """The server answered at ``at`` (never moves back: two processes may report out of order)."""
    last = online_last(settings)
    if last is None or at > last:
        settings.set(ONLINE_LAST, at.isoformat())
