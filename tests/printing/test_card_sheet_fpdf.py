"""The server's card sheets (fpdf2, no Qt): the shared layout drawn to PDF, read back with poppler and decoded by
zxing-cpp, card by card, as the till's sheets are (``test_card_sheet.py``)."""

from __future__ import annotations

import subprocess
from dataclasses import replace
from pathlib import Path

import pytest

from pos_app.domain.money import Money
from pos_app.printing.card_sheet import CardFace
from pos_app.printing.card_sheet_fpdf import dejavu_files, render_card_sheet_pdf
from pos_app.printing.symbols import code128_misreads
from tests.printing.test_card_sheet import (
    MISREADING,
    assert_cut_marks_and_white_corner,
    decoded,
    faces,
    rasterise,
)

#: Codes that once caused trouble or sit at an edge: Code128s that pass for an EAN-13 (printed without it), one
#: found here too, subset C runs of digits (python-barcode switches subsets), an imported lower-case code kept as
#: given, a short one (wider modules), one with a character a spreadsheet would run.
FIXED = [*MISREADING, "GC-9AX9-H6QG-CXZV-EMCX", "GC-2345-6789-2345-678Z", "voucher-2024-abc", "AB12", "=SUM(A1)-7"]


def written(tmp_path: Path, cards: list[CardFace], **options: object) -> Path:
    result = render_card_sheet_pdf(cards, **options)  # type: ignore[arg-type]
    out = tmp_path / "cards.pdf"
    out.write_bytes(result.body)
    return out


def test_every_card_s_qr_and_code128_decode_to_exactly_its_code_at_200_dpi(tmp_path: Path) -> None:
    fixed = [replace(face, code=code) for face, code in zip(faces(len(FIXED)), FIXED, strict=True)]
    cards = fixed + faces(30 - len(FIXED))
    result = render_card_sheet_pdf(cards)
    without = [card.code for card in cards if code128_misreads(card.code)]
    assert len(without) >= 3
    assert (result.pages, result.cards, result.without_barcode) == (3, 30, len(without))
    pdf = tmp_path / "cards.pdf"
    pdf.write_bytes(result.body)
    found = decoded(rasterise(pdf))  # every format a till reads: no card reads as a retail barcode
    codes = sorted(card.code for card in cards)
    assert sorted(found["QRCode"]) == codes
    assert sorted(found["Code128"]) == sorted(set(codes) - set(without))
    assert set(found) == {"QRCode", "Code128"}


def test_the_sheet_has_each_card_s_text_on_a4(tmp_path: Path) -> None:
    cards = faces(12)
    pdf = written(tmp_path, cards)
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
    assert "Pages:           2" in info and "(A4)" in info and "Title:           Gift cards" in info
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    for card in cards:
        assert card.code in text
    assert text.count("€50.00") == 12 and text.count("Valid until 31 Dec 2027") == 12
    assert text.count("Corner Shop") == 12 and "Winter 2026" in text


def test_a_german_shop_s_cards_say_it_in_german(tmp_path: Path) -> None:
    pdf = written(tmp_path, faces(1, locale="de_DE", shop_name="Laden Süd"), page="Letter")
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    assert "50,00 €" in text and "Gültig bis 31.12.2027" in text and "Laden Süd" in text
    assert "(letter)" in subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout


def test_cut_marks_are_where_the_layout_puts_them(tmp_path: Path) -> None:
    assert_cut_marks_and_white_corner(rasterise(written(tmp_path, faces(10)))[0])


def test_a_code_too_long_for_code128_still_has_its_qr_and_a_long_shop_name_is_shortened(tmp_path: Path) -> None:
    long_code = "SHOP-" + "ABCDEFGHJK" * 3 + "-2026"
    card = CardFace(code=long_code, amount=Money(2500, "GBP"), expires=None, shop_name="The " + "Very " * 30 + "End",
                    campaign="Imported", locale="en_GB")
    result = render_card_sheet_pdf([card])
    assert result.without_barcode == 1
    (tmp_path / "long.pdf").write_bytes(result.body)
    found = decoded(rasterise(tmp_path / "long.pdf"))
    assert found["QRCode"] == [long_code] and found["Code128"] == []
    text = subprocess.run(["pdftotext", str(tmp_path / "long.pdf"), "-"], capture_output=True, text=True,
                          check=True).stdout
    assert "£25.00" in text and "No expiry date" in text and "End" not in text and "…" in text


def test_faces_are_pulled_a_page_at_a_time_and_none_is_an_error() -> None:
    pulled: list[int] = []

    def stream():  # type: ignore[no-untyped-def]
        for n, face in enumerate(faces(15), start=1):
            pulled.append(n)
            yield face

    assert render_card_sheet_pdf(stream(), symbols=False).pages == 2 and pulled[-1] == 15
    with pytest.raises(ValueError, match="no cards"):
        render_card_sheet_pdf([])


def test_the_system_s_dejavu_fonts_are_used_as_on_the_till(tmp_path: Path) -> None:
    assert dejavu_files() is not None, "Debian's fonts-dejavu-core is missing"
    fonts = subprocess.run(["pdffonts", str(written(tmp_path, faces(1), symbols=False))], capture_output=True,
                           text=True, check=True).stdout
    assert "DejaVuSansBold" in fonts and "DejaVuSansMonoBold" in fonts
