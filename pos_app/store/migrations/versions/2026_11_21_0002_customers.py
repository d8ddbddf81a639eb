"""Customers: a customers table, cards.customer_id (the customer a card was published to), entries by time.

Revision ID: 0002_customers
Revises: 0001_initial_schema
Create Date: 2026-11-21

SQLite cannot add a foreign key to an existing table: batch mode rebuilds ``cards`` (copy, drop, rename), which
``pos_app.store.migrate`` runs with foreign keys off and checked before the commit.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision: str = "0002_customers"
down_revision: str | None = "0001_initial_schema"
branch_labels: str | None = None
depends_on: str | None = None


def upgrade() -> None:
    op.create_table(
        "customers",
        sa.Column("id", sa.String(length=64), nullable=False),
        sa.Column("source_id", sa.String(length=200), nullable=True),
        sa.Column("name", sa.String(length=200), nullable=True),
        sa.Column("email", sa.String(length=320), nullable=True),
        sa.Column("created_at", sa.String(length=32), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_customers"),
        sa.UniqueConstraint("source_id", name="uq_customers_source_id"),
    )
    with op.batch_alter_table("cards") as batch:
        batch.add_column(sa.Column("customer_id", sa.String(length=64), nullable=True))
        batch.create_foreign_key("fk_cards_customer_id_customers", "customers", ["customer_id"], ["id"])
        batch.create_index("ix_cards_customer_id", ["customer_id"])
    op.create_index("ix_entries_created_at", "entries", ["created_at"])


def downgrade() -> None:
    op.drop_index("ix_entries_created_at", table_name="entries")
    with op.batch_alter_table("cards") as batch:
        batch.drop_index("ix_cards_customer_id")
        batch.drop_constraint("fk_cards_customer_id_customers", type_="foreignkey")
        batch.drop_column("customer_id")
    op.drop_table("customers")
