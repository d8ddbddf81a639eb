"""A sale's price and payment: what the customer paid for a card, and how (cash, card, other).

Revision ID: 0006_sale_payment
Revises: 0005_change_log_sequence
Create Date: 2026-12-09

Two nullable columns on ``entries``, from online authorisations and pushes alike: sales recorded before keep
NULL in both ("not recorded"); every other kind of entry has NULL too.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision: str = "0006_sale_payment"
down_revision: str | None = "0005_change_log_sequence"
branch_labels: str | None = None
depends_on: str | None = None


def upgrade() -> None:
    with op.batch_alter_table("entries") as batch:
        batch.add_column(sa.Column("price", sa.BigInteger(), nullable=True))
        batch.add_column(sa.Column("payment", sa.String(length=8), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("entries") as batch:
        batch.drop_column("payment")
        batch.drop_column("price")
