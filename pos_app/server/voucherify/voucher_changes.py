"""``update_voucher``, ``enable_voucher``, ``disable_voucher`` and ``delete_voucher``: a card's terms and status
changed through the API, by the rules a manager's change follows at a till or on the server's command line.

* ``PUT /v1/vouchers/{code}`` changes dates, validity (days of the week, hours), category and metadata through the
  server's change of a card's terms (``cards_admin.change``: the domain's ``change_terms``, a line in the card's
  audit trail naming the key, a line in the change log so tills pull it) and ``active`` through
  ``services.cards.set_enabled``. It never moves value (``gift`` is not read) and ignores ``type``: the SDK always
  sends ``DISCOUNT_VOUCHER`` there. A field set to what the card has already changes nothing and is no refusal
  (Voucherify's PUT sets; it does not have to change). Metadata keys are merged (a key set to ``null`` is removed):
  a client that sends part of them loses none of the rest.
* Enabling or disabling a card that is so already changes nothing and answers the voucher.
* ``DELETE /v1/vouchers/{code}`` cannot remove a card: its entries are the ledger, and tills have it. A deleted
  voucher is disabled (tills refuse it at their next pull) and hidden from the API (404 from then on, not listed);
  the card, its entries and its audit trail stay, its code stays taken (``duplicate_found``). A card that still
  holds money is deleted only with ``force=true`` (``domain.cards.check_deletable``); a frozen card not at all
  until its conflict is resolved.
"""

from __future__ import annotations

from contextlib import suppress
from datetime import time, tzinfo
from typing import Annotated, Any

from fastapi import APIRouter, Body, Response
from pydantic import Field
from sqlalchemy import Connection, insert
from sqlalchemy.exc import IntegrityError

from pos_app.domain import errors
from pos_app.domain.cards import CardStatus, GiftCard, Validity, check_deletable
from pos_app.domain.terms import CardChange, NewTerms, TermsRefused
from pos_app.server import cards_admin
from pos_app.server.db.engine import read, write
from pos_app.server.db.models import deleted_vouchers
from pos_app.server.ledger import now, store_info, store_zone
from pos_app.server.uow import ServerUnitOfWork
from pos_app.server.voucherify.deps import Api, ApiCall
from pos_app.server.voucherify.fields import DateText, Lenient, Metadata, Name, when
from pos_app.server.voucherify.vouchers import answer, found_or_recorded, path_code
from pos_app.services import cards

router = APIRouter(tags=["vouchers"])

Days = Annotated[list[int], Field(max_length=7)]
Clock = Annotated[str, Field(max_length=8)]


class Daily(Lenient):
    start_time: Clock | None = None
    expiration_time: Clock | None = None
    days_of_week: Days | None = None


class Hours(Lenient):
    daily: Annotated[list[Daily], Field(max_length=7)] | None = None


class UpdateBody(Lenient):
    """``update_voucher``'s body, what of it a gift card has (``type``, ``discount``, ``gift`` are not read)."""

    category: Name | None = None
    start_date: DateText | None = None
    expiration_date: DateText | None = None
    validity_day_of_week: Days | None = None
    validity_hours: Hours | None = None
    active: bool | None = None
    metadata: Metadata | None = None


def _reason(call: ApiCall, what: str) -> str:
    return f"{what} through the Voucherify API (key {call.key_id})"


def _domain_days(days: list[int] | None, what: str) -> frozenset[int] | None:
    """Voucherify's days (0 = Sunday) as the domain's (0 = Monday)."""
    if days is None:
        return None
    if any(not isinstance(d, int) or not 0 <= d <= 6 for d in days):
        raise errors.InvalidPayload(f"{what}: each day is 0 (Sunday) to 6 (Saturday)")
    return frozenset((d - 1) % 7 for d in days)


def _clock(text: str | None, what: str) -> time | None:
    if text is None or not text.strip():
        return None
    try:
        return time.fromisoformat(text.strip())
    except ValueError:
        raise errors.InvalidPayload(f"{what} is a time of day HH:mm, not {text[:8]!r}") from None


def _validity(card: GiftCard, body: UpdateBody) -> Validity | None:
    """The validity asked for, the card's own where a part is not given; None: not asked."""
    if body.validity_day_of_week is None and body.validity_hours is None:
        return None
    days = _domain_days(body.validity_day_of_week, "validity_day_of_week")
    start, end = card.validity.start, card.validity.end
    if body.validity_hours is not None:
        daily = body.validity_hours.daily or []
        if len(daily) > 1:
            raise errors.InvalidPayload("validity_hours: a gift card has one daily window")
        window = daily[0] if daily else Daily()
        start = _clock(window.start_time, "validity_hours.daily.start_time")
        end = _clock(window.expiration_time, "validity_hours.daily.expiration_time")
        window_days = _domain_days(window.days_of_week, "validity_hours.daily.days_of_week")
        if days is not None and window_days is not None and window_days != days:
            raise errors.InvalidPayload("validity_day_of_week and validity_hours name other days")
        days = days if days is not None else window_days
    if days is None and body.validity_day_of_week is None:
        days = card.validity.days
    return Validity(days=days or None, start=start, end=end)


def _terms(card: GiftCard, body: UpdateBody, zone: tzinfo) -> NewTerms | None:
    """What ``body`` asks to change of the card's terms; what it sets as it is is left out."""
    expires = when(body.expiration_date, zone, end_of_day=True)
    starts = when(body.start_date, zone)
    metadata = {k: v for k, v in (body.metadata or {}).items() if card.metadata.get(k) != v}
    terms = NewTerms(
        expires_at=None if expires == card.expiration_date else expires,
        starts_at=None if starts == card.start_date else starts,
        validity=_validity(card, body),
        category=None if body.category is None or body.category.strip() == (card.category or "") else body.category,
        metadata=metadata,
    )
    return None if terms == NewTerms() else terms


@router.put("/vouchers/{code}")
def update_voucher(code: str, call: Api, body: Annotated[UpdateBody | None, Body()] = None) -> dict[str, Any]:
    """Change the card's dates, validity, category, metadata and ``active``; never its value."""
    code = path_code(code)
    body = body or UpdateBody()
    card, _ = found_or_recorded(call, code)
    zone = read(call.engine, lambda conn: store_zone(store_info(conn)))
    terms = _terms(card, body, zone)
    if terms is not None:
        def work(conn: Connection) -> tuple[GiftCard, CardChange]:
            return cards_admin.change(conn, code, terms, reason=_reason(call, "update_voucher"), at=now(), zone=zone,
                                      device_id=call.key_id)
        try:
            write(call.engine, work)
        except TermsRefused as exc:
            if exc.why != "nothing":  # set as it was meanwhile
                raise
    if body.active is not None:
        _set_enabled(call, card, enabled=body.active)
    return answer(call, code)


def _set_enabled(call: ApiCall, card: GiftCard, *, enabled: bool) -> None:
    """Enable or disable the card unless it is so already (``active`` in the voucher: not disabled nor frozen)."""
    if enabled == (card.status not in (CardStatus.DISABLED, CardStatus.FROZEN)):
        return
    cards.set_enabled(ServerUnitOfWork(call.engine), call.caller(), card.code, enabled=enabled)


@router.post("/vouchers/{code}/enable")
def enable_voucher(code: str, call: Api) -> dict[str, Any]:
    code = path_code(code)
    card, _ = found_or_recorded(call, code)
    _set_enabled(call, card, enabled=True)
    return answer(call, code)


@router.post("/vouchers/{code}/disable")
def disable_voucher(code: str, call: Api) -> dict[str, Any]:
    code = path_code(code)
    card, _ = found_or_recorded(call, code)
    _set_enabled(call, card, enabled=False)
    return answer(call, code)


@router.delete("/vouchers/{code}", status_code=204, response_class=Response)
def delete_voucher(code: str, call: Api, force: bool = False) -> Response:
    """Disable the card and hide it from the API; its card, entries and code stay (see the module)."""
    code = path_code(code)
    card, _ = found_or_recorded(call, code)
    check_deletable(card, force=force)
    if card.status is not CardStatus.DISABLED:
        cards.set_enabled(ServerUnitOfWork(call.engine), call.caller(), code, enabled=False)
    with suppress(IntegrityError):  # deleted at the same instant by another request
        write(call.engine, lambda conn: conn.execute(insert(deleted_vouchers).values(
            card_id=card.id, key_id=call.key_id, deleted_at=now())))
    return Response(status_code=204)
