"""A card's history as a table: one row per entry, newest first; picking a row can choose a redemption to refund.

Used by the Cards page (``picked`` a row: the Refund form shows it; ``chosen`` by double-click or Enter: open
the Refund form with it) and by the Search page (read only).
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QItemSelectionModel, QModelIndex, Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QTableView

from pos_app.ui.context import UiContext
from pos_app.ui.manager.card_history import HistoryRow, history_model
from pos_app.ui.messages import tr
from pos_app.ui.table_model import rows_view


class HistoryTable(QTableView):
    picked = Signal(object)  # HistoryRow, or None when nothing is selected
    chosen = Signal(object)  # HistoryRow: double-click or Enter on it

    def __init__(self, ctx: UiContext) -> None:
        super().__init__()
        self.rows_model = history_model(ctx.locale, standalone=ctx.session.profile.mode == "standalone")
        rows_view(self, self.rows_model, "HistoryTable", single=True)
        self.setWordWrap(False)
        self.setToolTip(tr("Double-click a redemption (or press Enter on it) to refund it."))
        self.selectionModel().currentRowChanged.connect(self._current_changed)
        self.doubleClicked.connect(lambda index: self._choose(index.row()))

    def show_rows(self, rows: Sequence[HistoryRow], *, picked: HistoryRow | None = None) -> None:
        """Replace the rows, keeping ``picked`` selected (a refund that was refused keeps its redemption)."""
        self.rows_model.set_rows(rows)
        if picked is None:
            return
        for number, row in enumerate(rows):
            if row.entry.id == picked.entry.id:
                index = self.rows_model.index(number, 0)
                self.selectionModel().setCurrentIndex(
                    index, QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows)
                break

    def selected_row(self) -> HistoryRow | None:
        index = self.currentIndex()
        return self.rows_model.row(index.row()) if index.isValid() else None

    def _current_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        self.picked.emit(self.rows_model.row(current.row()) if current.isValid() else None)

    def _choose(self, number: int) -> None:
        if 0 <= number < self.rows_model.rowCount():
            self.chosen.emit(self.rows_model.row(number))

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and self.currentIndex().isValid():
            self._choose(self.currentIndex().row())
            return
        super().keyPressEvent(event)
