"""Receipts as PDF through Qt, read back with poppler: one page of the right width, real text with the remaining
balance, never the whole code, and the same bytes for the same receipt."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from pos_app.domain.money import Money
from pos_app.printing.receipt import Receipt, ReceiptKind
from pos_app.qt_printing.qt_app import needs_offscreen
from tests.printing.receipts import CODE, sample

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
ROOT = Path(__file__).resolve().parents[2]
PT_PER_MM = 72 / 25.4
WIDTH_PT = {"roll80": 80 * PT_PER_MM, "roll58": 58 * PT_PER_MM, "A4": 595.28, "Letter": 612.0}
HEIGHT_PT = {"A4": 841.89, "Letter": 792.0}


@pytest.fixture(scope="module", autouse=True)
def qt() -> None:
    from pos_app.qt_printing.qt_app import ensure_app

    ensure_app()


def render(receipt: Receipt, page: str, tmp_path: Path, name: str = "receipt") -> Path:
    from pos_app.qt_printing.receipt_pdf import render_receipt_pdf

    pdf = tmp_path / f"{name}-{page}.pdf"
    pdf.write_bytes(render_receipt_pdf(receipt, page=page))
    return pdf


def poppler(*args: str | Path) -> str:
    return subprocess.run([str(a) for a in args], capture_output=True, text=True, check=True, timeout=60).stdout


def page_box(pdf: Path) -> tuple[int, float, float]:
    info = poppler("pdfinfo", "-box", pdf)
    pages = int(re.search(r"Pages:\s+(\d+)", info)[1])  # type: ignore[index]
    x0, y0, x1, y1 = map(float, re.search(r"MediaBox:\s+(.+)", info)[1].split())  # type: ignore[index]
    return pages, x1 - x0, y1 - y0


def words(pdf: Path) -> list[tuple[str, float, float]]:
    """Every word with its top and bottom (points from the page's top), from ``pdftotext -bbox``."""
    found = re.findall(r'<word xMin="[\d.]+" yMin="([\d.]+)" xMax="[\d.]+" yMax="([\d.]+)">([^<]*)</word>',
                       poppler("pdftotext", "-bbox", pdf, "-"))
    return [(text, float(top), float(bottom)) for top, bottom, text in found]


@pytest.mark.parametrize("page", ["roll80", "roll58", "A4", "Letter"])
def test_one_page_of_the_right_width_with_the_balance_and_the_masked_code_only(page: str, tmp_path: Path) -> None:
    pdf = render(sample(), page, tmp_path)
    pages, width, height = page_box(pdf)
    assert pages == 1
    assert width == pytest.approx(WIDTH_PT[page], abs=0.5)  # Qt rounds page sizes to whole points
    if page in HEIGHT_PT:
        assert height == pytest.approx(HEIGHT_PT[page], abs=0.5)
    text = poppler("pdftotext", "-layout", pdf, "-")
    assert "Remaining balance" in text and "€37.50" in text  # en_GB, Babel
    assert "€12.50" in text and "•••• JKMN" in text and "Café Zoë" in text
    assert CODE not in text and CODE.replace("-", "") not in text.replace("-", "")


@pytest.mark.parametrize("page", ["roll80", "roll58"])
def test_a_roll_s_page_is_exactly_as_tall_as_the_receipt(page: str, tmp_path: Path) -> None:
    short = render(sample(), page, tmp_path, "short")
    long = render(sample(footer=("Thank you!", "Gift cards are valid three years.", "Come again.")), page, tmp_path,
                  "long")
    _, _, short_h = page_box(short)
    _, _, long_h = page_box(long)
    assert long_h > short_h + 10
    for pdf, height in ((short, short_h), (long, long_h)):
        bottom = max(b for _, _, b in words(pdf))
        assert 0 < height - bottom <= 8 * PT_PER_MM + 3  # the 8 mm tear-off margin, then the page ends


def test_on_office_paper_the_receipt_sits_at_the_top_centre(tmp_path: Path) -> None:
    found = words(render(sample(), "A4", tmp_path))
    assert min(t for _, t, _ in found) < 30 * PT_PER_MM
    assert max(b for _, _, b in found) < HEIGHT_PT["A4"] / 2


def test_the_remaining_balance_is_the_largest_text(tmp_path: Path) -> None:
    found = words(render(sample(), "roll80", tmp_path))
    tallest = max(found, key=lambda w: w[2] - w[1])
    assert tallest[0] == "€37.50"


def test_amounts_follow_the_receipt_s_locale(tmp_path: Path) -> None:
    receipt = sample(locale="de_DE", kind=ReceiptKind.TOP_UP, amount=Money(2000, "EUR"), balance=Money(5750, "EUR"))
    text = poppler("pdftotext", render(receipt, "roll58", tmp_path), "-")
    assert "57,50 €" in text and "20,00 €" in text


def test_a_provisional_receipt_says_so(tmp_path: Path) -> None:
    text = poppler("pdftotext", render(sample(provisional=True), "roll80", tmp_path), "-")
    assert "PROVISIONAL" in text and "offline" in text  # no ligature turns "offline" into "o\ufb04ine"


def test_the_same_receipt_gives_the_same_bytes_even_in_another_process(tmp_path: Path) -> None:
    from pos_app.qt_printing.receipt_pdf import render_receipt_pdf

    here = render_receipt_pdf(sample(), page="roll80")
    assert render_receipt_pdf(sample(), page="roll80") == here
    script = ("import sys; from tests.printing.receipts import sample;"
              "from pos_app.qt_printing.receipt_pdf import render_receipt_pdf;"
              "sys.stdout.buffer.write(render_receipt_pdf(sample(), page='roll80'))")
    other = subprocess.run([sys.executable, "-c", script], cwd=ROOT, capture_output=True, check=True, timeout=120,
                           env={**os.environ, "QT_QPA_PLATFORM": "offscreen"}).stdout
    assert other == here
    assert render_receipt_pdf(sample(balance=Money(3700, "EUR")), page="roll80") != here
    dates = poppler("pdfinfo", "-isodates", render(sample(), "roll80", tmp_path))
    assert "CreationDate:    2026-03-12T13:05:09Z" in dates  # the receipt's time, not the rendering's


def test_an_unknown_page_is_refused() -> None:
    from pos_app.qt_printing.receipt_pdf import render_receipt_pdf

    with pytest.raises(ValueError, match="unknown page"):
        render_receipt_pdf(sample(), page="A5")


def test_printing_to_a_printer_that_does_not_exist_is_a_clear_refusal() -> None:
    from pos_app.qt_printing.receipt_pdf import PrinterNotFound, print_receipt

    with pytest.raises(PrinterNotFound, match="no printer named 'Office Laser 9'") as caught:
        print_receipt(sample(), "Office Laser 9")
    assert caught.value.key == "printer_not_found"


@pytest.mark.parametrize(("env", "platform", "offscreen"), [
    ({}, "linux", True),
    ({"DISPLAY": ":0"}, "linux", False),
    ({"WAYLAND_DISPLAY": "wayland-0"}, "linux", False),
    ({"QT_QPA_PLATFORM": "xcb"}, "linux", False),
    ({}, "win32", False),
    ({}, "darwin", False),
])
def test_offscreen_only_where_there_is_no_display(env: dict[str, str], platform: str, offscreen: bool) -> None:
    assert needs_offscreen(env, platform) is offscreen


def test_many_qt_calls_do_not_exhaust_none() -> None:
    """PySide6 6.12 on Python 3.11 drops a reference to None per void call; ensure_app guards against it."""
    script = ("from pos_app.qt_printing.qt_app import ensure_app; ensure_app();"
              "from PySide6.QtCore import QRectF; r = QRectF();"
              "[r.setWidth(1.0) for _ in range(200_000)]; print('alive')")
    done = subprocess.run([sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, timeout=120,
                          env={**os.environ, "QT_QPA_PLATFORM": "offscreen"}, check=False)
    assert (done.returncode, done.stdout.strip()) == (0, "alive"), done.stderr
