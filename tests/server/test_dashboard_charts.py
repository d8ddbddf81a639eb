"""The dashboard's chart geometry: round axis steps, bars to scale, a line point per day, every mark labelled."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from pos_app.server.console.dashboard_charts import bar_chart, line_chart, nice_top


def money(minor: int) -> str:
    return f"€{minor / 100:,.2f}" if minor % 100 else f"€{minor // 100:,}"


def name(series: str) -> str:
    return series


@pytest.mark.parametrize(("value", "top", "step"), [
    (0, 4, 1), (1, 4, 1), (7, 8, 2), (9, 20, 5), (90, 100, 25), (123_456, 200_000, 50_000),
    (400_000, 400_000, 100_000), (400_001, 800_000, 200_000),
])
def test_an_axis_ends_at_a_round_figure_at_or_above_the_largest(value: int, top: int, step: int) -> None:
    assert nice_top(value) == (top, step)


def test_bars_are_to_scale_and_say_their_figure() -> None:
    chart = bar_chart([("Berlin", 40_000, 10_000), ("Wien", 20_000, 0)], money=money, series_names=name,
                      width=516, left=100)
    berlin, wien = chart.rows
    span = 516 - 100 - 16
    assert [b.width for b in berlin.bars] == [span * 40_000 / 40_000, span * 10_000 / 40_000]
    assert wien.bars[0].width == span / 2 and wien.bars[1].width == 0
    assert berlin.bars[0].text == "Berlin, sold: €400"
    assert [t.label for t in chart.ticks] == ["€0", "€200", "€400"]  # two steps: room for each label
    assert chart.ticks[-1].at == 100 + span


def test_a_line_has_a_point_a_day_and_ticks_a_week_apart() -> None:
    first = date(2026, 11, 8)
    days = [(first + timedelta(days=i), 1000 * i, 500) for i in range(30)]
    chart = line_chart(days, money=money, day_label=lambda d: d.isoformat(), series_names=name)
    sold, redeemed = chart.lines
    assert len(sold.points) == len(redeemed.points) == 30
    assert sold.points[0].y == chart.bottom  # nothing sold on the first day
    assert chart.top < sold.points[-1].y < chart.bottom  # 290.00 on an axis up to 400.00
    assert sold.points[-1].text == "2026-12-07, sold: €290"
    assert [t.label for t in chart.x_ticks] == ["2026-11-09", "2026-11-16", "2026-11-23", "2026-11-30", "2026-12-07"]
    assert sold.path.startswith(f"{chart.left:.1f},{chart.bottom:.1f} ")


def test_an_empty_period_still_draws_an_axis() -> None:
    chart = bar_chart([], money=money, series_names=name)
    assert chart.rows == () and chart.ticks[0].label == "€0"
