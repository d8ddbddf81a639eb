"""Conflicts say what happened: ``conflicts.notes``.

Revision ID: 0002_conflict_notes
Revises: 0001_initial
Create Date: 2026-11-23

A conflict used to be an overdraft only, which its figures explain. A divergence (one entry id, other facts at
the server and at the till: see ``pos_app.sync.schemas``) needs words: one note a line, NULL when there are none.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision: str = "0002_conflict_notes"
down_revision: str | None = "0001_initial"
branch_labels: str | None = None
depends_on: str | None = None


def upgrade() -> None:
    op.add_column("conflicts", sa.Column("notes", sa.Text(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("conflicts") as batch:
        batch.drop_column("notes")
