"""The Reports page on a real demo store: the liability figures are the service's, the redemptions chart has the
demo's redemption day, the period selector and a sale refresh it, and every table passes the model tester."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import date, datetime

import pytest
from PySide6.QtCore import Qt

from pos_app.domain.money import Money
from pos_app.formatting import format_money
from pos_app.services import reports
from pos_app.ui.context import UiContext
from pos_app.ui.manager.report_work import Period, bounds
from pos_app.ui.manager.reports_page import ReportsPage
from tests.ui.conftest import MANAGER_PIN, log_in


@pytest.fixture
def page(qtbot: object, ctx: UiContext, settle: Callable[..., None]) -> Iterator[ReportsPage]:
    log_in(ctx, settle, MANAGER_PIN)
    shown = ReportsPage(ctx)
    qtbot.addWidget(shown)  # type: ignore[attr-defined]
    shown.resize(1200, 800)
    shown.show()
    shown.on_shown()
    settle()
    yield shown


def _eur(minor: int) -> str:
    return format_money(Money(minor, "EUR"), locale="en_IE")


def test_the_liability_figures_are_the_services(page: ReportsPage, ctx: UiContext, qtmodeltester: object) -> None:
    expected = reports.liability(ctx.session.till.new_reader(), ctx.session.who)  # type: ignore[misc]
    (total,) = expected.totals
    shown = {tile.caption.text(): tile.value.text() for tile in page.figure_tiles}
    assert shown["Outstanding balance"] == _eur(total.outstanding) == "€357.50"
    assert shown["Issued"] == _eur(total.loaded)
    assert shown["Redeemed, net of refunds"] == _eur(total.redeemed - total.refunded)
    assert shown["Cards"].startswith(str(total.cards))
    assert page.liability_model.rows == list(expected.rows)
    assert not page.unbalanced.isVisible()
    qtmodeltester.check(page.liability_model)  # type: ignore[attr-defined]


def test_the_redemptions_chart_has_the_demos_redemption_day(page: ReportsPage, qtmodeltester: object) -> None:
    bars = page.day_chart.bars()
    assert len(bars) == 7  # the last seven days, today last
    assert [value for _label, value in bars] == [0] * 6 + [1250 + 5000]
    assert bars[-1][0] == f"{date.today().day} {date.today().strftime('%b')}"
    assert page.till_chart.bars() == [("This till", 6250)]
    assert [row.count for row in page.till_model.rows] == [2]
    assert page.day_model.rowCount() == 7
    for model in (page.day_model, page.till_model):
        qtmodeltester.check(model)  # type: ignore[attr-defined]
    assert "€62.50 redeemed" in page.total_line.text()


def test_the_period_selector_reads_the_chosen_period(
        qtbot: object, page: ReportsPage, settle: Callable[..., None]) -> None:
    qtbot.mouseClick(page.period_buttons[Period.TODAY], Qt.MouseButton.LeftButton)  # type: ignore[attr-defined]
    assert page.busy.isVisible() and not page.refresh_button.isEnabled()
    settle()
    assert not page.busy.isVisible()
    assert page.day_chart.bars() == [page.day_chart.bars()[0]] and page.day_chart.bars()[0][1] == 6250
    qtbot.mouseClick(page.period_buttons[Period.LAST_30_DAYS], Qt.MouseButton.LeftButton)  # type: ignore[attr-defined]
    settle()
    assert len(page.day_chart.bars()) == 30


def test_an_empty_period_shows_the_empty_chart(
        qtbot: object, page: ReportsPage, ctx: UiContext, settle: Callable[..., None],
        monkeypatch: pytest.MonkeyPatch) -> None:
    from pos_app.ui.manager import report_work

    real = report_work.fetch
    later = datetime.now().astimezone().replace(year=datetime.now().year + 2)  # nothing redeemed then
    monkeypatch.setattr("pos_app.ui.manager.reports_page.fetch", lambda s, p: real(s, p, now=later))
    page.refresh()
    settle()
    assert page.day_chart.is_empty and page.till_chart.bars() == []
    assert page.total_line.text() == "No redemptions in this period."
    assert not page.day_chart.grab().toImage().isNull()


def test_a_sale_refreshes_the_figures(page: ReportsPage, ctx: UiContext, codes: dict[str, str],
                                      settle: Callable[..., None]) -> None:
    sale = ctx.session.redeem(codes["active"], Money(1000, "EUR"))
    ctx.events.sale_done.emit(sale)
    settle()
    assert page.day_chart.bars()[-1][1] == 6250 + 1000
    shown = {tile.caption.text(): tile.value.text() for tile in page.figure_tiles}
    assert shown["Outstanding balance"] == "€347.50"


def test_periods_are_whole_local_days() -> None:
    now = datetime(2025, 3, 15, 14, 30).astimezone()
    since, until = bounds(Period.THIS_MONTH, now)
    assert (since.day, since.hour, until.day, until.hour) == (1, 0, 16, 0)
    since, until = bounds(Period.LAST_7_DAYS, now)
    assert (until - since).days == 7
