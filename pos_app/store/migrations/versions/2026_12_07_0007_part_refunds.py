"""Part refunds: a redemption may be refunded several times, as long as its refunds never give back more than it
took (several returned items of one purchase); and the cards' audit trail of changes to their terms.

Revision ID: 0007_part_refunds
Revises: 0006_sale_payment
Create Date: 2026-12-07

The unique index that allowed one successful refund per redemption becomes a plain index over the same rows (a
refund's decision sums them), and a trigger keeps the database's own guard: a successful refund this till makes
(status ``local`` or ``provisional``) is refused when, with the successful refunds of its redemption already
stored, it would give back more than the redemption took. What the server decided (merged from a pull, status
``confirmed`` or ``conflict``) is stored as it is: the server is the authority, and it names a redemption by the
id the till knows even when it keeps the redemption under another (``pos_app.server.divergence``).

``card_changes`` (new, nothing existing changes): a manager's change of a card's expiry, category or metadata,
which moves no value and so is no ledger entry (see ``pos_app.domain.terms``). A later migration that rebuilds
``entries`` (batch mode) must create the trigger again.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision: str = "0007_part_refunds"
down_revision: str | None = "0006_sale_payment"
branch_labels: str | None = None
depends_on: str | None = None

REFUNDS = sa.text("result = 'SUCCESS' AND refund_of IS NOT NULL")
TRIGGER = "tr_entries_refunds_within_redemption"
#: The message names ``entries.refund_of`` (``store.repositories._errors`` translates it).
CREATE_TRIGGER = f"""
CREATE TRIGGER {TRIGGER} BEFORE INSERT ON entries
WHEN NEW.refund_of IS NOT NULL AND NEW.result = 'SUCCESS' AND NEW.status IN ('local', 'provisional')
BEGIN
    SELECT RAISE(ABORT, 'refunds exceed their redemption: entries.refund_of')
    WHERE NEW.amount + (
        SELECT coalesce(sum(amount), 0) FROM entries WHERE refund_of = NEW.refund_of AND result = 'SUCCESS'
    ) > coalesce((
        SELECT -amount FROM entries
        WHERE id = NEW.refund_of AND kind = 'CREDITS_REDEMPTION' AND result = 'SUCCESS'
    ), 0);
END
"""


def upgrade() -> None:
    op.drop_index("uq_entries_refund_of_success", table_name="entries")
    op.create_index("ix_entries_refund_of_success", "entries", ["refund_of"], sqlite_where=REFUNDS)
    op.execute(CREATE_TRIGGER)
    op.create_table(
        "card_changes",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("card_id", sa.String(length=64), nullable=False),
        sa.Column("code", sa.String(length=100), nullable=False),
        sa.Column("changes", sa.JSON(), nullable=False),
        sa.Column("reason", sa.String(length=500), nullable=False),
        sa.Column("device_id", sa.String(length=64), nullable=False),
        sa.Column("operator_id", sa.String(length=64), nullable=True),
        sa.Column("created_at", sa.String(length=32), nullable=False),
        sa.ForeignKeyConstraint(["card_id"], ["cards.id"], name="fk_card_changes_card_id_cards"),
        sa.PrimaryKeyConstraint("id", name="pk_card_changes"),
    )
    op.create_index("ix_card_changes_card_id_created_at", "card_changes", ["card_id", "created_at"])


def downgrade() -> None:
    """Back to one refund per redemption: fails (and changes nothing) while a redemption has two refunds. The
    cards' audit trail goes."""
    op.drop_index("ix_card_changes_card_id_created_at", table_name="card_changes")
    op.drop_table("card_changes")
    op.execute(f"DROP TRIGGER {TRIGGER}")
    op.drop_index("ix_entries_refund_of_success", table_name="entries")
    op.create_index("uq_entries_refund_of_success", "entries", ["refund_of"], unique=True, sqlite_where=REFUNDS)
