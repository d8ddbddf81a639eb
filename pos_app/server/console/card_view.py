"""What the card pages show, in the viewer's language and the shop's time zone: amounts (Babel), dates, the labels of
states and entry kinds, and the refusals the card operations meet as one sentence each (the others:
``pages.error_text``). No rule here: the pages only show what the services decided."""

from __future__ import annotations

from contextlib import suppress
from dataclasses import dataclass, field
from datetime import datetime, tzinfo
from typing import Any

from babel.dates import get_day_names
from sqlalchemy import Connection, Engine

from pos_app.domain import errors
from pos_app.domain.cards import Validity
from pos_app.domain.ledger import Addition, Entry, EntryKind, addition_kind
from pos_app.domain.money import Money
from pos_app.domain.shop_time import shop_zone
from pos_app.domain.terms import TermsRefused
from pos_app.formatting import decimal_separator, format_datetime, format_first_day, format_last_day, format_money
from pos_app.server import card_search, staff
from pos_app.server.console.i18n import N_, _
from pos_app.server.console.pages import LOCALES, error_text
from pos_app.server.console.viewer import Viewer
from pos_app.server.db.engine import read
from pos_app.server.ledger import store_info, store_zone

STATUS_LABELS = {"inactive": N_("Not sold yet"), "active": N_("Active"), "disabled": N_("Disabled"),
                 "frozen": N_("Frozen: a conflict to resolve")}
ADDITION_LABELS = {Addition.SALE: N_("Sale"), Addition.TOP_UP: N_("Top-up"), Addition.CORRECTION: N_("Correction up")}
KIND_LABELS = {EntryKind.CREDITS_REMOVAL: N_("Correction down"), EntryKind.CREDITS_REDEMPTION: N_("Redemption"),
               EntryKind.CREDITS_REFUND: N_("Refund")}

#: The refusals of the card operations, one sentence each (by key; a change of terms by the rule it broke).
SENTENCES = {
    "correction_limit_exceeded": N_("That correction is more than your role may make ({limit} at most). "
                                    "Ask an administrator to make it."),
    "invalid_add_balance_params": N_("A correction needs a reason and an amount other than zero."),
    "operation_limit_exceeded": N_("That is more than head office lets one operation put on a card."),
    "balance_limit_exceeded": N_("The card would then hold more than head office allows."),
    "voucher_frozen": N_("The card is frozen until its conflict is resolved."),
    "voucher_not_active": N_("The card has not been sold yet."),
    "voucher_already_published": N_("The card belongs to another customer already."),
    "too_many_requests": N_("Too many searches found nothing. Wait {seconds} seconds before searching again."),
    "missing_amount": N_("Enter an amount, such as 12.50."),
    "forbidden": N_("Your role may not do this."),
}
TERMS_SENTENCES = {
    "reason": N_("Give a reason for the change."),
    "never_expires": N_("The card never expires: there is nothing to extend."),
    "not_later": N_("Choose a last day later than the card's."),
    "past": N_("Choose a last day that has not passed."),
    "too_late": N_("That last day is too far in the future."),
    "nothing": N_("That changes nothing."),
    "last_day": N_("Choose the new last day."),
}


def error_sentence(exc: errors.GiftCardError, *, currency: str = "EUR", locale: str = "en_GB") -> str:
    """One sentence for a refusal met on the card pages, in the page's language."""
    if isinstance(exc, TermsRefused) and exc.why in TERMS_SENTENCES:
        return _(TERMS_SENTENCES[exc.why])
    sentence = SENTENCES.get(exc.key)
    if sentence is None:
        return error_text(exc)
    limit = exc.context.get("limit")
    return _(sentence, limit=format_money(Money(int(limit), currency), locale=locale) if isinstance(limit, int)
             else "", seconds=exc.context.get("retry_after", 60))


@dataclass(frozen=True, slots=True)
class Show:
    """Formats for a page: the viewer's language, the shop's time zone."""

    locale: str
    zone: tzinfo
    separator: str

    def money(self, minor: int, currency: str) -> str:
        return format_money(Money(minor, currency), locale=self.locale)

    def when(self, value: datetime | None, zone_name: str | None = None) -> str:
        """``value`` in the viewer's language, in ``zone_name`` (a till's shop's) or else the store's zone."""
        zone = self.zone
        if zone_name:
            with suppress(errors.InvalidPayload):
                zone = shop_zone(zone_name)
        return format_datetime(value, locale=self.locale, zone=zone)

    def last_day(self, expiry: datetime | None) -> str:
        return format_last_day(expiry, zone=self.zone, locale=self.locale)

    def first_day(self, start: datetime | None) -> str:
        return format_first_day(start, zone=self.zone, locale=self.locale)

    def status(self, status: str) -> str:
        return _(STATUS_LABELS.get(status, status))

    def kind(self, entry: Entry) -> str:
        if entry.kind is EntryKind.CREDITS_ADDITION:
            return _(ADDITION_LABELS[addition_kind(price=entry.price, payment=entry.payment, reason=entry.reason)])
        return _(KIND_LABELS.get(entry.kind, entry.kind.value))

    def amount_example(self) -> str:
        return "12" + self.separator + "50"

    def validity(self, validity: Validity) -> str:
        """The card's days and hours ("Mon, Tue · 09:00–17:00"), or that it has none of its own."""
        if validity == Validity():
            return _("Any day, any hour")
        names = get_day_names("abbreviated", locale=self.locale)
        days = ", ".join(str(names[d]) for d in sorted(validity.days)) if validity.days else _("Any day")
        if validity.start is None and validity.end is None:
            return days
        start = validity.start.strftime("%H:%M") if validity.start else ""
        end = validity.end.strftime("%H:%M") if validity.end else ""
        return f"{days} · {start}–{end}"


def shown(engine: Engine, viewer: Viewer) -> Show:
    zone = read(engine, lambda conn: store_zone(store_info(conn)))
    locale = LOCALES.get(viewer.locale, "en_GB")  # (the page's: ``pages.locale``)
    return Show(locale=locale, zone=zone, separator=decimal_separator(locale))


@dataclass(frozen=True, slots=True)
class CardForms:
    """The form of the card's page shown again (``name``: ``top_up``, ``correct``, …) with its error and what was
    typed in it; the others are shown empty."""

    name: str | None = None
    error: str | None = None
    values: dict[str, str] = field(default_factory=dict)

    def value(self, form: str, name: str, default: str = "") -> str:
        return self.values.get(name, default) if form == self.name else default

    def error_of(self, form: str) -> str | None:
        return self.error if form == self.name else None


def card_context(conn: Connection, viewer: Viewer, card_id: str, *, before: int | None = None) -> dict[str, Any]:
    """What the card's page shows (``not_found`` for an unknown card)."""
    page = card_search.card_page(conn, card_id)
    history = card_search.history(conn, card_id, before=before)
    here = f"/console/cards/{card_id}"
    return {
        "page": page, "card": page.card, "history": history.rows,
        "next_url": f"{here}?before={history.next}" if history.next else None,
        "first_url": here if before is not None else None,
        "correction_limit": staff.correction_limits(conn).get(viewer.role),
    }
