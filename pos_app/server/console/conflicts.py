"""The conflict pages: the cards that offline spending at several tills overdrew, with every entry that caused it,
and the form that resolves one with a reason.

* ``GET /console/conflicts?status=open|resolved&after=<id>`` — newest first, 50 a page (``conflicts.view``).
* ``GET /console/conflicts/<id>`` — the card, the overdraft, the entries (``conflicts.view``); the form for those
  who may resolve it.
* ``POST /console/conflicts/<id>/resolve`` — ``conflicts.resolve``: the same ``server.conflicts.resolve`` as a
  till's manager and ``pos-server conflicts resolve``, as head office acting as the console user (who is recorded
  as the one who resolved it), and the audit line in the same transaction. A refusal shows the form again with
  its sentence and what was typed, and is audited too (``audit.record_refused``).

The reads are ``server.conflict_views``; this module converts the form (an amount typed in major units, with the
viewer's decimal separator) and holds no rule.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form, Query
from fastapi.responses import HTMLResponse
from pydantic import ValidationError
from sqlalchemy import Connection
from starlette.requests import Request
from starlette.responses import Response

from pos_app.cli_options import signed
from pos_app.domain import errors
from pos_app.domain.money import Money
from pos_app.server import conflict_views, conflicts
from pos_app.server.console import audit, pages
from pos_app.server.console.deps import Db, Viewer, allowed
from pos_app.server.console.i18n import N_, _
from pos_app.server.console.pages import error_text, money_text, redirect, render
from pos_app.server.db.engine import read, write
from pos_app.server.ledger import now
from pos_app.sync.schemas import ResolveConflict

router = APIRouter()
Reader = Annotated[Viewer, Depends(allowed("conflicts.view"))]
Resolver = Annotated[Viewer, Depends(allowed("conflicts.resolve"))]
_Field = Annotated[str, Form(max_length=500)]
PAGE = "/console/conflicts"
TABS: tuple[tuple[conflict_views.Status, str], ...] = (("open", N_("Open")), ("resolved", N_("Resolved")))
ACTIONS: dict[str, str] = {
    "recover": N_("Customer pays the difference"),
    "write_off": N_("Write off: the shop bears the loss"),
    "correct": N_("Correct the balance by an amount"),
}
KINDS: dict[str, str] = {
    "CREDITS_ADDITION": N_("Addition"),
    "CREDITS_REMOVAL": N_("Correction"),
    "CREDITS_REDEMPTION": N_("Redemption"),
    "CREDITS_REFUND": N_("Refund"),
}
ORIGINS: dict[str, str] = {"online": N_("online"), "offline": N_("offline"), "head office": N_("head office")}
PARTS: dict[str, str] = {"conflict": N_("overdrew the card"), "cause": N_("spent offline before it"),
                         "resolution": N_("resolution")}
CARD_STATES: dict[str, str] = {"active": N_("Active"), "frozen": N_("On hold (frozen)"), "disabled": N_("Disabled"),
                               "inactive": N_("Not sold yet")}
#: Sentences for the refusals of a resolution (others: ``pages.error_text``).
SENTENCES: dict[str, str] = {
    "conflict_resolved": N_("This conflict has been resolved already, so nothing was done."),
    "missing_amount": N_("A correction needs an amount, such as 20.00 or -5.00."),
}


def _money(amount: Money | None, *, sign: bool = False) -> str:
    """An amount as the page's language writes it; ``sign``: a ledger amount shows which way it went (+€20.00)."""
    if amount is None:
        return "—"
    text = money_text(amount)
    return f"+{text}" if sign and amount.minor > 0 else text


def _labels() -> dict[str, Any]:
    return {"kinds": {k: _(v) for k, v in KINDS.items()}, "origins": {k: _(v) for k, v in ORIGINS.items()},
            "parts": {k: _(v) for k, v in PARTS.items()}, "actions": {k: _(v) for k, v in ACTIONS.items()},
            "card_states": {k: _(v) for k, v in CARD_STATES.items()}}


@router.get("/conflicts", response_class=HTMLResponse)
def conflicts_page(request: Request, viewer: Reader, engine: Db,
                   status: Annotated[str, Query(max_length=16)] = "open",
                   after: Annotated[str | None, Query(max_length=64)] = None) -> HTMLResponse:
    tab: conflict_views.Status = "resolved" if status == "resolved" else "open"
    found = read(engine, lambda conn: conflict_views.page(conn, tab, after=after))
    return render(request, viewer, "conflicts/index.html", title=_("Conflicts"), status=tab,
                  tabs=[(key, _(label)) for key, label in TABS], rows=found.rows, money=_money,
                  next_url=f"{PAGE}?status={tab}&after={found.after}" if found.after else None,
                  first_url=f"{PAGE}?status={tab}" if after else None, **_labels())


def _conflict_page(request: Request, viewer: Viewer, engine: Db, conflict_id: str, *, status_code: int = 200,
                   error: str | None = None, field_errors: dict[str, str] | None = None,
                   form: dict[str, str] | None = None) -> HTMLResponse:
    found = read(engine, lambda conn: conflict_views.detail(conn, conflict_id))
    return render(request, viewer, "conflicts/conflict.html", status_code=status_code,
                  title=_("Conflict on card {card}", card=found.summary.masked_code), conflict=found,
                  summary=found.summary, money=_money, error=error, field_errors=field_errors or {},
                  form=form or {"action": "recover"}, may_resolve=viewer.may("conflicts.resolve"), **_labels())


@router.get("/conflicts/{conflict_id}", response_class=HTMLResponse)
def conflict_page(request: Request, viewer: Reader, engine: Db, conflict_id: str) -> HTMLResponse:
    return _conflict_page(request, viewer, engine, conflict_id)


def _command(conn: Connection, conflict_id: str, form: dict[str, str]) -> ResolveConflict:
    """The form as the service's command: a signed amount typed in the card's currency ("-5.00"; "-5,00" on a
    German page)."""
    amount = None
    if form["amount"].strip():
        currency = conflicts.get_conflict(conn, conflict_id).currency
        amount = signed(form["amount"], lambda rest: pages.amount(rest, currency)).minor
    try:
        return ResolveConflict.model_validate({"action": form["action"], "reason": form["reason"].strip(),
                                               "amount": amount, "disable": bool(form["disable"])})
    except ValidationError as exc:
        where = str(exc.errors()[0].get("loc", ("",))[0])
        raise _FormError(where) from exc


class _FormError(errors.InvalidPayload):
    """A field of the form the service's command refused (``field``: its name)."""

    def __init__(self, field: str) -> None:
        super().__init__(f"the field {field!r} will not do")
        self.field = field


_FIELD_SENTENCES: dict[str, str] = {
    "reason": N_("Give a reason: it is kept on the ledger entry and in the audit log."),
    "action": N_("Choose how to resolve it."),
}


def _refusal(exc: errors.GiftCardError) -> tuple[str, dict[str, str]]:
    """The sentence of a refusal, and the field it belongs to (if one)."""
    if isinstance(exc, _FormError):
        text = _(_FIELD_SENTENCES.get(exc.field, N_("Some of what was entered will not do.")))
        return text, {exc.field: text}
    sentence = SENTENCES.get(exc.key)
    text = _(sentence) if sentence else error_text(exc)
    if exc.key in {"invalid_amount", "missing_amount"}:
        return text, {"amount": text}
    return text, {}


@router.post("/conflicts/{conflict_id}/resolve", response_class=HTMLResponse)
def resolve_conflict(request: Request, viewer: Resolver, engine: Db, conflict_id: str, action: _Field = "",
                     reason: _Field = "", amount: Annotated[str, Form(max_length=40)] = "",
                     disable: Annotated[str, Form(max_length=8)] = "") -> Response:
    form = {"action": action, "reason": reason, "amount": amount, "disable": disable}
    at = now()

    def work(conn: Connection) -> conflict_views.Detail:
        cmd = _command(conn, conflict_id, form)
        conflicts.resolve(conn, conflict_id, cmd, conflicts.SERVER_DEVICE, at, console_user=viewer.id)
        done = conflict_views.detail(conn, conflict_id)
        audit.record(conn, viewer, "conflicts.resolve", conflict_id, _detail(done.summary.masked_code, form), at=at)
        return done

    try:
        done = write(engine, work)
    except errors.GiftCardError as exc:
        masked = _masked(engine, conflict_id)
        audit.record_refused(engine, viewer, "conflicts.resolve", conflict_id[:64], _detail(masked, form), exc)
        if isinstance(exc, errors.NotFound) and masked is None:
            raise
        text, field_errors = _refusal(exc)
        return _conflict_page(request, viewer, engine, conflict_id, status_code=exc.code, error=text,
                              field_errors=field_errors, form=form)
    card = done.summary.masked_code
    return redirect(request, f"{PAGE}/{conflict_id}", flash=_(
        "Conflict resolved: card {card} is no longer on hold; the tills learn it at their next sync.", card=card))


def _detail(masked: str | None, form: dict[str, str]) -> dict[str, Any]:
    return {"card": masked, "action": form["action"][:16], "amount": form["amount"][:40] or None,
            "disable": bool(form["disable"]), "reason": form["reason"][:200]}


def _masked(engine: Db, conflict_id: str) -> str | None:
    try:
        return read(engine, lambda conn: conflict_views.detail(conn, conflict_id)).summary.masked_code
    except errors.NotFound:
        return None
