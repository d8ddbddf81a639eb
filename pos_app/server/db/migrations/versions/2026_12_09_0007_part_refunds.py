"""Part refunds: a redemption may be refunded several times, its refunds together never more than it took; and the
cards' audit trail of changes to their terms.

Revision ID: 0007_part_refunds
Revises: 0006_sale_payment
Create Date: 2026-12-07

The unique index that allowed one successful refund per redemption becomes a plain index over the same rows. The
rule itself is decided by the domain from what the refunds stored already gave back, read while the card is
locked (``SELECT … FOR UPDATE`` on PostgreSQL, the write lock on SQLite): every refund, online or pushed, locks
its card first, so two refunds of one redemption are decided one after the other.

``card_changes`` (new, nothing existing changes): head office's change of a card's expiry, category or metadata,
which moves no value and so is no ledger entry (see ``pos_app.domain.terms``).
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0007_part_refunds"
down_revision: str | None = "0006_sale_payment"
branch_labels: str | None = None
depends_on: str | None = None

REFUNDS = sa.text("result = 'SUCCESS' AND refund_of IS NOT NULL")
DOC = sa.JSON().with_variant(postgresql.JSONB(), "postgresql")
DATETIME = sa.String(length=32).with_variant(postgresql.TIMESTAMP(timezone=True), "postgresql")


def upgrade() -> None:
    op.drop_index("uq_entries_refund_of_success", table_name="entries")
    op.create_index("ix_entries_refund_of_success", "entries", ["refund_of"], sqlite_where=REFUNDS,
                    postgresql_where=REFUNDS)
    op.create_table(
        "card_changes",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("card_id", sa.String(length=64), nullable=False),
        sa.Column("code", sa.String(length=100), nullable=False),
        sa.Column("changes", DOC, nullable=False),
        sa.Column("reason", sa.String(length=500), nullable=False),
        sa.Column("device_id", sa.String(length=64), nullable=False),
        sa.Column("operator_id", sa.String(length=64), nullable=True),
        sa.Column("created_at", DATETIME, nullable=False),
        sa.ForeignKeyConstraint(["card_id"], ["cards.id"], name="fk_card_changes_card_id_cards"),
        sa.PrimaryKeyConstraint("id", name="pk_card_changes"),
    )
    op.create_index("ix_card_changes_card_id_created_at", "card_changes", ["card_id", "created_at"])


def downgrade() -> None:
    """Back to one refund per redemption: fails (and changes nothing) while a redemption has two refunds. The
    cards' audit trail goes."""
    op.drop_index("ix_card_changes_card_id_created_at", table_name="card_changes")
    op.drop_table("card_changes")
    op.drop_index("ix_entries_refund_of_success", table_name="entries")
    op.create_index("uq_entries_refund_of_success", "entries", ["refund_of"], unique=True, sqlite_where=REFUNDS,
                    postgresql_where=REFUNDS)
