"""Manager page: find cards by a part of their code, read a card's whole history, open it in Cards.

The search runs when the manager stops typing for a moment (or presses Enter), on a reader thread; the newest
search wins when answers come back out of order. Managers see whole codes here. Selecting a card shows its
history below; "Open in Cards" (Enter or double-click on a card) switches to the Cards page with that card,
and "Export history" writes the history to a CSV file, off the GUI thread.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QModelIndex, Qt, QTimer, Signal
from PySide6.QtGui import QKeyEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from pos_app.ui.context import Level, UiContext
from pos_app.ui.icons import icon
from pos_app.ui.manager.card_forms import restyle
from pos_app.ui.manager.card_history import CardHistory, load_history
from pos_app.ui.manager.card_table import HistoryTable
from pos_app.ui.manager.search_export import write_history_csv
from pos_app.ui.manager.search_results import ResultRow, Results, find_cards, results_model
from pos_app.ui.messages import sentence, tr, tr_noop
from pos_app.ui.table_model import rows_view

TYPING_PAUSE_MS = 300
MIN_TYPED = 2  # a search starts by itself from this many characters; Enter searches for anything


class ResultsTable(QTableView):
    """The cards found; Enter on one opens it in Cards, like a double-click."""

    chosen = Signal(object)  # ResultRow

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and self.currentIndex().isValid():
            self.chosen.emit(self.model().row(self.currentIndex().row()))  # type: ignore[attr-defined]
            return
        super().keyPressEvent(event)


class SearchPage(QWidget):
    title = tr_noop("Search")
    icon_name = "search"
    open_card = Signal(str)  # a code to show on the Cards page

    def __init__(self, ctx: UiContext) -> None:
        super().__init__()
        self.ctx = ctx
        self.setObjectName("SearchPage")
        self.history: CardHistory | None = None
        self._searches = 0
        self._loads = 0

        self.search_edit = QLineEdit()
        self.search_edit.setObjectName("SearchText")
        self.search_edit.setPlaceholderText(tr("Part of a card code, e.g. 7XZP"))
        self.search_edit.setClearButtonEnabled(True)
        self.search_edit.textEdited.connect(self._typed)
        self.search_edit.returnPressed.connect(self.search_now)
        self.search_button = QPushButton(icon("search"), tr("Search (Enter)"))
        self.search_button.clicked.connect(self.search_now)
        self._pause = QTimer(self)
        self._pause.setSingleShot(True)
        self._pause.setInterval(TYPING_PAUSE_MS)
        self._pause.timeout.connect(self.search_now)
        self.found = QLabel(tr("Type part of a card's code to find it."))
        self.found.setObjectName("SearchFound")
        self.found.setProperty("role", "hint")
        self.found.setWordWrap(True)

        self.model = results_model(ctx.locale, ctx.zone)
        self.results = self._results_table()
        self.open_button = QPushButton(icon("cards"), tr("Open in Cards (Ctrl+O)"))
        self.open_button.setProperty("role", "primary")
        self.open_button.clicked.connect(self.open_selected)
        self.export_button = QPushButton(icon("reports"), tr("Export CSV… (Ctrl+E)"))
        self.export_button.clicked.connect(self._ask_export)
        self.history_title = QLabel(tr("History"))
        self.history_title.setProperty("role", "subtitle")
        self.history_title.setWordWrap(True)
        self.history_table = HistoryTable(ctx)
        self.history_table.setToolTip("")
        for keys, slot in (("Ctrl+O", self.open_selected), ("Ctrl+E", self._ask_export),
                           ("Ctrl+F", self._focus_search)):
            shortcut = QShortcut(QKeySequence(keys), self)
            shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            shortcut.activated.connect(slot)
        self._lay_out()
        self._show_history(None)
        ctx.events.card_changed.connect(self._card_changed)
        ctx.events.logged_out.connect(self.clear)

    def _results_table(self) -> ResultsTable:
        view = rows_view(ResultsTable(), self.model, "SearchResults", single=True)
        view.selectionModel().currentRowChanged.connect(self._selected)
        view.doubleClicked.connect(lambda index: self._open_row(self.model.row(index.row())))
        view.chosen.connect(self._open_row)
        return view

    def _lay_out(self) -> None:
        heading = QLabel(tr("Search cards"))
        heading.setProperty("role", "title")
        search_row = QHBoxLayout()
        search_row.addWidget(self.search_edit, 1)
        search_row.addWidget(self.search_button)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.export_button)
        buttons.addWidget(self.open_button)
        layout = QVBoxLayout(self)
        layout.addWidget(heading)
        layout.addLayout(search_row)
        layout.addWidget(self.found)
        layout.addWidget(self.results, 1)
        layout.addLayout(buttons)
        layout.addWidget(self.history_title)
        layout.addWidget(self.history_table, 1)

    # ---- the manager screen's calls --------------------------------------------------------------------------

    def on_shown(self) -> None:
        self._focus_search()
        if self.history is not None:  # it may have changed meanwhile
            self._load(self.history.view.card.code)

    def _focus_search(self) -> None:
        self.search_edit.setFocus()
        self.search_edit.selectAll()

    def clear(self) -> None:
        """Nothing found, nothing typed (on logout: the next person never sees what was searched)."""
        self._pause.stop()
        self._searches += 1
        self._loads += 1
        self.search_edit.clear()
        self.model.set_rows([])
        self._show_history(None)
        self._say(tr("Type part of a card's code to find it."), None)

    # ---- searching -------------------------------------------------------------------------------------------

    def _typed(self, text: str) -> None:
        if len(text.strip()) >= MIN_TYPED:
            self._pause.start()
        else:
            self._pause.stop()

    def search_now(self) -> None:
        self._pause.stop()
        text = self.search_edit.text().strip()
        if not text:
            self._say(tr("Type part of a card's code to find it."), None)
            return
        self._searches += 1
        search = self._searches
        self._say(tr("Searching…"), None)

        def found(results: Results) -> None:
            if search == self._searches:
                self._show_results(results)

        def refused(exc: BaseException) -> None:
            if search == self._searches:
                self._say(sentence(exc, locale=self.ctx.locale), Level.REFUSED)

        (self.ctx.ops.read(lambda: find_cards(self.ctx.session, text), owner=self, label="search cards")
         .success(found).failure(refused).run())

    def _show_results(self, results: Results) -> None:
        self.model.set_rows(results.rows)
        count = len(results.rows)
        if count == 0:
            self._say(tr("No card's code contains “{text}”. Check what you typed.").format(text=results.text),
                      Level.INFO)
            self._show_history(None)
            return
        if results.cut:
            self._say(tr("The first {n} cards containing “{text}”: type more of the code to narrow it down.").format(
                n=count, text=results.text), None)
        else:
            self._say((tr("1 card found.") if count == 1 else tr("{n} cards found.").format(n=count)), None)
        self.results.selectRow(0)

    def _say(self, text: str, level: Level | None) -> None:
        self.found.setText(text)
        restyle(self.found, level=str(level) if level else "", role="" if level else "hint")

    # ---- the selected card's history -------------------------------------------------------------------------

    def selected(self) -> ResultRow | None:
        index = self.results.currentIndex()
        return self.model.row(index.row()) if index.isValid() else None

    def _selected(self, current: QModelIndex, _previous: QModelIndex) -> None:
        if current.isValid():
            self._load(self.model.row(current.row()).card.code)
        else:
            self._show_history(None)

    def _load(self, code: str) -> None:
        self._loads += 1
        load = self._loads

        def shown(history: CardHistory) -> None:
            if load == self._loads:
                self._show_history(history)

        def refused(exc: BaseException) -> None:
            if load == self._loads:
                self._show_history(None)
                self._say(sentence(exc, locale=self.ctx.locale), Level.REFUSED)

        (self.ctx.ops.read(lambda: load_history(self.ctx.session, code), owner=self, label="card history")
         .success(shown).failure(refused).run())

    def _show_history(self, history: CardHistory | None) -> None:
        self.history = history
        self.history_table.show_rows(history.rows if history else [])
        self.open_button.setEnabled(history is not None)
        self.export_button.setEnabled(history is not None and bool(history.rows))
        if history is None:
            self.history_title.setText(tr("History"))
        else:
            self.history_title.setText(tr("History of {code} ({n} entries)").format(
                code=history.view.card.code, n=len(history.rows)))

    def _card_changed(self, code: str) -> None:
        if self.history is not None and self.history.view.card.code == code and self.isVisible():
            self._load(code)

    # ---- open in Cards, export -------------------------------------------------------------------------------

    def open_selected(self) -> None:
        row = self.selected()
        if row is not None:
            self._open_row(row)

    def _open_row(self, row: ResultRow) -> None:
        """Ask for this card on the Cards page (the manager screen this page sits in switches to it)."""
        self.open_card.emit(row.card.code)

    def _ask_export(self) -> None:
        history = self.history
        if history is None or not history.rows:
            return
        default = str(Path.home() / f"{history.view.card.code}-history.csv")
        path, _filter = QFileDialog.getSaveFileName(self, tr("Export the card's history"), default,
                                                    tr("CSV files (*.csv)"))
        if path:
            self.export_history(Path(path))

    def export_history(self, path: Path) -> None:
        """Write the shown history to ``path`` on a worker thread and say where it went."""
        history = self.history
        if history is None:
            return
        rows, locale = list(history.rows), self.ctx.locale
        standalone = self.ctx.session.profile.mode == "standalone"
        self.export_button.setEnabled(False)
        (self.ctx.ops.read(lambda: write_history_csv(path, rows, locale=locale, standalone=standalone),
                           owner=self, label="export history")
         .success(lambda n: self._say(tr("{n} entries written to {path}.").format(n=n, path=path), Level.DONE))
         .failure(lambda exc: self._say(tr("The file could not be written: {why}").format(why=_why(exc)),
                                        Level.REFUSED))
         .finally_(lambda: self.export_button.setEnabled(self.history is not None))
         .run())


def _why(exc: BaseException) -> str:
    """An OS error's own words (no such folder, no permission); anything else gets the general sentence."""
    if isinstance(exc, OSError) and exc.strerror:
        return exc.strerror
    return sentence(exc)
