"""Shops: the chain's locations, each with its name, time zone and address, grouping tills.

A shop's time zone is the one its tills read the cards' expiries, days and hours in, and its reports' days are
cut in: the server sends it to each till as its store's ``time_zone`` (:func:`till_store`, with every pull and the
enrolment's answer), and decides that till's online and pushed operations in it (:func:`till_zone`). A till
enrolled before shops (no shop) keeps the store's zone. The pages, the command line and the migration call these;
none holds a rule of its own.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, tzinfo
from typing import Any

from sqlalchemy import Connection, Row, func, insert, or_, select, update

from pos_app.domain import errors
from pos_app.domain.shop_time import shop_zone
from pos_app.server.db.models import devices
from pos_app.server.db.shop_models import shops
from pos_app.server.ledger import new_id, store_info, store_zone
from pos_app.services.setup import check_zone_name
from pos_app.sync.schemas import StoreInfo

MAX_NAME = 200
MAX_ADDRESS = 500
PAGE = 50


@dataclass(frozen=True, slots=True)
class Shop:
    id: str
    name: str
    time_zone: str
    address: str | None
    created_at: datetime
    tills: int = 0  # enrolled and not revoked


def _name(name: str) -> str:
    clean = " ".join(name.split())
    if not clean or len(clean) > MAX_NAME or not clean.isprintable():
        raise errors.InvalidPayload(f"a shop needs a name of at most {MAX_NAME} printable characters")
    return clean


def _address(address: str | None) -> str | None:
    if address is None:
        return None
    lines = [" ".join(line.split()) for line in address.strip().splitlines()]
    clean = "\n".join(line for line in lines if line)
    if len(clean) > MAX_ADDRESS or not all(line.isprintable() for line in clean.splitlines()):
        raise errors.InvalidPayload(f"an address is at most {MAX_ADDRESS} printable characters")
    return clean or None


def _check_free(conn: Connection, name: str, shop_id: str | None = None) -> None:
    taken = select(shops.c.id).where(func.lower(shops.c.name) == name.lower())
    if shop_id is not None:
        taken = taken.where(shops.c.id != shop_id)
    if conn.execute(taken).first() is not None:
        raise errors.DuplicateFound(f"a shop named {name!r} exists already")


def add_shop(conn: Connection, *, name: str, time_zone: str, address: str | None = None, at: datetime) -> Shop:
    """A new shop (its name unique, whatever the case; ``time_zone`` an IANA name such as Europe/Dublin)."""
    clean = _name(name)
    zone = check_zone_name(time_zone)
    _check_free(conn, clean)
    shop = Shop(id=new_id("shop"), name=clean, time_zone=zone, address=_address(address), created_at=at)
    conn.execute(insert(shops).values(id=shop.id, name=shop.name, time_zone=shop.time_zone, address=shop.address,
                                      created_at=at))
    return shop


def edit_shop(conn: Connection, shop_id: str, *, name: str | None = None, time_zone: str | None = None,
              address: str | None = None) -> Shop:
    """Change what is given (``address=""`` removes it). A new time zone reaches the shop's tills with their next
    pull; what they decided before stays as it was decided."""
    shop = get_shop(conn, shop_id)
    values: dict[str, str | None] = {}
    if name is not None:
        values["name"] = _name(name)
        _check_free(conn, values["name"] or "", shop.id)
    if time_zone is not None:
        values["time_zone"] = check_zone_name(time_zone)
    if address is not None:
        values["address"] = _address(address)
    if values:
        conn.execute(update(shops).where(shops.c.id == shop.id).values(**values))
    return get_shop(conn, shop.id)


_TILLS = (select(func.count()).where(devices.c.shop_id == shops.c.id, devices.c.revoked_at.is_(None))
          .correlate(shops).scalar_subquery())


def _shop(r: Row[Any]) -> Shop:
    return Shop(r.id, r.name, r.time_zone, r.address, r.created_at, int(r.tills))


def get_shop(conn: Connection, shop_id: str) -> Shop:
    row = conn.execute(select(shops, _TILLS.label("tills")).where(shops.c.id == shop_id)).first()
    if row is None:
        raise errors.NotFound(f"no shop {shop_id!r}; see `pos-server shop list`")
    return _shop(row)


def find_shop(conn: Connection, name_or_id: str) -> Shop:
    """The shop with this id, else with this name (whatever the case)."""
    key = name_or_id.strip()
    row = conn.execute(select(shops, _TILLS.label("tills"))
                       .where(or_(shops.c.id == key, func.lower(shops.c.name) == " ".join(key.split()).lower()))
                       .order_by((shops.c.id == key).desc()).limit(1)).first()
    if row is None:
        raise errors.NotFound(f"no shop named {key!r}; see `pos-server shop list`")
    return _shop(row)


def list_shops(conn: Connection, *, after: str | None = None, limit: int = PAGE) -> list[Shop]:
    """Shops by name, ``limit`` after the one named ``after`` (a cursor: the last name of the page before)."""
    stmt = select(shops, _TILLS.label("tills")).order_by(shops.c.name).limit(limit)
    if after is not None:
        stmt = stmt.where(shops.c.name > after)
    return [_shop(r) for r in conn.execute(stmt)]


def only_shop(conn: Connection) -> Shop | None:
    """The one shop, when there is exactly one (an enrolment code names it without being told)."""
    found = conn.execute(select(shops, _TILLS.label("tills")).order_by(shops.c.name).limit(2)).all()
    return _shop(found[0]) if len(found) == 1 else None


# ---- what a till learns of its shop --------------------------------------------------------------------------

_ZONE_OF_TILL = (select(shops.c.time_zone).select_from(devices.join(shops, shops.c.id == devices.c.shop_id)))


def till_store(conn: Connection, device_id: str) -> StoreInfo:
    """The store as this till must see it: the chain's name, currency and locale, in its shop's time zone."""
    store = store_info(conn)
    zone = conn.execute(_ZONE_OF_TILL.where(devices.c.id == device_id)).scalar_one_or_none()
    return store if zone is None else store.model_copy(update={"time_zone": zone})


def till_zone(conn: Connection, device_id: str) -> tzinfo:
    """The time zone this till's operations are decided in: its shop's, else the store's."""
    zone = conn.execute(_ZONE_OF_TILL.where(devices.c.id == device_id)).scalar_one_or_none()
    return shop_zone(zone) if zone is not None else store_zone(store_info(conn))
