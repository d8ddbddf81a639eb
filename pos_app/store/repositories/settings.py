"""Key/value settings, each value JSON-encoded; secrets (the device's token) in files of their own.

The keys of :data:`~pos_app.store.secret_file.SECRET_FILES` never reach the SQLite file: they are read from and
written to a 0600 file beside it (see ``secret_file`` for why), as soon as they are set (a rolled-back enrolment
leaves a token file that no setting refers to; the next enrolment replaces it).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sqlalchemy import Connection, bindparam, select
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from pos_app.services.ports import SettingsRepository
from pos_app.store.models import settings
from pos_app.store.secret_file import SECRET_FILES, read_secret, remove_secret, secret_path, write_secret

_GET = select(settings.c.value).where(settings.c.key == bindparam("b_key"))
_upsert = sqlite_insert(settings)
_SET = _upsert.on_conflict_do_update(index_elements=[settings.c.key], set_={"value": _upsert.excluded.value})


class SqlSettingsRepository(SettingsRepository):
    def __init__(self, conn: Connection) -> None:
        self._conn = conn

    def get(self, key: str, default: Any = None) -> Any:
        if key in SECRET_FILES:
            value = read_secret(self._secret(key))
            return default if value is None else value
        row = self._conn.execute(_GET, {"b_key": key}).first()
        return default if row is None else row.value

    def set(self, key: str, value: Any) -> None:
        if key in SECRET_FILES:
            if value is None:
                remove_secret(self._secret(key))
            else:
                write_secret(self._secret(key), str(value))
            return
        self._conn.execute(_SET, {"key": key, "value": value})

    def _secret(self, key: str) -> Path:
        database = self._conn.engine.url.database
        if not database:
            raise RuntimeError("a store in memory has nowhere to keep its secrets")
        return secret_path(database, key)
