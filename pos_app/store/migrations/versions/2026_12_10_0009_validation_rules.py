"""Validation rules pulled from the server, and their assignments to campaigns and cards.

Revision ID: 0009_validation_rules
Revises: 0008_customer_phone
Create Date: 2026-12-10
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision: str = "0009_validation_rules"
down_revision: str | None = "0008_customer_phone"
branch_labels: str | None = None
depends_on: str | None = None


def upgrade() -> None:
    op.create_table(
        "validation_rules",
        sa.Column("id", sa.String(length=64), nullable=False),
        sa.Column("definition", sa.JSON(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_validation_rules")),
    )
    op.create_table(
        "validation_rule_assignments",
        sa.Column("id", sa.String(length=64), nullable=False),
        sa.Column("rule_id", sa.String(length=64), nullable=False),
        sa.Column("related_object_type", sa.String(length=16), nullable=False),
        sa.Column("related_object_id", sa.String(length=64), nullable=False),
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
