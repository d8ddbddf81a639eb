"""Reports as SQL aggregates: a million cards are added up by SQLite, not loaded into Python."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Connection, Integer, String, bindparam, case, func, or_, select

from pos_app.domain.cards import CardStatus
from pos_app.domain.day_report import DayLine
from pos_app.domain.ledger import USED_BEFORE_IMPORT, EntryKind, EntryResult
from pos_app.services.ports import LiabilityRow, RedemptionBucket, ReportQueries
from pos_app.store.models import campaigns, cards, entries, outbox

_per_campaign = (
    select(
        cards.c.campaign_id,
        cards.c.currency,
        func.count().label("cards"),
        func.sum(case((cards.c.status == CardStatus.ACTIVE.value, 1), else_=0)).label("active_cards"),
        func.sum(cards.c.loaded).label("loaded"),
        func.sum(cards.c.redeemed).label("redeemed"),
        func.sum(cards.c.refunded).label("refunded"),
        func.sum(cards.c.balance).label("outstanding"),
    )
    .group_by(cards.c.campaign_id, cards.c.currency)
    .subquery()
)
_LIABILITY = (
    select(_per_campaign, campaigns.c.name.label("campaign_name"))
    .outerjoin(campaigns, campaigns.c.id == _per_campaign.c.campaign_id)
    .order_by(campaigns.c.name, _per_campaign.c.campaign_id, _per_campaign.c.currency)
)

_REDEMPTION = EntryKind.CREDITS_REDEMPTION.value
_REFUND = EntryKind.CREDITS_REFUND.value
#: An import's stand-in for balance used elsewhere is no redemption made at a till (``Entry.is_used_before_import``).
_NOT_USED_BEFORE_IMPORT = or_(entries.c.kind != _REDEMPTION, entries.c.reason.is_(None),
                              entries.c.reason != USED_BEFORE_IMPORT)
_day = func.date(entries.c.created_at, bindparam("b_shift"), type_=String).label("day")
_REDEMPTIONS = (
    select(
        _day,
        entries.c.device_id,
        entries.c.currency,
        func.sum(case((entries.c.kind == _REDEMPTION, 1), else_=0), type_=Integer).label("redemptions"),
        func.sum(case((entries.c.kind == _REDEMPTION, -entries.c.amount), else_=0), type_=Integer).label("redeemed"),
        func.sum(case((entries.c.kind == _REFUND, entries.c.amount), else_=0), type_=Integer).label("refunded"),
    )
    .where(entries.c.result == EntryResult.SUCCESS.value, entries.c.kind.in_([_REDEMPTION, _REFUND]),
               _NOT_USED_BEFORE_IMPORT)
    .group_by(_day, entries.c.device_id, entries.c.currency)
    .order_by(_day, entries.c.device_id, entries.c.currency)
)


_priced = entries.c.price.is_not(None)
_reasoned = func.coalesce(entries.c.reason, "") != ""
_DAY_LINES = (
    select(
        entries.c.device_id, entries.c.operator_id, entries.c.currency, entries.c.kind, entries.c.payment,
        _priced.label("priced"), _reasoned.label("reasoned"),
        func.count().label("lines"),
        func.sum(entries.c.amount, type_=Integer).label("amount"),
        func.coalesce(func.sum(entries.c.price), 0, type_=Integer).label("price"),
        func.count(outbox.c.entry_id).label("unsynced"),
    )
    .select_from(entries.outerjoin(outbox, outbox.c.entry_id == entries.c.id))
    .where(entries.c.result == EntryResult.SUCCESS.value, entries.c.created_at >= bindparam("b_since"),
           entries.c.created_at < bindparam("b_until"))
    .group_by(entries.c.device_id, entries.c.operator_id, entries.c.currency, entries.c.kind, entries.c.payment,
              _priced, _reasoned)
)


class SqlReportQueries(ReportQueries):
    def __init__(self, conn: Connection) -> None:
        self._conn = conn

    def liability(self) -> list[LiabilityRow]:
        return [
            LiabilityRow(
                campaign_id=row.campaign_id, campaign_name=row.campaign_name, currency=row.currency,
                cards=row.cards, active_cards=row.active_cards, loaded=row.loaded, redeemed=row.redeemed,
                refunded=row.refunded, outstanding=row.outstanding,
            )
            for row in self._conn.execute(_LIABILITY)
        ]

    def redemptions(self, since: datetime | None, until: datetime | None, utc_offset_minutes: int = 0
                    ) -> list[RedemptionBucket]:
        """Successful redemptions (count, amount) and refunds per local day, till and currency.

        ``since`` is inclusive, ``until`` exclusive; the local day is the UTC time shifted by the offset.
        """
        stmt = _REDEMPTIONS
        if since is not None:
            stmt = stmt.where(entries.c.created_at >= since)
        if until is not None:
            stmt = stmt.where(entries.c.created_at < until)
        rows = self._conn.execute(stmt, {"b_shift": f"{int(utc_offset_minutes):+d} minutes"})
        return [
            RedemptionBucket(
                day=date.fromisoformat(row.day), device_id=row.device_id, currency=row.currency,
                count=row.redemptions, redeemed=row.redeemed, refunded=row.refunded,
            )
            for row in rows
        ]

    def day_lines(self, since: datetime, until: datetime) -> list[DayLine]:
        rows = self._conn.execute(_DAY_LINES, {"b_since": since, "b_until": until})
        return [
            DayLine(device_id=row.device_id, operator_id=row.operator_id, currency=row.currency,
                    kind=row.kind, payment=row.payment,
                    priced=bool(row.priced), reasoned=bool(row.reasoned), count=row.lines, amount=row.amount,
                    price=row.price, unsynced=row.unsynced)
            for row in rows
        ]
