"""Card sheets as PDF without Qt (fpdf2): the server's renderer of :mod:`pos_app.printing.card_sheet`.

The head-office console sends a campaign's card sheets from the server, which may not load Qt (import-linter:
nothing but ``ui`` and ``qt_printing`` reaches PySide6). This module draws exactly what the shared layout decides
— :func:`~pos_app.printing.card_sheet.card_drawing` gives every text with its box and style and every dark
rectangle of the QR and the Code128 — as the till's Qt renderer does; it only measures text in its own fonts to
shorten a shop's name or wrap a long code. Fonts are DejaVu Sans and DejaVu Sans Mono (the Qt renderer's) where
the system has them (Debian's ``fonts-dejavu-core``); else the PDF core fonts Helvetica and Courier, which carry
Latin-1 only (a character outside it prints as "?", the QR and Code128 still carry the whole code).

Faces are pulled from the iterable a page at a time (:func:`~pos_app.printing.card_sheet.pages`), so a database
cursor behind them is read as the pages are drawn. fpdf2 writes the file's bytes only once the last page is
drawn (its cross-reference table needs every object), so a sheet is bounded by whoever asks for it: the console
sends at most 500 cards per download (50 A4 pages, about 600 kB; 1,000 cards took 6 s on this busy 2-core
machine, most of it fpdf2's bookkeeping of 240 rectangles a card).
"""

from __future__ import annotations

import io
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import lru_cache
from pathlib import Path

from fpdf import FPDF
from fpdf.enums import Align, RenderStyle, WrapMode, XPos, YPos

from pos_app.printing.card_sheet import (
    Box,
    CardFace,
    Fit,
    SheetLayout,
    TextBlock,
    card_drawing,
    layout,
    pages,
)

FONT_DIRS = (Path("/usr/share/fonts/truetype/dejavu"), Path("/usr/share/fonts/dejavu"),
             Path("/usr/local/share/fonts/dejavu"))
_FILES = {("sans", ""): "DejaVuSans.ttf", ("sans", "B"): "DejaVuSans-Bold.ttf",
          ("mono", ""): "DejaVuSansMono.ttf", ("mono", "B"): "DejaVuSansMono-Bold.ttf"}
_CORE = {"sans": "helvetica", "mono": "courier"}
MARK_WIDTH_MM = 0.15
LINE_SPACING = 1.17  # a line's height, in multiples of the font size (DejaVu's own ascent plus descent)


@dataclass(frozen=True, slots=True)
class SheetPdf:
    body: bytes
    pages: int
    cards: int
    without_barcode: int  # cards whose code is too long for a Code128 that scans (they have the QR and text)


@lru_cache(maxsize=1)
def dejavu_files() -> dict[tuple[str, str], Path] | None:
    """The four DejaVu files, or None when a folder with all of them is not found."""
    for folder in FONT_DIRS:
        files = {key: folder / name for key, name in _FILES.items()}
        if all(f.is_file() for f in files.values()):
            return files
    return None


def render_card_sheet_pdf(faces: Iterable[CardFace], *, page: str = "A4", title: str = "Gift cards",
                          symbols: bool = True, when: datetime | None = None) -> SheetPdf:
    """``faces`` as card sheets, one PDF; ``ValueError`` when there are none. ``when``: the document's date."""
    sheet = layout(page)
    pdf = _Pdf(sheet, title=title, when=when or datetime.now(UTC))
    done = pages_done = no_barcode = 0
    for chunk in pages(faces, sheet):
        pdf.add_page()
        pages_done += 1
        pdf.cut_marks(len(chunk))
        for index, face in enumerate(chunk):
            drawing = card_drawing(face, sheet.card_box(index), sheet.card, symbols=symbols)
            for block in drawing.texts:
                pdf.text_block(block)
            pdf.fill(drawing.qr)
            pdf.fill(drawing.bars)
            no_barcode += not drawing.has_barcode
            done += 1
    if not done:
        raise ValueError("there are no cards to print")
    out = io.BytesIO()
    pdf.output(out)
    return SheetPdf(body=out.getvalue(), pages=pages_done, cards=done, without_barcode=no_barcode)


class _Pdf(FPDF):
    """An fpdf2 document in millimetres on the sheet's paper, no margins (the layout has its own), no automatic
    page breaks."""

    def __init__(self, sheet: SheetLayout, *, title: str, when: datetime) -> None:
        super().__init__(unit="mm", format=(sheet.page.width, sheet.page.height))
        self.sheet = sheet
        self.set_margin(0)
        self.set_auto_page_break(False)
        self.set_title(title)
        self.set_creator("pos_app")
        self.set_creation_date(when)
        files = dejavu_files()
        self.families = {"sans": "DejaVuSans", "mono": "DejaVuSansMono"} if files else _CORE
        for (family, weight), file in (files or {}).items():
            self.add_font(self.families[family], weight, file)
        self.latin1_only = files is None
        self.wrapped: dict[tuple[str, str, float, float, WrapMode], list[str]] = {}

    def cut_marks(self, cards: int) -> None:
        self.set_line_width(MARK_WIDTH_MM)
        self.set_draw_color(0)
        for x1, y1, x2, y2 in self.sheet.cut_marks(cards):
            self.line(x1, y1, x2, y2)

    def fill(self, boxes: tuple[Box, ...]) -> None:
        self.set_fill_color(0)
        for b in boxes:
            self.rect(b.x, b.y, b.w, b.h, style=RenderStyle.F)

    def text_block(self, block: TextBlock) -> None:
        style, box = block.style, block.box
        self.set_font(self.families["mono" if style.mono else "sans"], "B" if style.bold else "", style.points)
        self.set_text_color(0)
        text = block.text.encode("latin-1", "replace").decode("latin-1") if self.latin1_only else block.text
        line = style.points * LINE_SPACING * 25.4 / 72  # mm
        if block.fit in (Fit.LINE, Fit.ELIDE):
            if block.fit is Fit.ELIDE:
                text = self._elided(text, box.w)
            self.set_xy(box.x, box.y)
            self.cell(box.w, box.h, text, align=Align.C if block.centred else Align.L,
                      new_x=XPos.LEFT, new_y=YPos.TOP)
            return
        wrap = WrapMode.CHAR if block.fit is Fit.ANYWHERE else WrapMode.WORD
        lines = self._lines(text, box.w, wrap)
        if block.fit is Fit.WORDS:
            lines = lines[: max(1, int(box.h // line))]  # a campaign's name longer than two lines is cut
        top = box.y if block.fit is Fit.WORDS else box.y + (box.h - len(lines) * line) / 2  # a code: centred
        for n, text_line in enumerate(lines):
            self.set_xy(box.x, top + n * line)
            self.cell(box.w, line, text_line, align=Align.C if block.centred else Align.L,
                      new_x=XPos.LEFT, new_y=YPos.TOP)

    def _lines(self, text: str, width: float, wrap: WrapMode) -> list[str]:
        """``text`` broken into lines of at most ``width``: most fit one line (measured, cheap); a campaign's
        name is broken once per sheet (fpdf2's line breaking costs a millisecond a call)."""
        if self.get_string_width(text) <= width:
            return [text]
        key = (text, self.font_family, self.font_size_pt, width, wrap)
        if key not in self.wrapped:
            lines = self.multi_cell(width, text=text, dry_run=True, output="LINES", wrapmode=wrap, align=Align.L)
            self.wrapped[key] = [str(x) for x in lines]  # type: ignore[union-attr]
        return self.wrapped[key]

    def _elided(self, text: str, width: float) -> str:
        """``text`` shortened with "…" to fit ``width`` (the Qt renderer's ``elidedText``)."""
        if self.get_string_width(text) <= width:
            return text
        ellipsis = "…" if not self.latin1_only else "..."
        while text and self.get_string_width(text + ellipsis) > width:
            text = text[:-1]
        return text.rstrip() + ellipsis
