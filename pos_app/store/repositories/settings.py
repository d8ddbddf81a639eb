"""Key/value settings, each value JSON-encoded."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection, bindparam, select
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from pos_app.services.ports import SettingsRepository
from pos_app.store.models import settings

_GET = select(settings.c.value).where(settings.c.key == bindparam("b_key"))
_upsert = sqlite_insert(settings)
_SET = _upsert.on_conflict_do_update(index_elements=[settings.c.key], set_={"value": _upsert.excluded.value})


class SqlSettingsRepository(SettingsRepository):
    def __init__(self, conn: Connection) -> None:
        self._conn = conn

    def get(self, key: str, default: Any = None) -> Any:
        row = self._conn.execute(_GET, {"b_key": key}).first()
        return default if row is None else row.value

    def set(self, key: str, value: Any) -> None:
        self._conn.execute(_SET, {"key": key, "value": value})
