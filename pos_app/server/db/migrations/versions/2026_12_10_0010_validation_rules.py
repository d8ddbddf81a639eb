"""Validation rules (``/v1/validation-rules``) and their assignments to campaigns and cards.

Revision ID: 0010_validation_rules
Revises: 0009_api_keys
Create Date: 2026-12-10
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0010_validation_rules"
down_revision: str | None = "0009_api_keys"
branch_labels: str | None = None
depends_on: str | None = None

DATETIME = sa.String(length=32).with_variant(postgresql.TIMESTAMP(timezone=True), "postgresql")
DOC = sa.JSON().with_variant(postgresql.JSONB(), "postgresql")


def upgrade() -> None:
    op.create_table(
        "validation_rules",
        sa.Column("id", sa.String(length=64), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("definition", DOC, nullable=False),
        sa.Column("created_at", DATETIME, nullable=False),
        sa.Column("updated_at", DATETIME, nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_validation_rules")),
    )
    op.create_table(
        "validation_rule_assignments",
        sa.Column("id", sa.String(length=64), nullable=False),
        sa.Column("rule_id", sa.String(length=64), nullable=False),
        sa.Column("related_object_type", sa.String(length=16), nullable=False),
        sa.Column("related_object_id", sa.String(length=64), nullable=False),
        sa.Column("created_at", DATETIME, nullable=False),
        sa.ForeignKeyConstraint(["rule_id"], ["validation_rules.id"],
                                name=op.f("fk_validation_rule_assignments_rule_id_validation_rules")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_validation_rule_assignments")),
    )
    op.create_index(op.f("ix_validation_rule_assignments_rule_id"), "validation_rule_assignments", ["rule_id"])
    op.create_index("ix_validation_rule_assignments_related", "validation_rule_assignments",
                    ["related_object_id", "related_object_type"])


def downgrade() -> None:
    op.drop_index("ix_validation_rule_assignments_related", table_name="validation_rule_assignments")
    op.drop_index(op.f("ix_validation_rule_assignments_rule_id"), table_name="validation_rule_assignments")
    op.drop_table("validation_rule_assignments")
    op.drop_table("validation_rules")
