"""What the Voucherify-compatible API's LOCK sessions hold on a card (``voucherify.sessions``): every redemption on
the server — the API's, and a till's online authorisation — decides with ``GiftCard.available(held)``, as of a
read that sees every hold made before the card's lock was taken, so that credits a web shop's validation locked
are not spent by anyone else meanwhile. (A hold is made under the card's lock: ``voucherify.validations``.)"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, Connection, ScalarSelect, Select, and_, func, not_, select

from pos_app.server.db.models import validation_sessions as sessions


def live(at: Any) -> ColumnElement[bool]:
    """A session's hold that counts at ``at`` (a datetime or a parameter): neither ended (redeemed, released) nor
    expired."""
    return and_(sessions.c.ended.is_(None), sessions.c.expires_at > at)


def _holding(card_id: Any, at: Any) -> Select[int]:
    return select(func.coalesce(func.sum(sessions.c.amount), 0)).where(sessions.c.card_id == card_id, live(at))


def held_on(card_id: ColumnElement[str], at: ColumnElement[datetime]) -> ScalarSelect[int]:
    """What the card's live sessions hold at ``at``, for a statement that reads or writes the card (a sub-select
    of its id column and a parameter)."""
    return _holding(card_id, at).scalar_subquery()


def held(conn: Connection, card_id: str, at: datetime, *, besides: tuple[str, str] | None = None) -> int:
    """What the card's live sessions hold at ``at``, but ``besides`` (an API key's id and session key: the
    asker's own session)."""
    stmt = _holding(card_id, at)
    if besides is not None:
        stmt = stmt.where(not_(and_(sessions.c.key_id == besides[0], sessions.c.session_key == besides[1])))
    return int(conn.execute(stmt).scalar_one())
