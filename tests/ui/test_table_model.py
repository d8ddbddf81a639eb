"""The one table model of the window, through pytest-qt's model tester."""

from __future__ import annotations

from PySide6.QtCore import Qt

from pos_app.ui.table_model import ROW_ROLE, SORT_ROLE, Column, RowsModel

COLUMNS = [
    Column("Name", lambda r: r[0]),
    Column("Amount", lambda r: f"{r[1] / 100:.2f}", sort_key=lambda r: r[1], right=True,
           colour=lambda r: "#b00020" if r[1] < 0 else None, tooltip=lambda r: "negative" if r[1] < 0 else None),
]


def test_the_model_passes_the_model_tester_full_empty_and_after_changes(qtmodeltester) -> None:
    model = RowsModel(COLUMNS, [("a", 100), ("b", -250)])
    qtmodeltester.check(model)
    model.prepend(("c", 5))
    model.set_rows([])
    qtmodeltester.check(model)
    model.set_rows([("d", 1), ("e", 2), ("f", -3)])
    qtmodeltester.check(model)


def test_roles(qapp) -> None:
    model = RowsModel(COLUMNS, [("b", -250)])
    amount = model.index(0, 1)
    assert model.data(amount) == "-2.50"
    assert model.data(amount, SORT_ROLE) == -250
    assert model.data(amount, ROW_ROLE) == ("b", -250)
    assert model.data(amount, Qt.ItemDataRole.ForegroundRole).name() == "#b00020"
    assert model.data(amount, Qt.ItemDataRole.TextAlignmentRole) & int(Qt.AlignmentFlag.AlignRight)
    assert model.headerData(1, Qt.Orientation.Horizontal) == "Amount"
