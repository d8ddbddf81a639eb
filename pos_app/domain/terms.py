"""A manager's change of a card's terms — its expiry extended, its category or metadata changed — which moves no value.

Recorded as a :class:`CardChange` in the card's audit trail, not as a ledger entry. DESIGN.md §5 keeps the ledger to
Voucherify's four transaction types, every entry a change of value whose sum is the balance, and names expiry,
category and metadata "card state besides the ledger". A zero-value entry kind would be a fifth type that every
sum, export, report, push and pull of the ledger must learn to skip; a change record beside the entries says what
was changed, from what to what, why, by whom, on which device and when, and touches none of them.

The rules (:func:`change_terms`) are decided here once, for the till's use case, the server's command and the
Voucherify API's ``update_voucher`` alike: a reason is required; an extension is a later expiry than the card has,
and not a past one (given as a last day, or as an instant: the API's); a start date is before the card's expiry; a
validity is some of the seven days (0 = Monday) and hours, or none (usable whenever its dates allow); a category is
text of at most :data:`MAX_CATEGORY` characters ("" removes it); metadata keys are set or removed, within
:data:`~pos_app.domain.cards.MAX_METADATA_BYTES`; something must change. An expiry is never brought forward nor
taken away: the customer paid for the card as it was sold.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, tzinfo
from typing import Any

from pos_app.domain import errors
from pos_app.domain.cards import (
    FIRST_DATE,
    GiftCard,
    OperationContext,
    Validity,
    check_date,
    check_metadata,
)
from pos_app.domain.shop_time import expiry_end_of_day
from pos_app.domain.shop_time import last_day as last_day_of

MAX_CATEGORY = 200
MAX_KEY = 64
MAX_REASON = 500


class TermsRefused(errors.InvalidPayload):
    """A change of terms the rules refuse: Voucherify's ``invalid_payload``, with ``why`` naming the rule
    (``reason``, ``never_expires``, ``not_later``, ``too_late``, ``past``, ``start``, ``validity``, ``category``,
    ``key``, ``metadata``, ``nothing``), so that a screen can say which in its own words."""

    def __init__(self, why: str, details: str) -> None:
        super().__init__(details, why=why)
        self.why = why


@dataclass(frozen=True, slots=True, kw_only=True)
class NewTerms:
    """What a manager asks to change: ``expires_on`` the new last day the card may be used (a local date of the
    shop), or ``expires_at`` the new expiry as an instant (the API's); ``starts_at`` the new start (the first
    instant it may be used); ``validity`` its new days of the week and hours (``Validity()``: any day, any hour);
    ``category`` the new category ("" removes it), ``metadata`` keys set to a value (None removes a key). None and
    an empty mapping leave a term as it is."""

    expires_on: date | None = None
    expires_at: datetime | None = None
    starts_at: datetime | None = None
    validity: Validity | None = None
    category: str | None = None
    metadata: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class FieldChange:
    """One term changed: its name (``expiration_date``, ``category``, ``metadata.KEY``) and its values before and
    after as text (ISO for a date, JSON for a metadata value; None: it had none, or has none now)."""

    name: str
    before: str | None
    after: str | None


@dataclass(frozen=True, slots=True, kw_only=True)
class CardChange:
    """A line of a card's audit trail: what was changed, why, by whom, where and when."""

    id: uuid.UUID = field(default_factory=uuid.uuid4)
    card_id: str
    code: str
    changes: tuple[FieldChange, ...]
    reason: str
    device_id: str
    operator_id: str | None
    created_at: datetime


def change_terms(card: GiftCard, terms: NewTerms, ctx: OperationContext, *, zone: tzinfo) -> CardChange:
    """Apply ``terms`` to ``card`` (``zone``: the shop's time zone, in which a last day ends) and return the record of
    what changed; raises the refusal, and then the card is unchanged."""
    reason = (ctx.reason or "").strip()
    if not reason:
        raise TermsRefused("reason", "a change of a card needs a reason")
    if len(reason) > MAX_REASON:
        raise TermsRefused("reason", f"a reason has at most {MAX_REASON} characters")
    changes: list[FieldChange] = []
    expiry = card.expiration_date
    if terms.expires_on is not None or terms.expires_at is not None:
        asked = terms.expires_at if terms.expires_on is None else expiry_end_of_day(terms.expires_on, zone)
        assert asked is not None
        expiry = _extended(card, asked, ctx.at, zone)
        changes.append(FieldChange("expiration_date", _iso(card.expiration_date), _iso(expiry)))
    start = card.start_date
    if terms.starts_at is not None:
        start = _start(card, terms.starts_at, expiry)
        if start != card.start_date:
            changes.append(FieldChange("start_date", _iso(card.start_date), _iso(start)))
    validity = card.validity
    if terms.validity is not None:
        validity = _validity(terms.validity)
        if validity != card.validity:
            changes.append(FieldChange("validity", _validity_text(card.validity), _validity_text(validity)))
    category = card.category
    if terms.category is not None:
        category = _category(terms.category)
        if category != card.category:
            changes.append(FieldChange("category", card.category, category))
    metadata = dict(card.metadata)
    for key, value in terms.metadata.items():
        name = _key(key)
        before = metadata.get(name)
        if value is None:
            metadata.pop(name, None)
        else:
            metadata[name] = value
        if metadata.get(name) != before:
            changes.append(FieldChange(f"metadata.{name}", _json(before), _json(metadata.get(name))))
    try:
        check_metadata(metadata)
    except errors.InvalidPayload as exc:
        raise TermsRefused("metadata", exc.details) from exc
    if not changes:
        raise TermsRefused("nothing", f"that changes nothing on card {card.masked}")
    card.expiration_date, card.start_date, card.validity = expiry, start, validity
    card.category, card.metadata = category, metadata
    card.version += 1
    return CardChange(card_id=card.id, code=card.code, changes=tuple(changes), reason=reason, device_id=ctx.device_id,
                      operator_id=ctx.operator_id, created_at=ctx.at)


def _extended(card: GiftCard, asked: datetime, at: datetime, zone: tzinfo) -> datetime:
    """The card's new expiry ``asked``, later than the card's own, and not past."""
    if card.expiration_date is None:
        raise TermsRefused("never_expires", f"card {card.masked} never expires: there is no expiry to extend")
    try:
        new = check_date(asked.astimezone(UTC), "the new expiry")
    except errors.InvalidPayload as exc:
        raise TermsRefused("past" if asked < FIRST_DATE else "too_late", exc.details) from exc
    assert new is not None
    last_day = last_day_of(new, zone)
    if new <= card.expiration_date:
        current = last_day_of(card.expiration_date, zone)
        raise TermsRefused("not_later", f"card {card.masked} may be used through {current:%Y-%m-%d} already: "
                                        "an extension is a later day")
    if new <= at:
        raise TermsRefused("past", f"{last_day:%Y-%m-%d} is past: an extension is a day to come")
    return new


def _start(card: GiftCard, asked: datetime, expiry: datetime | None) -> datetime:
    """The card's new start ``asked``: a date a card may carry, before its expiry."""
    try:
        start = check_date(asked.astimezone(UTC), "the new start")
    except errors.InvalidPayload as exc:
        raise TermsRefused("start", exc.details) from exc
    assert start is not None
    if expiry is not None and start >= expiry:
        raise TermsRefused("start", f"card {card.masked} would start after it expires")
    return start


def _validity(asked: Validity) -> Validity:
    """``asked`` if a card may be used by it: some of the seven days (0 = Monday), or every day (None)."""
    if asked.days is not None and (not asked.days or not asked.days <= frozenset(range(7))):
        raise TermsRefused("validity", "a card's days of the week are some of 0 (Monday) to 6 (Sunday)")
    if asked.days == frozenset(range(7)):
        asked = Validity(days=None, start=asked.start, end=asked.end)
    return asked


def _validity_text(validity: Validity) -> str | None:
    """``days=0,1 hours=09:00-17:00`` (days: 0 = Monday); None: any day, any hour."""
    if validity == Validity():
        return None
    days = "any" if validity.days is None else ",".join(str(d) for d in sorted(validity.days))
    hours = "any" if validity.start is None and validity.end is None else f"{_hm(validity.start)}-{_hm(validity.end)}"
    return f"days={days} hours={hours}"


def _hm(at: time | None) -> str:
    return "" if at is None else f"{at:%H:%M}"


def _category(text: str) -> str | None:
    category = text.strip()
    if len(category) > MAX_CATEGORY:
        raise TermsRefused("category", f"a category has at most {MAX_CATEGORY} characters")
    return category or None


def _key(key: str) -> str:
    name = key.strip()
    if not name or len(name) > MAX_KEY or not name.isprintable():
        raise TermsRefused("key", f"a metadata key is 1 to {MAX_KEY} printable characters")
    return name


def _iso(when: datetime | None) -> str | None:
    return None if when is None else when.isoformat()


def _json(value: Any) -> str | None:
    return None if value is None else json.dumps(value, ensure_ascii=False, default=str)
