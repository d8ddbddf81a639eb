"""The dashboard's rollup: what the entries that moved money add up to per till, local day and currency, folded
from the change log up to a watermark (``server.dashboard_rollup``; same ``Base`` as ``db.models``).

``dashboard_rollup``: one row per till (``device_id``; head office's and the API's entries under their own
device id), ``zone`` (the IANA zone the row's ``day`` was cut in: the till's shop's when it was folded, else the
store's), local ``day`` and currency: the count and sum of the sales and of the redemptions net of refunds, as
``server.dashboard`` defines them. ``dashboard_watermark``: its one row (``id`` 1) holds ``pos``, the change log's
place (``changes.pos``) up to which every entry is in the rollup; folders take turns on it (``FOR UPDATE``).
``dashboard_liability``: the liability (the active cards' balances by currency) as the fold last summed it, and
when (``at``).
"""

from __future__ import annotations

from datetime import date, datetime
from typing import cast

from sqlalchemy import Date, Index, String, Table
from sqlalchemy.orm import Mapped, mapped_column

from pos_app.domain.shop_time import MAX_ZONE_NAME
from pos_app.server.db.models import Base


class RollupRow(Base):
    __tablename__ = "dashboard_rollup"
    __table_args__ = (Index("ix_dashboard_rollup_day", "day"),)

    device_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    zone: Mapped[str] = mapped_column(String(MAX_ZONE_NAME), primary_key=True)
    day: Mapped[date] = mapped_column(Date, primary_key=True)
    currency: Mapped[str] = mapped_column(String(3), primary_key=True)
    sales: Mapped[int]
    sold: Mapped[int]
    redemptions: Mapped[int]
    redeemed: Mapped[int]


class WatermarkRow(Base):
    __tablename__ = "dashboard_watermark"

    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    pos: Mapped[int]
    folded_at: Mapped[datetime | None]


class LiabilityRow(Base):
    __tablename__ = "dashboard_liability"

    currency: Mapped[str] = mapped_column(String(3), primary_key=True)
    cards: Mapped[int]
    outstanding: Mapped[int]
    at: Mapped[datetime]


rollup = cast(Table, RollupRow.__table__)
watermark = cast(Table, WatermarkRow.__table__)
liability_snapshot = cast(Table, LiabilityRow.__table__)
