"""A bar chart drawn with QPainter: one bar per (label, value), vertical or horizontal.

QtCharts is not in PySide6-Essentials, and a report needs little of it: bars, a value axis with a few round
ticks, labels, a tooltip per bar and a sentence when there is nothing to show. Values are integers (money in
minor units, counts); ``value_text`` turns one into text for the axis and the tooltips (money formatted for the
shop's locale), so the chart itself knows nothing of money.

The data is only the list of pairs; the tables shown beside a chart are models of their own. Colours come
from the palette (the style sheet sets it): bars in ``Highlight``, text in ``WindowText``, grid lines in
``Mid``. Bars are placed on whole pixels and lines are cosmetic, so the chart stays sharp at any device pixel
ratio. Negative values are drawn as empty bars (the reports chart amounts redeemed, which never go below 0).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence

from PySide6.QtCore import QEvent, QPointF, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QFontMetricsF, QHelpEvent, QMouseEvent, QPainter, QPaintEvent, QPalette, QPen
from PySide6.QtWidgets import QSizePolicy, QToolTip, QWidget

Bar = tuple[str, int]
PAD = 8.0  # px around the plot
BAR_GAP = 0.25  # of each bar's slot left empty
H_BAR_PITCH = 30  # px per bar of a horizontal chart, for its size hint


def nice_ticks(top: int, *, most: int = 5) -> list[int]:
    """Round tick values from 0 up to at least ``top``: 3 to ``most`` of them (0 included), whole numbers,
    steps of 1, 2, 2.5 or 5 × 10ⁿ (2.5 only where it stays whole)."""
    if top <= 0:
        return [0, 1]
    for power in range(0, 20):
        for mantissa in (1, 2, 2.5, 5):
            step = mantissa * 10**power
            if step != int(step):
                continue
            count = math.ceil(top / step)
            if count + 1 <= most:
                return [int(step) * i for i in range(max(count, 2) + 1)]
    return [0, top]


class BarChart(QWidget):
    """A chart of ``set_bars([(label, value), …])``; ``bar_at(point)`` says which bar is under the mouse."""

    def __init__(self, *, horizontal: bool = False, value_text: Callable[[int], str] = str,
                 empty_text: str = "", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("BarChart")
        self.setProperty("orientation", "horizontal" if horizontal else "vertical")
        self.horizontal = horizontal
        self._value_text = value_text
        self._empty_text = empty_text
        self._bars: list[Bar] = []
        self._hover: int | None = None
        self._rects: list[QRectF] = []
        self.setMouseTracking(True)
        self.setAttribute(Qt.WidgetAttribute.WA_OpaquePaintEvent, False)
        self.setSizePolicy(QSizePolicy.Policy.Expanding,
                           QSizePolicy.Policy.Preferred if horizontal else QSizePolicy.Policy.Expanding)

    # ---- data ------------------------------------------------------------------------------------------------

    def set_bars(self, bars: Sequence[Bar]) -> None:
        self._bars = [(str(label), int(value)) for label, value in bars]
        self._hover = None
        self.setAccessibleDescription("; ".join(f"{label}: {self._value_text(v)}" for label, v in self._bars))
        self.updateGeometry()
        self.update()

    def bars(self) -> list[Bar]:
        return list(self._bars)

    def set_value_text(self, value_text: Callable[[int], str]) -> None:
        self._value_text = value_text
        self.update()

    def set_empty_text(self, text: str) -> None:
        self._empty_text = text
        self.update()

    @property
    def is_empty(self) -> bool:
        return not any(value > 0 for _label, value in self._bars)

    # ---- sizes -----------------------------------------------------------------------------------------------

    def sizeHint(self) -> QSize:
        if self.horizontal:
            return QSize(420, max(140, 48 + H_BAR_PITCH * max(1, len(self._bars))))
        return QSize(520, 260)

    def minimumSizeHint(self) -> QSize:
        return QSize(220, 120 if self.horizontal else 160)

    # ---- hover -----------------------------------------------------------------------------------------------

    def bar_at(self, point: QPointF) -> int | None:
        for index, rect in enumerate(self._rects):
            slot = rect.adjusted(-2, -2, 2, 2)
            if self.horizontal:
                slot.setLeft(0)
                slot.setRight(self.width())
            else:
                slot.setTop(0)
                slot.setBottom(self.height())
            if slot.contains(point):
                return index
        return None

    def tooltip_at(self, point: QPointF) -> str | None:
        index = self.bar_at(point)
        if index is None:
            return None
        label, value = self._bars[index]
        return f"{label}: {self._value_text(value)}"

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        hover = self.bar_at(event.position())
        if hover != self._hover:
            self._hover = hover
            self.update()
        super().mouseMoveEvent(event)

    def leaveEvent(self, event: QEvent) -> None:
        if self._hover is not None:
            self._hover = None
            self.update()
        super().leaveEvent(event)

    def event(self, event: QEvent) -> bool:
        if event.type() == QEvent.Type.ToolTip and isinstance(event, QHelpEvent):
            text = self.tooltip_at(QPointF(event.pos()))
            if text:
                QToolTip.showText(event.globalPos(), text, self)
            else:
                QToolTip.hideText()
                event.ignore()
            return True
        return super().event(event)

    # ---- painting --------------------------------------------------------------------------------------------

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        try:
            painter.setRenderHint(QPainter.RenderHint.TextAntialiasing, True)
            area = QRectF(self.rect()).adjusted(PAD, PAD, -PAD, -PAD)
            if self.is_empty:
                self._rects = []
                self._draw_empty(painter, area)
            elif self.horizontal:
                self._draw_horizontal(painter, area)
            else:
                self._draw_vertical(painter, area)
        finally:
            painter.end()

    def _colours(self) -> tuple[QColor, QColor, QColor, QColor]:
        palette = self.palette()
        bar = palette.color(QPalette.ColorRole.Highlight)
        hover = bar.darker(125) if bar.lightness() > 60 else bar.lighter(140)
        text = palette.color(QPalette.ColorRole.WindowText)
        grid = palette.color(QPalette.ColorRole.Mid)
        return bar, hover, text, grid

    def _draw_empty(self, painter: QPainter, area: QRectF) -> None:
        _bar, _hover, text, _grid = self._colours()
        faded = QColor(text)
        faded.setAlphaF(0.6)
        painter.setPen(faded)
        painter.drawText(area, int(Qt.AlignmentFlag.AlignCenter | Qt.TextFlag.TextWordWrap), self._empty_text)

    def _draw_vertical(self, painter: QPainter, area: QRectF) -> None:
        bar, hover, text, grid = self._colours()
        metrics = QFontMetricsF(self.font())
        ticks = nice_ticks(max(v for _l, v in self._bars))
        top = ticks[-1]
        tick_texts = [self._value_text(t) for t in ticks]
        axis_w = max(metrics.horizontalAdvance(t) for t in tick_texts) + 6
        label_h = metrics.height() + 4
        plot = QRectF(area.left() + axis_w, area.top() + metrics.height() / 2,
                      area.width() - axis_w, area.height() - label_h - metrics.height() / 2)
        self._grid(painter, plot, ticks, tick_texts, grid, text, vertical=True)
        slot = plot.width() / len(self._bars)
        widest = max(metrics.horizontalAdvance(label) for label, _v in self._bars) + 8
        every = max(1, math.ceil(widest / slot))  # show every n-th label when they would overlap
        self._rects = []
        for index, (label, value) in enumerate(self._bars):
            height = round(plot.height() * max(value, 0) / top)
            left = round(plot.left() + slot * index + slot * BAR_GAP / 2)
            width = max(1, round(slot * (1 - BAR_GAP)))
            rect = QRectF(left, round(plot.bottom()) - height, width, height)
            self._rects.append(rect)
            painter.fillRect(rect, hover if index == self._hover else bar)
            if index % every == 0:
                painter.setPen(text)
                box = QRectF(plot.left() + slot * index - slot * (every - 1) / 2, plot.bottom() + 2,
                             slot * every, label_h)
                painter.drawText(box, int(Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop),
                                 metrics.elidedText(label, Qt.TextElideMode.ElideRight, box.width()))

    def _draw_horizontal(self, painter: QPainter, area: QRectF) -> None:
        bar, hover, text, grid = self._colours()
        metrics = QFontMetricsF(self.font())
        ticks = nice_ticks(max(v for _l, v in self._bars), most=4)
        top = ticks[-1]
        tick_texts = [self._value_text(t) for t in ticks]
        label_w = min(max(metrics.horizontalAdvance(label) for label, _v in self._bars) + 10, area.width() * 0.4)
        last_tick_half = metrics.horizontalAdvance(tick_texts[-1]) / 2
        plot = QRectF(area.left() + label_w, area.top(), area.width() - label_w - last_tick_half,
                      area.height() - metrics.height() - 4)
        self._grid(painter, plot, ticks, tick_texts, grid, text, vertical=False)
        slot = min(plot.height() / len(self._bars), H_BAR_PITCH * 1.5)
        self._rects = []
        for index, (label, value) in enumerate(self._bars):
            width = round(plot.width() * max(value, 0) / top)
            y = round(plot.top() + slot * index + slot * BAR_GAP / 2)
            height = max(1, round(slot * (1 - BAR_GAP)))
            rect = QRectF(round(plot.left()), y, width, height)
            self._rects.append(rect)
            painter.fillRect(rect, hover if index == self._hover else bar)
            painter.setPen(text)
            box = QRectF(area.left(), plot.top() + slot * index, label_w - 8, slot)
            painter.drawText(box, int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter),
                             metrics.elidedText(label, Qt.TextElideMode.ElideRight, box.width()))

    def _grid(self, painter: QPainter, plot: QRectF, ticks: list[int], texts: list[str], grid: QColor,
              text: QColor, *, vertical: bool) -> None:
        """Grid lines and tick labels of the value axis (left of a vertical chart, under a horizontal one)."""
        metrics = QFontMetricsF(self.font())
        top = ticks[-1]
        pen = QPen(grid)
        pen.setCosmetic(True)
        for value, label in zip(ticks, texts, strict=True):
            painter.setPen(pen)
            if vertical:
                y = round(plot.bottom() - plot.height() * value / top) + 0.5
                painter.drawLine(QPointF(plot.left(), y), QPointF(plot.right(), y))
                painter.setPen(text)
                box = QRectF(0, y - metrics.height() / 2, plot.left() - 6, metrics.height())
                painter.drawText(box, int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter), label)
            else:
                x = round(plot.left() + plot.width() * value / top) + 0.5
                painter.drawLine(QPointF(x, plot.top()), QPointF(x, plot.bottom()))
                painter.setPen(text)
                width = metrics.horizontalAdvance(label) + 4
                box = QRectF(x - width / 2, plot.bottom() + 2, width, metrics.height())
                painter.drawText(box, int(Qt.AlignmentFlag.AlignCenter), label)
