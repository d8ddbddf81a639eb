"""Customers, so that head office can give a card to one (``pos-server publish``); and every campaign is logged
in the change log once more, so that tills that pulled its cards before campaigns were sent learn it.

Revision ID: 0004_customers_campaigns
Revises: 0003_device_seq_lookups
Create Date: 2026-12-08

* ``customers``: Voucherify's customer, known by the shop's own id for them (``source_id``, unique); a card's
  ``customer_id`` names one. Tills learn a customer's id with the card (not their name or e-mail).
* Campaigns reach tills by pull since this revision (``changes.kind = 'campaign'``). A till whose cursor is past
  a campaign's cards holds only a stand-in for it (named ``campaign <id>``, no value, 0 cards); one new line per
  campaign, numbered after every line there is, brings it the real one at its next pull. Downgrading leaves those
  lines (an older server's pull ignores a kind it does not know).
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0004_customers_campaigns"
down_revision: str | None = "0003_device_seq_lookups"
branch_labels: str | None = None
depends_on: str | None = None

DATETIME = sa.String(length=32).with_variant(postgresql.TIMESTAMP(timezone=True), "postgresql")


def upgrade() -> None:
    op.create_table(
        "customers",
        sa.Column("id", sa.String(length=64), nullable=False),
        sa.Column("source_id", sa.String(length=200), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=True),
        sa.Column("email", sa.String(length=320), nullable=True),
        sa.Column("created_at", DATETIME, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_customers"),
        sa.UniqueConstraint("source_id", name="uq_customers_source_id"),
    )
    _log_campaigns_again()


def _log_campaigns_again() -> None:
    conn = op.get_bind()
    ids = [row[0] for row in conn.execute(sa.text("SELECT id FROM campaigns ORDER BY created_at, id"))]
    if not ids:
        return
    last = conn.execute(
        sa.text("UPDATE counters SET value = value + :n WHERE name = 'changes' RETURNING value"), {"n": len(ids)}
    ).scalar_one()
    first = int(last) - len(ids) + 1
    conn.execute(
        sa.text("INSERT INTO changes (seq, kind, ref_id) VALUES (:seq, 'campaign', :ref)"),
        [{"seq": first + i, "ref": campaign_id} for i, campaign_id in enumerate(ids)],
    )


def downgrade() -> None:
    op.drop_table("customers")
