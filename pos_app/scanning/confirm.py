"""When a decoded text counts as a scan (DESIGN.md §8): read the same twice in a row, and once per presentation.

A single frame can misread (a smudge, motion blur, a partial symbol), so a text counts only when it is read in
two consecutive *decoded* frames. A card held in view keeps being read at the decoder's frame rate, so a
confirmed text is then *held*: it is not confirmed again while it stays in view, nor until it has been out of
view for the cool-down (a frame or two without a read, the card tilted for a moment, is not a new presentation).
When a different text is confirmed, held texts that are no longer in view are let go at once, so that a cashier
who scans card A, then B, then A again gets three scans without waiting. Texts still in view stay held: a card
whose QR code and barcode carry different texts is not confirmed over and over, one text after the other.

Plain Python with an injectable clock, so it is tested without threads or sleeping.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable

DEFAULT_COOLDOWN = 2.0  # seconds a confirmed text must be out of view before it counts again


class Confirmer:
    """Feed it the texts of every decoded frame, in order; it returns the texts that count as new scans.

    Not thread-safe: one decode loop owns it.
    """

    def __init__(self, *, cooldown: float = DEFAULT_COOLDOWN,
                 clock: Callable[[], float] = time.monotonic) -> None:
        if cooldown < 0:
            raise ValueError("the cool-down cannot be negative")
        self.cooldown = cooldown
        self._clock = clock
        self._previous: frozenset[str] = frozenset()  # texts of the last decoded frame
        self._held: dict[str, float] = {}  # confirmed text → when it was last in view

    def feed(self, texts: Iterable[str]) -> list[str]:
        """The texts read in one decoded frame (an empty frame counts too) → those newly confirmed, in the
        order given. A frame that was captured but never decoded (dropped) must not be fed: it says nothing."""
        now = self._clock()
        current = list(dict.fromkeys(texts))  # one symbol read twice in a frame, or QR + barcode: once
        in_view = frozenset(current)
        self._forget_absent(now, in_view)
        confirmed = [t for t in current if t in self._previous and t not in self._held]
        if confirmed:  # a different code was confirmed: what already left the view is free again
            self._held = {t: seen for t, seen in self._held.items() if t in in_view}
        for text in current:
            if text in self._held or text in confirmed:
                self._held[text] = now
        self._previous = in_view
        return confirmed

    def _forget_absent(self, now: float, in_view: frozenset[str]) -> None:
        self._held = {t: seen for t, seen in self._held.items() if t in in_view or now - seen < self.cooldown}

    @property
    def held(self) -> frozenset[str]:
        """Texts confirmed and still held (in view, or out of it for less than the cool-down)."""
        return frozenset(self._held)

    def reset(self) -> None:
        """Forget everything: a restarted camera starts afresh."""
        self._previous = frozenset()
        self._held.clear()
