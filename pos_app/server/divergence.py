"""Divergence: a pushed entry whose id the server holds already, with other facts (see ``pos_app.sync.schemas``).

Why it happens: the till asked the server to authorise entry X and the answer was lost; the server had decided X
(say, refused it) while the till, offline, decided X itself (say, accepted it, and the goods left the shop). A
plain ``duplicate`` would leave the two ledgers disagreeing for ever, so push records the till's facts too, under
:func:`~pos_app.sync.schemas.till_fact_id`, and opens a conflict whose note is :func:`note`.

What counts as the same facts is here, in one place: the card, the kind, the amount and the result; two refused
attempts on one card moved nothing, whatever amount or error key each recorded.

Two consequences, also here:

* A refund names the redemption by the id the till knows, which may be the id of a divergence: the till accepted
  X offline, the server had refused X (its X took nothing) and keeps the till's redemption under
  ``till_fact_id(X)``. :func:`the_redemption` finds it however it was stored, for push and online authorisation
  alike (:func:`redemption_ids` are the ids to read).
* The converse (the server took the money online, the till refused, its answer lost: the customer was refused at
  the till) must not leave the customer charged: push reverses the server's entry (:func:`reversal`, by the
  domain's rules, under :func:`reversal_id`) and the conflict's note says so (:func:`reversed_note`).
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from typing import Any

from pos_app.domain.cards import GiftCard, OperationContext
from pos_app.domain.codes import mask
from pos_app.domain.errors import GiftCardError
from pos_app.domain.ledger import Entry, EntryKind
from pos_app.domain.money import Money
from pos_app.domain.operations import Correct, Refund, decide
from pos_app.sync.schemas import TILL_FACT_NAMESPACE, WireEntry, till_fact_id

#: The columns of a known entry that push reads to answer it (and to compare its facts).
KNOWN_COLUMNS = ("id", "status", "server_seq", "origin", "card_id", "kind", "amount", "result", "error_key",
                 "currency", "conflict_id", "device_id")


def same_facts(known: Any, pushed: WireEntry, card_id: str) -> bool:
    """Whether ``pushed`` (on the server's card ``card_id``) says what the server's entry ``known`` says."""
    if known.card_id != card_id:
        return False
    if known.result == pushed.result == "FAILURE":
        return True
    return (known.kind, known.amount, known.result) == (pushed.kind, pushed.amount, pushed.result)


def _fact(result: str, kind: str, amount: int, currency: str, error_key: str | None) -> str:
    what = f"{kind} of {Money(amount, currency)}"
    return f"{what}, refused ({error_key or 'no reason given'})" if result == "FAILURE" else f"{what}, accepted"


def note(known: Any, pushed: WireEntry, recorded_as: str) -> str:
    """One line for the conflict: what the server has under the id, what the till did, and where that went."""
    server = _fact(known.result, known.kind, known.amount, known.currency, known.error_key)
    till = _fact(pushed.result, pushed.kind, pushed.amount, pushed.currency, pushed.error_key)
    how = "online" if known.origin == "online" else f"by {known.origin}"
    return (f"entry {pushed.id} on card {mask(pushed.code)}: recorded {how} as {server}; till {pushed.device_id} "
            f"recorded it offline as {till} (its answer was lost); the till's is kept as entry {recorded_as}")


def refused(pushed: WireEntry, refusal: GiftCardError, *, applied: bool) -> str:
    """One line for the conflict: a till's offline entry that the server would have refused."""
    fact = f"{pushed.kind} of {Money(abs(pushed.amount), pushed.currency)}"
    who = f"operator {pushed.operator_id[:64]!r}" if pushed.operator_id else "no operator"
    then = ("applied all the same: the goods have left the shop" if applied
            else "kept as a refused attempt: it moved nothing")
    return (f"entry {pushed.id} on card {mask(pushed.code)}: till {pushed.device_id} recorded a {fact} offline by "
            f"{who}; the server refuses it ({refusal.key}: {refusal.details or refusal.message}), {then}")


# ---- a refund's redemption, however the server stored it ---------------------------------------------------------

def redemption_ids(refund_of: uuid.UUID) -> list[str]:
    """The ids under which the server may hold the redemption a refund names: its own, and the till's facts'."""
    return [str(refund_of), str(till_fact_id(refund_of))]


def the_redemption(refund_of: uuid.UUID, found: Mapping[str, Entry]) -> Entry | None:
    """The redemption ``refund_of`` names, among the entries ``found`` under :func:`redemption_ids`: the server's own
    when it took money, else the till's facts kept under ``till_fact_id`` (the server had refused the redemption,
    the till accepted it offline), else whatever the server holds under the id (the rules refuse it then)."""
    own = found.get(str(refund_of))
    if own is not None and own.succeeded and own.kind is EntryKind.CREDITS_REDEMPTION:
        return own
    return found.get(str(till_fact_id(refund_of))) or own


def refunded_amount(refund_of: uuid.UUID, target: Entry | None, refunded: Mapping[str, int]) -> int:
    """What the successful refunds of the redemption gave back so far, under any of its ids (``refunded``: the
    amount given back by the refunds naming each id)."""
    ids = set(redemption_ids(refund_of)) | ({str(target.id)} if target is not None else set())
    return sum(refunded.get(i, 0) for i in ids)


# ---- a refusal at the till that the server had accepted: reversed --------------------------------------------

def reversal_id(entry_id: uuid.UUID) -> uuid.UUID:
    """The id of the entry that reverses the server's ``entry_id`` (deterministic: a replay finds it)."""
    return uuid.uuid5(TILL_FACT_NAMESPACE, f"reversal of {entry_id}")


def reversal(card: GiftCard, taken: Entry, ctx: OperationContext, *, refunded: int) -> Entry:
    """The entry that gives back what the server's ``taken`` moved on ``card``, decided by the domain's rules (which
    may refuse): a redemption is refunded by all that is left of it (``refunded``: what its refunds gave back
    already); any other change is corrected by its opposite (``ctx`` carries the reason)."""
    if taken.kind is EntryKind.CREDITS_REDEMPTION:
        entry = decide(card, Refund(taken, refunded=refunded), ctx)
    else:
        entry = decide(card, Correct(Money(-taken.amount, card.currency)), ctx)
    return entry


def reversal_reason(taken: Entry, pushed: WireEntry) -> str:
    return (f"reverses entry {taken.id}: the server accepted it online, till {pushed.device_id} refused it offline "
            f"({pushed.error_key or 'no reason given'}; the answer was lost)")


def reversed_note(taken: Entry, done: Entry | None, refusal: GiftCardError | None) -> str:
    """One line for the conflict: whether the server's ``taken`` was reversed, and how."""
    what = f"{taken.kind} of {Money(abs(taken.amount), taken.currency)}"
    if done is not None:
        return (f"reversed: the server had accepted entry {taken.id} ({what}) that the till refused, so the "
                f"customer was not served; entry {done.id} ({done.kind} of {Money(abs(done.amount), done.currency)}) "
                f"gives it back")
    reason = "no reason given" if refusal is None else f"{refusal.key}: {refusal.details or refusal.message}"
    return (f"NOT reversed: the server had accepted entry {taken.id} ({what}) that the till refused, and the rules "
            f"refuse to reverse it ({reason}); head office must decide")
