"""Card sheets: a multi-page PDF of printable gift cards, with cut marks (DESIGN.md §9).

Each card shows the shop's name, the amount, the expiry, the campaign, the whole code in text, as a QR and as a
Code128. Where everything goes, and what each text says, is decided by :mod:`pos_app.printing.card_sheet`
(plain data, tested without Qt; the server's renderer ``printing.card_sheet_fpdf`` draws the same); this module
only draws it. Symbols are drawn as filled vector rectangles, one path per symbol (no seams
between modules, crisp at any resolution, and much faster than an image per card).

Cards are streamed: a page's faces are pulled from the iterable, drawn and forgotten, so 100,000 cards need no
more memory than ten (QPdfWriter writes each page out as it finishes). The file appears at ``out`` only when it
is complete: it is written next to it under a temporary name and renamed; a cancel or an error removes it.

QPainter may draw on a QPdfWriter outside the GUI thread, so the till runs this in a worker and reports
``progress`` back by signal; the command line runs it in the main thread.
"""

from __future__ import annotations

import errno
import os
import uuid
from collections.abc import Callable, Iterable, Sized
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from PySide6.QtCore import QLineF, QRectF, Qt
from PySide6.QtGui import QBrush, QColor, QFont, QFontMetricsF, QPageSize, QPainter, QPainterPath, QPen

from pos_app.printing.card_sheet import (
    Box,
    CardFace,
    Fit,
    SheetCancelled,
    SheetLayout,
    TextStyle,
    card_drawing,
    layout,
    page_count,
    pages,
)
from pos_app.qt_printing.pdf_metadata import mm, pdf_writer
from pos_app.qt_printing.qt_app import ensure_app
from pos_app.qt_printing.receipt_blocks import no_ligatures

Progress = Callable[[int, int], None]
_PAGE_IDS = {"A4": QPageSize.PageSizeId.A4, "Letter": QPageSize.PageSizeId.Letter}


@dataclass(frozen=True, slots=True)
class SheetResult:
    file: Path
    pages: int
    cards: int
    without_barcode: int  # cards without a Code128: too long to scan, or read as a retail barcode (QR and text)


def render_card_sheet(faces: Iterable[CardFace], out: Path, *, page: str = "A4", total: int | None = None,
                      progress: Progress | None = None, cancelled: Callable[[], bool] | None = None,
                      symbols: bool = True) -> SheetResult:
    """Write ``faces`` as card sheets to ``out`` (PDF). ``total``: how many faces there are, for ``progress``
    (default ``len(faces)`` when it has one), which is called after every card with ``(done, total)``.
    ``cancelled`` is asked before every card; when it says yes, :class:`SheetCancelled` is raised and nothing
    is left at ``out``. ``symbols=False`` leaves out QR and Code128 (the benchmark's baseline)."""
    sheet = layout(page)
    ensure_app()
    count = total if total is not None else len(faces) if isinstance(faces, Sized) else 0
    out = Path(out)
    if not out.parent.is_dir():
        raise FileNotFoundError(errno.ENOENT, "no such folder", str(out.parent))
    partial = out.with_name(f".{out.name}.{os.getpid()}.part")
    writer = pdf_writer(str(partial), title=f"Gift cards ({out.stem})", page=QPageSize(_PAGE_IDS[sheet.page.name]),
                        when=datetime.now(UTC), document_id=uuid.uuid4())
    painter = QPainter()
    done = pages_done = no_barcode = 0
    try:
        if not painter.begin(writer):
            raise OSError(errno.EIO, "Qt could not write the PDF", str(out))
        card = _CardPainter(painter, sheet, symbols=symbols)
        for chunk in pages(faces, sheet):
            if pages_done:
                writer.newPage()
            pages_done += 1
            _cut_marks(painter, sheet, len(chunk))
            for index, face in enumerate(chunk):
                if cancelled is not None and cancelled():
                    raise SheetCancelled(f"cancelled after {done} cards")
                no_barcode += not card.draw(face, sheet.card_box(index))
                done += 1
                if progress is not None:
                    progress(done, max(count, done))
        if not done:
            raise ValueError("there are no cards to print")
        painter.end()
        partial.replace(out)
    except BaseException:
        if painter.isActive():
            painter.end()
        partial.unlink(missing_ok=True)
        raise
    assert pages_done == page_count(done, sheet)
    return SheetResult(file=out, pages=pages_done, cards=done, without_barcode=no_barcode)


def _cut_marks(painter: QPainter, sheet: SheetLayout, cards: int) -> None:
    painter.setPen(QPen(QColor(0, 0, 0), mm(0.15)))
    painter.drawLines([QLineF(mm(x1), mm(y1), mm(x2), mm(y2)) for x1, y1, x2, y2 in sheet.cut_marks(cards)])


def _font(style: TextStyle) -> QFont:
    font = QFont("DejaVu Sans Mono" if style.mono else "DejaVu Sans")
    font.setStyleHint(QFont.StyleHint.Monospace if style.mono else QFont.StyleHint.SansSerif)
    font.setPointSizeF(style.points)
    font.setBold(style.bold)
    no_ligatures(font)
    return font


_LEFT_MIDDLE = Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter
_FLAGS = {
    Fit.ELIDE: _LEFT_MIDDLE,
    Fit.LINE: _LEFT_MIDDLE,
    Fit.WORDS: Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop | Qt.TextFlag.TextWordWrap,
    Fit.ANYWHERE: Qt.AlignmentFlag.AlignCenter | Qt.TextFlag.TextWrapAnywhere,
}


class _CardPainter:
    """Draws one card at a time (what :func:`~pos_app.printing.card_sheet.card_drawing` decides); fonts and the
    brush are made once per sheet."""

    def __init__(self, painter: QPainter, sheet: SheetLayout, *, symbols: bool) -> None:
        self.p, self.geo, self.symbols = painter, sheet.card, symbols
        self.fonts: dict[TextStyle, QFont] = {}
        self.ink = QBrush(QColor(0, 0, 0))
        self.text_pen = QPen(QColor(0, 0, 0))

    def _font(self, style: TextStyle) -> QFont:
        if style not in self.fonts:
            self.fonts[style] = _font(style)
        return self.fonts[style]

    def draw(self, face: CardFace, at: Box) -> bool:
        """Draw ``face`` in the card box ``at``; False when its code got no Code128 (too long to scan, or its bars
        would also read as a retail barcode: ``symbols.code128_misreads``)."""
        drawing = card_drawing(face, at, self.geo, symbols=self.symbols)
        self.p.setPen(self.text_pen)
        for block in drawing.texts:
            font, text = self._font(block.style), block.text
            if block.fit is Fit.ELIDE:
                text = QFontMetricsF(font, self.p.device()).elidedText(text, Qt.TextElideMode.ElideRight,
                                                                       mm(block.box.w))
            self.p.setFont(font)
            box = block.box
            self.p.drawText(QRectF(mm(box.x), mm(box.y), mm(box.w), mm(box.h)), int(_FLAGS[block.fit]), text)
        self._fill(drawing.qr)
        self._fill(drawing.bars)
        return drawing.has_barcode

    def _fill(self, boxes: tuple[Box, ...]) -> None:
        """One path per symbol: no seams between modules, and far faster than a rectangle at a time."""
        if not boxes:
            return
        path = QPainterPath()
        for b in boxes:
            path.addRect(mm(b.x), mm(b.y), mm(b.w), mm(b.h))
        path.setFillRule(Qt.FillRule.WindingFill)
        self.p.fillPath(path, self.ink)
