"""The keyboard-wedge classifier: a USB scanner's burst told from a person typing, by timing alone.

A USB scanner is a keyboard. It types a code as a burst, keys a few milliseconds apart (1–15 ms, slow ones up
to ~30 ms), and ends it with Enter or Tab; a person types 50–200 ms apart, the fastest digraphs 30–40 ms. So the
classifier holds each key back for at most ``max_gap`` (a few tens of ms): when the next key comes sooner it
joins the run, otherwise the run is released, in order, as :class:`Typed`. A run of ``min_length`` keys ended
by a terminator is a :class:`Scanned` code; nothing shorter, slower or unterminated is, so a person's typing
(their Enter included) always reaches the focused widget. A configured prefix makes a run a scan whatever its
length, and lets it go slower (``prefixed_max_gap``).

A burst is judged as a whole once it is over, its first key included: a scanner's first gap is often longer
than the rest (USB polling, a Bluetooth link, the window system), so a key that came within ``max_gap`` of the
burst is its first key, never a person's (issue 13: taking it for typing left a "G" in the field, the rest of the
code "not known", and the cashier's amount typed after the "G").

A person's key may land inside a scan (a 25 ms scanner needs half a second for a long code). Scanners type at a
steady cadence, so a key that arrives between two scanner keys, splitting one normal gap in two, is the
person's: it is released as :class:`Typed`, the rest is the scan. Keys typed during a scan wait until it ends.

Plain Python, fed from anywhere: ``feed(text, t)`` per key press, ``tick(t)`` when ``deadline()`` passes,
``interrupt(t)`` before letting through a key no scanner sends (Backspace, arrows, shortcuts) so it keeps its
place. In Qt: an application-wide eventFilter feeds key presses that have text (ignoring bare modifiers: the
scanner presses Shift for capitals) and re-posts ``Typed`` text to the focused widget; a single-shot QTimer is
armed at ``deadline()``. Timestamps must come from one clock (``time.monotonic()``, or the key events' own
timestamps mapped onto it: a busy GUI thread delivers a burst late but their timestamps stay true).
"""

from __future__ import annotations

import itertools
import statistics
from dataclasses import dataclass

Key = tuple[str, float]  # one character and when it was typed (seconds)


@dataclass(frozen=True, slots=True)
class Typed:
    """Keys a person typed: they go to the focused widget, in order."""

    text: str


@dataclass(frozen=True, slots=True)
class Scanned:
    """A scanner's burst: prefix, suffix and terminator removed."""

    text: str


WedgeEvent = Typed | Scanned


@dataclass(frozen=True, slots=True)
class WedgeConfig:
    """``terminators``: keys that end a scan (Enter arrives as ``"\\r"`` from Qt). With none configured, a scan
    ends at the ``suffix`` if there is one, else at silence. ``intruder_ratio``, ``short_gap`` and
    ``min_cadence``: see :func:`_intruders`."""

    max_gap: float = 0.035
    min_length: int = 4
    terminators: tuple[str, ...] = ("\r", "\n", "\t")
    prefix: str = ""
    suffix: str = ""
    prefixed_max_gap: float = 0.2
    max_length: int = 1024
    intruder_ratio: float = 1.5
    short_gap: float = 0.55
    min_cadence: float = 0.004


def _median_gap(keys: list[int], times: list[float]) -> float:
    return statistics.median(max(0.0, times[b] - times[a]) for a, b in itertools.pairwise(keys))


def _intruders(times: list[float], config: WedgeConfig) -> set[int]:
    """Indices of keys in a scan's run that break the scanner's cadence: a person's keys.

    ``times`` are the run's keys, the last one the terminator (always the scanner's). The burst is judged as a
    whole, and its first key is the scanner's: a key that came within ``max_gap`` of the burst is held with it
    until the burst is over, and a scanner's first gap is often longer than the rest (USB polling, a Bluetooth
    link, the window system), so no gap before the burst can tell a person's key from the scanner's first one.
    Taking a scanner's first key for typing costs more than the reverse: the rest of the code is "not known",
    and the key left in the focused field catches what the cashier types next; a person's key taken into a scan
    makes it fail to parse, and the cashier scans again.

    P, the scanner's cadence, is the median gap, re-estimated without the keys found (a person typing fast inside
    a slow burst splits so many gaps that the first median is too short). Inside the burst, a gap shorter than
    ``short_gap``·P means one of its two keys is not the scanner's (0.55: a scanner's gaps jitter ±25 %, 4±1 ms
    in whole-millisecond timestamps, and a guess of P from the longer gaps can be 1.25 P, so 0.7 took a scanner's
    shortest gaps for splits): the one whose removal leaves the steadier
    cadence goes, provided the gap it leaves is a plausible scanner gap (below ``intruder_ratio``·P), so jitter
    alone never takes a scanner's key. Below ``min_cadence`` (a 2 ms scanner) gaps are the size of timestamp
    jitter and nothing is told apart: a person's key lands inside a burst that short only by rare chance.
    """
    everything = list(range(len(times)))
    if len(times) < 5:
        return set()
    inner = sorted(max(0.0, b - a) for a, b in itertools.pairwise(times[1:]))  # the first gap may be late
    if statistics.median(inner) < config.min_cadence:
        return set()
    # Two first guesses of the cadence: the median, and the median of the longer half (right when a person's
    # keys split so many gaps that the median is a split one). The guess leaving the steadier burst wins.
    tries = [_split_out(everything, times, guess, config)
             for guess in (statistics.median(inner), statistics.median(inner[len(inner) // 2 :]))]
    alive, _ = min(tries, key=lambda tried: _unsteadiness(tried[0], times))
    return set(everything) - set(alive)


def _split_out(everything: list[int], times: list[float], cadence: float, config: WedgeConfig
               ) -> tuple[list[int], float]:
    """The scanner's keys and cadence, starting from a guess and re-estimating it without the keys found. A
    cadence re-estimated below ``min_cadence`` tells nothing apart: the keys dropped at the guess go back (a 4±1 ms
    scanner's guess from its longer gaps took its shortest ones for a person's)."""
    alive = list(everything)
    for _ in range(4):
        alive = list(everything)
        if cadence < config.min_cadence:
            break
        _drop_splitters(alive, times, cadence, config)
        cadence, previous = _median_gap(alive[1:], times), cadence
        if cadence == previous:
            break
    return alive, cadence


def _unsteadiness(keys: list[int], times: list[float]) -> float:
    """How irregular the gaps between ``keys`` are (standard deviation over mean), the burst's own first gap left
    out (it may be late whatever the keys after it)."""
    gaps = [max(0.0, times[b] - times[a]) for a, b in itertools.pairwise(keys) if (a, b) != (0, 1)]
    mean = statistics.fmean(gaps)
    return statistics.pstdev(gaps) / mean if mean > 0 else 0.0


def _drop_splitters(alive: list[int], times: list[float], cadence: float, config: WedgeConfig) -> None:
    """Remove from ``alive`` the keys that split a scanner gap in two (see :func:`_intruders`)."""

    def deviation(*keys: int) -> float:
        return sum(abs(times[b] - times[a] - cadence) for a, b in itertools.pairwise(keys))

    j = 1
    while j < len(alive):
        a, b = alive[j - 1], alive[j]
        if times[b] - times[a] >= config.short_gap * cadence:
            j += 1
            continue
        before = alive[j - 2 : j - 1]  # the key before a, if any
        after = alive[j + 1 : j + 2]  # the key after b, if any (b is the terminator otherwise)
        options: list[tuple[float, int]] = []
        if before and times[b] - times[before[0]] < config.intruder_ratio * cadence:  # the first key stays
            options.append((deviation(*before, b, *after), j - 1))
        if after and times[after[0]] - times[a] < config.intruder_ratio * cadence:
            options.append((deviation(*before, a, after[0]), j))
        if options:
            alive.pop(min(options)[1])
            j = max(1, j - 1)
        else:
            j += 1


class WedgeClassifier:
    """Splits key presses into :class:`Typed` and :class:`Scanned` events (see the module's docstring)."""

    def __init__(self, config: WedgeConfig | None = None) -> None:
        self.config = config or WedgeConfig()
        self._held: list[Key] = []

    @property
    def holding(self) -> bool:
        return bool(self._held)

    def _prefixed(self) -> bool:
        prefix = self.config.prefix
        return bool(prefix) and "".join(ch for ch, _ in self._held[: len(prefix)]) == prefix

    def _gap_limit(self) -> float:
        return self.config.prefixed_max_gap if self._prefixed() else self.config.max_gap

    def deadline(self) -> float | None:
        """When :meth:`tick` must be called next (the held run ends then if no key comes), or None."""
        return self._held[-1][1] + self._gap_limit() if self._held else None

    def tick(self, t: float) -> list[WedgeEvent]:
        """Release a run whose silence has lasted ``max_gap``; harmless to call early, late or often."""
        deadline = self.deadline()
        if deadline is None or t < deadline:
            return []
        return self._settle(terminated=not self.config.terminators and not self.config.suffix)

    def interrupt(self, t: float) -> list[WedgeEvent]:
        """A key no scanner sends is coming: everything held goes out first, as the person's."""
        out = self.tick(t)
        if self._held:
            out.append(Typed("".join(ch for ch, _ in self._held)))
            self._held = []
        return _merged(out)

    def feed(self, text: str, t: float) -> list[WedgeEvent]:
        """One key press (its text; a composed key may give several characters at once)."""
        out: list[WedgeEvent] = []
        for ch in text:
            out += self._feed_char(ch, t)
        return _merged(out)

    def _feed_char(self, ch: str, t: float) -> list[WedgeEvent]:
        config = self.config
        out = self.tick(t)
        if ch in config.terminators:
            self._held.append((ch, t))
            return out + self._settle(terminated=True)
        self._held.append((ch, t))
        if config.prefix and len(self._held) > len(config.prefix):  # keys before a prefix: the person's
            text = "".join(c for c, _ in self._held)
            if text.endswith(config.prefix) and not self._prefixed():
                cut = len(self._held) - len(config.prefix)
                out.append(Typed(text[:cut]))
                self._held = self._held[cut:]
        if not config.terminators and config.suffix and "".join(c for c, _ in self._held).endswith(config.suffix):
            out += self._settle(terminated=True)
        elif len(self._held) > config.max_length:
            out += self.interrupt(t)
        return out

    def _settle(self, *, terminated: bool) -> list[WedgeEvent]:
        """The held run is over: a scan if it qualifies, else the person's keys, all of them, in order."""
        keys, self._held = self._held, []
        config = self.config
        if not keys:
            return []
        body = keys[:-1] if keys[-1][0] in config.terminators else keys
        prefixed = bool(config.prefix) and "".join(ch for ch, _ in body).startswith(config.prefix)
        intruders = _intruders([t for _, t in keys], config) if terminated else set()
        scan = [ch for i, (ch, _) in enumerate(body) if i not in intruders]
        if not terminated or not (prefixed or len(scan) >= config.min_length):
            return [Typed("".join(ch for ch, _ in keys))]
        text = "".join(scan)
        if prefixed:
            text = text[len(config.prefix) :]
        if config.suffix and text.endswith(config.suffix):
            text = text[: -len(config.suffix)]
        person = "".join(ch for i, (ch, _) in enumerate(body) if i in intruders)
        return ([Typed(person)] if person else []) + ([Scanned(text)] if text else [])


def _merged(events: list[WedgeEvent]) -> list[WedgeEvent]:
    """Consecutive :class:`Typed` events as one, so the widget gets one insertion per call."""
    out: list[WedgeEvent] = []
    for event in events:
        if isinstance(event, Typed) and out and isinstance(out[-1], Typed):
            out[-1] = Typed(out[-1].text + event.text)
        elif not (isinstance(event, Typed) and not event.text):
            out.append(event)
    return out
