"""A till's numbering is unique, and failed card lookups are recorded: ``uq_entries_device_id_device_seq`` and
``failed_lookups``.

Revision ID: 0003_device_seq_lookups
Revises: 0002_conflict_notes
Create Date: 2026-12-07

* ``(device_id, device_seq)`` is unique among entries that carry a till's number (``device_seq > 0``; 0 is
  "none": entries made on the server, and a divergence's till facts). A database that stored a duplicate pair
  before this rule existed keeps the first such entry (lowest ``server_seq``) numbered and renumbers the others
  to 0, so that no entry is lost; their ids still identify them.
* ``failed_lookups``: one row per lookup of a code the server does not know, by a till (``device_id``) or any
  other caller (``caller``), with the code masked; rate limits count them per caller over a sliding window.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0003_device_seq_lookups"
down_revision: str | None = "0002_conflict_notes"
branch_labels: str | None = None
depends_on: str | None = None

DATETIME = sa.String(length=32).with_variant(postgresql.TIMESTAMP(timezone=True), "postgresql")
SEQ = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    op.execute(
        "UPDATE entries SET device_seq = 0 WHERE device_seq > 0 AND EXISTS ("
        "SELECT 1 FROM entries AS first WHERE first.device_id = entries.device_id "
        "AND first.device_seq = entries.device_seq AND first.server_seq < entries.server_seq)"
    )
    op.create_index(
        "uq_entries_device_id_device_seq", "entries", ["device_id", "device_seq"], unique=True,
        sqlite_where=sa.text("device_seq > 0"), postgresql_where=sa.text("device_seq > 0"),
    )
    op.create_table(
        "failed_lookups",
        sa.Column("id", SEQ, nullable=False, autoincrement=True),
        sa.Column("caller", sa.String(length=64), nullable=False),
        sa.Column("at", DATETIME, nullable=False),
        sa.Column("masked_code", sa.String(length=32), nullable=False),
        sa.Column("channel", sa.String(length=16), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_failed_lookups"),
    )
    op.create_index("ix_failed_lookups_caller_at", "failed_lookups", ["caller", "at"])


def downgrade() -> None:
    op.drop_index("ix_failed_lookups_caller_at", table_name="failed_lookups")
    op.drop_table("failed_lookups")
    op.drop_index("uq_entries_device_id_device_seq", table_name="entries")
