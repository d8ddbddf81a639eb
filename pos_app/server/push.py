"""Push: entries a till made offline (or any it has not had acknowledged), stored at most once each.

One write transaction per batch, a constant number of statements whatever its size: lock every card the batch
names (in id order), read which entries are known already, apply the new ones in ``(device_id, device_seq)``
order through the cards' rules, then write cards, conflicts, entries and the change log in bulk.

What an entry gets (``PushResult.outcome``):

* ``stored`` — applied, status ``confirmed``. ``conflict`` — applied, status ``conflict``: an offline
  redemption that took the card below zero, or was made on a frozen or disabled card. The goods have left the
  shop, so it is applied all the same; the card is frozen and the card's one open conflict (opened now if there
  is none) collects the entry for a manager to resolve.
* ``rejected`` — not stored, with the error: an unknown card, another currency, a refund of a redemption the
  server does not have (yet) or has refunded already, a correction below zero, a malformed entry. The till
  keeps it for review; pushing it again later is safe.
* A known id with the same facts answers as it did the first time: ``stored``/``conflict`` for an entry stored
  by a push, ``duplicate`` for one the server recorded otherwise (an online authorisation), each with its status
  and ``server_seq``. A replayed or half-delivered batch therefore changes nothing and answers the same.
* A known id with other facts is a divergence (``divergence``; the protocol in ``pos_app.sync.schemas``): the
  till's facts are applied under ``till_fact_id(id)`` as an offline entry that joins (or opens) the card's
  conflict, with a note; the server's entry is kept, linked to the conflict and logged again for the tills.

``created_at`` is the till's clock and only stored; the server orders by ``server_seq``. ``balance_after`` on the
server is its own balance after the entry (the till's is kept as ``till_balance_after``).
"""

from __future__ import annotations

import dataclasses
import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Literal

from sqlalchemy import Connection, bindparam, insert, literal_column, select, update

from pos_app.domain import errors
from pos_app.domain.cards import CardStatus, GiftCard, OperationContext
from pos_app.domain.ledger import Entry, EntryKind, EntryResult, EntryStatus
from pos_app.domain.money import Money
from pos_app.server.db.models import conflicts, entries
from pos_app.server.divergence import KNOWN_COLUMNS, note, same_facts
from pos_app.server.ledger import (
    CARD,
    ENTRY,
    among,
    append_changes,
    bulk_insert,
    lock_cards,
    new_id,
    save_cards,
)
from pos_app.server.rows import entry_from_row, entry_to_row
from pos_app.server.wire import error_body
from pos_app.sync.schemas import PushResult, WireEntry, till_fact_id

Outcome = Literal["stored", "duplicate", "conflict", "rejected"]
_LIMIT = 10**15  # larger amounts are no gift card's and would not fit the columns
_SIGNS = {EntryKind.CREDITS_REDEMPTION: -1, EntryKind.CREDITS_REMOVAL: -1, EntryKind.CREDITS_ADDITION: 1,
          EntryKind.CREDITS_REFUND: 1}


@dataclass(slots=True)
class _Conflict:
    id: str
    card_id: str
    prior_status: str
    overdraft: int
    new: bool
    notes: list[str] = dataclasses.field(default_factory=list)
    noted: bool = False  # notes were added by this batch


@dataclass(slots=True)
class _New:
    entry: Entry  # as applied; its status and server_seq are the two fields below
    till_balance_after: int
    conflict_id: str | None
    status: EntryStatus
    seq: int = 0
    answers: uuid.UUID | None = None  # a divergence: the pushed id this entry (the till's facts) answers for


class _Batch:
    """The state of one push while it is applied (everything it read, everything it will write)."""

    def __init__(self, conn: Connection, batch: list[WireEntry], at: datetime) -> None:
        self.at = at
        locked = lock_cards(conn, (e.card_id for e in batch), (e.code for e in batch))
        self.by_id = {card.id: card for card in locked}
        self.by_code = {card.code: card for card in locked}
        ids = sorted({str(e.id) for e in batch} | {str(till_fact_id(e.id)) for e in batch})
        self.known = {
            row.id: row for row in conn.execute(
                select(*(entries.c[name] for name in KNOWN_COLUMNS)).where(among(conn, entries.c.id, ids)))
        }
        targets = sorted({str(e.refund_of) for e in batch if e.refund_of is not None})
        self.targets: dict[str, Entry] = {}
        self.refunded: set[str] = set()
        if targets:
            self.targets = {row["id"]: entry_from_row(row) for row in
                            conn.execute(select(entries).where(among(conn, entries.c.id, targets))).mappings()}
            self.refunded = set(conn.execute(select(entries.c.refund_of).where(
                among(conn, entries.c.refund_of, targets), entries.c.result == literal_column("'SUCCESS'"))).scalars())
        self.open: dict[str, _Conflict] = {}
        if self.by_id:
            c = conflicts.c
            rows = conn.execute(select(c.id, c.card_id, c.prior_status, c.overdraft, c.notes)
                                .where(among(conn, c.card_id, sorted(self.by_id)), c.status == "open"))
            self.open = {r.card_id: _Conflict(r.id, r.card_id, r.prior_status, r.overdraft, False,
                                              (r.notes or "").splitlines()) for r in rows}
        self.new: list[_New] = []
        self.touched: dict[str, GiftCard] = {}
        self.linked: dict[str, str] = {}  # the server's entries of divergences → the conflict they join
        self.relogged: list[str] = []  # … logged again, so that the tills pull the server's facts

    def card_id(self, e: WireEntry) -> str:
        """The server's id of the entry's card (the entry's own when the server does not know the card)."""
        card = self.by_id.get(e.card_id) or self.by_code.get(e.code)
        return e.card_id if card is None else card.id

    # ---- one entry -----------------------------------------------------------------------------------------

    def apply(self, e: WireEntry, *, disputed: bool = False) -> _New:
        """Apply an offline entry; ``disputed``: it joins (or opens) the card's conflict whatever it does."""
        card = self.by_id.get(e.card_id) or self.by_code.get(e.code)
        if card is None:
            raise errors.NotFound(f"no gift card {e.card_id!r} on the server")
        if e.code != card.code:
            raise errors.InvalidPayload(f"the entry's code does not match card {card.id}")
        if e.currency != card.currency:
            raise errors.CurrencyMismatch(f"card {card.masked} is in {card.currency}, not {e.currency}")
        if e.created_at.utcoffset() is None:
            raise errors.InvalidPayload("created_at needs a UTC offset")
        if abs(e.amount) > _LIMIT or not 0 <= e.device_seq < 2**63:
            raise errors.InvalidPayload("amount or device_seq is out of range")
        kind = EntryKind(e.kind)
        before = card.status
        if e.result == "FAILURE":
            done = self._record(e, card, kind, EntryResult.FAILURE)
        else:
            if e.amount * _SIGNS[kind] <= 0:
                raise errors.InvalidPayload(f"a {kind.value} entry cannot have the amount {e.amount}")
            done = self._value_change(e, card, kind)
        conflict = None
        if done.succeeded and kind is EntryKind.CREDITS_REDEMPTION and (
            card.balance < 0 or before in {CardStatus.FROZEN, CardStatus.DISABLED}
        ):
            conflict = self._conflict(card, before)
        elif disputed:
            conflict = self._conflict(card, before, freeze=False)
        status = EntryStatus.CONFLICT if conflict else EntryStatus.CONFIRMED
        new = _New(done, e.balance_after, conflict, status)
        self.new.append(new)
        if done.succeeded:
            self.touched[card.id] = card
            if kind is EntryKind.CREDITS_REDEMPTION:
                self.targets[str(e.id)] = new.entry
        return new

    def _record(self, e: WireEntry, card: GiftCard, kind: EntryKind, result: EntryResult) -> Entry:
        return Entry(
            id=e.id, card_id=card.id, code=card.code, kind=kind, amount=e.amount, currency=card.currency,
            balance_after=card.balance + (e.amount if result is EntryResult.SUCCESS else 0),
            created_at=e.created_at, device_id=e.device_id, operator_id=e.operator_id, device_seq=e.device_seq,
            result=result, error_key=e.error_key, order_ref=e.order_ref, reason=e.reason, refund_of=e.refund_of,
            override_by=e.override_by,
        )

    def _value_change(self, e: WireEntry, card: GiftCard, kind: EntryKind) -> Entry:
        if kind is EntryKind.CREDITS_REFUND:
            self._check_refund(e, card)
        elif kind is EntryKind.CREDITS_REMOVAL:
            ctx = OperationContext(at=self.at, device_id=e.device_id, operator_id=e.operator_id, reason=e.reason)
            GiftCard.correct(dataclasses.replace(card), e.amount, ctx)  # the rules, on a copy
        entry = card.apply(self._record(e, card, kind, EntryResult.SUCCESS))
        if kind is EntryKind.CREDITS_ADDITION and card.status is CardStatus.INACTIVE:
            card.status = CardStatus.ACTIVE  # sold at the till: active from now, by the server's clock
            card.activated_at = self.at
        return entry

    def _check_refund(self, e: WireEntry, card: GiftCard) -> None:
        """The card's refund rules against the redemption it rolls back (on a copy of the card)."""
        if e.refund_of is None:
            raise errors.InvalidPayload("a refund names the redemption it rolls back (refund_of)")
        target = self.targets.get(str(e.refund_of))
        if target is None:
            raise errors.NotFound(f"redemption {e.refund_of} is not on the server (yet)")
        ctx = OperationContext(at=self.at, device_id=e.device_id, operator_id=e.operator_id)
        GiftCard.refund(dataclasses.replace(card), target, ctx, Money(e.amount, card.currency),
                        already_refunded=str(e.refund_of) in self.refunded)
        self.refunded.add(str(e.refund_of))

    def diverge(self, e: WireEntry, known: Any) -> _New:
        """The till's facts of a known id with other facts: applied under ``till_fact_id``, in the conflict."""
        recorded_as = till_fact_id(e.id)
        new = self.apply(e.model_copy(update={"id": recorded_as, "device_seq": 0}), disputed=True)
        new.answers = e.id
        conflict = self.open[new.entry.card_id]
        conflict.notes.append(note(known, e, str(recorded_as)))
        conflict.noted = True
        if known.card_id == new.entry.card_id and known.conflict_id is None:
            self.linked[known.id] = conflict.id
        self.relogged.append(known.id)
        return new

    def _conflict(self, card: GiftCard, before: CardStatus, *, freeze: bool = True) -> str:
        found = self.open.get(card.id)
        if found is None:
            prior = CardStatus.ACTIVE if before is CardStatus.FROZEN else before
            found = self.open[card.id] = _Conflict(new_id("cf"), card.id, prior.value, max(0, -card.balance), True)
        if freeze and card.status is not CardStatus.FROZEN:
            card.status = CardStatus.FROZEN
            card.version += 1
        return found.id

    # ---- the writes ----------------------------------------------------------------------------------------

    def write(self, conn: Connection) -> None:
        opened = [c for c in self.open.values() if c.new]
        if opened:
            conn.execute(insert(conflicts), [
                {"id": c.id, "card_id": c.card_id, "status": "open", "prior_status": c.prior_status,
                 "overdraft": c.overdraft, "opened_at": self.at, "resolution": None, "reason": None,
                 "resolved_at": None, "resolved_by": None, "resolution_entry_id": None,
                 "notes": "\n".join(c.notes) or None} for c in opened
            ])
        noted = [c for c in self.open.values() if c.noted and not c.new]
        if noted:
            conn.execute(update(conflicts).where(conflicts.c.id == bindparam("b_id")),
                         [{"b_id": c.id, "notes": "\n".join(c.notes)} for c in noted])
        save_cards(conn, list(self.touched.values()))
        # the change log, once the cards are locked: a card's entries are numbered in their order
        seqs = append_changes(conn, [(ENTRY, str(item.entry.id)) for item in self.new]
                              + [(CARD, card_id) for card_id in self.touched]
                              + [(ENTRY, entry_id) for entry_id in self.relogged])
        rows = []
        for item, seq in zip(self.new, seqs, strict=False):
            item.seq = seq
            row = entry_to_row(item.entry, received_at=self.at, origin="push",
                               till_balance_after=item.till_balance_after, conflict_id=item.conflict_id)
            row["status"], row["server_seq"] = item.status.value, item.seq
            rows.append(row)
        bulk_insert(conn, entries, rows)
        if self.linked:
            conn.execute(update(entries).where(entries.c.id == bindparam("b_id")),
                         [{"b_id": entry_id, "conflict_id": c} for entry_id, c in self.linked.items()])


def push(conn: Connection, batch: list[WireEntry], at: datetime) -> list[PushResult]:
    """Store the batch's new entries (see the module's docstring); results in the order of the request."""
    state = _Batch(conn, batch, at)
    done: dict[str, _New | PushResult] = {}
    for e in sorted(batch, key=lambda e: (e.device_id, e.device_seq)):
        key = str(e.id)
        if key in done:
            continue  # the same entry twice in one batch: it answers as its first copy
        known = state.known.get(key)
        if known is not None and same_facts(known, e, state.card_id(e)):
            outcome: Outcome = ("conflict" if known.status == EntryStatus.CONFLICT else "stored") \
                if known.origin == "push" else "duplicate"
            done[key] = PushResult(id=e.id, outcome=outcome, status=known.status, server_seq=known.server_seq)
            continue
        recorded = None if known is None else state.known.get(str(till_fact_id(e.id)))
        if recorded is not None:  # a divergence recorded before: answered as the first time
            done[key] = PushResult(id=e.id, outcome="conflict", status=recorded.status,
                                   server_seq=recorded.server_seq, recorded_as=recorded.id)
            continue
        try:
            done[key] = state.apply(e) if known is None else state.diverge(e, known)
        except errors.GiftCardError as exc:
            done[key] = PushResult(id=e.id, outcome="rejected", error=error_body(exc))
    state.write(conn)
    return [_result(done[str(e.id)]) for e in batch]


def _result(item: _New | PushResult) -> PushResult:
    if isinstance(item, PushResult):
        return item
    if item.answers is not None:
        return PushResult(id=item.answers, outcome="conflict", status=item.status.value, server_seq=item.seq,
                          recorded_as=item.entry.id)
    return PushResult(id=item.entry.id, outcome="conflict" if item.conflict_id else "stored",
                      status=item.status.value, server_seq=item.seq)
