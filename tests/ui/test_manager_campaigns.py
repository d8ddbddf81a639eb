"""The Campaigns page on a real demo store: generating a campaign through the form with a progress bar, refusals
that write nothing, and card sheets written to PDF (or cancelled, leaving no file)."""

from __future__ import annotations

import functools
import re
import subprocess
import threading
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt

from pos_app.printing.card_sheet import layout, page_count
from pos_app.services import campaigns, sheets
from pos_app.services.modes import ENROLLED, MODE_KEY
from pos_app.ui.context import UiContext
from pos_app.ui.manager import campaign_work
from pos_app.ui.manager.campaigns_page import CampaignsPage
from tests.ui.conftest import MANAGER_PIN, log_in

DEMO = "Demo cards €50"


@pytest.fixture
def page(qtbot: object, ctx: UiContext, settle: Callable[..., None]) -> Iterator[CampaignsPage]:
    log_in(ctx, settle, MANAGER_PIN)
    shown = CampaignsPage(ctx)
    qtbot.addWidget(shown)  # type: ignore[attr-defined]
    shown.resize(1000, 700)  # narrow: the form takes the list's place when asked for
    shown.show()
    shown.on_shown()
    settle()
    yield shown


def _campaign_names(ctx: UiContext) -> list[str]:
    with ctx.session.till.new_reader() as uow:  # type: ignore[misc]
        return sorted(c.name for c in uow.campaigns.list())


def _fill(qtbot: object, page: CampaignsPage, *, name: str, amount: str, count: str) -> None:
    page.new_campaign()
    form = page.form
    for field, text in ((form.name, name), (form.amount, amount), (form.count, count)):
        field.clear()
        qtbot.keyClicks(field, text)  # type: ignore[attr-defined]


def _select(page: CampaignsPage, name: str) -> None:
    for number, row in enumerate(page.model.rows):
        if row.campaign.name == name:
            page.table.selectRow(number)
            return
    raise AssertionError(f"{name} is not in the table")


def test_the_table_lists_the_demo_campaigns(page: CampaignsPage, qtmodeltester: object) -> None:
    rows = {row.campaign.name: row for row in page.model.rows}
    assert set(rows) == {DEMO, "Last year's promotion"}
    assert (rows[DEMO].cards, rows[DEMO].active) == (12, 7)  # 8 sold, 1 of them disabled
    texts = [page.model.index(0, c).data() for c in range(page.model.columnCount())]
    assert "€50.00" in texts or "€20.00" in texts
    qtmodeltester.check(page.model)  # type: ignore[attr-defined]


def test_a_campaign_made_through_the_form_moves_the_progress_bar_and_lands_in_the_store(
        qtbot: object, page: CampaignsPage, ctx: UiContext, settle: Callable[..., None],
        monkeypatch: pytest.MonkeyPatch) -> None:
    # batches of 100 so that 300 cards report progress more than once (the service's batches are 25,000)
    monkeypatch.setattr(campaign_work.campaigns, "create_campaign",
                        functools.partial(campaigns.create_campaign, batch_size=100))
    values: list[int] = []
    page.form.progress.valueChanged.connect(values.append)
    _fill(qtbot, page, name="Summer 300", amount="25.00", count="300")
    with qtbot.waitSignal(ctx.events.message, timeout=10_000):  # type: ignore[attr-defined]
        qtbot.keyClick(page.form.count, Qt.Key.Key_Return)  # type: ignore[attr-defined]
        assert not page.form.create_button.isEnabled()  # locked while the cards are written
        assert page.form.progress.isVisible()
    settle()
    assert values[-1] == 300 and values == sorted(values) and len(set(values)) >= 2
    assert page.form.progress.maximum() == 300
    assert page.form.create_button.isEnabled() and page.form.name.text() == ""
    assert page.stack.currentWidget() is page.list_view
    chosen = page.selected()
    assert chosen is not None and chosen.campaign.name == "Summer 300" and chosen.cards == 300
    with ctx.session.till.new_reader() as uow:  # type: ignore[misc]
        made = list(uow.cards.iter_all(chosen.id))
    assert len(made) == 300 and {c.initial_amount for c in made} == {2500}
    assert all(c.status.value == "inactive" for c in made)


@pytest.mark.parametrize(("name", "amount", "count", "said", "field"), [
    ("", "25.00", "10", "Give the campaign a name.", "name"),
    ("Zero", "0", "10", "Enter an amount greater than zero, such as 12.50.", "amount"),
    ("Too many", "25.00", "10000001", "Enter how many cards to make: a whole number from 1 to 10,000,000.",
     "count"),
    ("Not a number", "25.00", "ten", "Enter how many cards to make: a whole number from 1 to 10,000,000.", "count"),
    ("Last year's promotion", "25.00", "10", "That already exists; choose another name.", "name"),  # the service's
])
def test_a_refused_form_shows_its_sentence_and_writes_nothing(
        qtbot: object, page: CampaignsPage, ctx: UiContext, settle: Callable[..., None],
        name: str, amount: str, count: str, said: str, field: str) -> None:
    before = _campaign_names(ctx)
    _fill(qtbot, page, name=name, amount=amount, count=count)
    qtbot.mouseClick(page.form.create_button, Qt.MouseButton.LeftButton)  # type: ignore[attr-defined]
    settle()
    assert page.form.problem.isVisible() and page.form.problem.text() == said
    assert page.form.focusWidget() is getattr(page.form, field)
    assert (page.form.name.text(), page.form.amount.text(), page.form.count.text()) == (name, amount, count)
    assert _campaign_names(ctx) == before


def test_an_enrolled_till_is_told_campaigns_are_made_at_head_office(
        qtbot: object, page: CampaignsPage, ctx: UiContext, settle: Callable[..., None]) -> None:
    with ctx.session.till.new_uow() as uow:  # type: ignore[misc]
        uow.settings.set(MODE_KEY, ENROLLED)
        uow.commit()
    before = _campaign_names(ctx)
    _fill(qtbot, page, name="Head office's", amount="10", count="5")
    qtbot.mouseClick(page.form.create_button, Qt.MouseButton.LeftButton)  # type: ignore[attr-defined]
    settle()
    assert page.form.problem.text() == "For this till, that is done at head office on the central server."
    assert _campaign_names(ctx) == before


def _pdf(path: Path, tool: str) -> str:
    return subprocess.run([tool, str(path), "-"] if tool == "pdftotext" else [tool, str(path)],
                          check=True, capture_output=True, text=True).stdout


def test_a_card_sheet_of_the_demo_campaign_is_written_to_pdf(
        qtbot: object, page: CampaignsPage, tmp_path: Path, codes: dict[str, str],
        settle: Callable[..., None]) -> None:
    out = tmp_path / "sheets" / "demo.pdf"
    out.parent.mkdir()
    page.choose_sheet_path = lambda suggested: out  # type: ignore[method-assign]
    _select(page, DEMO)
    with qtbot.waitSignal(page.sheet_job.finished, timeout=20_000) as done:  # type: ignore[attr-defined]
        qtbot.mouseClick(page.sheet_button, Qt.MouseButton.LeftButton)  # type: ignore[attr-defined]
        assert not page.sheet_button.isEnabled()
    settle()
    result = done.args[0]
    assert result.cards == 11 and result.disabled_left_out == 1  # the lost card is never printed
    info = _pdf(out, "pdfinfo")
    assert re.search(r"^Pages:\s+(\d+)$", info, re.M)[1] == str(page_count(11, layout("A4")))  # type: ignore[index]
    text = _pdf(out, "pdftotext")
    assert "Demo Gift Shop" in text and codes["active"] in text and codes["disabled"] not in text
    assert page.sheet_job.open_button.isVisible() and page.sheet_job.folder == out.parent
    assert page.sheet_button.isEnabled()
    assert sorted(p.name for p in out.parent.iterdir()) == ["demo.pdf"]


def test_a_cancelled_card_sheet_leaves_no_file(
        qtbot: object, page: CampaignsPage, tmp_path: Path, settle: Callable[..., None],
        monkeypatch: pytest.MonkeyPatch) -> None:
    out = tmp_path / "sheets" / "cancelled.pdf"
    out.parent.mkdir()
    page.choose_sheet_path = lambda suggested: out  # type: ignore[method-assign]
    gate = threading.Event()  # the worker waits here until Cancel has been pressed
    counted = sheets.count_printable
    monkeypatch.setattr(sheets, "count_printable", lambda cards: (gate.wait(10), counted(cards))[1])
    _select(page, DEMO)
    with qtbot.waitSignal(page.sheet_job.finished, timeout=20_000) as done:  # type: ignore[attr-defined]
        qtbot.mouseClick(page.sheet_button, Qt.MouseButton.LeftButton)  # type: ignore[attr-defined]
        assert page.sheet_job.cancel_button.isVisible()
        qtbot.mouseClick(page.sheet_job.cancel_button, Qt.MouseButton.LeftButton)  # type: ignore[attr-defined]
        gate.set()
    settle()
    assert done.args[0] is None
    assert page.sheet_job.text.text() == "Cancelled: no file was written."
    assert list(out.parent.iterdir()) == []


def test_no_sheet_is_asked_for_when_the_dialog_is_closed(
        qtbot: object, page: CampaignsPage, tmp_path: Path) -> None:
    page.choose_sheet_path = lambda suggested: None  # type: ignore[method-assign]
    _select(page, DEMO)
    qtbot.mouseClick(page.sheet_button, Qt.MouseButton.LeftButton)  # type: ignore[attr-defined]
    assert not page.sheet_job.running and page.sheet_job.isHidden()
