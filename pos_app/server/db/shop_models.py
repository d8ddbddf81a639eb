"""Shops and what head office sets per till: the tables of ``server.shops`` (same ``Base`` as ``db.models``).

A shop is a location of the chain: its name (unique), its IANA time zone — in which the expiries, days and hours
of the cards sold and redeemed at its tills are read, and its reports' days are cut — and its address. A till
(``devices``) belongs to at most one shop (``devices.shop_id``; NULL only for a till enrolled before shops, which
keeps the store's zone); an enrolment code names the shop its till will join (``enrol_codes.shop_id``).

``till_limits``: head office's offline limits for one till (DESIGN.md §7), each NULL where the till keeps the
chain's (setting ``limits``). Amounts in minor units, durations in seconds. (A till's own daily cap on value
created is the setting ``caps``: ``authority.set_cap``.)
"""

from __future__ import annotations

from datetime import datetime
from typing import cast

from sqlalchemy import ForeignKey, String, Table
from sqlalchemy.orm import Mapped, mapped_column

from pos_app.domain.shop_time import MAX_ZONE_NAME
from pos_app.server.db.models import Base


class ShopRow(Base):
    __tablename__ = "shops"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    time_zone: Mapped[str] = mapped_column(String(MAX_ZONE_NAME))
    address: Mapped[str | None] = mapped_column(String(500))
    created_at: Mapped[datetime]


class TillLimitsRow(Base):
    """One till's own offline limits (NULL: the chain's)."""

    __tablename__ = "till_limits"

    device_id: Mapped[str] = mapped_column(ForeignKey("devices.id"), primary_key=True)
    per_redemption: Mapped[int | None]  # largest offline redemption
    per_device_unsynced: Mapped[int | None]  # most unsynced offline spending
    max_offline_seconds: Mapped[int | None]  # longest time offline
    max_card_age_seconds: Mapped[int | None]  # oldest card state trusted offline
    updated_at: Mapped[datetime]


shops = cast(Table, ShopRow.__table__)
till_limits = cast(Table, TillLimitsRow.__table__)
