"""Shops group tills: the ``shops`` table, each till's shop, last sight and unsynced entries, each enrolment
code's shop, and head office's offline limits per till (``till_limits``).

A server with a store or tills already gets one shop made from the store setting (its name, its time zone, else
the machine's), and every till enrolled so far joins it.

Revision ID: 0016_shops
Revises: 0014_additions_index
Create Date: 2026-12-11
"""

from __future__ import annotations

import json
import secrets
import time
from datetime import UTC, datetime
from typing import Any

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0016_shops"
down_revision: str | None = "0015_console"
branch_labels: str | None = None
depends_on: str | None = None

DATETIME = sa.String(length=32).with_variant(postgresql.TIMESTAMP(timezone=True), "postgresql")


def upgrade() -> None:
    op.create_table(
        "shops",
        sa.Column("id", sa.String(length=64), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("time_zone", sa.String(length=64), nullable=False),
        sa.Column("address", sa.String(length=500), nullable=True),
        sa.Column("created_at", DATETIME, nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_shops")),
        sa.UniqueConstraint("name", name=op.f("uq_shops_name")),
    )
    with op.batch_alter_table("devices") as batch:
        batch.add_column(sa.Column("shop_id", sa.String(length=64), nullable=True))
        batch.add_column(sa.Column("last_seen_at", DATETIME, nullable=True))
        batch.add_column(sa.Column("unsynced", sa.BigInteger(), nullable=True))
        batch.create_foreign_key(op.f("fk_devices_shop_id_shops"), "shops", ["shop_id"], ["id"])
        batch.create_index("ix_devices_shop_id_name", ["shop_id", "name"])
    with op.batch_alter_table("enrol_codes") as batch:
        batch.add_column(sa.Column("shop_id", sa.String(length=64), nullable=True))
        batch.create_foreign_key(op.f("fk_enrol_codes_shop_id_shops"), "shops", ["shop_id"], ["id"])
    op.create_table(
        "till_limits",
        sa.Column("device_id", sa.String(length=64), nullable=False),
        sa.Column("per_redemption", sa.BigInteger(), nullable=True),
        sa.Column("per_device_unsynced", sa.BigInteger(), nullable=True),
        sa.Column("max_offline_seconds", sa.BigInteger(), nullable=True),
        sa.Column("max_card_age_seconds", sa.BigInteger(), nullable=True),
        sa.Column("updated_at", DATETIME, nullable=False),
        sa.ForeignKeyConstraint(["device_id"], ["devices.id"], name=op.f("fk_till_limits_device_id_devices")),
        sa.PrimaryKeyConstraint("device_id", name=op.f("pk_till_limits")),
    )
    _default_shop()


def _default_shop() -> None:
    """The store, as a shop that every till enrolled so far joins (nothing on a new, empty server)."""
    conn = op.get_bind()
    raw = conn.execute(sa.text("SELECT value FROM settings WHERE key = 'store'")).scalar()
    has_tills = conn.execute(sa.text("SELECT 1 FROM devices LIMIT 1")).first() is not None
    if raw is None and not has_tills:
        return
    store: dict[str, Any] = (json.loads(raw) if isinstance(raw, str) else dict(raw)) if raw is not None else {}
    zone = store.get("time_zone")
    if not zone:
        from pos_app.services.setup import host_zone_name

        zone = host_zone_name()
    at = datetime.now(UTC)
    shop_id = f"shop_{time.time_ns() // 1_000_000:012x}{secrets.token_hex(8)}"
    created = at if conn.dialect.name == "postgresql" else at.isoformat(timespec="microseconds")
    conn.execute(sa.text("INSERT INTO shops (id, name, time_zone, address, created_at) "
                         "VALUES (:id, :name, :zone, NULL, :at)"),
                 {"id": shop_id, "name": str(store.get("name") or "pos_app")[:200], "zone": zone, "at": created})
    conn.execute(sa.text("UPDATE devices SET shop_id = :id"), {"id": shop_id})


def downgrade() -> None:
    op.drop_table("till_limits")
    with op.batch_alter_table("enrol_codes") as batch:
        batch.drop_constraint(op.f("fk_enrol_codes_shop_id_shops"), type_="foreignkey")
        batch.drop_column("shop_id")
    with op.batch_alter_table("devices") as batch:
        batch.drop_index("ix_devices_shop_id_name")
        batch.drop_constraint(op.f("fk_devices_shop_id_shops"), type_="foreignkey")
        batch.drop_column("unsynced")
        batch.drop_column("last_seen_at")
        batch.drop_column("shop_id")
    op.drop_table("shops")
