"""What one server process knows of the cards and tills it has just authorised for, so that a batch of them
(``authorise_batch``) can skip its read and go straight to its write.

Why: a batch runs read, decide, write one after the other, and the read is a round trip, ~0.5 ms of the batch's
time and a share of both the server's and the database's CPU. Tills that are busy keep coming back with the same
few cards (the benchmark's 16 tills redeem 200 cards), and the server wrote each card's current state itself.

What is kept, and why it is safe (the invariants):

* **A card** by its code, with its row version (``xmin``): an entry is made only from a batch's successful write,
  and holds exactly what the row holds at that version: the state the batch wrote (the write returns the new
  ``xmin``; every row a statement updates gets the same one, its transaction's id) or, for a card the batch only
  refused on (locked, not updated), the state and version the batch decided on. Nothing is trusted beyond that:
  a batch decided from here writes, like any batch, only if every card is still at the version it decided on
  (``authorise_io.WRITE_MANY``). Any other writer (another process, a refund or a request on the per-request
  path, a push of offline entries, the command line, a manual ``UPDATE``) makes a new version, so the write
  writes nothing, the batch's cards are forgotten and the batch is read and decided again. Decisions are made
  on copies: a batch whose write fails leaves what is known untouched.
* **A till** by its token's hash: the device id it belongs to, learnt from a read that found the device and not
  revoked. Not whether it is revoked now: the batch's write checks every token in it, in the same statement
  (live, not revoked, still that device's), and writes nothing otherwise; the batch is then read, and the read
  refuses the revoked till (and forgets its token). So a revocation counts from the first batch written after
  it commits, as it does for a read; nothing here expires on a timer.
* **Not** the entry ids: a batch is taken from here only when its entry ids are distinct; an id already stored
  (a till's replay, or an id a push used) makes the write fail on the entries' primary key, nothing written, and
  the batch is read, which finds the stored answer (replayed byte for byte) or refuses the reuse (409).

The read gives nothing else: no users, operators or limits are looked at online (``authorise.decide`` takes the
card, the request, the device and the time). Both maps are bounded (the oldest learnt is forgotten first).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Sequence

from pos_app.domain.cards import GiftCard
from pos_app.domain.copies import replacer
from pos_app.sync.schemas import AuthoriseRequest

#: Cards and tokens kept at most (about 1 kB a card).
CARDS = 10_000
TOKENS = 10_000

_copy = replacer(GiftCard)  # dataclasses.replace, made once (see domain.copies)

FIRST_PAUSE = 0.05  # seconds without the known path after a wasted write; doubling up to
MAX_PAUSE = 5.0

@dataclasses.dataclass(slots=True)
class Plan:
    """A batch to decide from what is known: each request's device id and card (one working copy per card,
    shared by the requests on it, by card id, with the version it was known at), and the batch's tokens."""

    devices: list[str]
    cards: list[GiftCard]
    versions: dict[str, tuple[GiftCard, int]]
    tokens: dict[str, str]


class Known:
    """Cards (by code) at a version, and tokens' device ids, learnt from this process's own batches (see the
    module). ``served`` counts the batches decided from here and written, ``missed`` those whose write found a
    card or a till changed (they were then read)."""

    def __init__(self, cards: int = CARDS, tokens: int = TOKENS) -> None:
        self.cards: dict[str, tuple[GiftCard, int]] = {}
        self.devices: dict[str, str] = {}
        self.max_cards = cards
        self.max_tokens = tokens
        self.served = 0
        self.missed = 0
        self._pause = 0.0  # seconds the known path is left alone after a wasted write (0: not paused)
        self._paused_until = 0.0

    def usable(self, now: float) -> bool:
        """Whether to try the known path now. After a write that found a card changed behind this process (two
        server workers selling the same cards keep invalidating each other's), it is left alone for a pause
        that doubles with each such miss (up to :data:`MAX_PAUSE`) and ends with the next success: a wasted
        write before every read made two workers slower than no known path at all (measured)."""
        return now >= self._paused_until

    def resume(self) -> None:
        """End a pause now (tests: as if it had run out)."""
        self._paused_until = 0.0

    def wrote(self, now: float) -> None:
        self.served += 1
        self._pause = 0.0

    def wasted(self, now: float) -> None:
        self.missed += 1
        self._pause = min(MAX_PAUSE, self._pause * 2 or FIRST_PAUSE)
        self._paused_until = now + self._pause

    def plan(self, requests: Sequence[tuple[str, AuthoriseRequest]]) -> Plan | None:
        """``(token hash, request)`` pairs decided from what is known, or None: a token or a card not known, or
        an entry id twice (the second replays the first or is refused, which only a read can tell)."""
        plan = Plan([], [], {}, {})
        ids: set[object] = set()
        for token_hash, req in requests:
            device_id = self.devices.get(token_hash)
            known = self.cards.get(req.code)
            if device_id is None or known is None or req.entry_id in ids:
                return None
            ids.add(req.entry_id)
            card, version = known
            working = plan.versions.get(card.id)
            if working is None:
                working = plan.versions[card.id] = (_copy(card, metadata=dict(card.metadata)), version)
            plan.devices.append(device_id)
            plan.cards.append(working[0])
            plan.tokens[token_hash] = device_id
        return plan

    def learn_device(self, token_hash: str, device_id: str) -> None:
        if token_hash not in self.devices:
            if len(self.devices) >= self.max_tokens:
                del self.devices[next(iter(self.devices))]
            self.devices[token_hash] = device_id

    def forget_device(self, token_hash: str) -> None:
        self.devices.pop(token_hash, None)

    def learn_cards(self, written: Iterable[tuple[GiftCard, int]]) -> None:
        """Cards as a successful write left them, each with its row version now."""
        for card, version in written:
            self.cards.pop(card.code, None)  # to the end: forgotten last
            if len(self.cards) >= self.max_cards:
                del self.cards[next(iter(self.cards))]
            self.cards[card.code] = (card, version)

    def forget_cards(self, codes: Iterable[str]) -> None:
        for code in codes:
            self.cards.pop(code, None)
