"""What a card and its entries say to a person: the status badge and the lines of the entries table.

Kept apart from the widgets so that the wording is in one place (the card panel, the manager's Cards page and
the tests read the same words) and so that it is easy to translate: every word goes through :func:`tr`.
The badge's state is one of the names the style sheet colours badges by (``QLabel[role="badge"][status=…]``:
active, inactive, disabled, frozen, expired, spent).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime

from babel.dates import format_date, format_time

from pos_app.domain.cards import CardStatus, GiftCard
from pos_app.domain.ledger import Entry, EntryKind, EntryStatus
from pos_app.domain.money import Money
from pos_app.formatting import format_datetime, format_money
from pos_app.ui.messages import tr
from pos_app.ui.table_model import Column

REFUSED_COLOUR = "#b00020"  # a refused attempt in the entries table (the table model's own colour hook)


def status_of(card: GiftCard, now: datetime) -> tuple[str, str]:
    """``(state, label)`` for the badge: the first thing that stops the card, else active or spent.

    The order follows :meth:`GiftCard.check_usable`, so the badge never says "active" for a card a redemption
    would refuse.
    """
    if card.status is CardStatus.DISABLED:
        return "disabled", tr("Disabled")
    if card.status is CardStatus.FROZEN:
        return "frozen", tr("On hold")
    if card.status is CardStatus.INACTIVE:
        return "inactive", tr("Not sold yet")
    if card.is_expired(now):
        return "expired", tr("Expired")
    if card.start_date is not None and now < card.start_date:
        return "inactive", tr("Not valid yet")
    if card.balance <= 0:
        return "spent", tr("Spent")
    return "active", tr("Active")


def _refusal_words() -> dict[str, str]:
    return {
        "gift_amount_exceeded": tr("not enough on the card"),
        "voucher_expired": tr("card expired"),
        "voucher_not_active": tr("card not sold yet"),
        "voucher_not_active_now": tr("not at this time"),
        "voucher_disabled": tr("card disabled"),
        "voucher_frozen": tr("card on hold"),
        "quantity_exceeded": tr("used too often"),
        "order_rules_violated": tr("order rules"),
        "customer_rules_violated": tr("customer rules"),
        "offline_limit_exceeded": tr("offline limit"),
        "offline_cap_exceeded": tr("offline cap"),
        "offline_too_long": tr("offline too long"),
        "card_state_stale": tr("card not checked"),
    }


def what_of(entry: Entry, card: GiftCard | None = None) -> str:
    """One or two words for an entry: Redeemed, Topped up, Activated, Refunded, Corrected, Refused (why)."""
    if not entry.succeeded:
        why = _refusal_words().get(entry.error_key or "")
        return tr("Refused: {why}").format(why=why) if why else tr("Refused")
    if entry.kind is EntryKind.CREDITS_REDEMPTION:
        return tr("Redeemed")
    if entry.kind is EntryKind.CREDITS_REFUND:
        return tr("Refunded")
    if entry.kind is EntryKind.CREDITS_REMOVAL:
        return tr("Corrected")
    activated = card is not None and card.activated_at is not None and entry.created_at == card.activated_at
    return tr("Activated") if activated else tr("Topped up")


def mark_of(entry: Entry) -> str:
    """The sync marker: an offline entry's balance is provisional until the server has confirmed it."""
    if entry.status is EntryStatus.PROVISIONAL:
        return tr("Provisional")
    if entry.status is EntryStatus.CONFLICT:
        return tr("Conflict")
    return ""


def details_of(entry: Entry) -> str | None:
    """The tooltip of a row: order reference, reason, manager override."""
    parts = []
    if entry.order_ref:
        parts.append(tr("Order: {ref}").format(ref=entry.order_ref))
    if entry.reason:
        parts.append(tr("Reason: {reason}").format(reason=entry.reason))
    if entry.override_by:
        parts.append(tr("Allowed by a manager's override"))
    return "\n".join(parts) or None


def when(at: datetime, locale: str, today: date | None = None) -> str:
    """Short, for a narrow table at a till: the time for today's entries ("14:05"), the date for older ones
    ("22/11/2026"). The row's tooltip has the whole date and time."""
    local = at.astimezone()
    if local.date() == (today or datetime.now().astimezone().date()):
        return str(format_time(local, "short", locale=locale))
    return str(format_date(local.date(), "short", locale=locale))


SYNC_COLUMN = 4


def entry_columns(locale: str, card: Callable[[], GiftCard | None], left: Callable[[Entry], int]
                  ) -> list[Column[Entry]]:
    """The columns of a card's entries table: when, what, amount, balance after, provisional marker.
    ``left``: the card's balance after an entry, in the ledger's order (``CardView.balances``)."""

    def money(minor: int, entry: Entry) -> str:
        return format_money(Money(minor, entry.currency), locale=locale)

    def amount(entry: Entry) -> str:
        text = money(abs(entry.amount), entry)
        if not entry.succeeded:
            return f"({text})"  # attempted, nothing moved
        return f"−{text}" if entry.amount < 0 else f"+{text}"

    def refused_colour(entry: Entry) -> str | None:
        return None if entry.succeeded else REFUSED_COLOUR

    return [
        Column(tr("When"), lambda e: when(e.created_at, locale), sort_key=lambda e: e.created_at,
               tooltip=lambda e: format_datetime(e.created_at, locale=locale)),
        Column(tr("What"), lambda e: what_of(e, card()), colour=refused_colour,
               tooltip=lambda e: "\n".join(filter(None, (what_of(e, card()), details_of(e))))),
        Column(tr("Amount"), amount, sort_key=lambda e: e.amount, right=True, colour=refused_colour),
        Column(tr("Left"), lambda e: money(left(e), e), sort_key=left, right=True),
        Column(tr("Sync"), mark_of),
    ]
