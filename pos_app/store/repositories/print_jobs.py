"""Print jobs: rows ↔ :class:`~pos_app.services.ports.PrintJob`.

Core statements through the unit of work's connection, like the other repositories; the column types convert
the entry's UUID, the status and the times.
"""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, Row, insert, literal_column, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.sql.expression import ColumnElement

from pos_app.services.ports import PrintJob, PrintJobRepository, PrintJobStatus
from pos_app.store.models import print_jobs
from pos_app.store.repositories._errors import translate

_ROWID: ColumnElement[Any] = literal_column("print_jobs.rowid")
_ORIGINAL_FIRST: tuple[ColumnElement[Any], ...] = (print_jobs.c.created_at, _ROWID)


def _from_row(row: Row[Any]) -> PrintJob:
    return PrintJob(
        id=row.id, entry_id=row.entry_id, format=row.format, data=bytes(row.data),
        created_at=row.created_at, destination=row.destination, status=row.status,
        attempts=row.attempts, last_error=row.last_error, printed_at=row.printed_at,
    )


class SqlPrintJobRepository(PrintJobRepository):
    def __init__(self, conn: Connection) -> None:
        self._conn = conn

    def add(self, job: PrintJob) -> None:
        try:
            self._conn.execute(insert(print_jobs), {
                "id": job.id, "entry_id": job.entry_id, "format": job.format, "destination": job.destination,
                "data": job.data, "created_at": job.created_at, "status": job.status,
                "attempts": job.attempts, "last_error": job.last_error, "printed_at": job.printed_at,
            })
        except IntegrityError as exc:
            raise (translate(exc, f"print job of entry {job.entry_id}") or exc) from exc

    def get(self, job_id: str) -> PrintJob | None:
        row = self._conn.execute(select(print_jobs).where(print_jobs.c.id == job_id)).first()
        return None if row is None else _from_row(row)

    def for_entry(self, entry_id: uuid.UUID, format: str) -> PrintJob | None:
        row = self._conn.execute(
            select(print_jobs)
            .where(print_jobs.c.entry_id == entry_id, print_jobs.c.format == format)
            .order_by(*_ORIGINAL_FIRST).limit(1)
        ).first()
        return None if row is None else _from_row(row)

    def mark_printed(self, job_id: str, *, destination: str, at: datetime) -> None:
        self._sent(job_id, status=PrintJobStatus.PRINTED, destination=destination, printed_at=at)

    def mark_failed(self, job_id: str, *, destination: str | None, error: str) -> None:
        self._sent(job_id, status=PrintJobStatus.FAILED, destination=destination, last_error=error[:1000])

    def _sent(self, job_id: str, **values: Any) -> None:
        self._conn.execute(
            update(print_jobs).where(print_jobs.c.id == job_id).values(attempts=print_jobs.c.attempts + 1, **values)
        )

    def recent(self, limit: int = 20) -> list[PrintJob]:
        newest = [c.desc() for c in _ORIGINAL_FIRST]
        rows = self._conn.execute(select(print_jobs).order_by(*newest).limit(max(0, limit)))
        return [_from_row(row) for row in rows]
