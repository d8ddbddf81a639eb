"""What the Campaigns page asks of the till, in plain Python: listing campaigns, generating one, drawing its card
sheets. No widgets here: each function runs on a worker thread through ``ctx.ops`` and opens its own unit of work
(``till.new_uow``/``new_reader``), so the writer thread and the readers never share one.

The card sheet is the command line's (``pos-app campaign sheet``): the same use case (``services.sheets``: who may,
which cards; disabled ones never), the same faces, the same renderer. A cancelled sheet is not a fault: it
comes back as ``None`` rather than as an exception the worker threads would log.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from pos_app.domain import errors
from pos_app.domain.cards import Campaign
from pos_app.domain.people import Permission
from pos_app.printing.card_sheet import SheetCancelled
from pos_app.services import campaigns
from pos_app.services.campaigns import CreateCampaign
from pos_app.services.sheets import sheet_cards
from pos_app.ui.session import TillSession

Progress = Callable[[int, int], None]


@dataclass(frozen=True, slots=True)
class CampaignRow:
    """One line of the campaigns table: the campaign and how many of its cards are out there."""

    campaign: Campaign
    cards: int  # cards in the store (= vouchers_count once generation has finished)
    active: int  # cards sold and usable now (disabled or frozen ones are not counted)
    outstanding: int  # their balance, minor units

    @property
    def id(self) -> str:
        return self.campaign.id


def list_campaigns(session: TillSession) -> list[CampaignRow]:
    """Every campaign, newest first, with its card counts from the liability report's aggregates (a million
    cards are counted by the store, not loaded)."""
    who = session.who
    who.require(Permission.MANAGE_CAMPAIGNS)
    with session.till.new_reader() as uow:
        found = uow.campaigns.list()
        figures = {row.campaign_id: row for row in uow.reports.liability()}
    rows = []
    for campaign in found:
        row = figures.get(campaign.id)
        rows.append(CampaignRow(campaign=campaign, cards=row.cards if row else 0,
                                active=row.active_cards if row else 0, outstanding=row.outstanding if row else 0))
    rows.sort(key=lambda r: r.campaign.created_at.timestamp() if r.campaign.created_at else 0.0, reverse=True)
    return rows


def create(session: TillSession, cmd: CreateCampaign, progress: Progress) -> Campaign:
    """Generate the campaign's cards (batch by batch, each batch committed); writer thread only."""
    return campaigns.create_campaign(session.till.new_uow(), session.who, cmd, progress=progress)


class SheetNotWritten(errors.GiftCardError):
    """The PDF could not be written where the manager chose (a full disk, a folder without permission): a
    refusal to show, not a fault to log."""

    key, code, message = "sheet_not_written", 507, "the card sheet could not be written there"

    def __init__(self, reason: str) -> None:
        super().__init__(f"the card sheet could not be written there: {reason}")
        self.reason = reason


@dataclass(frozen=True, slots=True)
class SheetDone:
    file: Path
    pages: int
    cards: int
    disabled_left_out: int


def write_sheet(session: TillSession, campaign_id: str, out: Path, *, progress: Progress,
                cancel: threading.Event, page: str = "A4") -> SheetDone | None:
    """Draw every printable card of the campaign to ``out`` (PDF); ``None`` when ``cancel`` was set (then no
    file is left: the renderer writes a temporary file and renames it only when it is complete)."""
    from pos_app.printing.card_sheet import face_of  # the command line's face of a card too: one look for both
    from pos_app.qt_printing.card_sheet_pdf import render_card_sheet

    profile = session.profile
    with session.till.new_reader() as uow:
        sheet = sheet_cards(uow, session.who, campaign_id)
        faces = (face_of(card, sheet.campaign, shop_name=profile.store_name, locale=profile.locale,
                         zone=profile.zone)
                 for card in sheet.cards)
        try:
            result = render_card_sheet(faces, out, page=page, total=sheet.total, progress=progress,
                                       cancelled=cancel.is_set)
        except SheetCancelled:
            return None
        except OSError as exc:
            raise SheetNotWritten(exc.strerror or str(exc)) from exc
    return SheetDone(file=result.file, pages=result.pages, cards=result.cards, disabled_left_out=sheet.left_out)


