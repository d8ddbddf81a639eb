"""Indexes for the console's conflict pages: open conflicts newest first by when they opened, resolved ones by when
they were resolved, each paged by cursor (``server.conflict_views``), without a scan and a sort of every conflict.

Revision ID: 0020_conflict_indexes
Revises: 0018_card_search
Create Date: 2026-12-11
"""

from __future__ import annotations

from alembic import op

revision: str = "0020_conflict_indexes"
down_revision: str | None = "0018_card_search"
branch_labels: str | None = None
depends_on: str | None = None


def upgrade() -> None:
    op.create_index("ix_conflicts_status_opened_at", "conflicts", ["status", "opened_at", "id"])
    op.create_index("ix_conflicts_status_resolved_at", "conflicts", ["status", "resolved_at", "id"])


def downgrade() -> None:
    op.drop_index("ix_conflicts_status_resolved_at", table_name="conflicts")
    op.drop_index("ix_conflicts_status_opened_at", table_name="conflicts")
