"""The device's token leaves the store for a file of its own; cards remember the server's version of their state.

Revision ID: 0004_token_file_server_version
Revises: 0003_sync
Create Date: 2026-11-24

- ``settings['sync.token']`` → ``device.token`` beside the store file, mode 0600, written atomically (see
  ``pos_app.store.secret_file``: a copied store must not carry a credential that spends money). The row is
  deleted with ``secure_delete`` on, so that its bytes are overwritten, not just unlinked from the b-tree; the
  migration runner checkpoints the WAL afterwards, so no old copy of the page is left in ``-wal`` either.
- ``cards.server_version``: the server's ``version`` of the state the till holds (NULL: none yet, so that the
  next state from the server is taken whatever its version). A state from the server replaces the till's only
  when it is newer (see ``repositories.cards``).

Downgrade puts the token back in the table and drops the column. It leaves the token file where it is (it is
deleted only once the old row is safely back, which this transaction cannot promise before its commit).
"""

from __future__ import annotations

import json

import sqlalchemy as sa
from alembic import op

from pos_app.store.secret_file import read_secret, secret_path, write_secret

revision: str = "0004_token_file_server_version"
down_revision: str | None = "0003_sync"
branch_labels: str | None = None
depends_on: str | None = None

TOKEN_KEY = "sync.token"  # frozen here: the key the older store used


def upgrade() -> None:
    op.add_column("cards", sa.Column("server_version", sa.Integer(), nullable=True))
    bind = op.get_bind()
    raw = bind.exec_driver_sql("SELECT value FROM settings WHERE key = ?", (TOKEN_KEY,)).scalar_one_or_none()
    if raw is None:
        return
    token = json.loads(raw)
    if token:
        write_secret(secret_path(str(bind.engine.url.database), TOKEN_KEY), str(token))
    bind.exec_driver_sql("PRAGMA secure_delete = ON")
    bind.exec_driver_sql("DELETE FROM settings WHERE key = ?", (TOKEN_KEY,))


def downgrade() -> None:
    bind = op.get_bind()
    token = read_secret(secret_path(str(bind.engine.url.database), TOKEN_KEY))
    if token is not None:
        bind.exec_driver_sql("INSERT OR REPLACE INTO settings (key, value) VALUES (?, ?)",
                             (TOKEN_KEY, json.dumps(token)))
    with op.batch_alter_table("cards") as batch:
        batch.drop_column("server_version")
