"""Customers: a phone number, and a full-text index to find a customer by part of their name, e-mail or phone.

Revision ID: 0008_customer_phone
Revises: 0007_part_refunds
Create Date: 2026-12-07

* ``customers.phone``: the number as given (tidied); searched by its digits.
* ``customers_search``: an FTS5 table with the trigram tokenizer (SQLite 3.34+), so that any three characters
  or more of a name, an e-mail address or a phone number's digits are found through its index. Names and
  addresses are kept there without accents and case folded (``domain.customers.search_key``). It is not in the models' metadata (Alembic does not know virtual tables): the
  customers repository keeps it in step with ``customers``, one row per customer, under the rowid
  ``store.repositories.customers.search_rowid(customer_id)`` (a customer's rowid in ``customers`` would move
  with a table rebuild or a VACUUM; this one is computed from the id). The customers already there are indexed
  here.
"""

from __future__ import annotations

import hashlib
import unicodedata

import sqlalchemy as sa
from alembic import op

revision: str = "0008_customer_phone"
down_revision: str | None = "0007_part_refunds"
branch_labels: str | None = None
depends_on: str | None = None


def _rowid(customer_id: str) -> int:
    """Frozen copy of ``search_rowid`` as of this revision."""
    return int.from_bytes(hashlib.blake2b(customer_id.encode(), digest_size=8).digest(), "big") >> 1


def _key(text: str | None) -> str | None:
    """Frozen copy of ``domain.customers.search_key`` as of this revision."""
    if text is None:
        return None
    return "".join(ch for ch in unicodedata.normalize("NFKD", text) if not unicodedata.combining(ch)).casefold()


def upgrade() -> None:
    with op.batch_alter_table("customers") as batch:
        batch.add_column(sa.Column("phone", sa.String(length=60), nullable=True))
    op.execute("CREATE VIRTUAL TABLE customers_search USING fts5("
               "customer_id UNINDEXED, name, email, phone, tokenize = 'trigram')")
    conn = op.get_bind()
    rows = conn.execute(sa.text("SELECT id, name, email FROM customers WHERE name IS NOT NULL OR email IS NOT NULL"))
    known = [{"rowid": _rowid(r.id), "id": r.id, "name": _key(r.name), "email": _key(r.email)} for r in rows]
    if known:
        conn.execute(sa.text("INSERT INTO customers_search (rowid, customer_id, name, email, phone) "
                             "VALUES (:rowid, :id, :name, :email, NULL)"), known)


def downgrade() -> None:
    op.execute("DROP TABLE customers_search")
    with op.batch_alter_table("customers") as batch:
        batch.drop_column("phone")
