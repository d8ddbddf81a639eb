"""The decoder chain (DESIGN.md §8): zxing-cpp on every frame, the fallbacks only where it found nothing.

zxing-cpp is the fastest and, on real photos, the most accurate single library; zbar and the OpenCV-located
regions each read some codes it misses (zbar: EAN-13 and damaged QR; regions: small or tilted codes). Running all
of them on every frame would multiply the cost of an idle camera for nothing, so:

* ``still=True`` (one image: ``pos-app decode``, a dropped file): every fallback runs when zxing-cpp finds nothing;
* ``still=False`` (a live stream): the fallbacks run on frames in which zxing-cpp found nothing, but only as often
  as a time budget allows: on average they may cost ``fallback_budget`` × what zxing-cpp costs (0.5: the chain
  costs at most 1.5× zxing-cpp alone on an idle camera). That is "every N-th empty frame" with N measured rather
  than guessed: ~every 10th–15th frame on a 640×480 stream on the development machines. A card held in view stays
  for many frames, so the fallbacks still get a few tries a second at a code zxing-cpp cannot read.

Zero wrong texts comes before success rate. zxing-cpp's reads are trusted (Reed–Solomon for QR, mod 103 for
Code128, and conflicting 1-D reads dropped by the decoder); a fallback's 1-D read (EAN/UPC/Code128) counts only
when two independent passes agree (zbar on the frame, zxing-cpp on the straightened crop, zbar on the crop): the
corpus shows both libraries passing EAN-13 misreads through the weak mod-10 check digit, and enlarging a crop
makes such misreads likelier, but never twice the same way. A QR text counts from one pass (its error correction
makes a wrong QR text an encoding question, which the zbar decoder settles by accepting ASCII only).

The chain is not thread-safe (it keeps the budget); give each camera worker its own.
"""

from __future__ import annotations

import logging
import time
from collections import Counter
from collections.abc import Callable, Iterable, Sequence

import numpy as np

from pos_app.scanning.decoders import Decoder, RegionDecoder, ZbarDecoder, ZxingDecoder, drop_conflicts
from pos_app.scanning.results import Read, Symbology

log = logging.getLogger("pos_app.scanning")

DEFAULT_FALLBACK_BUDGET = 0.5  # the fallbacks may add half of zxing-cpp's cost to an idle stream
_ONE_PASS_ENOUGH = frozenset({Symbology.QR_CODE})


class DecoderChain:
    """A primary decoder and fallbacks; decoders whose library is missing are listed in :attr:`missing`."""

    def __init__(
        self,
        primary: Decoder | None,
        fallbacks: Sequence[Decoder] = (),
        *,
        missing: Iterable[str] = (),
        fallback_budget: float = DEFAULT_FALLBACK_BUDGET,
        clock: Callable[[], float] = time.perf_counter,
    ) -> None:
        if fallback_budget < 0:
            raise ValueError("fallback_budget cannot be negative")
        self._primary = primary
        self._fallbacks = list(fallbacks)
        self._budget = fallback_budget
        self._clock = clock
        self._credit = 0.0  # seconds the fallbacks may still spend on this stream
        self._fallback_cost = 0.0  # what they cost last time (0 at first: the first empty frame tries them)
        self.missing: list[str] = list(missing)
        self.available: list[str] = [d.name for d in ([primary] if primary else []) + self._fallbacks]

    def decode(self, gray: np.ndarray, *, still: bool = False) -> list[Read]:
        """Every distinct symbol found in ``gray`` (a 2-D uint8 frame, see :mod:`~pos_app.scanning.frames`)."""
        started = self._clock()
        if self._primary is not None:
            reads = self._primary.decode(gray)
            if reads:
                return reads
        if not self._fallbacks:
            return []
        if not still:
            self._credit += self._budget * (self._clock() - started)
            if self._credit < self._fallback_cost:
                return []
        started = self._clock()
        found = self._fallback_reads(gray)
        if not still:
            self._fallback_cost = self._clock() - started
            self._credit -= self._fallback_cost
        return found

    def reset(self) -> None:
        """Forget the stream's budget (a new camera, a new file)."""
        self._credit = self._fallback_cost = 0.0

    def _fallback_reads(self, gray: np.ndarray) -> list[Read]:
        """The fallbacks' reads that enough passes agree on; stops early once everything found is confirmed."""
        first: dict[tuple[Symbology, str], Read] = {}
        votes: Counter[tuple[Symbology, str]] = Counter()
        for decoder in self._fallbacks:
            for reads in decoder.passes(gray):
                for read in reads:
                    key = (read.symbology, read.text)
                    first.setdefault(key, read)
                    votes[key] += 1
            confirmed = [r for k, r in first.items() if k[0] in _ONE_PASS_ENOUGH or votes[k] >= 2]
            if confirmed and len(confirmed) == len(first):
                break
        return drop_conflicts(confirmed) if first else []


def default_chain(
    symbologies: Iterable[Symbology] = tuple(Symbology),
    *,
    fallback_budget: float = DEFAULT_FALLBACK_BUDGET,
) -> DecoderChain:
    """zxing-cpp, then zbar, then OpenCV-located regions, restricted to ``symbologies``.

    Never raises because an optional library is missing: that decoder is left out and one warning is logged (zbar
    becomes the primary without zxing-cpp). With no library at all the chain finds nothing, and
    :attr:`DecoderChain.missing` says why.
    """
    wanted = frozenset(symbologies)
    zxing = ZxingDecoder(wanted)
    zbar = ZbarDecoder(wanted)
    region = RegionDecoder(wanted, readers=[zxing, zbar])
    missing: list[str] = []
    for decoder in (zxing, zbar, region):
        if not decoder.available:
            missing.append(decoder.name)
            log.warning("scanning: %s decoder unavailable: %s", decoder.name, decoder.unavailable_reason)
    usable: list[Decoder] = [d for d in (zxing, zbar, region) if d.available]
    if not usable or usable[0] is region:
        return DecoderChain(None, usable, missing=missing, fallback_budget=fallback_budget)
    return DecoderChain(usable[0], usable[1:], missing=missing, fallback_budget=fallback_budget)
