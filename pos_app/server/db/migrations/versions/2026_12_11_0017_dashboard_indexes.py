"""The dashboard's indexes: the active cards' balances by currency (the liability, an index-only sum) and the
entries that moved money by time, with every column the sales and redemptions sums read (``server.dashboard``).

Revision ID: 0017_dashboard_indexes
Revises: 0016_shops
Create Date: 2026-12-11
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision: str = "0017_dashboard_indexes"
down_revision: str | None = "0020_conflict_indexes"
branch_labels: str | None = None
depends_on: str | None = None

ACTIVE = "status = 'active'"
#: As ``db.models.MOVES_MONEY`` says it today (a migration keeps what it made, whatever the models say later).
MOVES_MONEY = (
    "result = 'SUCCESS' AND (kind = 'CREDITS_REFUND'"
    " OR (kind = 'CREDITS_REDEMPTION' AND (reason IS NULL OR reason <> 'import: redeemed before import'))"
    " OR (kind = 'CREDITS_ADDITION' AND (payment IS NOT NULL OR price IS NOT NULL OR reason IS NULL)))"
)


def upgrade() -> None:
    op.create_index("ix_cards_active_currency_balance", "cards", ["currency", "balance"],
                    sqlite_where=sa.text(ACTIVE), postgresql_where=sa.text(ACTIVE))
    op.create_index("ix_entries_dashboard", "entries", ["created_at", "device_id", "currency", "kind", "amount"],
                    sqlite_where=sa.text(MOVES_MONEY), postgresql_where=sa.text(MOVES_MONEY))


def downgrade() -> None:
    op.drop_index("ix_entries_dashboard", table_name="entries")
    op.drop_index("ix_cards_active_currency_balance", table_name="cards")
