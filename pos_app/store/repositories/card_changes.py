"""The cards' audit trail: rows ↔ :class:`~pos_app.domain.terms.CardChange` (plain Core statements: a manager's
change of a card is no hot path)."""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import Connection, Row, insert, literal_column, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.sql.expression import ColumnElement

from pos_app.domain.terms import CardChange, FieldChange
from pos_app.services.ports import CardChangeRepository
from pos_app.store.models import card_changes
from pos_app.store.repositories._errors import translate

_ROWID: ColumnElement[Any] = literal_column("card_changes.rowid")


def _from_row(row: Row[Any]) -> CardChange:
    return CardChange(
        id=uuid.UUID(row.id), card_id=row.card_id, code=row.code,
        changes=tuple(FieldChange(name, before, after) for name, before, after in row.changes),
        reason=row.reason, device_id=row.device_id, operator_id=row.operator_id, created_at=row.created_at,
    )


class SqlCardChangeRepository(CardChangeRepository):
    def __init__(self, conn: Connection) -> None:
        self._conn = conn

    def add(self, change: CardChange) -> None:
        try:
            self._conn.execute(insert(card_changes), {
                "id": str(change.id), "card_id": change.card_id, "code": change.code,
                "changes": [[c.name, c.before, c.after] for c in change.changes], "reason": change.reason,
                "device_id": change.device_id, "operator_id": change.operator_id, "created_at": change.created_at,
            })
        except IntegrityError as exc:
            raise (translate(exc, f"change of card {change.card_id}") or exc) from exc

    def for_card(self, card_id: str, limit: int | None = None) -> list[CardChange]:
        stmt = (select(card_changes).where(card_changes.c.card_id == card_id)
                .order_by(card_changes.c.created_at.desc(), _ROWID.desc()))
        if limit is not None:
            stmt = stmt.limit(max(0, limit))
        return [_from_row(row) for row in self._conn.execute(stmt)]
