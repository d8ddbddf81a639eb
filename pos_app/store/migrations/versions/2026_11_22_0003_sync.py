"""Sync: when a card's state last came from the server, and device numbers that head office's entries may lack.

Revision ID: 0003_sync
Revises: 0002_customers
Create Date: 2026-11-22

- ``cards.synced_at``: set when a card's state comes from the server (pull or online authorisation); the offline
  rules refuse a card whose state is older than the staleness limit. NULL: never (a standalone card).
- ``entries``: the unique (device_id, device_seq) constraint becomes a partial unique index over numbered entries
  (``device_seq > 0``), so that entries the server made itself without a device number can be merged. SQLite
  cannot drop a table constraint: batch mode rebuilds ``entries``. Its other indexes are dropped first and made
  again afterwards, explicitly, so that the partial ones keep their WHERE clause.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision: str = "0003_sync"
down_revision: str | None = "0002_customers"
branch_labels: str | None = None
depends_on: str | None = None

REFUND_ONCE = sa.text("result = 'SUCCESS' AND refund_of IS NOT NULL")
NUMBERED = sa.text("device_seq > 0")


def _drop_entry_indexes() -> None:
    op.drop_index("uq_entries_refund_of_success", table_name="entries")
    op.drop_index("ix_entries_card_id_created_at", table_name="entries")
    op.drop_index("ix_entries_created_at", table_name="entries")


def _create_entry_indexes() -> None:
    op.create_index("ix_entries_card_id_created_at", "entries", ["card_id", "created_at"])
    op.create_index("ix_entries_created_at", "entries", ["created_at"])
    op.create_index("uq_entries_refund_of_success", "entries", ["refund_of"], unique=True, sqlite_where=REFUND_ONCE)


def upgrade() -> None:
    op.add_column("cards", sa.Column("synced_at", sa.String(length=32), nullable=True))
    _drop_entry_indexes()
    with op.batch_alter_table("entries", recreate="always") as batch:
        batch.drop_constraint("uq_entries_device_id_device_seq", type_="unique")
    _create_entry_indexes()
    op.create_index("uq_entries_device_id_device_seq", "entries", ["device_id", "device_seq"], unique=True,
                    sqlite_where=NUMBERED)


def downgrade() -> None:
    op.drop_index("uq_entries_device_id_device_seq", table_name="entries")
    _drop_entry_indexes()
    with op.batch_alter_table("entries", recreate="always") as batch:
        batch.create_unique_constraint("uq_entries_device_id_device_seq", ["device_id", "device_seq"])
    _create_entry_indexes()
    with op.batch_alter_table("cards") as batch:
        batch.drop_column("synced_at")
