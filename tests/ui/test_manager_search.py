"""The manager's Search page on the demo shop: find cards by a part of their code, read a card's history, open it
in Cards, export the history."""

from __future__ import annotations

import csv

import pytest
from PySide6.QtCore import Qt

from pos_app.domain.ledger import EntryKind
from pos_app.ui.manager.card_history import load_history
from pos_app.ui.manager.cards_page import CardsPage
from pos_app.ui.manager.search_export import HEADER, write_history_csv
from pos_app.ui.manager.search_page import SearchPage
from pos_app.ui.manager.search_results import find_cards, results_model
from tests.ui.conftest import MANAGER_PIN, manager_page


@pytest.fixture
def page(window, ctx, settle) -> SearchPage:
    return manager_page(window, ctx, settle, SearchPage)


def search(page: SearchPage, qtbot, settle, text: str) -> None:
    page.search_edit.clear()
    qtbot.keyClicks(page.search_edit, text)
    qtbot.keyClick(page.search_edit, Qt.Key.Key_Return)
    settle()


def test_a_part_of_a_code_finds_the_card_and_shows_its_whole_history(page, codes, qtbot, settle) -> None:
    code = codes["partly_used"]
    search(page, qtbot, settle, code[8:12].lower())  # any case, the middle of the code
    found = [row.card.code for row in page.model.rows]
    assert code in found
    assert page.model.index(found.index(code), 0).data() == code  # managers see whole codes
    page.results.selectRow(found.index(code))
    settle()
    history = page.history_table.rows_model.rows
    assert [row.entry.kind for row in history] == [EntryKind.CREDITS_REDEMPTION, EntryKind.CREDITS_ADDITION]
    assert history[0].entry.order_ref == "DEMO-1" and history[0].person == "Maria (manager)"
    assert code in page.history_title.text()


def test_typing_searches_by_itself_after_a_pause(page, codes, qtbot, settle) -> None:
    qtbot.keyClicks(page.search_edit, codes["active"][3:7])
    qtbot.waitUntil(lambda: any(row.card.code == codes["active"] for row in page.model.rows), timeout=5_000)
    settle()


def test_nothing_found_says_so(page, qtbot, settle) -> None:
    search(page, qtbot, settle, "NOPE-NOTHING")
    assert page.model.rowCount() == 0
    assert "No card's code contains “NOPE-NOTHING”" in page.found.text()
    assert not page.open_button.isEnabled()


def test_open_in_cards_shows_the_card_on_the_cards_page(page, window, codes, qtbot, settle) -> None:
    code = codes["disabled"]
    search(page, qtbot, settle, code)
    assert page.model.rowCount() == 1
    with qtbot.waitSignal(page.open_card) as opened:
        qtbot.mouseClick(page.open_button, Qt.MouseButton.LeftButton)
    settle()
    assert opened.args == [code]
    cards = window.manager.pages.currentWidget()
    assert isinstance(cards, CardsPage)
    assert cards.card is not None and cards.card.code == code


def test_export_writes_the_history_to_csv(page, codes, qtbot, settle, tmp_path) -> None:
    search(page, qtbot, settle, codes["partly_used"])
    settle()
    target = tmp_path / "history.csv"
    page.export_history(target)
    settle()
    with target.open(newline="", encoding="utf-8") as handle:
        lines = list(csv.reader(handle))
    assert tuple(lines[0]) == HEADER
    assert [line[5] for line in lines[1:]] == ["-12.50", "50.00"]
    assert "2 entries written" in page.found.text()


def test_the_models(ctx, codes, qtmodeltester, tmp_path) -> None:
    ctx.session.login(MANAGER_PIN)
    results = find_cards(ctx.session, "GC-")
    model = results_model(ctx.locale)
    model.set_rows(results.rows)
    assert model.rowCount() >= 6
    qtmodeltester.check(model)
    history = load_history(ctx.session, codes["spent"])
    assert write_history_csv(tmp_path / "spent.csv", history.rows, locale=ctx.locale) == 2
