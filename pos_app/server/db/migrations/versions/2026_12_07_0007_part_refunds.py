"""Part refunds: a redemption may be refunded several times, its refunds together never more than it took.

Revision ID: 0007_part_refunds
Revises: 0005_change_log_sequence
Create Date: 2026-12-07

The unique index that allowed one successful refund per redemption becomes a plain index over the same rows. The
rule itself is decided by the domain from what the refunds stored already gave back, read while the card is
locked (``SELECT … FOR UPDATE`` on PostgreSQL, the write lock on SQLite): every refund, online or pushed, locks
its card first, so two refunds of one redemption are decided one after the other.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision: str = "0007_part_refunds"
down_revision: str | None = "0005_change_log_sequence"
branch_labels: str | None = None
depends_on: str | None = None

REFUNDS = sa.text("result = 'SUCCESS' AND refund_of IS NOT NULL")


def upgrade() -> None:
    op.drop_index("uq_entries_refund_of_success", table_name="entries")
    op.create_index("ix_entries_refund_of_success", "entries", ["refund_of"], sqlite_where=REFUNDS,
                    postgresql_where=REFUNDS)


def downgrade() -> None:
    """Back to one refund per redemption: fails (and changes nothing) while a redemption has two refunds."""
    op.drop_index("ix_entries_refund_of_success", table_name="entries")
    op.create_index("uq_entries_refund_of_success", "entries", ["refund_of"], unique=True, sqlite_where=REFUNDS,
                    postgresql_where=REFUNDS)
