"""Initial schema of the server: settings, counters, the change log, campaigns, cards, conflicts, entries,
users, devices and enrolment codes.

Revision ID: 0001_initial
Revises:
Create Date: 2026-11-21

Frozen types: datetimes are TIMESTAMPTZ on PostgreSQL and UTC ISO text (VARCHAR(32)) on SQLite; documents are
JSONB on PostgreSQL; money is BIGINT minor units; ``changes.seq`` is SQLite's rowid (INTEGER PRIMARY KEY).
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0001_initial"
down_revision: str | None = None
branch_labels: str | None = None
depends_on: str | None = None

DATETIME = sa.String(length=32).with_variant(postgresql.TIMESTAMP(timezone=True), "postgresql")
DOC = sa.JSON().with_variant(postgresql.JSONB(), "postgresql")
MONEY = sa.BigInteger()
ID = sa.String(length=64)


def _col(name: str, type_: sa.types.TypeEngine[Any], *, null: bool = False) -> sa.Column[Any]:
    return sa.Column(name, type_, nullable=null)


def upgrade() -> None:
    op.create_table(
        "settings",
        _col("key", ID), _col("value", DOC),
        sa.PrimaryKeyConstraint("key", name="pk_settings"),
    )
    counters = op.create_table(
        "counters",
        _col("name", sa.String(length=32)), _col("value", sa.BigInteger()),
        sa.PrimaryKeyConstraint("name", name="pk_counters"),
    )
    op.bulk_insert(counters, [{"name": "changes", "value": 0}])
    op.create_table(
        "changes",
        sa.Column("seq", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), autoincrement=False, nullable=False),
        _col("kind", sa.String(length=16)), _col("ref_id", ID),
        sa.PrimaryKeyConstraint("seq", name="pk_changes"),
    )
    op.create_table(
        "campaigns",
        _col("id", ID), _col("name", sa.String(length=200)), _col("currency", sa.String(length=3)),
        _col("amount", MONEY), _col("code_config", DOC), _col("vouchers_count", sa.BigInteger()),
        _col("start_date", DATETIME, null=True), _col("expiration_date", DATETIME, null=True),
        _col("redemption_limit", sa.BigInteger(), null=True), _col("min_order_amount", MONEY, null=True),
        _col("category", sa.String(length=200), null=True), _col("active", sa.Boolean()),
        _col("created_at", DATETIME),
        sa.PrimaryKeyConstraint("id", name="pk_campaigns"),
        sa.UniqueConstraint("name", name="uq_campaigns_name"),
    )
    op.create_table(
        "cards",
        _col("id", ID), _col("code", sa.String(length=100)), _col("campaign_id", ID, null=True),
        _col("currency", sa.String(length=3)), _col("status", sa.String(length=16)),
        _col("loaded", MONEY), _col("balance", MONEY), _col("redeemed", MONEY), _col("refunded", MONEY),
        _col("redemption_count", sa.BigInteger()), _col("redemption_limit", sa.BigInteger(), null=True),
        _col("initial_amount", MONEY, null=True),
        _col("start_date", DATETIME, null=True), _col("expiration_date", DATETIME, null=True),
        _col("validity_days", sa.String(length=7), null=True), _col("validity_start", sa.String(length=8), null=True),
        _col("validity_end", sa.String(length=8), null=True), _col("min_order_amount", MONEY, null=True),
        _col("customer_id", ID, null=True), _col("category", sa.String(length=200), null=True),
        _col("metadata", DOC), _col("activated_at", DATETIME, null=True), _col("created_at", DATETIME),
        _col("version", sa.BigInteger()),
        sa.ForeignKeyConstraint(["campaign_id"], ["campaigns.id"], name="fk_cards_campaign_id_campaigns"),
        sa.PrimaryKeyConstraint("id", name="pk_cards"),
        sa.UniqueConstraint("code", name="uq_cards_code"),
    )
    op.create_index("ix_cards_campaign_id", "cards", ["campaign_id"])
    op.create_table(
        "conflicts",
        _col("id", ID), _col("card_id", ID), _col("status", sa.String(length=16)),
        _col("prior_status", sa.String(length=16)), _col("overdraft", MONEY), _col("opened_at", DATETIME),
        _col("resolution", sa.String(length=16), null=True), _col("reason", sa.String(length=500), null=True),
        _col("resolved_at", DATETIME, null=True), _col("resolved_by", ID, null=True),
        _col("resolution_entry_id", sa.String(length=36), null=True),
        sa.ForeignKeyConstraint(["card_id"], ["cards.id"], name="fk_conflicts_card_id_cards"),
        sa.PrimaryKeyConstraint("id", name="pk_conflicts"),
    )
    op.create_index(
        "uq_conflicts_card_id_open", "conflicts", ["card_id"], unique=True,
        sqlite_where=sa.text("status = 'open'"), postgresql_where=sa.text("status = 'open'"),
    )
    op.create_table(
        "entries",
        _col("id", sa.String(length=36)), _col("card_id", ID), _col("code", sa.String(length=100)),
        _col("kind", sa.String(length=32)), _col("amount", MONEY), _col("currency", sa.String(length=3)),
        _col("balance_after", MONEY), _col("till_balance_after", MONEY, null=True),
        _col("result", sa.String(length=8)), _col("error_key", sa.String(length=64), null=True),
        _col("device_id", ID), _col("device_seq", sa.BigInteger()), _col("operator_id", ID, null=True),
        _col("created_at", DATETIME), _col("received_at", DATETIME),
        _col("order_ref", sa.String(length=200), null=True), _col("reason", sa.String(length=500), null=True),
        _col("refund_of", sa.String(length=36), null=True), _col("override_by", ID, null=True),
        _col("status", sa.String(length=16)), _col("server_seq", sa.BigInteger()),
        _col("origin", sa.String(length=8)), _col("conflict_id", ID, null=True), _col("answer", sa.Text(), null=True),
        sa.ForeignKeyConstraint(["card_id"], ["cards.id"], name="fk_entries_card_id_cards"),
        sa.ForeignKeyConstraint(["conflict_id"], ["conflicts.id"], name="fk_entries_conflict_id_conflicts"),
        sa.PrimaryKeyConstraint("id", name="pk_entries"),
        sa.UniqueConstraint("server_seq", name="uq_entries_server_seq"),
    )
    op.create_index("ix_entries_card_id_server_seq", "entries", ["card_id", "server_seq"])
    op.create_index("ix_entries_conflict_id", "entries", ["conflict_id"])
    op.create_index(
        "uq_entries_refund_of_success", "entries", ["refund_of"], unique=True,
        sqlite_where=sa.text("result = 'SUCCESS' AND refund_of IS NOT NULL"),
        postgresql_where=sa.text("result = 'SUCCESS' AND refund_of IS NOT NULL"),
    )
    op.create_table(
        "users",
        _col("id", ID), _col("name", sa.String(length=200)), _col("role", sa.String(length=16)),
        _col("pin_hash", sa.String(length=200)), _col("active", sa.Boolean()), _col("created_at", DATETIME),
        sa.PrimaryKeyConstraint("id", name="pk_users"),
        sa.UniqueConstraint("name", name="uq_users_name"),
    )
    op.create_table(
        "devices",
        _col("id", ID), _col("name", sa.String(length=80)), _col("token_hash", ID),
        _col("created_at", DATETIME), _col("revoked_at", DATETIME, null=True),
        sa.PrimaryKeyConstraint("id", name="pk_devices"),
        sa.UniqueConstraint("token_hash", name="uq_devices_token_hash"),
    )
    op.create_table(
        "enrol_codes",
        _col("id", ID), _col("code_hash", ID), _col("created_at", DATETIME), _col("expires_at", DATETIME),
        _col("used_at", DATETIME, null=True), _col("device_id", ID, null=True),
        sa.PrimaryKeyConstraint("id", name="pk_enrol_codes"),
        sa.UniqueConstraint("code_hash", name="uq_enrol_codes_code_hash"),
    )


def downgrade() -> None:
    for table in ("enrol_codes", "devices", "users", "entries", "conflicts", "cards", "campaigns", "changes",
                  "counters", "settings"):
        op.drop_table(table)
