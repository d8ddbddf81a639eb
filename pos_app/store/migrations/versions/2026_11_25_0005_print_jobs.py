"""Print jobs: each rendered receipt kept with its bytes, so that a reprint is identical to the first print.

Revision ID: 0005_print_jobs
Revises: 0004_token_file_server_version
Create Date: 2026-11-25

A new table only; nothing existing changes. ``entry_id`` refers to the entry the receipt is of (entries are
never deleted) and is indexed: a reprint looks the job up by entry and format.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision: str = "0005_print_jobs"
down_revision: str | None = "0004_token_file_server_version"
branch_labels: str | None = None
depends_on: str | None = None


def upgrade() -> None:
    op.create_table(
        "print_jobs",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("entry_id", sa.String(length=36), nullable=False),
        sa.Column("format", sa.String(length=16), nullable=False),
        sa.Column("destination", sa.String(length=500), nullable=True),
        sa.Column("data", sa.LargeBinary(), nullable=False),
        sa.Column("created_at", sa.String(length=32), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("attempts", sa.Integer(), server_default=sa.text("0"), nullable=False),
        sa.Column("last_error", sa.String(length=1000), nullable=True),
        sa.Column("printed_at", sa.String(length=32), nullable=True),
        sa.ForeignKeyConstraint(["entry_id"], ["entries.id"], name="fk_print_jobs_entry_id_entries"),
        sa.PrimaryKeyConstraint("id", name="pk_print_jobs"),
    )
    op.create_index("ix_print_jobs_entry_id", "print_jobs", ["entry_id"])


def downgrade() -> None:
    op.drop_index("ix_print_jobs_entry_id", table_name="print_jobs")
    op.drop_table("print_jobs")
