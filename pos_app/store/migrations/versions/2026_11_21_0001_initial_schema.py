"""Initial schema: settings, campaigns, cards, entries, outbox, device sequences, users.

Revision ID: 0001_initial_schema
Revises:
Create Date: 2026-11-21

Datetimes are UTC ISO text (VARCHAR(32)), money is integer minor units next to a 3-letter currency.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision: str = "0001_initial_schema"
down_revision: str | None = None
branch_labels: str | None = None
depends_on: str | None = None

DATETIME = sa.String(length=32)


def upgrade() -> None:
    op.create_table(
        "settings",
        sa.Column("key", sa.String(length=64), nullable=False),
        sa.Column("value", sa.JSON(), nullable=False),
        sa.PrimaryKeyConstraint("key", name="pk_settings"),
    )
    op.create_table(
        "campaigns",
        sa.Column("id", sa.String(length=64), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("amount", sa.Integer(), nullable=False),
        sa.Column("code_config", sa.JSON(), nullable=False),
        sa.Column("vouchers_count", sa.Integer(), nullable=False),
        sa.Column("start_date", DATETIME, nullable=True),
        sa.Column("expiration_date", DATETIME, nullable=True),
        sa.Column("redemption_limit", sa.Integer(), nullable=True),
        sa.Column("min_order_amount", sa.Integer(), nullable=True),
        sa.Column("category", sa.String(length=200), nullable=True),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("created_at", DATETIME, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_campaigns"),
        sa.UniqueConstraint("name", name="uq_campaigns_name"),
    )
    op.create_table(
        "cards",
        sa.Column("id", sa.String(length=64), nullable=False),
        sa.Column("code", sa.String(length=100), nullable=False),
        sa.Column("campaign_id", sa.String(length=64), nullable=True),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("loaded", sa.Integer(), nullable=False),
        sa.Column("balance", sa.Integer(), nullable=False),
        sa.Column("redeemed", sa.Integer(), nullable=False),
        sa.Column("refunded", sa.Integer(), nullable=False),
        sa.Column("redemption_count", sa.Integer(), nullable=False),
        sa.Column("redemption_limit", sa.Integer(), nullable=True),
        sa.Column("initial_amount", sa.Integer(), nullable=True),
        sa.Column("start_date", DATETIME, nullable=True),
        sa.Column("expiration_date", DATETIME, nullable=True),
        sa.Column("validity_days", sa.String(length=7), nullable=True),
        sa.Column("validity_start", sa.String(length=8), nullable=True),
        sa.Column("validity_end", sa.String(length=8), nullable=True),
        sa.Column("min_order_amount", sa.Integer(), nullable=True),
        sa.Column("category", sa.String(length=200), nullable=True),
        sa.Column("metadata", sa.JSON(), nullable=False),
        sa.Column("activated_at", DATETIME, nullable=True),
        sa.Column("created_at", DATETIME, nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["campaign_id"], ["campaigns.id"], name="fk_cards_campaign_id_campaigns"),
        sa.PrimaryKeyConstraint("id", name="pk_cards"),
        sa.UniqueConstraint("code", name="uq_cards_code"),
    )
    op.create_index("ix_cards_campaign_id", "cards", ["campaign_id"])
    op.create_table(
        "entries",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("card_id", sa.String(length=64), nullable=False),
        sa.Column("code", sa.String(length=100), nullable=False),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("amount", sa.Integer(), nullable=False),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("balance_after", sa.Integer(), nullable=False),
        sa.Column("result", sa.String(length=8), nullable=False),
        sa.Column("error_key", sa.String(length=64), nullable=True),
        sa.Column("device_id", sa.String(length=64), nullable=False),
        sa.Column("device_seq", sa.Integer(), nullable=False),
        sa.Column("operator_id", sa.String(length=64), nullable=True),
        sa.Column("created_at", DATETIME, nullable=False),
        sa.Column("order_ref", sa.String(length=200), nullable=True),
        sa.Column("reason", sa.String(length=500), nullable=True),
        sa.Column("refund_of", sa.String(length=36), nullable=True),
        sa.Column("override_by", sa.String(length=64), nullable=True),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("server_seq", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(["card_id"], ["cards.id"], name="fk_entries_card_id_cards"),
        sa.ForeignKeyConstraint(["refund_of"], ["entries.id"], name="fk_entries_refund_of_entries"),
        sa.PrimaryKeyConstraint("id", name="pk_entries"),
        sa.UniqueConstraint("device_id", "device_seq", name="uq_entries_device_id_device_seq"),
    )
    op.create_index("ix_entries_card_id_created_at", "entries", ["card_id", "created_at"])
    # A redemption is refunded at most once.
    op.create_index(
        "uq_entries_refund_of_success", "entries", ["refund_of"], unique=True,
        sqlite_where=sa.text("result = 'SUCCESS' AND refund_of IS NOT NULL"),
    )
    op.create_table(
        "outbox",
        sa.Column("entry_id", sa.String(length=36), nullable=False),
        sa.Column("enqueued_at", DATETIME, nullable=False),
        sa.Column("attempts", sa.Integer(), server_default=sa.text("0"), nullable=False),
        sa.Column("last_error", sa.String(length=1000), nullable=True),
        sa.ForeignKeyConstraint(["entry_id"], ["entries.id"], name="fk_outbox_entry_id_entries"),
        sa.PrimaryKeyConstraint("entry_id", name="pk_outbox"),
    )
    op.create_table(
        "device_sequences",
        sa.Column("device_id", sa.String(length=64), nullable=False),
        sa.Column("last_seq", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("device_id", name="pk_device_sequences"),
    )
    op.create_table(
        "users",
        sa.Column("id", sa.String(length=64), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("role", sa.String(length=16), nullable=False),
        sa.Column("pin_hash", sa.String(length=200), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("failed_attempts", sa.Integer(), nullable=False),
        sa.Column("locked_until", DATETIME, nullable=True),
        sa.Column("lockouts", sa.Integer(), nullable=False),
        sa.Column("created_at", DATETIME, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_users"),
        sa.UniqueConstraint("name", name="uq_users_name"),
    )


def downgrade() -> None:
    op.drop_table("users")
    op.drop_table("device_sequences")
    op.drop_table("outbox")
    op.drop_index("uq_entries_refund_of_success", table_name="entries")
    op.drop_index("ix_entries_card_id_created_at", table_name="entries")
    op.drop_table("entries")
    op.drop_index("ix_cards_campaign_id", table_name="cards")
    op.drop_table("cards")
    op.drop_table("campaigns")
    op.drop_table("settings")
