"""Manager › Import and export on a real demo store: a file of cards imported with a progress bar, a file with
mistakes refused line by line with nothing written, and the whole store exported as the command line's three
CSV files (owner-readable only), which read back through the import the command line uses."""

from __future__ import annotations

import csv
import stat
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from pos_app.services.exports import REDEMPTION_COLUMNS, TRANSACTION_COLUMNS, VOUCHER_COLUMNS
from pos_app.ui.context import UiContext
from pos_app.ui.manager.data_page import DataPage
from tests.ui.conftest import CASHIER_PIN, log_in, manager_page


@pytest.fixture
def page(window, ctx: UiContext, settle: Callable[..., None]) -> Iterator[DataPage]:  # type: ignore[no-untyped-def]
    yield manager_page(window, ctx, settle, DataPage)


def _codes(ctx: UiContext) -> set[str]:
    with ctx.session.till.new_reader() as uow:  # type: ignore[misc]
        return {card.code for card in uow.cards.iter_all()}


def test_a_file_of_cards_is_imported_with_progress(page: DataPage, ctx: UiContext, settle, qtbot,
                                                   tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    rows = ["code,value,gift_balance,campaign"] + [f"OLD-{n:04d},2000,{500 + n},Imported cards" for n in range(40)]
    file = tmp_path / "old-system.csv"
    file.write_text("\n".join(rows) + "\n", encoding="utf-8")
    page.choose_import_file = lambda: file  # type: ignore[method-assign]
    values: list[int] = []
    page.progress.valueChanged.connect(values.append)
    page.import_button.click()
    assert not page.import_button.isEnabled()  # one import at a time
    settle()
    qtbot.waitUntil(page.import_button.isEnabled)
    assert "40 cards" in page.result.text()
    assert page.result.property("level") == "done"
    assert values and max(values) == 40
    assert {f"OLD-{n:04d}" for n in range(40)} <= _codes(ctx)
    assert not page.problem_table.isVisible()


def test_a_file_with_mistakes_is_refused_line_by_line_and_nothing_is_written(
        page: DataPage, ctx: UiContext, settle, qtbot, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    before = _codes(ctx)
    file = tmp_path / "mistakes.csv"
    file.write_text("code,value\nGOOD-0001,1000\nBAD-0002,12.50\nBAD-0003,-5\nGOOD-0004,1000\n", encoding="utf-8")
    page.import_from(file)
    settle()
    qtbot.waitUntil(page.import_button.isEnabled)
    assert page.result.property("level") == "refused"
    assert "2 problems" in page.result.text() and "nothing was imported" in page.result.text()
    assert page.problem_table.isVisible()
    where = [page.problems.index(r, 0).data() for r in range(page.problems.rowCount())]
    assert where == ["line 3", "line 4"]
    what = page.problems.index(0, 1).data()
    assert what == "Enter an amount greater than zero, such as 12.50."  # the key's sentence, translated
    assert "12.50" in page.problems.index(0, 2).data()
    assert _codes(ctx) == before


def test_a_file_that_is_not_utf8_is_refused_with_a_sentence(page: DataPage, settle, qtbot,
                                                            tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    file = tmp_path / "latin1.csv"
    file.write_bytes("code,value,campaign\nX-0001,1000,Caf\xe9\n".encode("latin-1"))
    page.import_from(file)
    settle()
    qtbot.waitUntil(page.import_button.isEnabled)
    assert page.result.property("level") == "refused"
    assert page.result.text().startswith("One problem in the file; nothing was imported.")
    assert page.problems.index(0, 0).data() == "line 2" and "UTF-8" in page.problems.index(0, 2).data()


def test_the_whole_store_is_exported_as_three_files_only_the_owner_reads(
        page: DataPage, ctx: UiContext, settle, qtbot, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    folder = tmp_path / "out"
    folder.mkdir()
    page.choose_export_folder = lambda: folder  # type: ignore[method-assign]
    page.export_button.click()
    settle()
    qtbot.waitUntil(page.export_result.isVisible)
    assert page.export_result.property("level") == "done", page.export_result.text()
    files = sorted(folder.iterdir())
    assert len(files) == 3 and not [f for f in files if f.name.endswith(".part")]
    headers = {}
    for file in files:
        assert stat.S_IMODE(file.stat().st_mode) == 0o600
        with file.open(encoding="utf-8", newline="") as fh:
            headers[file.name.split("-")[2]] = tuple(next(csv.reader(fh)))
    assert headers == {"vouchers": VOUCHER_COLUMNS, "transactions": TRANSACTION_COLUMNS,
                       "redemptions": REDEMPTION_COLUMNS}
    vouchers = next(f for f in files if "vouchers" in f.name)
    with vouchers.open(encoding="utf-8") as fh:
        assert sum(1 for _ in fh) - 1 == len(_codes(ctx))


def test_an_export_never_replaces_what_is_not_a_regular_file(page: DataPage, settle, qtbot,
                                                            tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from pos_app.ui.manager.data_work import ExportNotWritten, write_file

    victim = tmp_path / "victim.txt"
    victim.write_text("keep me")
    link = tmp_path / "export.csv"
    link.symlink_to(victim)
    with pytest.raises(ExportNotWritten):
        write_file(link, lambda fh: fh.write("x") and 1)
    assert link.is_symlink() and victim.read_text() == "keep me"
    assert not list(tmp_path.glob("*.part")) and not list(tmp_path.glob(".*.part"))


def test_a_cashier_may_not_export_and_nothing_is_left_behind(window, ctx: UiContext, settle,
                                                             tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from pos_app.domain.errors import Forbidden
    from pos_app.ui.manager.data_work import export_store

    log_in(ctx, settle, CASHIER_PIN)
    folder = tmp_path / "out"
    folder.mkdir()
    with pytest.raises(Forbidden):  # the service's permission, as on the command line
        export_store(ctx.session, folder)
    assert list(folder.iterdir()) == []
