"""Changing a card's terms: extend its expiry, change its category or metadata (a manager, with a reason).

One transaction: the card, the domain's decision (``domain.terms.change_terms``), the card saved and the change
written to the card's audit trail together. No value moves, so no ledger entry is written (the module docstring
of ``domain.terms`` says why). On an enrolled till the card's terms are head office's, like disabling it: a local
change would be overwritten by the next pull and reach no other till, so it is refused with a pointer to the
server's commands, which run the same decision there.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import tzinfo

from pos_app.domain.cards import GiftCard
from pos_app.domain.people import Permission
from pos_app.domain.terms import CardChange, NewTerms, change_terms
from pos_app.services.context import Caller
from pos_app.services.lookup import find_card
from pos_app.services.modes import require_standalone
from pos_app.services.ports import UnitOfWork


@dataclass(frozen=True, slots=True)
class Changed:
    card: GiftCard  # as it is now
    change: CardChange  # what changed, as the audit trail keeps it


def change_card(uow: UnitOfWork, caller: Caller, code: str, terms: NewTerms, *, reason: str,
                zone: tzinfo) -> Changed:
    """Change the terms of the card ``code`` (``zone``: the shop's time zone, in which a new last day ends)."""
    caller.require(Permission.CHANGE_CARD)
    with uow:
        require_standalone(uow, "changing a card", "pos-server card extend|set CODE --reason WHY (extend: "
                                                   "--expires DATE; set: --category C, --metadata KEY=VALUE)")
        card = find_card(uow, code)
        change = change_terms(card, terms, caller.context(reason=reason), zone=zone)
        uow.cards.save(card)
        uow.card_changes.add(change)
        uow.commit()
        return Changed(card, change)


def changes_of(uow: UnitOfWork, caller: Caller, code: str, *, limit: int | None = None) -> list[CardChange]:
    """The audit trail of the card ``code``, newest first (a manager's: the reasons are theirs)."""
    caller.require(Permission.CHANGE_CARD)
    with uow:
        card = find_card(uow, code)
        return uow.card_changes.for_card(card.id, limit)
