"""Campaigns: rows ↔ :class:`Campaign`."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Connection, Row, bindparam, insert, literal_column, select, update
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.exc import IntegrityError

from pos_app.domain import errors
from pos_app.domain.cards import Campaign
from pos_app.services.ports import CampaignRepository
from pos_app.store.models import campaigns
from pos_app.store.repositories._errors import translate

_BY_ID = select(campaigns).where(campaigns.c.id == bindparam("b_id"))
_BY_NAME = select(campaigns).where(campaigns.c.name == bindparam("b_name"))
_ALL = select(campaigns).order_by(campaigns.c.created_at, literal_column("campaigns.rowid"))
_INSERT = insert(campaigns)
_SAVE = update(campaigns).where(campaigns.c.id == bindparam("b_id"))
_GIVE_WAY = (
    update(campaigns)
    .where(campaigns.c.name == bindparam("b_name"), campaigns.c.id != bindparam("b_id"))
    .values(name=campaigns.c.name + " (" + campaigns.c.id + ")")
)
_upsert = sqlite_insert(campaigns)
_UPSERT = _upsert.on_conflict_do_update(
    index_elements=[campaigns.c.id],
    set_={column.key: _upsert.excluded[column.key] for column in campaigns.c if column.key != "id"},
)


def campaign_values(campaign: Campaign) -> dict[str, Any]:
    return {
        "name": campaign.name,
        "currency": campaign.currency,
        "amount": campaign.amount,
        "code_config": campaign.code_config,
        "vouchers_count": campaign.vouchers_count,
        "start_date": campaign.start_date,
        "expiration_date": campaign.expiration_date,
        "redemption_limit": campaign.redemption_limit,
        "min_order_amount": campaign.min_order_amount,
        "category": campaign.category,
        "active": campaign.active,
    }


def campaign_from_row(row: Row[Any]) -> Campaign:
    return Campaign(
        id=row.id, name=row.name, currency=row.currency, amount=row.amount, code_config=row.code_config,
        vouchers_count=row.vouchers_count, start_date=row.start_date, expiration_date=row.expiration_date,
        redemption_limit=row.redemption_limit, min_order_amount=row.min_order_amount, category=row.category,
        active=row.active, created_at=row.created_at,
    )


class SqlCampaignRepository(CampaignRepository):
    def __init__(self, conn: Connection) -> None:
        self._conn = conn

    def add(self, campaign: Campaign) -> None:
        values = campaign_values(campaign)
        values.update(id=campaign.id, created_at=campaign.created_at or datetime.now(UTC))
        try:
            self._conn.execute(_INSERT, values)
        except IntegrityError as exc:
            raise (translate(exc, f"campaign {campaign.name!r}") or exc) from exc

    def get(self, campaign_id: str) -> Campaign | None:
        row = self._conn.execute(_BY_ID, {"b_id": campaign_id}).first()
        return None if row is None else campaign_from_row(row)

    def get_by_name(self, name: str) -> Campaign | None:
        row = self._conn.execute(_BY_NAME, {"b_name": name}).first()
        return None if row is None else campaign_from_row(row)

    def save(self, campaign: Campaign) -> None:
        params = campaign_values(campaign)
        params["b_id"] = campaign.id
        try:
            result = self._conn.execute(_SAVE, params)
        except IntegrityError as exc:
            raise (translate(exc, f"campaign {campaign.name!r}") or exc) from exc
        if result.rowcount != 1:
            raise errors.NotFound(f"campaign {campaign.id} is not in the store")

    def list(self) -> list[Campaign]:
        return [campaign_from_row(row) for row in self._conn.execute(_ALL)]

    def upsert(self, campaigns: Sequence[Campaign]) -> None:
        now = datetime.now(UTC)
        for campaign in campaigns:
            self._conn.execute(_GIVE_WAY, {"b_name": campaign.name, "b_id": campaign.id})
            values = campaign_values(campaign)
            values.update(id=campaign.id, created_at=campaign.created_at or now)
            self._conn.execute(_UPSERT, values)
