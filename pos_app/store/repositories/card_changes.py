"""The cards' audit trail: rows ↔ :class:`~pos_app.domain.terms.CardChange` (Core statements built once; the column
types convert the id and the list of changes)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection, Row, bindparam, insert, literal_column, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.sql.expression import ColumnElement

from pos_app.domain.terms import CardChange
from pos_app.services.ports import CardChangeRepository
from pos_app.store.models import card_changes
from pos_app.store.repositories._errors import translate

NO_LIMIT = -1  # SQLite: LIMIT -1 is no limit

_ROWID: ColumnElement[Any] = literal_column("card_changes.rowid")
_INSERT = insert(card_changes)
_FOR_CARD = (
    select(card_changes)
    .where(card_changes.c.card_id == bindparam("b_card"))
    .order_by(card_changes.c.created_at.desc(), _ROWID.desc())
    .limit(bindparam("b_limit"))
)


def _from_row(row: Row[Any]) -> CardChange:
    return CardChange(
        id=row.id, card_id=row.card_id, code=row.code, changes=row.changes, reason=row.reason,
        device_id=row.device_id, operator_id=row.operator_id, created_at=row.created_at,
    )


class SqlCardChangeRepository(CardChangeRepository):
    def __init__(self, conn: Connection) -> None:
        self._conn = conn

    def add(self, change: CardChange) -> None:
        try:
            self._conn.execute(_INSERT, {
                "id": change.id, "card_id": change.card_id, "code": change.code, "changes": change.changes,
                "reason": change.reason, "device_id": change.device_id, "operator_id": change.operator_id,
                "created_at": change.created_at,
            })
        except IntegrityError as exc:
            raise (translate(exc, f"change of card {change.card_id}") or exc) from exc

    def for_card(self, card_id: str, limit: int | None = None) -> list[CardChange]:
        params = {"b_card": card_id, "b_limit": NO_LIMIT if limit is None else max(0, limit)}
        return [_from_row(row) for row in self._conn.execute(_FOR_CARD, params)]
