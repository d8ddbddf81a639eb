"""The Voucherify-compatible API's jobs: async actions (imports, a campaign's code generation) and exports.

Revision ID: 0012_async_actions_exports
Revises: 0011_validation_sessions
Create Date: 2026-12-10
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0012_async_actions_exports"
down_revision: str | None = "0011_validation_sessions"
branch_labels: str | None = None
depends_on: str | None = None

DATETIME = sa.String(length=32).with_variant(postgresql.TIMESTAMP(timezone=True), "postgresql")
DOC = sa.JSON().with_variant(postgresql.JSONB(), "postgresql")


def upgrade() -> None:
    op.create_table(
        "async_actions",
        sa.Column("id", sa.String(length=64), nullable=False),
        sa.Column("key_id", sa.String(length=64), nullable=False),
        sa.Column("type", sa.String(length=64), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("campaign_id", sa.String(length=64), nullable=True),
        sa.Column("sold", sa.Boolean(), nullable=False),
        sa.Column("requested", sa.BigInteger(), nullable=False),
        sa.Column("made", sa.BigInteger(), nullable=False),
        sa.Column("result", DOC, nullable=True),
        sa.Column("owner", sa.String(length=64), nullable=True),
        sa.Column("heartbeat", DATETIME, nullable=True),
        sa.Column("created_at", DATETIME, nullable=False),
        sa.Column("updated_at", DATETIME, nullable=False),
        sa.ForeignKeyConstraint(["campaign_id"], ["campaigns.id"],
                                name=op.f("fk_async_actions_campaign_id_campaigns")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_async_actions")),
    )
    op.create_index(op.f("ix_async_actions_campaign_id"), "async_actions", ["campaign_id"], unique=False)
    op.create_table(
        "exports",
        sa.Column("id", sa.String(length=64), nullable=False),
        sa.Column("key_id", sa.String(length=64), nullable=False),
        sa.Column("exported_object", sa.String(length=32), nullable=False),
        sa.Column("parameters", DOC, nullable=False),
        sa.Column("token", sa.String(length=64), nullable=False),
        sa.Column("created_at", DATETIME, nullable=False),
        sa.Column("expires_at", DATETIME, nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_exports")),
    )


def downgrade() -> None:
    op.drop_table("exports")
    op.drop_index(op.f("ix_async_actions_campaign_id"), table_name="async_actions")
    op.drop_table("async_actions")
