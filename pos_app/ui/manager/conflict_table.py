"""The list of sync conflicts as a table model: card (masked), overdraft, opened, entries, notes, status."""

from __future__ import annotations

from typing import TYPE_CHECKING

from pos_app.domain.codes import mask
from pos_app.formatting import format_datetime, format_money
from pos_app.ui.messages import tr
from pos_app.ui.table_model import Column, RowsModel

if TYPE_CHECKING:  # pydantic is loaded only when conflicts are fetched: not at the window's start
    from pos_app.sync.schemas import ConflictOut

REFUSED_COLOUR = "#b00020"


def action_name(action: str | None) -> str:
    return {"recover": tr("Customer paid the difference"), "write_off": tr("Shop wrote it off"),
            "correct": tr("Corrected by an amount")}.get(action or "", action or "")


def status_text(conflict: ConflictOut) -> str:
    """Short, for the table; the details under it say the rest."""
    if conflict.status == "open":
        return tr("Open")
    return {"recover": tr("Customer paid"), "write_off": tr("Written off"),
            "correct": tr("Corrected")}.get(conflict.resolution or "", tr("Resolved"))


def conflicts_model(locale: str) -> RowsModel[ConflictOut]:
    return RowsModel([
        Column(tr("Card"), lambda c: mask(c.code), tooltip=lambda c: c.code),
        Column(tr("Overdraft"), lambda c: format_money(c.overdraft, c.currency, locale=locale),
               sort_key=lambda c: c.overdraft, right=True,
               colour=lambda c: REFUSED_COLOUR if c.status == "open" and c.overdraft > 0 else None),
        Column(tr("Opened"), lambda c: format_datetime(c.opened_at, locale=locale), sort_key=lambda c: c.opened_at),
        Column(tr("Entries"), lambda c: str(len(c.entry_ids)), sort_key=lambda c: len(c.entry_ids), right=True),
        Column(tr("Notes"), lambda c: c.notes[0] if c.notes else "—",
               tooltip=lambda c: "\n".join(c.notes) or None),
        Column(tr("Status"), status_text, tooltip=lambda c: action_name(c.resolution) or None),
    ])
