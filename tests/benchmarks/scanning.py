"""Scanning benchmark (not part of the test run): ``python -m tests.benchmarks.scanning [--frames 200]``.

Prints, for the decoder chain and for raw zxing-cpp and raw pyzbar measured in the same run on the same frames:
1. per symbology, success rate, wrong texts and median/p95 ms per frame on the real photos of the scan corpus
   (fitted into 640×480) and on generated webcam frames (``tests/scanning/synth.py``: seed and severities there);
2. the average cost per frame of a simulated 30 fps stream with no card in view: the chain in stream mode
   (``still=False``) against raw zxing-cpp (target: ≤ 1.5×).
The chain's target on frames with a code is ≤ 1.5× raw zxing-cpp (median), with no wrong text. ``chain`` is
still mode (``pos-app decode``: every fallback on a frame zxing-cpp misses); ``stream`` is the camera's mode, one
frame after another (the fallbacks within their time budget), which is what a till pays per frame.
"""

from __future__ import annotations

import argparse
import random
import statistics
import time
from collections.abc import Callable, Iterable

import numpy as np

from pos_app.scanning.chain import default_chain
from tests.scanning import synth
from tests.scanning.corpus import CORPUS, RAW, samples

Case = tuple[str, np.ndarray, str, Callable[[str], bool]]  # label, frame, expected text, is this text wrong?


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def measure(cases: list[Case]) -> dict[str, tuple[int, int, list[float]]]:
    """For each decoder: frames read, frames with a wrong text, ms per frame."""
    chain, stream = default_chain(), default_chain()
    decoders: dict[str, Callable[[np.ndarray], list[str]]] = {
        "chain": lambda g: [r.text for r in chain.decode(g, still=True)],
        "stream": lambda g: [r.text for r in stream.decode(g)],
        **RAW,
    }
    out: dict[str, tuple[int, int, list[float]]] = {}
    for name, decode in decoders.items():
        hits = wrong = 0
        times: list[float] = []
        for _, gray, expected, is_wrong in cases:
            started = time.perf_counter()
            texts = decode(gray)
            times.append((time.perf_counter() - started) * 1000)
            hits += expected in texts
            wrong += any(is_wrong(t) for t in texts)
        out[name] = (hits, wrong, times)
    return out


def report(title: str, cases: list[Case]) -> None:
    figures = measure(cases)
    base = statistics.median(figures["zxing-cpp"][2])
    base_mean = statistics.fmean(figures["zxing-cpp"][2])
    for name, (hits, wrong, times) in figures.items():
        median, mean = statistics.median(times), statistics.fmean(times)
        print(f"{title:<22} {name:<10} {hits:4}/{len(cases):<4} {100 * hits / len(cases):6.1f}%  wrong {wrong:<3}"
              f" median {median:6.2f} ms  p95 {pct(times, 0.95):6.2f} ms  mean {mean:6.2f} ms"
              f"  ×zxing median {median / base:4.2f} mean {mean / base_mean:4.2f}")


def corpus_cases() -> Iterable[tuple[str, list[Case]]]:
    by_symbology: dict[str, list[Case]] = {}
    for s in samples(640, 480):
        by_symbology.setdefault(s.symbology.value, []).append((s.name, s.gray, s.expected, s.is_wrong))
    return [(f"corpus {sym}", cases) for sym, cases in by_symbology.items()]


def generated_cases(frames: int) -> Iterable[tuple[str, list[Case]]]:
    sets = [("qr", (640, 480)), ("qr", (1280, 720)), ("code128", (1280, 720))]
    for offset, (kind, size) in enumerate(sets):
        rng = random.Random(synth.SEED + 1000 + offset)
        make = synth.qr_frame if kind == "qr" else synth.code128_frame
        cases: list[Case] = []
        for i in range(frames):
            code = synth.gift_code(rng)
            cases.append((f"{kind}-{i}", make(rng, code, size), code, lambda t, c=code: t != c))
        yield f"synth {kind} {size[0]}x{size[1]}", cases


def idle_stream(size: tuple[int, int], seconds: float) -> None:
    """A camera looking at the counter: 30 fps, no card; a few scenes, each with fresh sensor noise per frame."""
    rng = random.Random(synth.SEED + 7)
    scenes = [synth.empty_frame(rng, size) for _ in range(6)]
    noise = np.random.default_rng(synth.SEED)
    count = int(30 * seconds)
    stream = [np.clip(scenes[(i // 30) % len(scenes)] + noise.normal(0, 3, scenes[0].shape), 0, 255).astype(np.uint8)
              for i in range(count)]
    chain = default_chain()
    zxing = RAW["zxing-cpp"]
    costs: dict[str, float] = {}
    for name, decode in (("zxing-cpp", zxing), ("chain", lambda g: chain.decode(g, still=False))):
        started = time.perf_counter()
        found = sum(bool(decode(frame)) for frame in stream)
        costs[name] = (time.perf_counter() - started) * 1000 / count
        print(f"idle {size[0]}x{size[1]} 30 fps    {name:<10} {costs[name]:6.2f} ms/frame over {count} frames,"
              f" {found} frames with a read")
    print(f"idle {size[0]}x{size[1]} 30 fps    chain/zxing-cpp = {costs['chain'] / costs['zxing-cpp']:.2f}×"
          f"  (target ≤ 1.5×)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--frames", type=int, default=200, help="generated frames per set (default 200)")
    parser.add_argument("--idle-seconds", type=float, default=20.0, help="simulated idle stream length")
    args = parser.parse_args()
    print(f"seed {synth.SEED}; QR {synth.QR_WEBCAM}\nCode128 {synth.CODE128_WEBCAM}\n")
    if CORPUS.is_dir():
        for title, cases in corpus_cases():
            report(title, cases)
    else:
        print(f"(scan corpus not found at {CORPUS}: skipped)")
    for title, cases in generated_cases(args.frames):
        report(title, cases)
    for size in synth.SIZES:
        idle_stream(size, args.idle_seconds)


if __name__ == "__main__":
    main()
