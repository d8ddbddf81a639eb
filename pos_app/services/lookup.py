"""Finding a card from what was typed or scanned: hostile text is refused before any lookup, and guessing is slow.

A code that matches no card is a failed lookup; the till keeps the times of its recent ones in its settings
(:data:`FAILURES_KEY`) and, past the limit (``pos_app.domain.lookups``: 20 in 10 minutes, then longer), refuses
every lookup for a while with ``too_many_requests``, known card or not — else a refusal would tell a guesser
which of its codes exist. A normal scan pays one read of one setting. On an enrolled till, a code the till does
not know is asked of the server, which counts it itself; offline, the till counts it.
"""

from __future__ import annotations

from datetime import datetime

from pos_app.domain import errors
from pos_app.domain.cards import GiftCard
from pos_app.domain.codes import MAX_CODE_LENGTH, mask, normalise_readable, verify_readable
from pos_app.domain.lookups import DEFAULT_LIMIT, refuse, retry_after
from pos_app.services.context import utc_now
from pos_app.services.ports import CardsUnitOfWork, UnitOfWork

FAILURES_KEY = "lookup_failures"


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


def find_card(uow: CardsUnitOfWork, text: str, *, at: datetime | None = None) -> GiftCard:
    """The card for a typed or scanned code, or ``invalid_code`` / ``not_found`` / ``too_many_requests``.

    Codes are matched exactly first (imported codes keep their case). A code in the readable default format is
    forgiven its case, spaces and hyphens, and its check character is verified, so a mistyped code is named as
    mistyped instead of being looked up. A code that matches no card is counted (committed in the open
    transaction, which has written nothing yet: a lookup comes first).
    """
    code = clean_code(text)
    at = utc_now() if at is None else at
    failures = _check(uow, at)
    card = _lookup(uow, code)
    if card is None:
        _count(uow, failures, at)
        raise errors.NotFound(f"no card with code {mask(code)}")
    return card


def masked(uow: UnitOfWork, card: GiftCard) -> str:
    """``card``'s code as screens and receipts show it: its last characters before what every code of its
    campaign ends with (``Campaign.mask``), so that a ``--postfix -2026`` campaign's cards do not all read
    ``•••• 2026``. Call it in an open unit of work."""
    campaign = uow.campaigns.get(card.campaign_id) if card.campaign_id else None
    return campaign.mask(card.code) if campaign is not None else card.masked


def card_or_code(uow: CardsUnitOfWork, text: str, *, at: datetime | None = None) -> tuple[GiftCard | None, str]:
    """The card this till knows for a typed or scanned code, or None and the code to ask the server about (an
    enrolled till may not have heard of a card head office just made; the server counts it if it does not know
    it either). Mistyped readable codes are refused."""
    code = clean_code(text)
    _check(uow, utc_now() if at is None else at)
    card = _lookup(uow, code)
    if card is not None:
        return card, card.code
    return None, verify_readable(code) if normalise_readable(code) is not None else code


def _lookup(uow: CardsUnitOfWork, code: str) -> GiftCard | None:
    card = uow.cards.get_by_code(code)
    if card is None and normalise_readable(code) is not None:
        card = uow.cards.get_by_code(verify_readable(code))
    return card


def _check(uow: CardsUnitOfWork, at: datetime) -> list[datetime]:
    """This till's recent failed lookups; ``too_many_requests`` when it must wait before the next one."""
    failures = [datetime.fromisoformat(t) for t in uow.settings.get(FAILURES_KEY) or ()]
    seconds = retry_after(failures, at) if failures else None
    if seconds is not None:
        raise refuse(seconds, "this till")
    return failures


def _count(uow: CardsUnitOfWork, failures: list[datetime], at: datetime) -> None:
    kept = sorted(f for f in failures if f > at - DEFAULT_LIMIT.horizon)[-(DEFAULT_LIMIT.most_kept - 1):]
    uow.settings.set(FAILURES_KEY, [f.isoformat() for f in [*kept, at]])
    uow.commit()
