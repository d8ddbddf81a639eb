"""Printing benchmark (not part of the test run): ``python -m tests.benchmarks.printing [--runs 300]``.

Each section measures one kind of print job and prints median/p95 ms per job, next to a baseline measured in the
same run on the same machine, so the figures are read as ratios rather than as absolute times:

* ``receipts`` — one receipt to plain text (48 columns) and to ESC/POS bytes on a printer with native QR
  (TM-T20II, 80 mm) and on one that needs the QR as a raster image (POS-5890, 58 mm). Baselines:
  python-escpos's ``Dummy`` printing the same plain-text lines with no layout of ours (and, for the raster
  printer, the same QR image), i.e. what the library costs by itself.

* ``pdf`` — the same receipt as a one-page PDF through Qt (80 mm roll, A4). Baseline: a bare QPdfWriter page
  with one line of text, i.e. what Qt costs to start and finish a PDF at all.
* ``sheets`` — a sheet of ``--cards`` cards (default 1,000; A4, 10 per page): seconds, cards/s, file size and
  the peak memory (RSS) of a fresh process that does only that. Baselines: the same sheet without QR and
  Code128 (text and cut marks only), and a process that only starts Qt. "+… while drawing" is the peak RSS
  during the sheet over the RSS just before it (Linux): streaming means it stays small and does not grow with
  ``--cards``.

To add a section: write ``def section(args) -> None`` that prints its rows with
:func:`report`, and append it to ``SECTIONS`` in :func:`main`.
"""

from __future__ import annotations

import argparse
import contextlib
import multiprocessing
import resource
import statistics
import tempfile
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

from escpos.printer import Dummy

from pos_app.printing.escpos_render import render_escpos
from pos_app.printing.text import render_text
from tests.printing.receipts import sample

Section = Callable[[argparse.Namespace], None]


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def measure(job: Callable[[], object], runs: int) -> list[float]:
    """ms per call of ``job`` over ``runs`` calls, after a few warm-up calls (caches, imports, code pages)."""
    for _ in range(min(10, runs)):
        job()
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        job()
        times.append((time.perf_counter() - started) * 1000)
    return times


def report(section: str, name: str, times: list[float], baseline: list[float] | None = None) -> None:
    median = statistics.median(times)
    ratio = f"  ×baseline median {median / statistics.median(baseline):5.2f}" if baseline else ""
    print(f"{section:<10} {name:<34} median {median:7.3f} ms  p95 {pct(times, 0.95):7.3f} ms{ratio}")


def receipts(args: argparse.Namespace) -> None:
    receipt = sample(provisional=True, order_ref="ORD-2026-000123", reason="Customer paid part by card")
    lines = render_text(receipt, 48).split("\n")

    def plain_dummy(qr_image: bool = False) -> bytes:
        printer = Dummy(profile="TM-T20II")
        for line in lines:
            printer.textln(line)
        if qr_image:
            printer.qr(receipt.entry_id, size=6, native=False)
        printer.cut()
        return bytes(printer.output)

    base = measure(plain_dummy, args.runs)
    base_image = measure(lambda: plain_dummy(qr_image=True), args.runs)
    report("receipts", "baseline: Dummy, plain lines", base)
    report("receipts", "baseline: Dummy, lines + QR image", base_image)
    report("receipts", "text, 48 columns", measure(lambda: render_text(receipt, 48), args.runs), base)
    report("receipts", "ESC/POS TM-T20II 80mm (native QR)",
           measure(lambda: render_escpos(receipt, "TM-T20II", "80mm"), args.runs), base)
    report("receipts", "ESC/POS POS-5890 58mm (QR image)",
           measure(lambda: render_escpos(receipt, "POS-5890", "58mm"), args.runs), base_image)


def pdf(args: argparse.Namespace) -> None:
    from PySide6.QtCore import QBuffer, QIODevice
    from PySide6.QtGui import QPageSize, QPainter, QPdfWriter

    from pos_app.qt_printing.qt_app import ensure_app
    from pos_app.qt_printing.receipt_pdf import render_receipt_pdf

    ensure_app()
    receipt = sample(provisional=True, order_ref="ORD-2026-000123", reason="Customer paid part by card")

    def bare_page() -> bytes:
        buffer = QBuffer()
        buffer.open(QIODevice.OpenModeFlag.WriteOnly)
        writer = QPdfWriter(buffer)
        writer.setPageSize(QPageSize(QPageSize.PageSizeId.A4))
        painter = QPainter(writer)
        painter.drawText(100, 100, "Remaining balance €37.50")
        painter.end()
        return bytes(buffer.data().data())

    runs = max(20, args.runs // 3)
    base = measure(bare_page, runs)
    report("pdf", "baseline: bare QPdfWriter, 1 line", base)
    report("pdf", "receipt PDF, 80 mm roll", measure(lambda: render_receipt_pdf(receipt, page="roll80"), runs), base)
    report("pdf", "receipt PDF, A4", measure(lambda: render_receipt_pdf(receipt, page="A4"), runs), base)


def _rss_mb(field: str) -> float:
    """``VmRSS`` (now) or ``VmHWM`` (peak) of this process, in MB (Linux); else the peak from getrusage."""
    try:
        status = Path("/proc/self/status").read_text()
    except OSError:
        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return int(status.split(f"{field}:", 1)[1].split()[0]) / 1024


def _reset_peak_rss() -> None:
    with contextlib.suppress(OSError):
        Path("/proc/self/clear_refs").write_text("5")  # Linux: the peak (VmHWM) starts again from now


def _sheet_in_child(cards: int, mode: str, results: Any) -> None:
    """In a fresh process: start Qt, make ``cards`` faces, time the sheet; send back seconds, bytes, the RSS
    before the sheet and the peak RSS while it was drawn."""
    from pos_app.domain.codes import CodeConfig, generate_code
    from pos_app.domain.money import Money
    from pos_app.printing.card_sheet import CardFace
    from pos_app.qt_printing.card_sheet_pdf import render_card_sheet
    from pos_app.qt_printing.qt_app import ensure_app

    ensure_app()
    config = CodeConfig.readable_default()
    seconds, size = 0.0, 0
    before = _rss_mb("VmRSS")
    _reset_peak_rss()
    if mode != "qt-only":
        faces = (CardFace(code=generate_code(config), amount=Money(5000, "EUR"), expires=date(2027, 12, 31),
                          shop_name="Corner Shop", campaign="Winter 2026", locale="en_IE") for _ in range(cards))
        with tempfile.TemporaryDirectory() as folder:
            out = Path(folder) / "cards.pdf"
            started = time.perf_counter()
            render_card_sheet(faces, out, total=cards, symbols=mode == "full")
            seconds = time.perf_counter() - started
            size = out.stat().st_size
    results.put((seconds, size, before, _rss_mb("VmHWM")))


def _sheet(cards: int, mode: str) -> tuple[float, int, float, float]:
    context = multiprocessing.get_context("spawn")
    results = context.Queue()
    child = context.Process(target=_sheet_in_child, args=(cards, mode, results))
    child.start()
    figures: tuple[float, int, float, float] = results.get(timeout=1800)
    child.join()
    return figures


def sheets(args: argparse.Namespace) -> None:
    """Code generation is outside the timing (about 20 µs a code); everything from the first card drawn to the
    file renamed into place is inside it."""
    _, _, qt_rss, _ = _sheet(0, "qt-only")
    print(f"{'sheets':<10} {'baseline: a process with Qt started':<34} RSS {qt_rss:6.1f} MB")
    base_s = 0.0
    for mode, name in (("plain", f"baseline: {args.cards} cards, no codes"),
                       ("full", f"{args.cards} cards, QR+Code128")):
        seconds, size, before, peak = _sheet(args.cards, mode)
        ratio = f"  ×baseline {seconds / base_s:4.2f}" if base_s else ""
        base_s = base_s or seconds
        print(f"{'sheets':<10} {name:<34} {seconds:6.2f} s  {args.cards / seconds:6.0f} cards/s  "
              f"{size / 1e6:5.1f} MB file  peak RSS {peak:6.1f} MB (+{peak - before:5.1f} while drawing){ratio}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=300, help="timed runs per measurement (default 300)")
    parser.add_argument("--cards", type=int, default=1000, help="cards on the benchmarked sheet (default 1,000)")
    args = parser.parse_args()
    sections: list[Section] = [receipts, pdf, sheets]
    for section in sections:
        section(args)


if __name__ == "__main__":
    main()
