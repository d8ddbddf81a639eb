"""The one composition root: wires the real adapters (SQLite store, clock) into the use cases.

Tests of the core wire fakes instead (tests/unit/fakes.py); everything else goes through :func:`open_till`.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from platformdirs import user_data_dir

from pos_app.domain.people import Actor
from pos_app.services import auth
from pos_app.services.context import Caller, utc_now
from pos_app.services.ports import UnitOfWork
from pos_app.services.setup import StoreProfile, load_profile

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

    def profile(self) -> StoreProfile:
        return load_profile(self.uow)

    def login(self, pin: str | None, *, user_name: str | None = None) -> Caller:
        actor: Actor = auth.login(self.uow, pin, user_name=user_name, clock=utc_now)
        return Caller(actor=actor, device_id=self.profile().device_id, clock=utc_now)


def open_till(data_dir: Path) -> Till:
    """Open (creating if needed) the store under ``data_dir``, upgrading an old schema first."""
    from pos_app.store import open_store

    store = open_store(data_dir)
    return Till(data_dir=data_dir, uow=store.unit_of_work(), reader=store.unit_of_work(read_only=True))
