"""Validation sessions of type LOCK (Voucherify's ``session: {type: "LOCK", key, ttl, ttl_unit}``): a valid validation
holds the credits it checked on each card until a redemption names the session, the client releases it
(``DELETE /v1/vouchers/{code}/sessions/{key}``) or its time to live runs out.

The rows are kept (``ended``: ``redeemed`` or ``released``; an expired one simply stops counting). What a card's
live sessions hold, but the asking session's own, is :func:`held`: the domain decides every redemption and
validation with ``GiftCard.available(held)``, read in the transaction that holds the card's lock (``server.holds``:
a till's online redemption decides with it too). A session is
the API key's own: another key's session key is another session.
"""

from __future__ import annotations

import secrets
from datetime import datetime, timedelta
from typing import Annotated, Literal

from pydantic import Field
from sqlalchemy import Connection, delete, insert, update

from pos_app.domain import errors
from pos_app.server.db.models import validation_sessions as sessions
from pos_app.server.holds import held, live
from pos_app.server.voucherify.fields import Lenient, Name

#: Voucherify's default time to live of a lock, and the longest this server grants.
DEFAULT_TTL = timedelta(days=7)
MAX_TTL = timedelta(days=30)
_UNIT_SECONDS = {"DAYS": 86400.0, "HOURS": 3600.0, "MINUTES": 60.0, "SECONDS": 1.0, "MILLISECONDS": 1e-3,
                 "MICROSECONDS": 1e-6, "NANOSECONDS": 1e-9}
Unit = Literal["DAYS", "HOURS", "MINUTES", "SECONDS", "MILLISECONDS", "MICROSECONDS", "NANOSECONDS"]


class SessionBody(Lenient):
    key: Name | None = None
    type: Literal["LOCK"] | None = None
    ttl: Annotated[float, Field(ge=0, le=1e15)] | None = None
    ttl_unit: Unit | None = None

    def lifetime(self) -> timedelta:
        """The time to live asked for (default seven days); more than :data:`MAX_TTL` is refused."""
        if self.ttl is None:
            return DEFAULT_TTL
        seconds = self.ttl * _UNIT_SECONDS[self.ttl_unit or "DAYS"]
        if seconds > MAX_TTL.total_seconds():
            raise errors.InvalidPayload(f"a session lasts at most {MAX_TTL.days} days")
        return timedelta(seconds=seconds)

    def named(self) -> str:
        """The session's key: the client's, or a new one."""
        return self.key.strip() if self.key and self.key.strip() else f"ssn_{secrets.token_hex(12)}"

    def answer(self, key: str) -> dict[str, object]:
        ttl: float | int = DEFAULT_TTL.days if self.ttl is None else self.ttl
        if isinstance(ttl, float) and ttl.is_integer():
            ttl = int(ttl)
        return {"key": key, "type": "LOCK", "ttl": ttl, "ttl_unit": self.ttl_unit or "DAYS"}


def lock(conn: Connection, key_id: str, session_key: str, card_id: str, amount: int, at: datetime,
         lifetime: timedelta) -> None:
    """Hold ``amount`` of the card for the session (a session validated again holds what it asks now)."""
    conn.execute(delete(sessions).where(sessions.c.key_id == key_id, sessions.c.session_key == session_key,
                                        sessions.c.card_id == card_id))
    conn.execute(insert(sessions).values(key_id=key_id, session_key=session_key, card_id=card_id, amount=amount,
                                         created_at=at, expires_at=at + lifetime, ended_at=None, ended=None))


def end(conn: Connection, key_id: str, session_key: str, card_id: str, at: datetime, how: str) -> bool:
    """End the session's hold on the card (``how``: ``redeemed`` or ``released``); False if it held nothing."""
    done = conn.execute(update(sessions).where(
        sessions.c.key_id == key_id, sessions.c.session_key == session_key, sessions.c.card_id == card_id,
        live(at)).values(ended_at=at, ended=how))
    return done.rowcount > 0


__all__ = ["DEFAULT_TTL", "MAX_TTL", "SessionBody", "end", "held", "lock"]
