"""Finding a card from what was typed or scanned: hostile text is refused before any lookup."""

from __future__ import annotations

from pos_app.domain import errors
from pos_app.domain.cards import GiftCard
from pos_app.domain.codes import MAX_CODE_LENGTH, mask, normalise_readable, verify_readable
from pos_app.services.ports import UnitOfWork


def clean_code(text: str) -> str:
    """Strip surrounding white space; refuse what cannot be a code (empty, too long, control characters)."""
    code = text.strip()
    if not code:
        raise errors.InvalidCode("no code was given")
    if len(code) > MAX_CODE_LENGTH:
        raise errors.InvalidCode(f"a code has at most {MAX_CODE_LENGTH} characters")
    if not code.isprintable():
        raise errors.InvalidCode("the code contains control characters")
    return code


def find_card(uow: UnitOfWork, text: str) -> GiftCard:
    """The card for a typed or scanned code, or ``invalid_code`` / ``not_found``.

    Codes are matched exactly first (imported codes keep their case). A code in the readable default format is
    forgiven its case, spaces and hyphens, and its check character is verified, so a mistyped code is named as
    mistyped instead of being looked up.
    """
    code = clean_code(text)
    card = uow.cards.get_by_code(code)
    if card is not None:
        return card
    if normalise_readable(code) is not None:
        canonical = verify_readable(code)
        card = uow.cards.get_by_code(canonical)
        if card is not None:
            return card
    raise errors.NotFound(f"no card with code {mask(code)}")


def card_or_code(uow: UnitOfWork, text: str) -> tuple[GiftCard | None, str]:
    """The card this till knows for a typed or scanned code, or None and the code to ask the server about (an
    enrolled till may not have heard of a card head office just made). Mistyped readable codes are refused."""
    try:
        card = find_card(uow, text)
    except errors.NotFound:
        code = clean_code(text)
        return None, verify_readable(code) if normalise_readable(code) is not None else code
    return card, card.code
