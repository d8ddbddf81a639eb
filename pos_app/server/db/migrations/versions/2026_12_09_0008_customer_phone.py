"""Customers have a phone number, and reach the tills by pull: every customer is logged once in the change log.

Revision ID: 0008_customer_phone
Revises: 0007_part_refunds
Create Date: 2026-12-08

* ``customers.phone``: the number as given (tidied); tills search it by its digits.
* Customers reach tills by pull since this revision (``changes.kind = 'customer'``, before the cards that name
  them). One new line per customer there is, numbered after every line, brings each till the customers it knew
  by id alone. On PostgreSQL the lines take their numbers from ``changes_seq`` and are placed by the next pull
  (``ledger.place_changes``); on SQLite they are numbered and placed after the last line. Downgrading leaves
  those lines (an older server's pull ignores a kind it does not know).
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision: str = "0008_customer_phone"
down_revision: str | None = "0007_part_refunds"
branch_labels: str | None = None
depends_on: str | None = None


def upgrade() -> None:
    op.add_column("customers", sa.Column("phone", sa.String(length=60), nullable=True))
    conn = op.get_bind()
    if conn.dialect.name == "postgresql":
        conn.execute(sa.text("INSERT INTO changes (seq, kind, ref_id) SELECT nextval('changes_seq'), 'customer', id "
                             "FROM (SELECT id FROM customers ORDER BY created_at, id) AS known"))
        return
    ids = [row[0] for row in conn.execute(sa.text("SELECT id FROM customers ORDER BY created_at, id"))]
    if ids:
        last = int(conn.execute(sa.text("SELECT coalesce(max(seq), 0) FROM changes")).scalar_one())
        conn.execute(sa.text("INSERT INTO changes (seq, kind, ref_id, pos) VALUES (:seq, 'customer', :ref, :seq)"),
                     [{"seq": last + n, "ref": customer_id} for n, customer_id in enumerate(ids, start=1)])


def downgrade() -> None:
    with op.batch_alter_table("customers") as batch:
        batch.drop_column("phone")
