"""Manager page: End of day — the shift (Z) report of one day, per till and per cashier, on screen, printed on
the receipt printer, and as a CSV file.

Top: Refresh (F5), Print (Ctrl+P) and Export CSV, and the day (today unless another is picked). Then the shop's
takings as big figures (takings, cards sold, redeemed, unsynced) and one table: the whole shop, each till, and
each cashier at each till, with the takings by payment method, top-ups, redemptions, refunds, corrections and
entries not yet synced. The figures come from ``services.reports.end_of_day`` (read on a reader thread); printing
and the file are done on worker threads too, from the report on show.
"""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QDate
from PySide6.QtWidgets import (
    QDateEdit,
    QFileDialog,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from pos_app.domain.day_report import DayFigures, DayReport
from pos_app.domain.ledger import PaymentMethod
from pos_app.formatting import format_money
from pos_app.ui.context import Level, UiContext
from pos_app.ui.manager.report_tables import count_text
from pos_app.ui.manager.reports_page import Figure
from pos_app.ui.messages import sentence, tr, tr_noop
from pos_app.ui.table_model import Column, RowsModel, rows_view


def _who(row: DayFigures, this_till: str) -> str:
    if row.device_id is None:
        return tr("Whole shop")
    till = tr("This till") if row.device_id == this_till else tr("Till {id}").format(id=row.device_id[:8])
    if row.operator_id is None:
        return till
    return tr("{till} · {name}").format(till=till, name=row.operator_name or row.operator_id)


def day_columns(locale: str, this_till: str) -> list[Column[DayFigures]]:
    def money(minor: int, currency: str) -> str:
        return format_money(minor, currency, locale=locale)

    def paid_by(method: PaymentMethod) -> Column[DayFigures]:
        names = {PaymentMethod.CASH: tr("Cash"), PaymentMethod.CARD: tr("Card"), PaymentMethod.OTHER: tr("Other")}
        return Column(names[method], lambda r: money(r.paid_by(method), r.currency), right=True)

    return [
        Column(tr("Till and cashier"), lambda r: _who(r, this_till)),
        Column(tr("Cards sold"), lambda r: count_text(r.sales, locale), right=True),
        Column(tr("Takings"), lambda r: money(r.paid, r.currency), right=True),
        paid_by(PaymentMethod.CASH), paid_by(PaymentMethod.CARD), paid_by(PaymentMethod.OTHER),
        Column(tr("Top-ups"), lambda r: money(r.topped_up, r.currency), right=True),
        Column(tr("Redeemed"), lambda r: money(r.redeemed, r.currency), right=True),
        Column(tr("Refunded"), lambda r: money(r.refunded, r.currency), right=True),
        Column(tr("Corrections"), lambda r: money(r.corrected, r.currency), right=True),
        Column(tr("Not synced"), lambda r: count_text(r.unsynced, locale), right=True),
    ]


def rows_of(report: DayReport) -> list[DayFigures]:
    """The shop first, then each till followed by its cashiers."""
    rows = [report.total]
    for till in report.tills:
        rows.append(till)
        rows.extend(s for s in report.shifts if s.device_id == till.device_id)
    return rows


class EndOfDayPage(QWidget):
    title = tr_noop("End of day")
    icon_name = "reports"

    def __init__(self, ctx: UiContext) -> None:
        super().__init__()
        self.ctx = ctx
        self.setObjectName("EndOfDayPage")
        self.report: DayReport | None = None
        self._asked = 0
        heading = QLabel(tr("End of day"))
        heading.setObjectName("PageTitle")
        heading.setProperty("role", "title")
        self.day_edit = QDateEdit(QDate.currentDate())
        self.day_edit.setObjectName("EndOfDayDate")
        self.day_edit.setCalendarPopup(True)
        self.day_edit.setDisplayFormat("yyyy-MM-dd")
        self.day_edit.setMinimumWidth(self.day_edit.fontMetrics().horizontalAdvance("2026-12-31") + 120)
        self.day_edit.setMaximumDate(QDate.currentDate().addDays(1))
        self.day_edit.dateChanged.connect(lambda _d: self.refresh())
        self.refresh_button = QPushButton(tr("Refresh (F5)"))
        self.refresh_button.setShortcut(tr("F5"))
        self.refresh_button.clicked.connect(self.refresh)
        self.print_button = QPushButton(tr("Print (Ctrl+P)"))
        self.print_button.setObjectName("EndOfDayPrint")
        self.print_button.setShortcut(tr("Ctrl+P"))
        self.print_button.clicked.connect(self.print_report)
        self.export_button = QPushButton(tr("Export CSV…"))
        self.export_button.setObjectName("EndOfDayExport")
        self.export_button.clicked.connect(self._ask_where)
        top = QHBoxLayout()
        top.addWidget(heading)
        top.addStretch(1)
        for widget in (self.refresh_button, self.print_button, self.export_button):
            top.addWidget(widget)
        day_label = QLabel(tr("Day"))
        day_label.setBuddy(self.day_edit)
        day_row = QHBoxLayout()
        day_row.addWidget(day_label)
        day_row.addWidget(self.day_edit)
        day_row.addStretch(1)

        self.takings, self.sold, self.redeemed, self.unsynced = (
            Figure(tr("Takings"), main=True), Figure(tr("Cards sold")), Figure(tr("Redeemed")),
            Figure(tr("Not synced yet")))
        figures = QGridLayout()
        figures.setHorizontalSpacing(12)
        for place, tile in enumerate((self.takings, self.sold, self.redeemed, self.unsynced)):
            figures.addWidget(tile, 0, place)
        self.model: RowsModel[DayFigures] = RowsModel(day_columns(ctx.locale, ""), parent=self)
        self.table = rows_view(QTableView(), self.model, "EndOfDayTable")  # who first, whole: it names the row
        self.note = QLabel("")
        self.note.setObjectName("Hint")
        self.note.setProperty("role", "hint")
        self.note.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 16, 16, 16)
        layout.addLayout(top)
        layout.addLayout(day_row)
        layout.addLayout(figures)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.note)
        ctx.events.sale_done.connect(lambda _sale: self.refresh() if self.isVisible() else None)

    # ---- reading ---------------------------------------------------------------------------------------------

    @property
    def day(self) -> date:
        picked = self.day_edit.date()
        return date(picked.year(), picked.month(), picked.day())

    def on_shown(self) -> None:
        self.refresh()

    def refresh(self) -> None:
        if self.ctx.session.caller is None:
            return
        self._asked += 1
        asked, day, session = self._asked, self.day, self.ctx.session
        (self.ctx.ops.read(lambda: session.end_of_day(day), owner=self, label="end of day")
         .success(lambda report: self._show(report) if asked == self._asked else None)
         .failure(self._refused)
         .run())

    def _refused(self, error: BaseException) -> None:
        self.ctx.tell(sentence(error, locale=self.ctx.locale), Level.REFUSED)

    def _show(self, report: DayReport) -> None:
        self.report = report
        locale = self.ctx.locale
        total = report.total
        self.takings.value.setText(format_money(total.paid, report.currency or self.ctx.currency, locale=locale))
        self.sold.value.setText(count_text(total.sales, locale))
        self.redeemed.value.setText(format_money(total.redeemed, report.currency or self.ctx.currency,
                                                 locale=locale))
        self.unsynced.value.setText(count_text(total.unsynced, locale))
        self.model = RowsModel(day_columns(locale, self.ctx.session.profile.device_id), rows_of(report), parent=self)
        self.table.setModel(self.model)
        self.note.setText(tr("Nothing was sold, redeemed or changed on this day.") if not report.shifts else
                          tr("Takings are what customers paid for the cards sold (a promotion price included)."))

    # ---- printing and the file -------------------------------------------------------------------------------

    def print_report(self) -> None:
        report = self.report
        if report is None:
            return
        session = self.ctx.session
        (self.ctx.ops.write(lambda: session.print_end_of_day(report), owner=self, label="print end of day")
         .success(lambda where: self.ctx.tell(tr("The end-of-day report was printed."), Level.DONE))
         .failure(self._refused)
         .run())

    def _ask_where(self) -> None:
        if self.report is None:
            return
        path, _ = QFileDialog.getSaveFileName(self, tr("Export the end of day"), f"end-of-day-{self.day}.csv",
                                              tr("CSV files (*.csv)"))
        if path:
            self.export_to(path)

    def export_to(self, path: str) -> None:
        report = self.report
        if report is None:
            return
        session = self.ctx.session
        (self.ctx.ops.write(lambda: session.export_end_of_day(report, path), owner=self, label="export end of day")
         .success(lambda rows: self.ctx.tell(tr("Wrote {rows} rows to {file}.").format(rows=rows, file=path),
                                             Level.DONE))
         .failure(self._refused)
         .run())
