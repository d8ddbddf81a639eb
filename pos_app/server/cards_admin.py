"""Head office's card operations that are not value changes: disabling a lost card, enabling it again.

The card's new status reaches every till by pull (one change in the log); the domain's rules apply (a frozen
card is resolved through its conflict, not enabled here).
"""

from __future__ import annotations

from sqlalchemy import Connection

from pos_app.domain import errors
from pos_app.domain.cards import GiftCard
from pos_app.domain.codes import mask, normalise_readable
from pos_app.server.ledger import CARD, lock_cards, log_one, save_cards
from pos_app.services.lookup import clean_code


def set_enabled(conn: Connection, code: str, *, enabled: bool) -> GiftCard:
    """Disable or enable the card with ``code`` (a readable code is forgiven its case, spaces and hyphens)."""
    typed = clean_code(code)
    candidates = {typed} | ({canonical} if (canonical := normalise_readable(typed)) else set())
    found = lock_cards(conn, [], candidates)
    card = next((c for c in found if c.code == typed), found[0] if found else None)
    if card is None:
        raise errors.NotFound(f"no card with code {mask(typed)}")
    if enabled:
        card.enable()
    else:
        card.disable()
    save_cards(conn, [card])
    log_one(conn, CARD, card.id)
    return card
