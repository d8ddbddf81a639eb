"""The receipt's column for Qt: the blocks of :func:`pos_app.printing.text.blocks` (what a receipt says, shared
with the text and ESC/POS receipts, so that the three cannot disagree), measured once with the target device's
font metrics (so that a roll's page can be exactly as tall as its content), then drawn at any position.

Only the look is decided here: the shop's name as a title, the remaining balance as the largest figure on the
page (its label on a line above it, both centred), the provisional mark in bold, rules as dashed lines, and the
lookup QR (the entry id, never the card's code) drawn from its modules. A label and its value share a line
when they fit; otherwise the value goes on the next line, right-aligned, wrapping if it must — an amount is
never cut off.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtCore import QLineF, QRectF, Qt
from PySide6.QtGui import QBrush, QColor, QFont, QFontMetricsF, QPaintDevice, QPainter, QPainterPath, QPen

from pos_app.printing.receipt import Receipt
from pos_app.printing.symbols import dark_runs, qr_matrix
from pos_app.printing.text import Align, Style, blocks

_CENTER = Qt.AlignmentFlag.AlignHCenter | Qt.TextFlag.TextWordWrap
_LEFT = Qt.AlignmentFlag.AlignLeft | Qt.TextFlag.TextWordWrap
_RIGHT = Qt.AlignmentFlag.AlignRight | Qt.TextFlag.TextWordWrap
_TALL = 1e7  # "unbounded" height for measuring wrapped text, in device units

Draw = Callable[[QPainter, float, float], None]  # painter, x, y (device units) of the block's top left


@dataclass(frozen=True, slots=True)
class Column:
    """The receipt's column: its width and type sizes (points)."""

    width_mm: float
    body_pt: float
    title_pt: float
    balance_pt: float
    qr_mm: float = 18.0  # the lookup QR, its quiet zone included


def _font(points: float, *, bold: bool = False) -> QFont:
    font = QFont("DejaVu Sans")
    font.setStyleHint(QFont.StyleHint.SansSerif)
    font.setPointSizeF(points)
    font.setBold(bold)
    no_ligatures(font)
    return font


def no_ligatures(font: QFont) -> None:
    """Turn off ligatures: with them "offline" becomes "o\ufb04ine" in the PDF's text, and a search (or
    ``pdftotext``) for the word fails. ``QFont.setFeature`` exists from Qt 6.6."""
    if hasattr(font, "setFeature"):
        for tag in ("liga", "clig"):
            font.setFeature(QFont.Tag.fromString(tag), 0)


class Blocks:
    """Blocks measured for one device, stacked top to bottom."""

    def __init__(self, device: QPaintDevice, column: Column) -> None:
        self._device = device
        self.per_mm = device.logicalDpiY() / 25.4
        self.width = column.width_mm * self.per_mm
        self._items: list[tuple[float, Draw]] = []

    @property
    def height_mm(self) -> float:
        return sum(height for height, _ in self._items) / self.per_mm

    def draw(self, painter: QPainter, x: float, y: float) -> None:
        for height, draw in self._items:
            draw(painter, x, y)
            y += height

    def _measure(self, text: str, font: QFont, flags: Qt.AlignmentFlag | Qt.TextFlag, width: float) -> float:
        metrics = QFontMetricsF(font, self._device)
        return metrics.boundingRect(QRectF(0, 0, width, _TALL), int(flags), text).height()

    def text(self, text: str, font: QFont, flags: Qt.AlignmentFlag | Qt.TextFlag = _CENTER) -> None:
        height = self._measure(text, font, flags, self.width)
        width = self.width

        def draw(painter: QPainter, x: float, y: float) -> None:
            painter.setFont(font)
            painter.drawText(QRectF(x, y, width, height), int(flags), text)

        self._items.append((height, draw))

    def pair(self, label: str, value: str, font: QFont) -> None:
        metrics = QFontMetricsF(font, self._device)
        gap = metrics.horizontalAdvance("  ")
        if metrics.horizontalAdvance(label) + gap + metrics.horizontalAdvance(value) <= self.width:
            height, width = metrics.height(), self.width

            def draw(painter: QPainter, x: float, y: float) -> None:
                painter.setFont(font)
                painter.drawText(QRectF(x, y, width, height), int(Qt.AlignmentFlag.AlignLeft), label)
                painter.drawText(QRectF(x, y, width, height), int(Qt.AlignmentFlag.AlignRight), value)

            self._items.append((height, draw))
        else:
            self.text(label, font, _LEFT)
            self.text(value, font, _RIGHT)

    def rule(self) -> None:
        height, width = 2.5 * self.per_mm, self.width
        pen = QPen(Qt.GlobalColor.black, 0.2 * self.per_mm, Qt.PenStyle.DashLine)

        def draw(painter: QPainter, x: float, y: float) -> None:
            painter.setPen(pen)
            painter.drawLine(QLineF(x, y + height / 2, x + width, y + height / 2))
            painter.setPen(QPen(Qt.GlobalColor.black))

        self._items.append((height, draw))

    def qr(self, payload: str, size_mm: float) -> None:
        matrix = qr_matrix(payload)
        module = size_mm * self.per_mm / (len(matrix) + 8)  # + a quiet zone of 4 modules on each side
        size, width = size_mm * self.per_mm, self.width

        def draw(painter: QPainter, x: float, y: float) -> None:
            x0, y0 = x + (width - size) / 2 + 4 * module, y + 4 * module
            path = QPainterPath()
            path.setFillRule(Qt.FillRule.WindingFill)
            for row, col, length in dark_runs(matrix):
                path.addRect(x0 + col * module, y0 + row * module, length * module, module)
            painter.fillPath(path, QBrush(QColor(0, 0, 0)))

        self._items.append((size, draw))

    def gap(self, mm: float) -> None:
        self._items.append((mm * self.per_mm, lambda painter, x, y: None))


def receipt_blocks(receipt: Receipt, column: Column, device: QPaintDevice) -> Blocks:
    """The receipt's content for ``device``; the remaining balance is the largest thing on it."""
    fonts = {
        Style.NORMAL: _font(column.body_pt), Style.TITLE: _font(column.title_pt, bold=True),
        Style.STRONG: _font(column.body_pt, bold=True), Style.MARK: _font(column.body_pt, bold=True),
        Style.BIG: _font(column.balance_pt, bold=True),
    }
    flags = {Align.LEFT: _LEFT, Align.CENTER: _CENTER}
    out = Blocks(device, column)
    for block in blocks(receipt):
        if block.style is Style.RULE:
            out.rule()
        elif block.style is Style.QR:
            out.qr(block.text, column.qr_mm)
        elif block.style is Style.BIG:
            out.gap(1.0)
            out.text(block.text, fonts[Style.STRONG], _CENTER)
            out.text(block.right, fonts[Style.BIG], _CENTER)
            out.gap(1.0)
        elif block.align is Align.PAIR:
            out.pair(block.text, block.right, fonts[block.style])
        else:
            out.text(block.text, fonts[block.style], flags[block.align])
    return out
