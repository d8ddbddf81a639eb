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
  server does not have (yet) or of more than is left of it (its refunds together never give back more than it
  took), a correction below zero, a malformed entry. The till keeps it for review; pushing it again later is
  safe.
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
import logging
import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Literal

from sqlalchemy import ColumnElement, Connection, bindparam, func, insert, literal_column, select, update

from pos_app.domain import errors
from pos_app.domain.cards import CardStatus, GiftCard, OperationContext
from pos_app.domain.ledger import Entry, EntryKind, EntryResult, EntryStatus
from pos_app.domain.money import Money
from pos_app.domain.operations import (
    Correct,
    Operation,
    Redeem,
    Refund,
    Sell,
    TopUp,
    check_allowed,
    decide,
    payment_method,
)
from pos_app.server.authority import actors, created_today, policy, unknown_operator
from pos_app.server.conflicts import SERVER_DEVICE
from pos_app.server.db.models import conflicts, entries
from pos_app.server.divergence import (
    KNOWN_COLUMNS,
    note,
    redemption_ids,
    refunded_amount,
    refused,
    reversal,
    reversal_id,
    reversal_reason,
    reversed_note,
    same_facts,
    the_redemption,
)
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
from pos_app.server.shops import till_zone
from pos_app.sync.convert import error_to_body
from pos_app.sync.schemas import PushResult, WireEntry, till_fact_id

log = logging.getLogger("pos_app.server")
Outcome = Literal["stored", "duplicate", "conflict", "rejected"]
#: Refusals of an offline redemption that its conflict's figures and the card's status explain without a note.
_EXPLAINED = (errors.GiftAmountExceeded, errors.VoucherFrozen, errors.VoucherDisabled)
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
    origin: str = "push"  # "server": the server's own reversal of an entry the till refused (``diverge``)


class _Batch:
    """The state of one push while it is applied (everything it read, everything it will write)."""

    def __init__(self, conn: Connection, batch: list[WireEntry], at: datetime, device_id: str) -> None:
        self.at = at
        self.conn = conn  # (a divergence reads the server's entry it may reverse)
        self.device_id = device_id  # the till whose token sent the batch
        self.actors = actors(conn, [e.operator_id for e in batch])
        self.policy = policy(conn, device_id)
        self.zone = till_zone(conn, device_id)  # the till's shop's: as the till decided offline
        self.created_today = created_today(conn, device_id, at)
        numbers = sorted({e.device_seq for e in batch if e.device_seq > 0})
        self.numbered: dict[int, str] = {} if not numbers else {
            row.device_seq: row.id for row in conn.execute(select(entries.c.device_seq, entries.c.id).where(
                entries.c.device_id == device_id, entries.c.device_seq.in_(numbers)))
        }
        locked = lock_cards(conn, (e.card_id for e in batch), (e.code for e in batch))
        self.by_id = {card.id: card for card in locked}
        self.by_code = {card.code: card for card in locked}
        ids = sorted({str(e.id) for e in batch} | {str(till_fact_id(e.id)) for e in batch})
        self.known = {
            row.id: row for row in conn.execute(
                select(*(entries.c[name] for name in KNOWN_COLUMNS)).where(among(conn, entries.c.id, ids)))
        }
        targets = sorted({i for e in batch if e.refund_of is not None for i in redemption_ids(e.refund_of)})
        self.targets: dict[str, Entry] = {}
        self.refunded: dict[str, int] = {}  # redemption id named → what its successful refunds gave back
        if targets:
            self.targets = {row["id"]: entry_from_row(row) for row in
                            conn.execute(select(entries).where(among(conn, entries.c.id, targets))).mappings()}
            self.refunded = refunded_by(conn, among(conn, entries.c.refund_of, targets))
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
        if e.device_id != self.device_id:
            raise errors.Forbidden(f"entry {e.id} names till {e.device_id[:64]!r}, not the till whose token sent it")
        taken = self.numbered.get(e.device_seq) if e.device_seq > 0 else None
        if taken is not None and taken != str(e.id):
            raise errors.DuplicateFound(f"this till's entry number {e.device_seq} belongs to entry {taken} already")
        kind = EntryKind(e.kind)
        before = card.status
        refusal: errors.GiftCardError | None = None
        if e.result == "FAILURE":
            done = self._record(e, card, kind, EntryResult.FAILURE)
        else:
            if e.amount * _SIGNS[kind] <= 0:
                raise errors.InvalidPayload(f"a {kind.value} entry cannot have the amount {e.amount}")
            done, refusal = self._value_change(e, card, kind)
        conflict = None
        if done.succeeded and kind is EntryKind.CREDITS_REDEMPTION and (
            refusal is not None or card.balance < 0 or before in {CardStatus.FROZEN, CardStatus.DISABLED}
        ):
            conflict = self._conflict(card, before)
        elif disputed or refusal is not None:
            conflict = self._conflict(card, before, freeze=False)
        if refusal is not None and conflict is not None and not isinstance(refusal, _EXPLAINED):
            self._note(conflict, refused(e, refusal, applied=done.succeeded))
            log.warning("till %s: offline entry %s refused (%s: %s), kept in conflict %s", self.device_id, e.id,
                        refusal.key, refusal.details, conflict)
        status = EntryStatus.CONFLICT if conflict else EntryStatus.CONFIRMED
        new = _New(done, e.balance_after, conflict, status)
        self.new.append(new)
        if e.device_seq > 0:
            self.numbered[e.device_seq] = str(e.id)
        if done.succeeded:
            self.touched[card.id] = card
            if kind is EntryKind.CREDITS_REDEMPTION:
                self.targets[str(e.id)] = new.entry
        return new

    def _record(self, e: WireEntry, card: GiftCard, kind: EntryKind, result: EntryResult,
                error_key: str | None = None) -> Entry:
        return Entry(
            id=e.id, card_id=card.id, code=card.code, kind=kind, amount=e.amount, currency=card.currency,
            balance_after=card.balance + (e.amount if result is EntryResult.SUCCESS else 0),
            created_at=e.created_at, device_id=e.device_id, operator_id=e.operator_id, device_seq=e.device_seq,
            result=result, error_key=error_key or e.error_key, order_ref=e.order_ref, reason=e.reason,
            refund_of=e.refund_of, override_by=e.override_by, price=e.price, payment=payment_method(e.payment),
        )

    def _value_change(self, e: WireEntry, card: GiftCard, kind: EntryKind
                      ) -> tuple[Entry, errors.GiftCardError | None]:
        """Decide the till's offline entry as the server would have decided it online (the domain's rules, the
        operator's role, head office's maxima), at the till's clock (never later than the server's).

        Accepted: applied as decided. Refused: a redemption is applied all the same, since the goods have left
        the shop (the card is frozen and a conflict opened); a refund its redemption does not allow is rejected
        (raised); anything else is kept as a refused attempt (it moves nothing) and opens a conflict. Returns the
        entry and the refusal (None: accepted)."""
        ctx = OperationContext(at=min(e.created_at, self.at), zone=self.zone, device_id=e.device_id,
                               operator_id=e.operator_id, order_ref=e.order_ref, reason=e.reason)
        op = self._operation(e, card, kind)
        actor = self.actors.get(e.operator_id or "")
        try:
            if actor is None:
                raise unknown_operator(e.operator_id)
            check_allowed(actor, op, ctx, self.policy)
            decided = decide(card, op, ctx, policy=self.policy, created_today=self.created_today)
        except errors.GiftCardError as exc:
            if isinstance(op, Refund) and not isinstance(exc, errors.UnknownOperator | errors.Forbidden):
                raise  # a refund its redemption does not allow is no fact of the ledger: rejected, set aside
            if kind is EntryKind.CREDITS_REDEMPTION:
                return card.apply(self._record(e, card, kind, EntryResult.SUCCESS)), exc
            return self._record(e, card, kind, EntryResult.FAILURE, error_key=exc.key), exc
        if kind is EntryKind.CREDITS_ADDITION:
            self.created_today += e.amount
        if isinstance(op, Refund):
            named = str(e.refund_of)
            self.refunded[named] = self.refunded.get(named, 0) + decided.amount
        return dataclasses.replace(decided, id=e.id, device_seq=e.device_seq, created_at=e.created_at,
                                   override_by=e.override_by, refund_of=e.refund_of), None

    def _operation(self, e: WireEntry, card: GiftCard, kind: EntryKind) -> Operation:
        """The operation the till's entry records (an addition to an unsold card is its sale)."""
        amount = Money(abs(e.amount), card.currency)
        if kind is EntryKind.CREDITS_REDEMPTION:
            return Redeem(amount)
        if kind is EntryKind.CREDITS_REMOVAL:
            return Correct(Money(e.amount, card.currency))
        if kind is EntryKind.CREDITS_ADDITION:
            if card.status is not CardStatus.INACTIVE:
                return TopUp(amount)
            return Sell(amount, None if e.price is None else Money(e.price, card.currency), payment_method(e.payment))
        if e.refund_of is None:
            raise errors.InvalidPayload("a refund names the redemption it rolls back (refund_of)")
        target = the_redemption(e.refund_of, self.targets)  # however the server stored it (``divergence``)
        if target is None:
            raise errors.NotFound(f"redemption {e.refund_of} is not on the server (yet)")
        return Refund(target, amount, refunded=refunded_amount(e.refund_of, target, self.refunded))

    def _note(self, conflict_id: str, text: str) -> None:
        conflict = next(c for c in self.open.values() if c.id == conflict_id)
        conflict.notes.append(text)
        conflict.noted = True

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
        if known.result == "SUCCESS" and e.result == "FAILURE" and known.card_id == new.entry.card_id:
            self._reverse(known.id, e, conflict)
        self.relogged.append(known.id)
        return new

    def _reverse(self, known_id: str, e: WireEntry, conflict: _Conflict) -> None:
        """The server took ``known_id``'s money (or made its change) online; the till, its answer lost, refused
        it, and the customer was not served: give it back (``divergence.reversal``), in the conflict, with a note."""
        taken = entry_from_row(self.conn.execute(select(entries).where(entries.c.id == known_id)).mappings().one())
        card = self.by_id[taken.card_id]
        refunded = {**refunded_by(self.conn, entries.c.refund_of.in_(redemption_ids(taken.id))), **self.refunded}
        ctx = OperationContext(at=self.at, zone=self.zone, device_id=SERVER_DEVICE, operator_id=None,
                               reason=reversal_reason(taken, e))
        try:
            done = reversal(card, taken, ctx, refunded=refunded_amount(taken.id, taken, refunded))
        except errors.GiftCardError as exc:
            conflict.notes.append(reversed_note(taken, None, exc))
            return
        done = dataclasses.replace(done, id=reversal_id(taken.id), status=EntryStatus.CONFIRMED)
        self.new.append(_New(done, done.balance_after, conflict.id, EntryStatus.CONFIRMED, origin="server"))
        self.touched[card.id] = card
        if done.kind is EntryKind.CREDITS_REFUND:
            self.refunded[str(taken.id)] = refunded.get(str(taken.id), 0) + done.amount
        conflict.notes.append(reversed_note(taken, done, None))

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
            row = entry_to_row(item.entry, received_at=self.at, origin=item.origin,
                               till_balance_after=item.till_balance_after, conflict_id=item.conflict_id)
            row["status"], row["server_seq"] = item.status.value, item.seq
            rows.append(row)
        bulk_insert(conn, entries, rows)
        if self.linked:
            conn.execute(update(entries).where(entries.c.id == bindparam("b_id")),
                         [{"b_id": entry_id, "conflict_id": c} for entry_id, c in self.linked.items()])


def refunded_by(conn: Connection, which: ColumnElement[bool]) -> dict[str, int]:
    """Redemption id named → what the successful refunds naming it (``which`` of them) gave back."""
    rows = conn.execute(select(entries.c.refund_of, func.sum(entries.c.amount)).where(
        which, entries.c.result == literal_column("'SUCCESS'")).group_by(entries.c.refund_of))
    return {named: int(total) for named, total in rows}


def push(conn: Connection, batch: list[WireEntry], at: datetime, device_id: str) -> list[PushResult]:
    """Store the batch's new entries, sent by the till ``device_id`` (see the module's docstring); results in the
    order of the request."""
    state = _Batch(conn, batch, at, device_id)
    done: dict[str, _New | PushResult] = {}
    firsts: dict[str, WireEntry] = {}
    clashes: dict[int, PushResult] = {}  # positions in the batch of an id sent again with other content
    for position, e in sorted(enumerate(batch), key=lambda p: (p[1].device_id, p[1].device_seq)):
        key = str(e.id)
        if key in firsts:  # the same id twice in one batch: the same content answers as its first copy
            if e != firsts[key]:
                clashes[position] = _reused(e)
            continue
        firsts[key] = e
        known = state.known.get(key)
        if known is not None and same_facts(known, e, state.card_id(e)):
            outcome: Outcome = ("conflict" if known.status == EntryStatus.CONFLICT else "stored") \
                if known.origin == "push" else "duplicate"
            done[key] = PushResult(id=e.id, outcome=outcome, status=known.status, server_seq=known.server_seq)
            continue
        if known is not None and (known.origin != "online" or known.device_id != device_id):
            done[key] = _reused(e)  # only a lost answer of this till's own online request may differ (divergence)
            continue
        recorded = None if known is None else state.known.get(str(till_fact_id(e.id)))
        if recorded is not None:  # a divergence recorded before: answered as the first time
            done[key] = PushResult(id=e.id, outcome="conflict", status=recorded.status,
                                   server_seq=recorded.server_seq, recorded_as=recorded.id)
            continue
        try:
            done[key] = state.apply(e) if known is None else state.diverge(e, known)
        except errors.GiftCardError as exc:
            done[key] = PushResult(id=e.id, outcome="rejected", error=error_to_body(exc))
    state.write(conn)
    return [clashes.get(position) or _result(done[str(e.id)]) for position, e in enumerate(batch)]


def _reused(e: WireEntry) -> PushResult:
    refusal = errors.DuplicateFound(f"entry id {e.id} was used already for other content")
    return PushResult(id=e.id, outcome="rejected", error=error_to_body(refusal))


def _result(item: _New | PushResult) -> PushResult:
    if isinstance(item, PushResult):
        return item
    if item.answers is not None:
        return PushResult(id=item.answers, outcome="conflict", status=item.status.value, server_seq=item.seq,
                          recorded_as=item.entry.id)
    return PushResult(id=item.entry.id, outcome="conflict" if item.conflict_id else "stored",
                      status=item.status.value, server_seq=item.seq)
