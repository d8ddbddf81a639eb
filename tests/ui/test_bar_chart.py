"""The bar chart draws bars, round ticks and an empty-state sentence, and says which bar is under the mouse."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QPointF
from PySide6.QtGui import QImage

from pos_app.ui.widgets.bar_chart import BarChart, nice_ticks


@pytest.mark.parametrize(("top", "ticks"), [
    (6250, [0, 2000, 4000, 6000, 8000]),
    (5000, [0, 2000, 4000, 6000]),
    (1, [0, 1, 2]),
    (7, [0, 2, 4, 6, 8]),
    (99_999, [0, 25_000, 50_000, 75_000, 100_000]),
])
def test_ticks_are_round_and_cover_the_top(top: int, ticks: list[int]) -> None:
    assert nice_ticks(top) == ticks
    assert 3 <= len(ticks) <= 5 and ticks[-1] >= top


def _colours(image: QImage) -> set[int]:
    return {image.pixel(x, y) for x in range(0, image.width(), 3) for y in range(0, image.height(), 3)}


def _bar_colour(chart: BarChart) -> int:
    return chart.palette().color(chart.palette().ColorRole.Highlight).rgb()


@pytest.mark.parametrize("horizontal", [False, True])
def test_draws_bars_with_data(qtbot: object, horizontal: bool) -> None:
    chart = BarChart(horizontal=horizontal, value_text=lambda v: f"€{v / 100:.2f}", empty_text="Nothing")
    qtbot.addWidget(chart)  # type: ignore[attr-defined]
    chart.set_bars([("Mon", 1250), ("Tue", 0), ("Wed", 5000)])
    chart.resize(480, 260)
    image = chart.grab().toImage()
    assert not image.isNull()
    colours = _colours(image)
    assert len(colours) > 3  # not blank
    assert _bar_colour(chart) in colours  # bars in the palette's highlight colour
    assert not chart.is_empty


def test_empty_chart_shows_its_sentence_and_no_bars(qtbot: object) -> None:
    chart = BarChart(empty_text="No redemptions in this period")
    qtbot.addWidget(chart)  # type: ignore[attr-defined]
    chart.set_bars([("Mon", 0), ("Tue", 0)])
    chart.resize(400, 200)
    image = chart.grab().toImage()
    assert chart.is_empty
    assert _bar_colour(chart) not in _colours(image)
    assert len(_colours(image)) > 1  # the sentence is drawn


def test_hovered_bar_has_a_tooltip_with_its_formatted_value(qtbot: object) -> None:
    chart = BarChart(value_text=lambda v: f"{v} cents")
    qtbot.addWidget(chart)  # type: ignore[attr-defined]
    chart.set_bars([("Mon", 100), ("Tue", 300)])
    chart.resize(400, 240)
    chart.grab()  # lays the bars out
    right_half = QPointF(chart.width() * 0.8, chart.height() * 0.5)
    assert chart.tooltip_at(right_half) == "Tue: 300 cents"
    assert chart.bar_at(QPointF(chart.width() * 0.3, chart.height() * 0.5)) == 0


def test_sizes_are_sensible(qtbot: object) -> None:
    few, many = BarChart(horizontal=True), BarChart(horizontal=True)
    many.set_bars([(f"Till {i}", i) for i in range(12)])
    assert many.sizeHint().height() > few.sizeHint().height()
    for chart in (few, many, BarChart()):
        assert chart.minimumSizeHint().width() <= chart.sizeHint().width()
        assert chart.minimumSizeHint().height() <= chart.sizeHint().height()
