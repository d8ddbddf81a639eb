"""Card sheets: which cards of a campaign go on them. The command line (``pos-app campaign sheet``) and the
window's Campaigns page both ask this, then draw the faces with the same renderer.

Card sheets carry whole codes, which are bearer money, so they need a person who may see whole codes (a manager).
Disabled cards (lost or stolen) are never printed: a campaign's sheet leaves them out and says how many, and
asking for one by code is refused. The cards are streamed from the open unit of work (a campaign of 100,000 cards
is never in memory): call :func:`sheet_cards` inside ``with uow:`` and draw before leaving it.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from pos_app.domain import errors
from pos_app.domain.cards import Campaign, CardStatus, GiftCard
from pos_app.domain.codes import mask
from pos_app.domain.people import Permission
from pos_app.services.context import Caller
from pos_app.services.lookup import find_card
from pos_app.services.ports import UnitOfWork


@dataclass(frozen=True, slots=True)
class SheetCards:
    campaign: Campaign
    cards: Iterable[GiftCard]  # streamed from the unit of work when the whole campaign is printed
    total: int  # how many ``cards`` holds
    left_out: int  # disabled cards of the campaign, never printed


def sheet_cards(uow: UnitOfWork, caller: Caller, campaign: str, codes: Iterable[str] = ()) -> SheetCards:
    """The cards to print of ``campaign`` (its name or id): those of ``codes`` (each once, in the order given;
    each must be a printable card of the campaign), else every card of the campaign but disabled ones."""
    caller.require(Permission.SEE_FULL_CODES)
    found = uow.campaigns.get_by_name(campaign) or uow.campaigns.get(campaign)
    if found is None:
        raise errors.NotFound(f"no campaign named {campaign!r}; `pos-app campaign list` shows them")
    asked = list(codes)
    if asked:
        chosen = _selected(uow, found, asked)
        return SheetCards(found, chosen, len(chosen), 0)
    total, left_out = count_printable(uow.cards.iter_all(found.id))
    if not total:
        raise errors.NotFound(f"campaign {found.name!r} has no cards to print")
    return SheetCards(found, _printable(uow.cards.iter_all(found.id)), total, left_out)


def _selected(uow: UnitOfWork, campaign: Campaign, codes: Iterable[str]) -> list[GiftCard]:
    chosen: dict[str, GiftCard] = {}
    for text in codes:
        card = find_card(uow, text)
        if card.campaign_id != campaign.id:
            raise errors.NotFound(f"card {mask(card.code)} is not in campaign {campaign.name!r}")
        if card.status is CardStatus.DISABLED:
            raise errors.VoucherDisabled(f"card {mask(card.code)} is disabled; a lost card is never printed again")
        chosen.setdefault(card.id, card)
    return list(chosen.values())


def _printable(cards: Iterator[GiftCard]) -> Iterator[GiftCard]:
    return (card for card in cards if card.status is not CardStatus.DISABLED)


def count_printable(cards: Iterator[GiftCard]) -> tuple[int, int]:
    """Printable and disabled cards (one pass over a snapshot, for the progress bar)."""
    printable = disabled = 0
    for card in cards:
        if card.status is CardStatus.DISABLED:
            disabled += 1
        else:
            printable += 1
    return printable, disabled
