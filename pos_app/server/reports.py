"""``pos-server report``: what the chain owes on its cards per campaign, and redemptions per day and per till.

The figures are SQL aggregates over the server's tables, on SQLite and PostgreSQL; the reports themselves (totals,
checks, empty days filled in) are the till's (``services.reports``), so that both say the same of the same ledger.
A day is the local day of ``created_at`` (when it happened at the till) at the given UTC offset (a shop's report:
its time zone's). Tills are named ``Shop / Till`` (``tills.labels``).
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Connection, Date, Integer, String, case, cast, func, or_, select
from sqlalchemy.sql.elements import ColumnElement

from pos_app.domain.cards import CardStatus
from pos_app.domain.ledger import USED_BEFORE_IMPORT, EntryKind, EntryResult
from pos_app.server import tills
from pos_app.server.db.models import campaigns, cards, devices, entries
from pos_app.services.ports import LiabilityRow, RedemptionBucket
from pos_app.services.reports import LiabilityReport, RedemptionsReport, check_period, liability_of, redemptions_of

_REDEMPTION = EntryKind.CREDITS_REDEMPTION.value
_REFUND = EntryKind.CREDITS_REFUND.value
#: An import's stand-in for balance used elsewhere is no redemption made at a till (``Entry.is_used_before_import``).
_NOT_USED_BEFORE_IMPORT = or_(entries.c.kind != _REDEMPTION, entries.c.reason.is_(None),
                              entries.c.reason != USED_BEFORE_IMPORT)


def liability(conn: Connection, *, at: datetime) -> LiabilityReport:
    per_campaign = (
        select(
            cards.c.campaign_id, cards.c.currency, func.count().label("cards"),
            func.sum(case((cards.c.status == CardStatus.ACTIVE.value, 1), else_=0)).label("active_cards"),
            func.sum(cards.c.loaded).label("loaded"), func.sum(cards.c.redeemed).label("redeemed"),
            func.sum(cards.c.refunded).label("refunded"), func.sum(cards.c.balance).label("outstanding"),
        )
        .group_by(cards.c.campaign_id, cards.c.currency)
        .subquery()
    )
    stmt = (select(per_campaign, campaigns.c.name.label("campaign_name"))
            .outerjoin(campaigns, campaigns.c.id == per_campaign.c.campaign_id)
            .order_by(campaigns.c.name, per_campaign.c.campaign_id, per_campaign.c.currency))
    rows = tuple(
        LiabilityRow(campaign_id=r.campaign_id, campaign_name=r.campaign_name, currency=r.currency,
                     cards=int(r.cards), active_cards=int(r.active_cards), loaded=int(r.loaded),
                     redeemed=int(r.redeemed), refunded=int(r.refunded), outstanding=int(r.outstanding))
        for r in conn.execute(stmt)
    )
    return liability_of(rows, at=at)


def _local_day(conn: Connection, offset_minutes: int) -> ColumnElement[str]:
    if conn.dialect.name == "postgresql":
        shifted = func.timezone("UTC", entries.c.created_at) + func.make_interval(0, 0, 0, 0, 0, offset_minutes)
        return cast(cast(shifted, Date), String)
    return func.date(entries.c.created_at, f"{offset_minutes:+d} minutes", type_=String)


def redemptions(conn: Connection, *, since: datetime | None, until: datetime | None, utc_offset_minutes: int,
                currency: str, shop_id: str | None = None) -> RedemptionsReport:
    """Redemptions and refunds per day and per till (of one shop's tills, with ``shop_id``)."""
    check_period(since, until, utc_offset_minutes)
    day = _local_day(conn, utc_offset_minutes).label("day")
    is_redemption = entries.c.kind == _REDEMPTION
    stmt = (
        select(
            day, entries.c.device_id, entries.c.currency,
            func.sum(case((is_redemption, 1), else_=0), type_=Integer).label("redemptions"),
            func.sum(case((is_redemption, -entries.c.amount), else_=0), type_=Integer).label("redeemed"),
            func.sum(case((entries.c.kind == _REFUND, entries.c.amount), else_=0), type_=Integer).label("refunded"),
        )
        .where(entries.c.result == EntryResult.SUCCESS.value, entries.c.kind.in_([_REDEMPTION, _REFUND]),
               _NOT_USED_BEFORE_IMPORT)
        .group_by(day, entries.c.device_id, entries.c.currency)
        .order_by(day, entries.c.device_id, entries.c.currency)
    )
    if shop_id is not None:
        stmt = stmt.where(entries.c.device_id.in_(select(devices.c.id).where(devices.c.shop_id == shop_id)))
    if since is not None:
        stmt = stmt.where(entries.c.created_at >= since)
    if until is not None:
        stmt = stmt.where(entries.c.created_at < until)
    buckets = [
        RedemptionBucket(day=date.fromisoformat(str(r.day)), device_id=r.device_id, currency=r.currency,
                         count=int(r.redemptions), redeemed=int(r.redeemed), refunded=int(r.refunded))
        for r in conn.execute(stmt)
    ]
    return redemptions_of(buckets, since=since, until=until, utc_offset_minutes=utc_offset_minutes,
                          currency=currency)


def till_names(conn: Connection) -> dict[str, str]:
    """Every till's id → ``Shop / Till``, as reports name tills (``tills.labels``)."""
    return tills.labels(conn)
