"""Tills as head office sees them: name, shop, when last seen, what they still hold unsynced, their own limits.

*Last seen* is the till's last authenticated sync request (``sync_api``, ``authorise``): noted at most every
:data:`SEEN_EVERY` (so that a busy till's authorisations do not each write its row), and at once when the number
of entries it says it still holds changes. *Unsynced* is that number, sent by the till with its requests as the
header :data:`UNSYNCED_HEADER` (entries not acknowledged by the server yet); a till that does not send it (older
than the header) shows as unknown (None).

A till's own offline limits (``till_limits``) replace the chain's (``admin.set_limits``) field by field; the till
receives the result with every pull (:func:`limits_for`). Its daily cap on value created is ``authority.set_cap``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Connection, Row, insert, literal, select, tuple_, update

from pos_app.domain import errors
from pos_app.server.admin import check_offline_limits
from pos_app.server.db.models import devices
from pos_app.server.db.shop_models import shops, till_limits
from pos_app.server.ledger import limits
from pos_app.sync.schemas import UNSYNCED_HEADER, WireLimits

SEEN_EVERY = timedelta(seconds=30)
MAX_UNSYNCED = 2**31 - 1
MAX_NAME = 80
PAGE = 50
#: The offline limits a till may have of its own (``WireLimits``' fields, ``till_limits``' columns).
LIMIT_FIELDS = ("per_redemption", "per_device_unsynced", "max_offline_seconds", "max_card_age_seconds")


@dataclass(frozen=True, slots=True)
class Till:
    id: str
    name: str
    shop_id: str | None
    shop_name: str | None
    created_at: datetime
    revoked_at: datetime | None
    last_seen_at: datetime | None
    unsynced: int | None  # None: the till does not say

    @property
    def label(self) -> str:
        """How reports and the ledger name it: ``Shop / Till``."""
        return self.name if self.shop_name is None else f"{self.shop_name} / {self.name}"


_TILL = (select(devices.c.id, devices.c.name, devices.c.shop_id, shops.c.name.label("shop_name"),
                devices.c.created_at, devices.c.revoked_at, devices.c.last_seen_at, devices.c.unsynced)
         .select_from(devices.outerjoin(shops, shops.c.id == devices.c.shop_id)))


def _till(r: Row[Any, Any, Any, Any, Any, Any, Any, Any]) -> Till:
    return Till(r.id, r.name, r.shop_id, r.shop_name, r.created_at, r.revoked_at, r.last_seen_at, r.unsynced)


def get_till(conn: Connection, device_id: str) -> Till:
    row = conn.execute(_TILL.where(devices.c.id == device_id)).first()
    if row is None:
        raise errors.NotFound(f"no till {device_id!r}; see `pos-server device list`")
    return _till(row)


def list_tills(conn: Connection, *, shop_id: str | None = None, after: str | None = None,
               limit: int = PAGE) -> list[Till]:
    """Tills by name (of one shop, or all), ``limit`` after the till ``after`` (a cursor: the last id of the page
    before), revoked ones included."""
    stmt = _TILL.order_by(devices.c.name, devices.c.id).limit(limit)
    if shop_id is not None:
        stmt = stmt.where(devices.c.shop_id == shop_id)
    if after is not None:
        last = conn.execute(select(devices.c.name).where(devices.c.id == after)).scalar_one_or_none()
        if last is not None:
            stmt = stmt.where(tuple_(devices.c.name, devices.c.id) > tuple_(literal(last), literal(after)))
    return [_till(r) for r in conn.execute(stmt)]


def labels(conn: Connection) -> dict[str, str]:
    """Every till's id → ``Shop / Till`` (reports, the ledger, conflicts name tills so)."""
    return {r.id: _till(r).label for r in conn.execute(_TILL)}


def rename_till(conn: Connection, device_id: str, name: str) -> Till:
    clean = " ".join(name.split())
    if not clean or len(clean) > MAX_NAME or not clean.isprintable():
        raise errors.InvalidPayload(f"a till needs a name of at most {MAX_NAME} printable characters")
    get_till(conn, device_id)
    conn.execute(update(devices).where(devices.c.id == device_id).values(name=clean))
    return get_till(conn, device_id)


def move_till(conn: Connection, device_id: str, shop_id: str) -> Till:
    """Put the till in another shop: from its next pull on it works in that shop's time zone."""
    if conn.execute(select(shops.c.id).where(shops.c.id == shop_id)).first() is None:
        raise errors.NotFound(f"no shop {shop_id!r}; see `pos-server shop list`")
    get_till(conn, device_id)
    conn.execute(update(devices).where(devices.c.id == device_id).values(shop_id=shop_id))
    return get_till(conn, device_id)


# ---- last seen, unsynced -------------------------------------------------------------------------------------

def unsynced_from(header: str | None) -> int | None:
    """The header's count (None: no header, an older till); anything but a whole number in range is refused."""
    if header is None:
        return None
    text = header.strip()
    if not text.isdigit() or int(text) > MAX_UNSYNCED:
        raise errors.InvalidPayload(f"{UNSYNCED_HEADER} is the number of entries the till still holds")
    return int(text)


def note_due(seen_before: datetime | None, unsynced_before: int | None, *, at: datetime,
             unsynced: int | None) -> bool:
    """Whether a request at ``at`` is to be noted: the last was noted :data:`SEEN_EVERY` ago or more, or said
    another count of unsynced entries."""
    fresh = seen_before is not None and at - seen_before < SEEN_EVERY
    return not fresh or (unsynced is not None and unsynced != unsynced_before)


def note_seen(conn: Connection, device_id: str, *, seen_before: datetime | None, unsynced_before: int | None,
              at: datetime, unsynced: int | None) -> bool:
    """Note the till's request at ``at`` (and the entries it says it holds) when :func:`note_due`; True when
    written."""
    if not note_due(seen_before, unsynced_before, at=at, unsynced=unsynced):
        return False
    values: dict[str, Any] = {"last_seen_at": at}
    if unsynced is not None:
        values["unsynced"] = unsynced
    conn.execute(update(devices).where(devices.c.id == device_id).values(**values))
    return True


# ---- a till's own limits -------------------------------------------------------------------------------------

def own_limits(conn: Connection, device_id: str) -> dict[str, int]:
    """The limits this till has of its own (field → value; the others are the chain's)."""
    row = conn.execute(select(till_limits).where(till_limits.c.device_id == device_id)).mappings().first()
    return {} if row is None else {name: int(row[name]) for name in LIMIT_FIELDS if row[name] is not None}


def limits_for(conn: Connection, device_id: str) -> WireLimits:
    """The limits this till works under: the chain's, with its own in their place."""
    return limits(conn).model_copy(update=own_limits(conn, device_id))


def set_own_limits(conn: Connection, device_id: str, values: Mapping[str, int | None], at: datetime
                   ) -> WireLimits:
    """Set the named limits of this till (None: the chain's again); the others stay. Returns what it works under."""
    unknown = set(values) - set(LIMIT_FIELDS)
    if unknown:
        raise errors.InvalidPayload(f"no till limit {sorted(unknown)[0]!r}")
    get_till(conn, device_id)
    own = {**own_limits(conn, device_id), **values}
    check_offline_limits(limits(conn).model_copy(update={k: v for k, v in own.items() if v is not None}))
    row = {name: own.get(name) for name in LIMIT_FIELDS}
    if conn.execute(update(till_limits).where(till_limits.c.device_id == device_id)
                    .values(**row, updated_at=at)).rowcount == 0:
        conn.execute(insert(till_limits).values(device_id=device_id, **row, updated_at=at))
    return limits_for(conn, device_id)
