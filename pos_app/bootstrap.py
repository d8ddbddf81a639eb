"""The one composition root: wires the real adapters (SQLite store, clock, the sync client) into the use cases.

Tests of the core wire fakes instead (tests/unit/fakes.py); everything else goes through :func:`open_till`. The
sync package (httpx, pydantic) is imported only by an enrolled till: a standalone shop never loads it.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from platformdirs import user_data_dir

from pos_app.domain import errors
from pos_app.domain.people import Actor
from pos_app.services import auth
from pos_app.services.context import Caller, utc_now
from pos_app.services.enrolment import Enrolment, enrolment
from pos_app.services.online import Authoriser
from pos_app.services.ports import UnitOfWork
from pos_app.services.setup import StoreProfile, load_profile

if TYPE_CHECKING:
    from pos_app.sync.client import SyncClient
    from pos_app.sync.units import Units
    from pos_app.sync.worker import SyncWorker

DATA_DIR_ENV = "POS_APP_DATA_DIR"


def resolve_data_dir(given: str | os.PathLike[str] | None = None) -> Path:
    """``--data-dir``, else ``POS_APP_DATA_DIR``, else the platform's user data directory."""
    raw = given or os.environ.get(DATA_DIR_ENV) or user_data_dir("pos_app", appauthor=False)
    return Path(raw).expanduser()


@dataclass
class Till:
    """A till's store opened and upgraded, ready for use cases."""

    data_dir: Path
    uow: UnitOfWork
    reader: UnitOfWork  # read-only snapshots (reports, exports): never holds up a sale
    new_uow: Callable[[], UnitOfWork] | None = None  # fresh ones, for another thread (the sync worker)
    new_reader: Callable[[], UnitOfWork] | None = None
    _authoriser: Any = field(default=None, init=False, repr=False)

    def profile(self) -> StoreProfile:
        return load_profile(self.uow)

    def login(self, pin: str | None, *, user_name: str | None = None) -> Caller:
        actor: Actor = auth.login(self.uow, pin, user_name=user_name, clock=utc_now)
        return Caller(actor=actor, device_id=self.profile().device_id, clock=utc_now)

    # ---- sync ------------------------------------------------------------------------------------------------

    def enrolment(self) -> Enrolment | None:
        return enrolment(self.uow)

    def units(self) -> Units:
        from pos_app.sync.units import Units

        write, read = self.new_uow, self.new_reader
        if write is None or read is None:
            raise RuntimeError("this till was opened without a way to make units of work for sync")
        return Units(write=write, read=read)

    def sync_client(self) -> SyncClient:
        enrolled = self.enrolment()
        if enrolled is None:
            raise errors.NotEnrolled()
        from pos_app.sync.client import SyncClient

        return SyncClient(enrolled.server_url, enrolled.token)

    def authoriser(self) -> Authoriser | None:
        """The server's authorisation for the card commands (None: a standalone till decides itself)."""
        if self._authoriser is None:
            if self.enrolment() is None:
                return None
            from pos_app.sync.authoriser import ServerAuthoriser

            self._authoriser = ServerAuthoriser(self.sync_client(), self.units(), clock=utc_now)
        authoriser: Authoriser = self._authoriser
        return authoriser

    def sync_worker(self, **options: Any) -> SyncWorker:
        from pos_app.sync.worker import SyncWorker

        return SyncWorker(self.sync_client(), self.units(), clock=utc_now, **options)

    def enrol(self, *, server_url: str, code: str, device_name: str) -> StoreProfile:
        from pos_app.sync.enrol import enrol

        profile = enrol(self.uow, server_url=server_url, code=code, device_name=device_name, clock=utc_now)
        self._authoriser = None
        return profile


def open_till(data_dir: Path) -> Till:
    """Open (creating if needed) the store under ``data_dir``, upgrading an old schema first."""
    from pos_app.store import open_store

    store = open_store(data_dir)
    return Till(data_dir=data_dir, uow=store.unit_of_work(), reader=store.unit_of_work(read_only=True),
                new_uow=store.unit_of_work, new_reader=lambda: store.unit_of_work(read_only=True))
