"""The Voucherify API's deleted vouchers (kept, with their ledger, but hidden from the API) and its customers'
metadata and deletion.

Revision ID: 0013_api_vouchers_customers
Revises: 0012_async_actions_exports
Create Date: 2026-12-10
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0013_api_vouchers_customers"
down_revision: str | None = "0012_async_actions_exports"
branch_labels: str | None = None
depends_on: str | None = None

DATETIME = sa.String(length=32).with_variant(postgresql.TIMESTAMP(timezone=True), "postgresql")
DOC = sa.JSON().with_variant(postgresql.JSONB(), "postgresql")


def upgrade() -> None:
    op.create_table(
        "deleted_vouchers",
        sa.Column("card_id", sa.String(length=64), nullable=False),
        sa.Column("key_id", sa.String(length=64), nullable=False),
        sa.Column("deleted_at", DATETIME, nullable=False),
        sa.ForeignKeyConstraint(["card_id"], ["cards.id"], name=op.f("fk_deleted_vouchers_card_id_cards")),
        sa.PrimaryKeyConstraint("card_id", name=op.f("pk_deleted_vouchers")),
    )
    with op.batch_alter_table("customers") as batch:
        batch.add_column(sa.Column("metadata", DOC, nullable=True))
        batch.add_column(sa.Column("deleted_at", DATETIME, nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("customers") as batch:
        batch.drop_column("deleted_at")
        batch.drop_column("metadata")
    op.drop_table("deleted_vouchers")
