"""Credentials of the Voucherify-compatible API: an application id and a secret token per client.

``pos-server api-key create`` makes one; the client sends ``X-App-Id`` and ``X-App-Token`` on every request.
Only the token's SHA-256 is stored: a lost token is replaced, never shown again. A revoked key answers 401
``unauthorized`` like an unknown one. A key's id (``key_…``) names it in the failed-lookup records, the logs and
the replay records; the application id is what the client shows.
"""

from __future__ import annotations

import hmac
import secrets
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Connection, bindparam, insert, select, update

from pos_app.domain import errors
from pos_app.server.auth import sha256
from pos_app.server.db.models import api_keys
from pos_app.server.ledger import new_id

MAX_NAME = 200
_BY_APP_ID = select(api_keys.c.id, api_keys.c.token_hash, api_keys.c.revoked_at).where(
    api_keys.c.app_id == bindparam("app_id"))


@dataclass(frozen=True, slots=True)
class ApiKey:
    id: str
    name: str
    app_id: str
    created_at: datetime
    revoked_at: datetime | None
    token: str | None = None  # only when just made


def create(conn: Connection, name: str, at: datetime) -> ApiKey:
    """A new key; its token is in the answer and nowhere else."""
    name = name.strip()
    if not name or len(name) > MAX_NAME or not name.isprintable():
        raise errors.InvalidPayload(f"an API key needs a name of 1 to {MAX_NAME} printable characters")
    key = ApiKey(id=new_id("key"), name=name, app_id=f"app_{secrets.token_hex(12)}", created_at=at,
                 revoked_at=None, token=secrets.token_urlsafe(32))
    assert key.token is not None
    conn.execute(insert(api_keys).values(id=key.id, name=key.name, app_id=key.app_id,
                                         token_hash=sha256(key.token), created_at=at, revoked_at=None))
    return key


def list_keys(conn: Connection) -> list[ApiKey]:
    rows = conn.execute(select(api_keys).order_by(api_keys.c.created_at, api_keys.c.id)).mappings()
    return [ApiKey(id=r["id"], name=r["name"], app_id=r["app_id"], created_at=r["created_at"],
                   revoked_at=r["revoked_at"]) for r in rows]


def revoke(conn: Connection, key: str, at: datetime) -> ApiKey:
    """Refuse the key from now on; ``key`` is its id or its application id. Revoking twice changes nothing."""
    found = [k for k in list_keys(conn) if key in (k.id, k.app_id)]
    if not found:
        raise errors.NotFound(f"no API key {key!r}; see `pos-server api-key list`")
    one = found[0]
    if one.revoked_at is not None:
        return one
    conn.execute(update(api_keys).where(api_keys.c.id == one.id).values(revoked_at=at))
    return ApiKey(id=one.id, name=one.name, app_id=one.app_id, created_at=one.created_at, revoked_at=at)


def check(conn: Connection, app_id: str | None, token: str | None) -> str:
    """The id of the key these headers name, or 401 ``unauthorized`` (missing, unknown, wrong or revoked)."""
    if not app_id or not token:
        raise errors.Unauthorized("send the API key as the X-App-Id and X-App-Token headers")
    row = conn.execute(_BY_APP_ID, {"app_id": app_id[:64]}).first()
    if row is None or not hmac.compare_digest(row.token_hash, sha256(token)):
        raise errors.Unauthorized("the X-App-Id and X-App-Token do not name an API key of this server")
    if row.revoked_at is not None:
        raise errors.Unauthorized(f"this API key was revoked on {row.revoked_at:%Y-%m-%d %H:%M} UTC")
    return str(row.id)
