"""``pos-app campaign sheet``: a campaign's cards (or some of them) as printable card sheets (PDF).

Which cards, and who may print them, is the use case's (``services.sheets``, the window's Campaigns page asks it
too). Cards are read from a read-only snapshot of the store and drawn as they are read, with the shared progress
bar; Qt is loaded only by this command.
"""

from __future__ import annotations

from pathlib import Path

import click

from pos_app.cli.common import caller, json_option, pin_option, refusals, state
from pos_app.cli_options import emit_json, progress_bar
from pos_app.printing.card_sheet import PAGE_SIZES, face_of
from pos_app.services.sheets import sheet_cards


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
    till = state().till
    profile = till.profile()
    from pos_app.qt_printing.card_sheet_pdf import render_card_sheet  # Qt only for this command

    with till.reader as uow:
        sheet = sheet_cards(uow, who, name, codes)
        campaign, total, left_out = sheet.campaign, sheet.total, sheet.left_out
        faces = (face_of(card, campaign, shop_name=profile.store_name, locale=profile.locale, zone=profile.zone)
                 for card in sheet.cards)
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
        click.echo(f"{result.without_barcode} cards have no Code128 (too long, or its bars would also read as a retail "
                   "barcode): those have QR and text.")
