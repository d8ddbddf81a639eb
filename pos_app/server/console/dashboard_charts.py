"""The dashboard's charts as geometry for inline SVG (``templates/dashboard.html`` draws it; no script, no chart
library): bars per shop of what was sold and redeemed in a period, and a line of the chain's sales against its
redemptions over the last 30 days. Every mark carries its figure as text (an SVG ``<title>``), and the page shows
the same numbers in a table.

Amounts are minor units in; the axis labels are formatted for the viewer's locale (Babel) by the caller's
``money`` function.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date

#: The series of both charts, in the order of their legend (a CSS class each: ``.chart .sold``, ``.redeemed``).
SERIES = ("sold", "redeemed")


@dataclass(frozen=True, slots=True)
class Bar:
    x: float
    y: float
    width: float
    height: float
    series: str
    text: str  # what a screen reader (and a hover) reads: "Shop A, sold: €1,234.00"


@dataclass(frozen=True, slots=True)
class Row:
    label: str
    y: float  # of the label's baseline
    bars: tuple[Bar, ...]


@dataclass(frozen=True, slots=True)
class Tick:
    at: float  # x for a bar chart's axis, y for the line chart's
    label: str


@dataclass(frozen=True, slots=True)
class BarChart:
    width: int
    height: int
    left: int  # where the bars start (the labels are to the left)
    rows: tuple[Row, ...]
    ticks: tuple[Tick, ...]


@dataclass(frozen=True, slots=True)
class Point:
    x: float
    y: float
    text: str


@dataclass(frozen=True, slots=True)
class Line:
    series: str
    points: tuple[Point, ...]

    @property
    def path(self) -> str:
        return " ".join(f"{p.x:.1f},{p.y:.1f}" for p in self.points)


@dataclass(frozen=True, slots=True)
class LineChart:
    width: int
    height: int
    left: int
    top: int
    bottom: float  # y of the x axis
    lines: tuple[Line, ...]
    y_ticks: tuple[Tick, ...]
    x_ticks: tuple[Tick, ...]


def nice_top(value: int, *, steps: int = 4) -> tuple[int, int]:
    """An axis maximum at or above ``value`` that ``steps`` round steps divide (1, 2, 2.5 or 5 × 10ⁿ), and the
    step."""
    if value <= 0:
        return steps, 1
    rough = -(-value // steps)
    magnitude = 10 ** (len(str(rough)) - 1)
    for factor in (1, 2, 2.5, 5, 10):
        step = factor * magnitude
        if step >= rough and step == int(step):  # whole minor units
            return int(step) * steps, int(step)
    raise AssertionError("unreachable")  # pragma: no cover


BAR_HEIGHT = 9
ROW_GAP = 8


def bar_chart(rows: Sequence[tuple[str, int, int]], *, money: Callable[[int], str],
              series_names: Callable[[str], str], width: int = 400, left: int = 104) -> BarChart:
    """Two bars (sold, redeemed) per ``(label, sold, redeemed)`` row, against one scale."""
    top, step = nice_top(max((max(sold, redeemed) for _, sold, redeemed in rows), default=0), steps=2)
    span = width - left - 16
    row_height = 2 * BAR_HEIGHT + ROW_GAP
    made = []
    for i, (label, sold, redeemed) in enumerate(rows):
        y0 = 8 + i * row_height
        bars = tuple(
            Bar(left, y0 + k * BAR_HEIGHT, max(span * value / top, 0.0), BAR_HEIGHT - 1, series,
                f"{label}, {series_names(series)}: {money(value)}")
            for k, (series, value) in enumerate(zip(SERIES, (sold, redeemed), strict=True))
        )
        made.append(Row(label, y0 + BAR_HEIGHT + 3, bars))
    height = 8 + len(rows) * row_height + 18
    ticks = tuple(Tick(left + span * k * step / top, money(k * step)) for k in range(top // step + 1))
    return BarChart(width, height, left, tuple(made), ticks)


def line_chart(days: Sequence[tuple[date, int, int]], *, money: Callable[[int], str],
               day_label: Callable[[date], str], series_names: Callable[[str], str],
               width: int = 1000, height: int = 260, left: int = 84) -> LineChart:
    """Sales and redemptions by day (``(day, sold, redeemed)``, every day of the period in order)."""
    top_margin, bottom_margin, right = 12, 28, 28
    bottom = height - bottom_margin
    top, step = nice_top(max((max(sold, redeemed) for _, sold, redeemed in days), default=0))
    span_x = width - left - right
    span_y = bottom - top_margin
    count = max(len(days) - 1, 1)

    def x(i: int) -> float:
        return left + span_x * i / count

    def y(value: int) -> float:
        return bottom - span_y * value / top

    lines = tuple(
        Line(series, tuple(Point(x(i), y(values[k]), f"{day_label(day)}, {series_names(series)}: "
                                                    f"{money(values[k])}")
                           for i, (day, *values) in enumerate(days)))
        for k, series in enumerate(SERIES)
    )
    y_ticks = tuple(Tick(y(k * step), money(k * step)) for k in range(top // step + 1))
    x_ticks = tuple(Tick(x(i), day_label(day)) for i, (day, *_) in enumerate(days)
                    if (len(days) - 1 - i) % 7 == 0)
    return LineChart(width, height, left, top_margin, bottom, lines, y_ticks, x_ticks)
