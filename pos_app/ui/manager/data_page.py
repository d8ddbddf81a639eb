"""Manager page: Import and export — cards from a file, and the whole store out to CSV files.

Import (Ctrl+O): a CSV or JSON file of cards (our export's or Voucherify's columns), as ``pos-app import FILE``
does it: all or nothing, checked line by line first. It runs on the long-write lane with a progress bar; a refused
file shows how many problems it has and a table of them, one row per line of the file (where, what, and the
sentence for the cashier's key), and nothing is written. On a till enrolled to a central server imports are made at
head office: the service refuses and its sentence is shown.

Export (Ctrl+E): the whole store as the command line's three exports (vouchers, transactions, redemptions), into a
folder the manager chooses, each file owner-readable only (they carry whole codes). The work is
:mod:`~pos_app.ui.manager.data_work`; the file and folder dialogs are methods the tests replace.
"""

from __future__ import annotations

from pathlib import Path

from babel.numbers import format_decimal
from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QFileDialog,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QProgressBar,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from pos_app.services.imports import ImportResult
from pos_app.ui.context import Level, UiContext
from pos_app.ui.icons import icon
from pos_app.ui.manager.data_work import (
    ExportDone,
    ExportNotWritten,
    FileUnreadable,
    Problem,
    export_store,
    import_file,
    problems_of,
)
from pos_app.ui.messages import sentence, sentence_for_key, tr, tr_noop
from pos_app.ui.table_model import Column, RowsModel, rows_view


def problem_columns() -> list[Column[Problem]]:
    return [
        Column(tr("Where"), lambda p: p.where.replace("line", tr("line")).replace("item", tr("item"))),
        Column(tr("Problem"), lambda p: sentence_for_key(p.key) or p.key,
               tooltip=lambda p: sentence_for_key(p.key) or p.key),
        Column(tr("Details"), lambda p: p.details, tooltip=lambda p: p.details),
    ]


class DataPage(QWidget):
    title = tr_noop("Files")  # short: the manager screen's list is 220 px wide ("Import and export" is elided)
    icon_name = "sync"

    def __init__(self, ctx: UiContext) -> None:
        super().__init__()
        self.ctx = ctx
        self.setObjectName("DataPage")
        self.busy = False

        heading = QLabel(tr("Import and export"))
        heading.setObjectName("PageTitle")
        heading.setProperty("role", "title")

        self.import_button = QPushButton(icon("cards"), tr("Import cards from a file… (Ctrl+O)"))
        self.import_button.setObjectName("ImportButton")
        self.import_button.setProperty("role", "primary")
        self.import_button.setShortcut(tr("Ctrl+O"))
        self.import_button.setAccessibleName(tr("Import cards from a file"))
        self.import_button.clicked.connect(self.choose_and_import)
        import_hint = QLabel(tr("A CSV or JSON file of cards, with the columns of our export or of Voucherify's. "
                                "Every line is checked first: if one is wrong, nothing is imported."))
        import_hint.setProperty("role", "hint")
        import_hint.setWordWrap(True)
        self.progress = QProgressBar()
        self.progress.setObjectName("ImportProgress")
        self.progress.setAccessibleName(tr("Import progress"))
        self.progress.hide()
        self.result = QLabel("")
        self.result.setObjectName("ImportResult")
        self.result.setWordWrap(True)
        self.result.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.result.hide()
        self.problems: RowsModel[Problem] = RowsModel(problem_columns(), parent=self)
        self.problem_table = rows_view(QTableView(), self.problems, "ImportProblems", stretch=2)
        self.problem_table.setAccessibleName(tr("Problems in the import file"))
        self.problem_table.setWordWrap(False)  # one line a problem; the whole details in the tooltip
        self.problem_table.horizontalHeader().setSectionResizeMode(1, QHeaderView.ResizeMode.Interactive)
        self.problem_table.hide()

        import_box = QGroupBox(tr("Import"))
        column = QVBoxLayout(import_box)
        column.addWidget(import_hint)
        row = QHBoxLayout()
        row.addWidget(self.import_button)
        row.addStretch(1)
        column.addLayout(row)
        column.addWidget(self.progress)
        column.addWidget(self.result)
        column.addWidget(self.problem_table, 1)

        self.export_button = QPushButton(icon("reports"), tr("Export the whole store… (Ctrl+E)"))
        self.export_button.setObjectName("ExportButton")
        self.export_button.setShortcut(tr("Ctrl+E"))
        self.export_button.setAccessibleName(tr("Export the whole store"))
        self.export_button.clicked.connect(self.choose_and_export)
        export_hint = QLabel(tr("Three CSV files into a folder you choose: every card, every transaction and every "
                                "redemption, with whole codes (keep them safe)."))
        export_hint.setProperty("role", "hint")
        export_hint.setWordWrap(True)
        self.export_result = QLabel("")
        self.export_result.setObjectName("ExportResult")
        self.export_result.setWordWrap(True)
        self.export_result.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.export_result.hide()
        export_box = QGroupBox(tr("Export"))
        column = QVBoxLayout(export_box)
        column.addWidget(export_hint)
        row = QHBoxLayout()
        row.addWidget(self.export_button)
        row.addStretch(1)
        column.addLayout(row)
        column.addWidget(self.export_result)

        layout = self._layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 16, 16, 16)
        layout.setSpacing(16)
        layout.addWidget(heading)
        layout.addWidget(import_box)
        layout.addWidget(export_box)
        layout.addStretch(1)  # the boxes at the top; the problems' table takes the room when there is one
        self.import_box = import_box

    # ---- the dialogs (tests replace these) -------------------------------------------------------------------

    def choose_import_file(self) -> Path | None:
        chosen, _filter = QFileDialog.getOpenFileName(self, tr("Import cards"), str(Path.home()),
                                                      tr("Card files (*.csv *.json);;All files (*)"))
        return Path(chosen) if chosen else None

    def choose_export_folder(self) -> Path | None:
        chosen = QFileDialog.getExistingDirectory(self, tr("Export the whole store into"), str(Path.home()))
        return Path(chosen) if chosen else None

    # ---- import ----------------------------------------------------------------------------------------------

    def choose_and_import(self) -> None:
        if self.busy:
            return
        path = self.choose_import_file()
        if path is not None:
            self.import_from(path)

    def import_from(self, path: Path) -> None:
        self._busy(True)
        self.problems.set_rows([])
        self._show_problems(False)
        self.progress.setRange(0, 0)  # busy until the first report: the checking comes before any progress
        self.progress.show()
        self._show(self.result, tr("Reading {file}…").format(file=path.name), Level.INFO)
        report = self.ctx.ops.progress(self._progress)
        session = self.ctx.session
        (self.ctx.ops.long_write(lambda: import_file(session, path, report), owner=self, label="import")
         .success(lambda result: self._imported(path, result)).failure(self._import_refused)
         .finally_(lambda: self._busy(False)).run())

    def _progress(self, done: int, total: int) -> None:
        self.progress.setRange(0, max(total, 1))
        self.progress.setValue(done)

    def _imported(self, path: Path, result: ImportResult) -> None:
        text = tr("Imported from {file}: {cards} cards, {entries} ledger entries, {campaigns} new campaigns.").format(
            file=path.name, cards=self._n(result.cards), entries=self._n(result.entries),
            campaigns=self._n(result.campaigns_created))
        if result.ignored_columns:
            text += " " + tr("Columns left out: {columns}.").format(columns=", ".join(result.ignored_columns))
        self._show(self.result, text, Level.DONE)
        self.ctx.tell(text, Level.DONE)

    def _import_refused(self, error: BaseException) -> None:
        found = problems_of(error)
        if found:
            count = int(getattr(error, "context", {}).get("count", len(found)))
            text = (tr("One problem in the file; nothing was imported. Correct this line and import the file again:")
                    if count == 1 else
                    tr("{count} problems in the file; nothing was imported. Correct these lines and import the "
                       "file again:").format(count=self._n(count)))
            if count > len(found):
                text += " " + tr("(the first {shown} are listed)").format(shown=self._n(len(found)))
            self.problems.set_rows(found)
            self._show_problems(True)
            self.problem_table.setColumnWidth(1, max(160, self.problem_table.viewport().width() * 2 // 5))
        elif isinstance(error, FileUnreadable):
            text = tr("The file cannot be read: {why}").format(why=error.details)
        else:
            text = sentence(error, locale=self.ctx.locale)
        self._show(self.result, text, Level.REFUSED)
        self.ctx.tell(text.rstrip(":"), Level.REFUSED)

    # ---- export ----------------------------------------------------------------------------------------------

    def choose_and_export(self) -> None:
        if self.busy:
            return
        folder = self.choose_export_folder()
        if folder is None:
            return
        self._busy(True)
        session = self.ctx.session
        (self.ctx.ops.read(lambda: export_store(session, folder), owner=self, label="export store")
         .success(self._exported).failure(self._export_refused).finally_(lambda: self._busy(False)).run())

    def _exported(self, done: ExportDone) -> None:
        names = {"vouchers": tr("cards"), "transactions": tr("transactions"), "redemptions": tr("redemptions")}
        parts = [tr("{rows} {what} in {file}").format(rows=self._n(rows), what=names.get(what, what), file=file.name)
                 for what, file, rows in done.files]
        text = tr("Exported to {folder}: {files}.").format(folder=str(done.folder), files="; ".join(parts))
        self._show(self.export_result, text, Level.DONE)
        self.ctx.tell(tr("The whole store was exported."), Level.DONE)

    def _export_refused(self, error: BaseException) -> None:
        if isinstance(error, ExportNotWritten):
            text = tr("The export could not be written: {why}").format(why=error.details)
        else:
            text = sentence(error, locale=self.ctx.locale)
        self._show(self.export_result, text, Level.REFUSED)
        self.ctx.tell(text, Level.REFUSED)

    # ---- helpers ---------------------------------------------------------------------------------------------

    def _show_problems(self, shown: bool) -> None:
        self.problem_table.setVisible(shown)
        self._layout.setStretchFactor(self.import_box, 1 if shown else 0)
        self._layout.setStretch(self._layout.count() - 1, 0 if shown else 1)

    def _busy(self, busy: bool) -> None:
        self.busy = busy
        self.import_button.setEnabled(not busy)
        self.export_button.setEnabled(not busy)
        if not busy:
            self.progress.hide()

    @staticmethod
    def _show(label: QLabel, text: str, level: Level) -> None:
        from pos_app.ui.theme import restyle

        label.setText(text)
        restyle(label, level=str(level))
        label.show()

    def _n(self, number: int) -> str:
        return str(format_decimal(number, locale=self.ctx.locale))
