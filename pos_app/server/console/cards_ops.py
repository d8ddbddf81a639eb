"""The operations on a card's page, each behind its permission and through the service the tills, the command line
and the API use: top up (``cards.top_up``) and correct with a reason (``cards.correct``; a support user within the
limit head office sets, decided by the domain: ``staff``), disable and enable (``cards.enable``) — the use cases of
``services.cards`` over the server's unit of work —; extend the expiry (``cards.extend``: ``cards_admin.change``)
and give the card to a customer (``cards.publish``: ``cards_admin.publish``).

The console user is who did it: their entries and changes name them (``staff.operator_of``). Every POST is a line
of the audit log, the card's code masked: in the transaction of the change (``before_commit``), or right after a
refusal. Amounts are typed in major units in the viewer's language ("12.50", "12,50"). A refusal shows the card's
page again, the form's input kept and its sentence beside it; a change redirects to the page with a message.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form
from sqlalchemy import Connection, Engine
from starlette.requests import Request
from starlette.responses import Response

from pos_app.domain import errors
from pos_app.domain.cards import GiftCard
from pos_app.domain.ledger import Entry
from pos_app.domain.money import Money
from pos_app.domain.terms import NewTerms, TermsRefused
from pos_app.server import card_search, cards_admin, staff
from pos_app.server.console import audit, pages
from pos_app.server.console.card_view import CardForms, error_sentence, shown
from pos_app.server.console.cards import card_response
from pos_app.server.console.deps import Db, Viewer, allowed
from pos_app.server.console.i18n import _
from pos_app.server.console.pages import redirect
from pos_app.server.db.engine import read, write
from pos_app.server.ledger import now, store_info, store_zone
from pos_app.server.uow import ServerUnitOfWork
from pos_app.services import cards

router = APIRouter()
_Text = Annotated[str, Form(max_length=500)]
_Short = Annotated[str, Form(max_length=200)]


def _card(engine: Engine, card_id: str) -> card_search.CardPage:
    return read(engine, lambda conn: card_search.card_page(conn, card_id[:64]))


def _operate(request: Request, viewer: Viewer, engine: Engine, card_id: str, *, action: str, form: str,
             values: dict[str, str], change: Callable[[GiftCard, Callable[[Connection], None]], Any],
             done: Callable[[GiftCard], str], detail: dict[str, Any] | None = None) -> Response:
    """Run ``change`` on the card (given the card and what writes the audit line in its transaction); on a
    refusal, the audit line and the card's page again with the form's error."""
    page = _card(engine, card_id)
    card, target = page.card, page.masked
    show = shown(engine, viewer)

    def audited(conn: Connection) -> None:
        audit.record(conn, viewer, action, target, {**(detail or {}), "card_id": card.id})

    try:
        change(card, audited)
    except errors.GiftCardError as exc:
        audit.record_refused(engine, viewer, action, target, {**(detail or {}), "card_id": card.id}, exc)
        sentence = error_sentence(exc, currency=card.currency, locale=show.locale)
        return card_response(request, viewer, engine, card.id, forms=CardForms(form, sentence, values),
                             status_code=exc.code)
    return redirect(request, f"/console/cards/{card.id}", flash=done(_card(engine, card.id).card))


def _entry_audit(audited: Callable[[Connection], None]) -> Callable[[Connection, list[Entry]], None]:
    return lambda conn, _entries: audited(conn)


@router.post("/cards/{card_id}/top-up")
def top_up(request: Request, viewer: Annotated[Viewer, Depends(allowed("cards.top_up"))], engine: Db,
           card_id: str, amount: _Short = "", reason: _Text = "") -> Response:
    show = shown(engine, viewer)
    caller = staff.console_caller(engine, user_id=viewer.id, name=viewer.email, role=viewer.role)

    def change(card: GiftCard, audited: Callable[[Connection], None]) -> None:
        money = pages.amount(amount, card.currency)
        cards.top_up(ServerUnitOfWork(engine, before_commit=_entry_audit(audited)), caller, card.code, money,
                     reason=reason.strip() or None)

    return _operate(request, viewer, engine, card_id, action="cards.top_up", form="top_up",
                    values={"amount": amount, "reason": reason}, change=change,
                    detail={"amount": amount[:32], "reason": reason[:200]},
                    done=lambda card: _("Topped up: the card holds {balance} now.",
                                        balance=show.money(card.balance, card.currency)))


@router.post("/cards/{card_id}/correct")
def correct(request: Request, viewer: Annotated[Viewer, Depends(allowed("cards.correct"))], engine: Db,
            card_id: str, direction: _Short = "remove", amount: _Short = "", reason: _Text = "") -> Response:
    show = shown(engine, viewer)
    caller = staff.console_caller(engine, user_id=viewer.id, name=viewer.email, role=viewer.role)

    def change(card: GiftCard, audited: Callable[[Connection], None]) -> None:
        if direction not in ("add", "remove"):
            raise errors.InvalidPayload("a correction adds or removes")
        money = pages.amount(amount, card.currency)
        delta = money if direction == "add" else Money(-money.minor, money.currency)
        cards.correct(ServerUnitOfWork(engine, before_commit=_entry_audit(audited)), caller, card.code, delta,
                      reason=reason)

    return _operate(request, viewer, engine, card_id, action="cards.correct", form="correct",
                    values={"direction": direction, "amount": amount, "reason": reason}, change=change,
                    detail={"direction": direction[:8], "amount": amount[:32], "reason": reason[:200]},
                    done=lambda card: _("Corrected: the card holds {balance} now.",
                                        balance=show.money(card.balance, card.currency)))


def _set_enabled(request: Request, viewer: Viewer, engine: Engine, card_id: str, *, enabled: bool) -> Response:
    caller = staff.console_caller(engine, user_id=viewer.id, name=viewer.email, role=viewer.role)

    def change(card: GiftCard, audited: Callable[[Connection], None]) -> None:
        cards.set_enabled(ServerUnitOfWork(engine, before_commit=_entry_audit(audited)), caller, card.code,
                          enabled=enabled)

    return _operate(request, viewer, engine, card_id, action="cards.enable" if enabled else "cards.disable",
                    form="enable", values={}, change=change,
                    done=lambda card: _("The card is enabled again.") if enabled else
                    _("The card is disabled: every till refuses it from its next sync, and online at once."))


@router.post("/cards/{card_id}/disable")
def disable(request: Request, viewer: Annotated[Viewer, Depends(allowed("cards.enable"))], engine: Db,
            card_id: str) -> Response:
    return _set_enabled(request, viewer, engine, card_id, enabled=False)


@router.post("/cards/{card_id}/enable")
def enable(request: Request, viewer: Annotated[Viewer, Depends(allowed("cards.enable"))], engine: Db,
           card_id: str) -> Response:
    return _set_enabled(request, viewer, engine, card_id, enabled=True)


@router.post("/cards/{card_id}/extend")
def extend(request: Request, viewer: Annotated[Viewer, Depends(allowed("cards.extend"))], engine: Db,
           card_id: str, last_day: _Short = "", reason: _Text = "") -> Response:
    show = shown(engine, viewer)

    def change(card: GiftCard, audited: Callable[[Connection], None]) -> None:
        try:
            day = date.fromisoformat(last_day.strip())
        except ValueError:
            raise TermsRefused("last_day", "choose the new last day") from None

        def work(conn: Connection) -> None:
            zone = store_zone(store_info(conn))
            cards_admin.change(conn, card.code, NewTerms(expires_on=day), reason=reason, at=now(), zone=zone,
                               operator_id=staff.operator_of(viewer.id))
            audited(conn)

        write(engine, work)

    return _operate(request, viewer, engine, card_id, action="cards.extend", form="extend",
                    values={"last_day": last_day, "reason": reason}, change=change,
                    detail={"last_day": last_day[:10], "reason": reason[:200]},
                    done=lambda card: _("Extended: the card may be used until {day}.",
                                        day=show.last_day(card.expiration_date)))


@router.post("/cards/{card_id}/publish")
def publish(request: Request, viewer: Annotated[Viewer, Depends(allowed("cards.publish"))], engine: Db,
            card_id: str, source_id: _Short = "", name: _Short = "", email: _Short = "",
            phone: _Short = "") -> Response:
    def change(card: GiftCard, audited: Callable[[Connection], None]) -> None:
        def work(conn: Connection) -> None:
            cards_admin.publish(conn, card.code, source_id, name=name.strip() or None, email=email.strip() or None,
                                phone=phone.strip() or None, at=now())
            audited(conn)

        write(engine, work)

    return _operate(request, viewer, engine, card_id, action="cards.publish", form="publish",
                    values={"source_id": source_id, "name": name, "email": email, "phone": phone}, change=change,
                    detail={"source_id": source_id[:200]},
                    done=lambda card: _("The card is given to the customer {source_id}.", source_id=source_id.strip()))
