"""Tills and their credentials: one-time enrolment codes and per-device bearer tokens.

An enrolment code (``pos-server device enrol-code``) is 12 characters of the readable alphabet (≈ 59 bits),
stored only as a SHA-256 hash, valid for :data:`CODE_LIFETIME` and spent by the first enrolment; it names the
shop its till joins. Enrolling gives the till its device id and a random token (256 bits), stored as a SHA-256
hash; the till sends it on every request as ``Authorization: Bearer <token>``. A revoked device gets 401
``device_revoked``; a missing or unknown token 401 ``unauthorized``. The check is one primary-key read, made
inside the request's own transaction.
"""

from __future__ import annotations

import hashlib
import re
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Connection, bindparam, insert, select, update

from pos_app.domain import errors
from pos_app.domain.codes import READABLE_ALPHABET, random_chars
from pos_app.server.db.models import devices, enrol_codes
from pos_app.server.errors import EnrolCodeExpired, EnrolCodeUsed
from pos_app.server.ledger import new_id

CODE_LIFETIME = timedelta(hours=24)
CODE_LENGTH = 12

_DEVICE_BY_TOKEN = select(devices.c.id, devices.c.revoked_at, devices.c.last_seen_at, devices.c.unsynced).where(
    devices.c.token_hash == bindparam("h"))


def sha256(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


def normalise_code(code: str) -> str:
    """Case, spaces and hyphens are forgiven when a code is typed at the till."""
    return re.sub(r"[\s\-]", "", code).upper()


def bearer_token(header: str | None) -> str:
    """The token of an ``Authorization: Bearer <token>`` header, or 401 ``unauthorized``."""
    scheme, _, token = (header or "").partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise errors.Unauthorized("send the till's token as 'Authorization: Bearer <token>'; enrol the till first")
    return token.strip()


def device_for(conn: Connection, token: str) -> str:
    """The id of the device with this token; 401 when it is unknown or revoked."""
    return check_device(conn.execute(_DEVICE_BY_TOKEN, {"h": sha256(token)}).first())


@dataclass(frozen=True, slots=True)
class Caller:
    """The device behind a good token, and when it was last seen (``tills.note_seen``)."""

    id: str
    last_seen_at: datetime | None
    unsynced: int | None


def caller_for(conn: Connection, token: str) -> Caller:
    """As :func:`device_for`, with what ``tills.note_seen`` needs of the device."""
    row = conn.execute(_DEVICE_BY_TOKEN, {"h": sha256(token)}).first()
    device_id = check_device(row)
    assert row is not None
    return Caller(device_id, row.last_seen_at, row.unsynced)


def check_device(row: Any) -> str:
    """The device id of a row with the device's ``id`` and ``revoked_at`` (None: no such token), or 401."""
    if row is None:
        raise errors.Unauthorized("this till's token is not known to the server; enrol it again")
    if row.revoked_at is not None:
        raise errors.DeviceRevoked(f"device {row.id} was revoked on {row.revoked_at:%Y-%m-%d %H:%M} UTC")
    return str(row.id)


@dataclass(frozen=True, slots=True)
class EnrolCode:
    id: str
    code: str
    expires_at: datetime
    shop_id: str | None = None


def make_enrol_code(conn: Connection, at: datetime, shop_id: str | None = None) -> EnrolCode:
    """A one-time code; the till enrolled with it joins the shop ``shop_id`` (None: no shop, the store's zone)."""
    raw = random_chars(READABLE_ALPHABET, CODE_LENGTH)
    code = "-".join(raw[i : i + 4] for i in range(0, CODE_LENGTH, 4))
    made = EnrolCode(id=new_id("enc"), code=code, expires_at=at + CODE_LIFETIME, shop_id=shop_id)
    conn.execute(insert(enrol_codes).values(
        id=made.id, code_hash=sha256(normalise_code(code)), created_at=at, expires_at=made.expires_at,
        used_at=None, device_id=None, shop_id=shop_id,
    ))
    return made


@dataclass(frozen=True, slots=True)
class Enrolment:
    device_id: str
    token: str


def enrol(conn: Connection, code: str, device_name: str, at: datetime) -> Enrolment:
    """Spend the one-time ``code`` on a new device; refuse an unknown, used or expired code."""
    name = device_name.strip()
    if not name or not name.isprintable():
        raise errors.InvalidPayload("the till needs a name of printable characters")
    code_hash = sha256(normalise_code(code))
    device_id, token = new_id("dev"), secrets.token_urlsafe(32)
    spent = conn.execute(
        update(enrol_codes)
        .where(enrol_codes.c.code_hash == code_hash, enrol_codes.c.used_at.is_(None), enrol_codes.c.expires_at > at)
        .values(used_at=at, device_id=device_id)
    ).rowcount
    if spent != 1:
        row = conn.execute(select(enrol_codes.c.used_at).where(enrol_codes.c.code_hash == code_hash)).first()
        if row is None:
            raise errors.Unauthorized("that enrolment code is not known; check it or make a new one")
        if row.used_at is not None:
            raise EnrolCodeUsed(f"the code was used on {row.used_at:%Y-%m-%d %H:%M} UTC")
        raise EnrolCodeExpired(f"enrolment codes are valid for {CODE_LIFETIME.total_seconds() / 3600:g} hours")
    shop_id = conn.execute(select(enrol_codes.c.shop_id).where(enrol_codes.c.code_hash == code_hash)).scalar()
    conn.execute(insert(devices).values(
        id=device_id, name=name, token_hash=sha256(token), created_at=at, revoked_at=None, shop_id=shop_id,
    ))
    return Enrolment(device_id=device_id, token=token)


@dataclass(frozen=True, slots=True)
class Device:
    id: str
    name: str
    created_at: datetime
    revoked_at: datetime | None


def list_devices(conn: Connection) -> list[Device]:
    rows = conn.execute(select(devices.c.id, devices.c.name, devices.c.created_at, devices.c.revoked_at)
                        .order_by(devices.c.created_at, devices.c.id))
    return [Device(r.id, r.name, r.created_at, r.revoked_at) for r in rows]


def revoke(conn: Connection, device_id: str, at: datetime) -> Device:
    row = conn.execute(select(devices.c.id, devices.c.name, devices.c.created_at, devices.c.revoked_at)
                       .where(devices.c.id == device_id)).first()
    if row is None:
        raise errors.NotFound(f"no device {device_id!r}; see `pos-server device list`")
    if row.revoked_at is not None:
        return Device(row.id, row.name, row.created_at, row.revoked_at)
    conn.execute(update(devices).where(devices.c.id == device_id).values(revoked_at=at))
    return Device(row.id, row.name, row.created_at, at)
