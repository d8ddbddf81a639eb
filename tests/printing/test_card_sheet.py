"""Card sheets: the layout as plain data (no Qt), then real PDFs read back with poppler and decoded by zxing-cpp."""

from __future__ import annotations

import os
import subprocess
from collections.abc import Iterator
from dataclasses import replace
from datetime import date
from pathlib import Path

import numpy as np
import pytest
import zxingcpp
from PIL import Image

from pos_app.domain.codes import CodeConfig, generate_code
from pos_app.domain.money import Money
from pos_app.printing.card_sheet import (
    CODE128_QUIET_MODULES,
    MIN_MODULE_MM,
    CardFace,
    CardGeometry,
    SheetCancelled,
    layout,
    page_count,
    pages,
)
from pos_app.printing.symbols import code128_misreads

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
DPI = 200


def faces(n: int, **changes: object) -> list[CardFace]:
    config = CodeConfig.readable_default()
    base: dict[str, object] = {"amount": Money(5000, "EUR"), "expires": date(2027, 12, 31),
                               "shop_name": "Corner Shop", "campaign": "Winter 2026", "locale": "en_IE"}
    return [CardFace(code=generate_code(config), **{**base, **changes}) for _ in range(n)]  # type: ignore[arg-type]


def inside(x: float, y: float, box: object) -> bool:
    return bool(box.x < x < box.x + box.w and box.y < y < box.y + box.h)  # type: ignore[attr-defined]


# ---- layout (plain data) -------------------------------------------------------------------------------------


@pytest.mark.parametrize(("page", "columns", "rows"), [("A4", 2, 5), ("Letter", 2, 4)])
def test_credit_card_sized_cards_fill_the_page_within_its_margins(page: str, columns: int, rows: int) -> None:
    sheet = layout(page)
    assert (sheet.columns, sheet.rows, sheet.per_page) == (columns, rows, columns * rows)
    boxes = [sheet.card_box(i) for i in range(sheet.per_page)]
    for box in boxes:
        assert (box.w, box.h) == (85.6, 54.0)
        assert box.x >= 5 and box.y >= 5
        assert box.x + box.w <= sheet.page.width - 5 and box.y + box.h <= sheet.page.height - 5
    for a in boxes:  # a gutter between any two cards, so that a cut may miss by a little
        for b in boxes:
            if a is not b:
                apart_x = max(b.x - (a.x + a.w), a.x - (b.x + b.w))
                apart_y = max(b.y - (a.y + a.h), a.y - (b.y + b.h))
                assert max(apart_x, apart_y) >= sheet.gutter - 1e-9
    left, right = boxes[0].x, sheet.page.width - (boxes[-1].x + boxes[-1].w)
    assert left == pytest.approx(right)  # centred


def test_cut_marks_are_outside_every_card_and_continue_its_edges() -> None:
    sheet = layout("A4")
    marks = sheet.cut_marks(sheet.per_page)
    boxes = [sheet.card_box(i) for i in range(sheet.per_page)]
    assert len(marks) == 8 * sheet.per_page  # two at each corner
    for x1, y1, x2, y2 in marks:
        assert x1 == x2 or y1 == y2
        for t in np.linspace(0, 1, 11):
            x, y = x1 + t * (x2 - x1), y1 + t * (y2 - y1)
            assert not any(inside(x, y, box) for box in boxes), (x1, y1, x2, y2)
            assert 0 <= x <= sheet.page.width and 0 <= y <= sheet.page.height
        edges_x = {b.x for b in boxes} | {b.x + b.w for b in boxes}
        edges_y = {b.y for b in boxes} | {b.y + b.h for b in boxes}
        assert (x1 == x2 and x1 in edges_x) or (y1 == y2 and y1 in edges_y)
    assert len(sheet.cut_marks(3)) == 8 * 3  # a last page that is not full: marks only for its cards


def test_the_readable_code_gets_a_code128_with_ten_mil_modules_and_its_quiet_zones() -> None:
    card = CardGeometry()
    modules = 11 * (22 + 2) + 13  # GC-XXXX-XXXX-XXXX-XXXX in subset B: start, 22 characters, check, stop
    module = card.barcode_module(modules)
    assert module == pytest.approx(0.254, abs=1e-3)
    assert module * DPI / 25.4 == pytest.approx(2.0)  # exactly two pixels at 200 dpi
    assert (card.barcode.w - modules * module) / 2 >= CODE128_QUIET_MODULES * module
    assert card.barcode.x + card.barcode.w <= card.width - card.padding + 1e-9


def test_a_code_too_long_for_a_scannable_code128_gets_none() -> None:
    card = CardGeometry()
    assert card.barcode_module(11 * (40 + 2) + 13) is None
    longest = int(card.barcode.w / MIN_MODULE_MM) - 2 * CODE128_QUIET_MODULES
    assert card.barcode_module(longest) is not None


def test_a_card_that_does_not_fit_the_page_is_refused() -> None:
    with pytest.raises(ValueError, match="does not fit"):
        layout("A4", card=CardGeometry(width=300.0))
    with pytest.raises(ValueError, match="unknown page size"):
        layout("A3")


def test_pages_pull_faces_a_page_at_a_time() -> None:
    sheet = layout("A4")
    pulled = 0

    def stream() -> Iterator[CardFace]:
        nonlocal pulled
        for face in faces(25):
            pulled += 1
            yield face

    it = pages(stream(), sheet)
    assert len(next(it)) == 10 and pulled == 10
    assert [len(chunk) for chunk in it] == [10, 5]
    assert page_count(25, sheet) == 3 and page_count(20, sheet) == 2


# ---- rendered PDFs ----------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def qt() -> None:
    from pos_app.qt_printing.qt_app import ensure_app

    ensure_app()


def rasterise(pdf: Path, dpi: int = DPI) -> list[Path]:
    prefix = pdf.with_suffix("")
    subprocess.run(["pdftoppm", "-r", str(dpi), "-png", str(pdf), str(prefix)], check=True, timeout=120)
    return sorted(pdf.parent.glob(f"{prefix.name}-*.png"))


#: Readable codes whose Code128 zxing-cpp also reads as an EAN-13 (found by CI's random codes, 2026-12-07).
MISREADING = ("GC-Q23H-HKVS-B4S7-X4N7", "GC-9T3N-HBPV-W6QA-N7SJ")


def decoded(pngs: list[Path]) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {"QRCode": [], "Code128": []}
    for png in pngs:
        for result in zxingcpp.read_barcodes(Image.open(png)):
            found.setdefault(result.format.name, []).append(result.text)
    return found


@pytest.fixture(scope="module")
def sheet_of_30(qt: None, tmp_path_factory: pytest.TempPathFactory) -> tuple[list[CardFace], Path]:
    from pos_app.qt_printing.card_sheet_pdf import render_card_sheet

    cards = faces(30)
    out = tmp_path_factory.mktemp("sheet") / "cards.pdf"
    result = render_card_sheet(cards, out)
    assert (result.file, result.pages, result.cards, result.without_barcode) == (out, 3, 30, 0)
    return cards, out


def test_every_card_s_qr_and_code128_decode_to_exactly_its_code_at_200_dpi(
        sheet_of_30: tuple[list[CardFace], Path]) -> None:
    cards, pdf = sheet_of_30
    found = decoded(rasterise(pdf))
    codes = sorted(card.code for card in cards)
    assert sorted(found["QRCode"]) == codes
    assert sorted(found["Code128"]) == [code for code in codes if not code128_misreads(code)]
    assert set(found) == {"QRCode", "Code128"}


def test_a_code_whose_code128_reads_as_an_ean_13_is_printed_without_it(qt: None, tmp_path: Path) -> None:
    """zxing-cpp took these two cards' Code128 for an EAN-13, and a till decodes EAN-13 too: the cashier would
    have scanned a number that is no card. They get QR and text only, and the till reads exactly their codes."""
    from pos_app.qt_printing.card_sheet_pdf import render_card_sheet
    from pos_app.scanning.decoders import ZxingDecoder

    assert all(code128_misreads(code) for code in MISREADING)
    cards = [replace(face, code=code) for face, code in zip(faces(4), (*MISREADING, *MISREADING), strict=True)]
    cards += faces(2)
    result = render_card_sheet(cards, tmp_path / "cards.pdf")
    assert result.without_barcode == 4 + sum(code128_misreads(card.code) for card in cards[4:])
    [png] = rasterise(tmp_path / "cards.pdf")
    reads = ZxingDecoder().decode(np.asarray(Image.open(png).convert("L")))
    assert {read.text for read in reads} == {card.code for card in cards}


def test_the_sheet_has_the_cards_text(sheet_of_30: tuple[list[CardFace], Path]) -> None:
    cards, pdf = sheet_of_30
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
    assert "Pages:           3" in info and "(A4)" in info
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    for card in cards:
        assert card.code in text
    assert text.count("€50.00") == 30 and text.count("Valid until 31 Dec 2027") == 30
    assert text.count("Corner Shop") == 30 and "Winter 2026" in text


def test_cut_marks_are_printed_and_the_card_corner_stays_white(sheet_of_30: tuple[list[CardFace], Path]) -> None:
    _, pdf = sheet_of_30
    assert_cut_marks_and_white_corner(rasterise(pdf)[0])


def test_progress_is_monotonic_and_reaches_the_total(qt: None, tmp_path: Path) -> None:
    from pos_app.qt_printing.card_sheet_pdf import render_card_sheet

    seen: list[tuple[int, int]] = []
    render_card_sheet(iter(faces(12)), tmp_path / "p.pdf", page="Letter", total=12,
                      progress=lambda done, total: seen.append((done, total)), symbols=False)
    assert [done for done, _ in seen] == list(range(1, 13))
    assert {total for _, total in seen} == {12}


def test_cancel_stops_early_and_leaves_no_file(qt: None, tmp_path: Path) -> None:
    from pos_app.qt_printing.card_sheet_pdf import render_card_sheet

    out = tmp_path / "cards.pdf"
    out.write_bytes(b"the sheet printed yesterday")
    done: list[int] = []
    with pytest.raises(SheetCancelled):
        render_card_sheet(faces(40), out, progress=lambda d, t: done.append(d), cancelled=lambda: len(done) >= 15)
    assert max(done) == 15
    assert out.read_bytes() == b"the sheet printed yesterday"  # the old file, whole; never half of the new one
    assert sorted(p.name for p in tmp_path.iterdir()) == ["cards.pdf"]


def test_no_cards_is_an_error_and_writes_nothing(qt: None, tmp_path: Path) -> None:
    from pos_app.qt_printing.card_sheet_pdf import render_card_sheet

    with pytest.raises(ValueError, match="no cards"):
        render_card_sheet([], tmp_path / "empty.pdf")
    assert list(tmp_path.iterdir()) == []


def test_a_code_too_long_for_code128_still_has_its_qr(qt: None, tmp_path: Path) -> None:
    from pos_app.qt_printing.card_sheet_pdf import render_card_sheet

    long_code = "SHOP-" + "ABCDEFGHJK" * 3 + "-2026"
    card = CardFace(code=long_code, amount=Money(2500, "GBP"), expires=None, shop_name="Corner Shop",
                    campaign="Imported", locale="en_GB")
    result = render_card_sheet([card], tmp_path / "long.pdf")
    assert result.without_barcode == 1
    found = decoded(rasterise(tmp_path / "long.pdf"))
    assert found["QRCode"] == [long_code] and found["Code128"] == []
    text = subprocess.run(["pdftotext", str(tmp_path / "long.pdf"), "-"], capture_output=True, text=True,
                          check=True).stdout
    assert "£25.00" in text and "No expiry date" in text


@pytest.mark.parametrize("encoder", ["zxing-cpp", "qrcode"])
def test_both_qr_encoders_make_symbols_that_decode(encoder: str) -> None:
    from pos_app.printing.symbols import dark_runs, qr_matrix

    code = faces(1)[0].code
    matrix = qr_matrix(code, encoder)
    rebuilt = np.zeros_like(matrix)
    for row, column, length in dark_runs(matrix):
        rebuilt[row, column : column + length] = True
    assert (rebuilt == matrix).all()
    image = np.pad(np.where(matrix, 0, 255).astype(np.uint8), 4, constant_values=255).repeat(4, 0).repeat(4, 1)
    assert [r.text for r in zxingcpp.read_barcodes(image)] == [code]


def assert_cut_marks_and_white_corner(png: Path, page: str = "A4") -> None:
    """Every cut mark of a full page has ink where the layout puts it, and the first card's corner has none (the
    marks stay outside the cards). Shared by the Qt and the fpdf2 renderers' tests."""
    ink = np.asarray(Image.open(png).convert("L")) < 128
    sheet = layout(page)

    def px(mm: float) -> int:
        return round(mm * DPI / 25.4)

    for x1, y1, x2, y2 in sheet.cut_marks(sheet.per_page):
        x, y = (x1 + x2) / 2, (y1 + y2) / 2
        assert ink[px(y) - 1 : px(y) + 2, px(x) - 1 : px(x) + 2].any(), (x1, y1, x2, y2)
    box = sheet.card_box(0)
    assert not ink[px(box.y) + 2 : px(box.y + 2), px(box.x) + 2 : px(box.x + 2)].any()  # inside: no mark
