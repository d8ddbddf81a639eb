"""The dashboard's rollup: sales and redemptions per till, local day and currency folded from the change log up
to a watermark, and the liability as last summed (``db.dashboard_models``, ``server.dashboard_rollup``).

The rollup starts empty, its watermark at 0: ``pos-server init`` and ``serve`` fold the entries there were right
after migrating (``dashboard_rollup.catch_up_all``: the fold itself, so that what counts is defined once; a
migration may not import the server's modules), and until then the dashboard sums them live as its tail.

Revision ID: 0021_dashboard_rollup
Revises: 0017_dashboard_indexes
Create Date: 2026-12-12
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0021_dashboard_rollup"
down_revision: str | None = "0017_dashboard_indexes"
branch_labels: str | None = None
depends_on: str | None = None

DATETIME = sa.String(length=32).with_variant(postgresql.TIMESTAMP(timezone=True), "postgresql")


def upgrade() -> None:
    op.create_table(
        "dashboard_rollup",
        sa.Column("device_id", sa.String(length=64), nullable=False),
        sa.Column("zone", sa.String(length=64), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("sales", sa.BigInteger(), nullable=False),
        sa.Column("sold", sa.BigInteger(), nullable=False),
        sa.Column("redemptions", sa.BigInteger(), nullable=False),
        sa.Column("redeemed", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("device_id", "zone", "day", "currency", name=op.f("pk_dashboard_rollup")),
    )
    op.create_index("ix_dashboard_rollup_day", "dashboard_rollup", ["day"])
    watermark = op.create_table(
        "dashboard_watermark",
        sa.Column("id", sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column("pos", sa.BigInteger(), nullable=False),
        sa.Column("folded_at", DATETIME, nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_dashboard_watermark")),
    )
    op.create_table(
        "dashboard_liability",
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("cards", sa.BigInteger(), nullable=False),
        sa.Column("outstanding", sa.BigInteger(), nullable=False),
        sa.Column("at", DATETIME, nullable=False),
        sa.PrimaryKeyConstraint("currency", name=op.f("pk_dashboard_liability")),
    )
    op.bulk_insert(watermark, [{"id": 1, "pos": 0, "folded_at": None}])


def downgrade() -> None:
    op.drop_table("dashboard_liability")
    op.drop_table("dashboard_watermark")
    op.drop_index("ix_dashboard_rollup_day", table_name="dashboard_rollup")
    op.drop_table("dashboard_rollup")
