"""The head-office console: its users, their sessions and the audit log (``db.console_models``).

Revision ID: 0015_console
Revises: 0014_additions_index
Create Date: 2026-12-08
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0015_console"
down_revision: str | None = "0014_additions_index"
branch_labels: str | None = None
depends_on: str | None = None

DATETIME = sa.String(length=32).with_variant(postgresql.TIMESTAMP(timezone=True), "postgresql")
SEQ = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
DOC = sa.JSON().with_variant(postgresql.JSONB(), "postgresql")


def upgrade() -> None:
    op.create_table(
        "console_users",
        sa.Column("id", sa.String(length=64), nullable=False),
        sa.Column("email", sa.String(length=254), nullable=False),
        sa.Column("role", sa.String(length=16), nullable=False),
        sa.Column("password_hash", sa.String(length=200), nullable=False),
        sa.Column("locale", sa.String(length=8), nullable=True),
        sa.Column("failed_logins", sa.Integer(), nullable=False),
        sa.Column("locked_until", DATETIME, nullable=True),
        sa.Column("disabled_at", DATETIME, nullable=True),
        sa.Column("created_at", DATETIME, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_console_users"),
        sa.UniqueConstraint("email", name="uq_console_users_email"),
    )
    op.create_table(
        "console_sessions",
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("user_id", sa.String(length=64), nullable=False),
        sa.Column("csrf", sa.String(length=64), nullable=False),
        sa.Column("created_at", DATETIME, nullable=False),
        sa.Column("expires_at", DATETIME, nullable=False),
        sa.ForeignKeyConstraint(["user_id"], ["console_users.id"],
                                name="fk_console_sessions_user_id_console_users"),
        sa.PrimaryKeyConstraint("token_hash", name="pk_console_sessions"),
    )
    op.create_index("ix_console_sessions_user_id", "console_sessions", ["user_id"])
    op.create_table(
        "console_audit",
        sa.Column("id", SEQ, nullable=False, autoincrement=True),
        sa.Column("at", DATETIME, nullable=False),
        sa.Column("user_id", sa.String(length=64), nullable=True),
        sa.Column("email", sa.String(length=254), nullable=False),
        sa.Column("action", sa.String(length=64), nullable=False),
        sa.Column("target", sa.String(length=200), nullable=False),
        sa.Column("outcome", sa.String(length=16), nullable=False),
        sa.Column("detail", DOC, nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_console_audit"),
    )
    op.create_index("ix_console_audit_user_id_id", "console_audit", ["user_id", "id"])
    op.create_index("ix_console_audit_action_id", "console_audit", ["action", "id"])


def downgrade() -> None:
    op.drop_index("ix_console_audit_action_id", table_name="console_audit")
    op.drop_index("ix_console_audit_user_id_id", table_name="console_audit")
    op.drop_table("console_audit")
    op.drop_index("ix_console_sessions_user_id", table_name="console_sessions")
    op.drop_table("console_sessions")
    op.drop_table("console_users")
