"""The window's campaign dates are days of the shop (issue 13): "last day 2027-06-30" in a New York shop ends at
midnight New York summer time (04:00 UTC), "2027-12-31" at midnight winter time (05:00 UTC), whether the machine
is in New York in December (the offset of today was used) or in Tokyo."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import pytest
from babel.dates import format_date
from PySide6.QtCore import QDate, Qt

from pos_app.services.campaigns import CreateCampaign
from pos_app.ui.context import UiContext
from pos_app.ui.manager.campaigns_page import CampaignsPage
from tests.ui.conftest import MANAGER_PIN, log_in

SHOP = "America/New_York"


@pytest.fixture(params=["America/New_York", "Asia/Tokyo"])
def machine_zone(request: pytest.FixtureRequest) -> Iterator[str]:
    """The zone of the machine the window runs on (the shop's own, or one far from it)."""
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("TZ", request.param)
        time.tzset()
        yield request.param
    time.tzset()


@pytest.fixture
def page(qtbot: object, ctx: UiContext, settle: Callable[..., None], machine_zone: str) -> Iterator[CampaignsPage]:
    with ctx.session.till.new_uow() as uow:  # type: ignore[misc]
        uow.settings.set("time_zone", SHOP)  # the shop's zone, as Settings › Shop saves it
        uow.commit()
    ctx.session.reload_profile()
    log_in(ctx, settle, MANAGER_PIN)
    shown = CampaignsPage(ctx)
    qtbot.addWidget(shown)  # type: ignore[attr-defined]
    shown.resize(1400, 800)
    shown.show()
    shown.on_shown()
    settle()
    yield shown


def _dates(page: CampaignsPage, first: date | None, last: date) -> CreateCampaign:
    page.new_campaign()
    form = page.form
    form.name.setText(f"Until {last}")
    form.amount.setText("20.00")
    form.count.setText("3")
    form.starts_on.setChecked(first is not None)
    if first is not None:
        form.starts.setDate(QDate(first.year, first.month, first.day))
    form.expires_on.setChecked(True)
    form.expires.setDate(QDate(last.year, last.month, last.day))
    read = form.read()
    assert isinstance(read, CreateCampaign), read
    return read


@pytest.mark.parametrize(("last", "ends"), [
    (date(2027, 6, 30), datetime(2027, 7, 1, 4, 0, tzinfo=UTC)),  # New York summer time: UTC−4
    (date(2027, 12, 31), datetime(2028, 1, 1, 5, 0, tzinfo=UTC)),  # winter time: UTC−5
])
def test_the_campaign_forms_last_day_ends_at_the_shops_midnight(
        qtbot: object, page: CampaignsPage, ctx: UiContext, settle: Callable[..., None], last: date,
        ends: datetime) -> None:
    # 2027-03-14 is the day New York moves its clocks forward: the day still starts at midnight winter time
    command = _dates(page, date(2027, 3, 14), last)
    assert command.expiration_date == ends
    assert command.start_date == datetime(2027, 3, 14, 5, 0, tzinfo=UTC)

    with qtbot.waitSignal(ctx.events.message, timeout=10_000):  # type: ignore[attr-defined]
        page.form.submit()
    settle()
    row = next(number for number, r in enumerate(page.model.rows) if r.campaign.name == f"Until {last}")
    headers = [page.model.headerData(c, Qt.Orientation.Horizontal) for c in range(page.model.columnCount())]
    shown = page.model.index(row, headers.index("Last day")).data()
    assert shown == format_date(last, "medium", locale=ctx.locale)  # the day typed, never the day after


def test_the_form_starts_from_the_shops_today(page: CampaignsPage, ctx: UiContext) -> None:
    page.new_campaign()
    today = datetime.now(ZoneInfo(SHOP)).date()
    shown = page.form.expires.minimumDate()
    assert date(shown.year(), shown.month(), shown.day()) == today
    shown = page.form.starts.date()
    assert date(shown.year(), shown.month(), shown.day()) == today
