"""Divergence: a pushed entry whose id the server holds already, with other facts (see ``pos_app.sync.schemas``).

Why it happens: the till asked the server to authorise entry X and the answer was lost; the server had decided X
(say, refused it) while the till, offline, decided X itself (say, accepted it, and the goods left the shop). A
plain ``duplicate`` would leave the two ledgers disagreeing for ever, so push records the till's facts too, under
:func:`~pos_app.sync.schemas.till_fact_id`, and opens a conflict whose note is :func:`note`.

What counts as the same facts is here, in one place: the card, the kind, the amount and the result; two refused
attempts on one card moved nothing, whatever amount or error key each recorded.
"""

from __future__ import annotations

from typing import Any

from pos_app.domain.codes import mask
from pos_app.domain.money import Money
from pos_app.sync.schemas import WireEntry

#: The columns of a known entry that push reads to answer it (and to compare its facts).
KNOWN_COLUMNS = ("id", "status", "server_seq", "origin", "card_id", "kind", "amount", "result", "error_key",
                 "currency", "conflict_id")


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
