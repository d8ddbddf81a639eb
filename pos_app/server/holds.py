"""What the Voucherify-compatible API's LOCK sessions hold on a card (``voucherify.sessions``): every redemption on
the server — the API's, and a till's online authorisation — decides with ``GiftCard.available(held)``, read under
the card's lock, so that credits a web shop's validation locked are not spent by anyone else meanwhile."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ColumnElement, Connection, and_, func, not_, select

from pos_app.server.db.models import validation_sessions as sessions


def live(at: datetime) -> ColumnElement[bool]:
    """A session's hold that counts at ``at``: neither ended (redeemed, released) nor expired."""
    return and_(sessions.c.ended.is_(None), sessions.c.expires_at > at)


def held(conn: Connection, card_id: str, at: datetime, *, besides: tuple[str, str] | None = None) -> int:
    """What the card's live sessions hold at ``at``, but ``besides`` (an API key's id and session key: the
    asker's own session)."""
    stmt = select(func.coalesce(func.sum(sessions.c.amount), 0)).where(sessions.c.card_id == card_id, live(at))
    if besides is not None:
        stmt = stmt.where(not_(and_(sessions.c.key_id == besides[0], sessions.c.session_key == besides[1])))
    return int(conn.execute(stmt).scalar_one())
