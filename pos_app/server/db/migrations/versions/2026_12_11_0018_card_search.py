"""Head office's card search (``server.card_search``): a card by part of its code, a customer by part of their
name, e-mail or ``source_id``, and the cards given to a customer, each served by an index at a million cards.

On PostgreSQL the parts are found through trigram GIN indexes (the ``pg_trgm`` extension, shipped with
PostgreSQL's contrib: Debian's ``postgresql-15`` has it). It is a *trusted* extension since PostgreSQL 13: the
database's owner (any role with CREATE on the database) creates it here, no superuser needed; on an older server,
or where the role lacks CREATE, a superuser runs ``CREATE EXTENSION pg_trgm`` in the database once before
``pos-server init``. The downgrade drops the indexes and leaves the extension (other objects may use it). SQLite
gets only the index on ``cards.customer_id``: a part of a code is found by a scan there.

Revision ID: 0018_card_search
Revises: 0016_shops
Create Date: 2026-12-11
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision: str = "0018_card_search"
down_revision: str | None = "0016_shops"
branch_labels: str | None = None
depends_on: str | None = None

#: name → (table, folded expression): the expressions of ``models.TRIGRAM_INDEXES``.
TRIGRAMS = {
    "ix_cards_code_trgm": ("cards", "lower(replace(code, '-', ''))"),
    "ix_customers_name_trgm": ("customers", "lower(name)"),
    "ix_customers_email_trgm": ("customers", "lower(email)"),
    "ix_customers_source_id_trgm": ("customers", "lower(source_id)"),
}


def upgrade() -> None:
    op.create_index("ix_cards_customer_id", "cards", ["customer_id"])
    if op.get_bind().dialect.name == "postgresql":
        op.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
        for name, (table, expression) in TRIGRAMS.items():
            op.create_index(name, table, [sa.text(f"({expression}) gin_trgm_ops")], postgresql_using="gin")


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        for name, (table, _) in TRIGRAMS.items():
            op.drop_index(name, table_name=table)
    op.drop_index("ix_cards_customer_id", table_name="cards")
