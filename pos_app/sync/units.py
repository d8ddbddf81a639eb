"""Where sync gets its units of work (no network imports here: bootstrap builds this for every till)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from pos_app.services.ports import UnitOfWork


@dataclass(frozen=True, slots=True)
class Units:
    """A new unit of work per call, so that a worker thread has its own connection. ``read`` gives read-only
    snapshots (never the write lock: a sale is never held up by them), ``write`` write transactions."""

    write: Callable[[], UnitOfWork]
    read: Callable[[], UnitOfWork]
