"""The API's LOCK sessions (credits a validation holds on a card) and what a redemption through the API adds to its
entry (the stacked request, the order, the session).

Revision ID: 0011_validation_sessions
Revises: 0010_validation_rules
Create Date: 2026-12-10
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0011_validation_sessions"
down_revision: str | None = "0010_validation_rules"
branch_labels: str | None = None
depends_on: str | None = None

DATETIME = sa.String(length=32).with_variant(postgresql.TIMESTAMP(timezone=True), "postgresql")
DOC = sa.JSON().with_variant(postgresql.JSONB(), "postgresql")


def upgrade() -> None:
    op.create_table(
        "validation_sessions",
        sa.Column("key_id", sa.String(length=64), nullable=False),
        sa.Column("session_key", sa.String(length=200), nullable=False),
        sa.Column("card_id", sa.String(length=64), nullable=False),
        sa.Column("amount", sa.BigInteger(), nullable=False),
        sa.Column("created_at", DATETIME, nullable=False),
        sa.Column("expires_at", DATETIME, nullable=False),
        sa.Column("ended_at", DATETIME, nullable=True),
        sa.Column("ended", sa.String(length=16), nullable=True),
        sa.ForeignKeyConstraint(["card_id"], ["cards.id"], name=op.f("fk_validation_sessions_card_id_cards")),
        sa.PrimaryKeyConstraint("key_id", "session_key", "card_id", name=op.f("pk_validation_sessions")),
    )
    op.create_index("ix_validation_sessions_card_id_expires_at", "validation_sessions", ["card_id", "expires_at"])
    op.create_table(
        "api_redemptions",
        sa.Column("entry_id", sa.String(length=36), nullable=False),
        sa.Column("parent_id", sa.String(length=36), nullable=True),
        sa.Column("key_id", sa.String(length=64), nullable=False),
        sa.Column("session_key", sa.String(length=200), nullable=True),
        sa.Column("tracking_id", sa.String(length=200), nullable=True),
        sa.Column("order", DOC, nullable=False),
        sa.Column("created_at", DATETIME, nullable=False),
        sa.ForeignKeyConstraint(["entry_id"], ["entries.id"], name=op.f("fk_api_redemptions_entry_id_entries")),
        sa.PrimaryKeyConstraint("entry_id", name=op.f("pk_api_redemptions")),
    )
    op.create_index("ix_api_redemptions_parent_id", "api_redemptions", ["parent_id"])


def downgrade() -> None:
    op.drop_index("ix_api_redemptions_parent_id", table_name="api_redemptions")
    op.drop_table("api_redemptions")
    op.drop_index("ix_validation_sessions_card_id_expires_at", table_name="validation_sessions")
    op.drop_table("validation_sessions")
