"""Card sheets: a multi-page PDF of printable gift cards, with cut marks (DESIGN.md §9).

Each card shows the shop's name, the amount, the expiry, the campaign, the whole code in text, as a QR and as a
Code128. Where everything goes is decided by :mod:`pos_app.printing.card_sheet` (plain data, tested without
Qt); this module only draws it. Symbols are drawn as filled vector rectangles, one path per symbol (no seams
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
from datetime import UTC, date, datetime
from functools import lru_cache
from pathlib import Path

from babel.dates import format_date
from PySide6.QtCore import QLineF, QRectF, Qt
from PySide6.QtGui import QBrush, QColor, QFont, QFontMetricsF, QPageSize, QPainter, QPainterPath, QPen

from pos_app.domain.money import Money
from pos_app.formatting import format_money
from pos_app.printing.card_sheet import (
    QR_QUIET_MODULES,
    Box,
    CardFace,
    SheetCancelled,
    SheetLayout,
    layout,
    page_count,
    pages,
)
from pos_app.printing.symbols import code128_bars, code128_misreads, dark_runs, qr_matrix
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


def _font(points: float, *, bold: bool = False, mono: bool = False) -> QFont:
    font = QFont("DejaVu Sans Mono" if mono else "DejaVu Sans")
    font.setStyleHint(QFont.StyleHint.Monospace if mono else QFont.StyleHint.SansSerif)
    font.setPointSizeF(points)
    font.setBold(bold)
    no_ligatures(font)
    return font


@lru_cache(maxsize=64)
def _money(amount: Money, locale: str) -> str:
    """A campaign's cards share their amount and expiry: Babel formats each once (it costs 0.5 ms a call)."""
    return format_money(amount, locale=locale)


@lru_cache(maxsize=64)
def _expiry(last_day: date | None, locale: str) -> str:
    if last_day is None:
        return "No expiry date"
    return f"Valid until {format_date(last_day, 'medium', locale=locale)}"


class _CardPainter:
    """Draws one card at a time; fonts, pens and the geometry are made once per sheet."""

    def __init__(self, painter: QPainter, sheet: SheetLayout, *, symbols: bool) -> None:
        self.p, self.geo, self.symbols = painter, sheet.card, symbols
        self.shop, self.amount = _font(8.5, bold=True), _font(15, bold=True)
        self.small, self.code = _font(7), _font(9.5, bold=True, mono=True)
        self.ink = QBrush(QColor(0, 0, 0))
        self.text_pen = QPen(QColor(0, 0, 0))

    def _text(self, box: Box, font: QFont, text: str, flags: Qt.AlignmentFlag) -> None:
        self.p.setFont(font)
        self.p.drawText(QRectF(mm(box.x), mm(box.y), mm(box.w), mm(box.h)), int(flags), text)

    def draw(self, face: CardFace, at: Box) -> bool:
        """Draw ``face`` in the card box ``at``; False when its code got no Code128 (too long to scan, or its bars
        would also read as a retail barcode: ``symbols.code128_misreads``)."""
        geo, dx, dy = self.geo, at.x, at.y
        self.p.setPen(self.text_pen)
        left_middle = Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter
        shop = QFontMetricsF(self.shop, self.p.device()).elidedText(
            face.shop_name, Qt.TextElideMode.ElideRight, mm(geo.shop.w))
        self._text(geo.shop.moved(dx, dy), self.shop, shop, left_middle)
        details = geo.details.moved(dx, dy)
        self._text(Box(details.x, details.y, details.w, 8), self.amount, _money(face.amount, face.locale),
                   left_middle)
        expiry = _expiry(face.expires, face.locale)
        self._text(Box(details.x, details.y + 9, details.w, 4.5), self.small, expiry, left_middle)
        self._text(Box(details.x, details.y + 13.5, details.w, 6.5), self.small, face.campaign,
                   Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop | Qt.TextFlag.TextWordWrap)
        self._text(geo.code_text.moved(dx, dy), self.code, face.code,
                   Qt.AlignmentFlag.AlignCenter | Qt.TextFlag.TextWrapAnywhere)
        if not self.symbols:
            return True
        self._qr(face.code, geo.qr.moved(dx, dy))
        return self._code128(face.code, geo.barcode.moved(dx, dy))

    def _qr(self, code: str, box: Box) -> None:
        matrix = qr_matrix(code)
        module = box.w / (len(matrix) + 2 * QR_QUIET_MODULES)
        x0, y0 = box.x + QR_QUIET_MODULES * module, box.y + QR_QUIET_MODULES * module
        path = QPainterPath()
        for row, column, length in dark_runs(matrix):
            path.addRect(mm(x0 + column * module), mm(y0 + row * module), mm(length * module), mm(module))
        self._fill(path)

    def _code128(self, code: str, box: Box) -> bool:
        modules, bars = code128_bars(code)
        module = self.geo.barcode_module(modules)
        if module is None or code128_misreads(code):  # too long to scan, or scans as another number
            return False
        x0 = box.x + (box.w - modules * module) / 2  # centred: the quiet zones are what is left on either side
        path = QPainterPath()
        for first, width in bars:
            path.addRect(mm(x0 + first * module), mm(box.y), mm(width * module), mm(box.h))
        self._fill(path)
        return True

    def _fill(self, path: QPainterPath) -> None:
        path.setFillRule(Qt.FillRule.WindingFill)
        self.p.fillPath(path, self.ink)
