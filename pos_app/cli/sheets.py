"""``pos-app campaign sheet``: a campaign's cards (or some of them) as printable card sheets (PDF).

Card sheets carry whole codes, which are bearer money, so they need a person who may see whole codes (a manager),
like ``card show`` does for the whole code and ``export vouchers`` for a file of them. Disabled cards (lost or
stolen) are never printed: a campaign's sheet leaves them out and says how many, and asking for one by code is
refused. Cards are read from a read-only snapshot of the store and drawn as they are read (a campaign of
100,000 cards is never in memory), with the shared progress bar; Qt is loaded only by this command.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from pathlib import Path

import click

from pos_app.cli.common import caller, json_option, pin_option, refusals, state
from pos_app.cli_options import emit_json, progress_bar
from pos_app.domain import errors
from pos_app.domain.cards import Campaign, CardStatus, GiftCard
from pos_app.domain.codes import mask
from pos_app.domain.people import Permission
from pos_app.printing.card_sheet import PAGE_SIZES, CardFace, face_of
from pos_app.services.lookup import find_card
from pos_app.services.ports import UnitOfWork
from pos_app.services.setup import StoreProfile


def card_face(card: GiftCard, campaign: Campaign, profile: StoreProfile) -> CardFace:
    return face_of(card, campaign, shop_name=profile.store_name, locale=profile.locale, zone=profile.zone)


def _campaign(uow: UnitOfWork, name: str) -> Campaign:
    found = uow.campaigns.get_by_name(name) or uow.campaigns.get(name)
    if found is None:
        raise errors.NotFound(f"no campaign named {name!r}; `pos-app campaign list` shows them")
    return found


def _selected(uow: UnitOfWork, campaign: Campaign, codes: Iterable[str]) -> list[GiftCard]:
    """The cards of ``codes`` (each once, in the order given); all must be printable cards of the campaign."""
    chosen: dict[str, GiftCard] = {}
    for text in codes:
        card = find_card(uow, text)
        if card.campaign_id != campaign.id:
            raise errors.NotFound(f"card {mask(card.code)} is not in campaign {campaign.name!r}")
        if card.status is CardStatus.DISABLED:
            raise errors.VoucherDisabled(f"card {mask(card.code)} is disabled; a lost card is never printed again")
        chosen.setdefault(card.id, card)
    return list(chosen.values())


def _printable(uow: UnitOfWork, campaign: Campaign) -> Iterator[GiftCard]:
    return (card for card in uow.cards.iter_all(campaign.id) if card.status is not CardStatus.DISABLED)


def _count(uow: UnitOfWork, campaign: Campaign) -> tuple[int, int]:
    """Printable and disabled cards of the campaign (one pass over the snapshot, for the progress bar)."""
    printable = disabled = 0
    for card in uow.cards.iter_all(campaign.id):
        if card.status is CardStatus.DISABLED:
            disabled += 1
        else:
            printable += 1
    return printable, disabled


@click.command("sheet")
@click.argument("name")
@click.option("--out", required=True, type=click.Path(dir_okay=False, path_type=Path), help="PDF file to write.")
@click.option("--page", type=click.Choice(sorted(PAGE_SIZES)), default="A4", show_default=True,
              help="Paper size of the sheets.")
@click.option("--codes", "codes", multiple=True, metavar="CODE",
              help="Only this card of the campaign; repeat for several (default: every card but disabled ones).")
@pin_option
@json_option
@refusals
def campaign_sheet(name: str, out: Path, page: str, codes: tuple[str, ...], pin: str | None, as_json: bool) -> None:
    """Card sheets of campaign NAME as a PDF: QR, Code128 and text of each code, amount, expiry, cut marks
    (manager)."""
    who = caller(pin)
    who.require(Permission.SEE_FULL_CODES)
    till = state().till
    profile = till.profile()
    from pos_app.ui.printing.card_sheet_pdf import render_card_sheet  # Qt only for this command

    with till.reader as uow:
        campaign = _campaign(uow, name)
        cards: Iterable[GiftCard]
        if codes:
            cards = _selected(uow, campaign, codes)
            total, left_out = len(cards), 0
        else:
            cards = _printable(uow, campaign)
            total, left_out = _count(uow, campaign)
        if not total:
            raise errors.NotFound(f"campaign {campaign.name!r} has no cards to print")
        faces = (card_face(card, campaign, profile) for card in cards)
        with progress_bar(total, "Drawing cards") as progress:
            result = render_card_sheet(faces, out, page=page, total=total, progress=progress)
    if as_json:
        emit_json({"file": str(result.file), "pages": result.pages, "cards": result.cards, "page": page,
                   "campaign": {"id": campaign.id, "name": campaign.name}, "disabled_left_out": left_out,
                   "without_barcode": result.without_barcode})
        return
    click.echo(f"Wrote {result.cards} cards of {campaign.name!r} on {result.pages} {page} pages to {result.file}")
    if left_out:
        click.echo(f"Left out {left_out} disabled cards.")
    if result.without_barcode:
        click.echo(f"{result.without_barcode} codes are too long for a Code128 on a card: those have QR and text.")
