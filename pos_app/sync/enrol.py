"""Enrolling a till: spend the server's one-time code, keep what the server answered (see ``services.enrolment``)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from pos_app.services.context import Caller, utc_now
from pos_app.services.enrolment import check_can_enrol, save_enrolment
from pos_app.services.ports import UnitOfWork
from pos_app.services.setup import StoreProfile
from pos_app.sync.client import SyncClient
from pos_app.sync.convert import limits_from_wire


def enrol(uow: UnitOfWork, caller: Caller | None, *, server_url: str, code: str, device_name: str,
          client: Callable[[str], SyncClient] = SyncClient, clock: Callable[[], datetime] = utc_now
          ) -> StoreProfile:
    """Enrol this till (a new store, or a standalone one without sales) with a one-time code from the server.

    The store, and who asks (a manager, when the till has people: enrolment switches them off), are checked before
    the code is spent; refusals come as the server's keys (a spent or unknown code), and a server that does not
    answer as :class:`ServerUnavailable`.
    """
    check_can_enrol(uow, caller)
    with client(server_url) as api:
        answer = api.enrol(code, device_name)
    store = answer.store
    return save_enrolment(
        uow, server_url=api.base_url, token=answer.token, device_id=answer.device_id, store_name=store.name,
        currency=store.currency, locale=store.locale, limits=limits_from_wire(answer.limits), now=clock(),
        time_zone=store.time_zone,
    )
