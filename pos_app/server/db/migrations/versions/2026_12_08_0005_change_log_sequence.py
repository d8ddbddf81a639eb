"""The change log without the counter row that every commit queued behind: ``changes_seq`` and ``changes.pos``.

Revision ID: 0005_change_log_sequence
Revises: 0004_customers_campaigns
Create Date: 2026-12-08

* ``changes.seq`` comes from the sequence ``changes_seq`` on PostgreSQL (no transaction waits on it), from the last
  line's number plus one on SQLite (one writer at a time); the ``counters`` table goes.
* ``changes.pos`` is a line's place in the order tills pull (see ``server.ledger``). Every existing line keeps
  its number as its place (``pos = seq``), so a till's cursor, the last ``seq`` it pulled, goes on where it was;
  new lines are placed after them. The sequence starts after the counter's value (and any number in use).
* Downgrading makes the counter again from the highest number; lines placed out of ``seq`` order since stay
  where they are, so a till should pull from the start after a downgrade to be sure it has every line.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision: str = "0005_change_log_sequence"
down_revision: str | None = "0004_customers_campaigns"
branch_labels: str | None = None
depends_on: str | None = None

UNPLACED = sa.text("pos IS NULL")


def upgrade() -> None:
    conn = op.get_bind()
    counter = conn.execute(sa.text("SELECT value FROM counters WHERE name = 'changes'")).scalar()
    top = max(int(counter or 0),
              int(conn.execute(sa.text("SELECT coalesce(max(seq), 0) FROM changes")).scalar_one()),
              int(conn.execute(sa.text("SELECT coalesce(max(server_seq), 0) FROM entries")).scalar_one()))
    op.add_column("changes", sa.Column("pos", sa.BigInteger(), nullable=True))
    op.execute("UPDATE changes SET pos = seq")
    op.create_index("uq_changes_pos", "changes", ["pos"], unique=True)
    op.create_index("ix_changes_unplaced", "changes", ["seq"], sqlite_where=UNPLACED, postgresql_where=UNPLACED)
    if conn.dialect.name == "postgresql":
        op.execute(f"CREATE SEQUENCE changes_seq START WITH {top + 1}")
    elif top > int(conn.execute(sa.text("SELECT coalesce(max(seq), 0) FROM changes")).scalar_one()):
        # SQLite numbers after the last line: a line at the counter's value keeps every number given out unused
        # (the store's settings, which every pull carries anyway)
        conn.execute(sa.text("INSERT INTO changes (seq, kind, ref_id, pos) VALUES (:n, 'settings', 'store', :n)"),
                     {"n": top})
    op.drop_table("counters")


def downgrade() -> None:
    conn = op.get_bind()
    top = int(conn.execute(sa.text("SELECT coalesce(max(seq), 0) FROM changes")).scalar_one())
    if conn.dialect.name == "postgresql":
        top = max(top, int(conn.execute(sa.text("SELECT last_value FROM changes_seq")).scalar_one()))
        op.execute("DROP SEQUENCE changes_seq")
    op.create_table(
        "counters",
        sa.Column("name", sa.String(length=32), nullable=False),
        sa.Column("value", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("name", name="pk_counters"),
    )
    conn.execute(sa.text("INSERT INTO counters (name, value) VALUES ('changes', :n)"), {"n": top})
    op.drop_index("ix_changes_unplaced", table_name="changes")
    op.drop_index("uq_changes_pos", table_name="changes")
    with op.batch_alter_table("changes") as batch:
        batch.drop_column("pos")
