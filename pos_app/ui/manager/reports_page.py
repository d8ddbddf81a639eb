"""Manager page: Reports — what the shop owes on its cards, and what was redeemed when and at which till.

Top: the liability outstanding as big figures (per currency: outstanding balance, cards, issued, redeemed) and a
table per campaign. Below: redemptions of a period (Today, Last 7 days, Last 30 days, This month; Alt+T/7/0/M) as
a bar per day and a bar per till, each chart with its table under it. Charts show the shop's currency; the
tables show every currency there is.

Reports are read on a reader thread (``ctx.ops.read``) while a busy bar runs; they are read again when the page
comes into view, when a sale is done anywhere in the window, and on F5. An answer to an older question (the
period changed meanwhile) is dropped.
"""

from __future__ import annotations

from datetime import datetime

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QButtonGroup,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QProgressBar,
    QPushButton,
    QScrollArea,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from pos_app.domain.money import Money
from pos_app.formatting import format_money
from pos_app.services.ports import LiabilityRow
from pos_app.services.reports import DayRow, LiabilityTotal, TillRow
from pos_app.ui.context import Level, UiContext
from pos_app.ui.manager.report_tables import (
    count_text,
    day_columns,
    day_label,
    liability_columns,
    till_columns,
    till_label,
)
from pos_app.ui.manager.report_work import Period, ReportData, fetch
from pos_app.ui.messages import sentence, tr, tr_noop
from pos_app.ui.table_model import RowsModel, rows_view
from pos_app.ui.widgets.bar_chart import BarChart

PERIODS = (
    (Period.TODAY, tr_noop("&Today")),
    (Period.LAST_7_DAYS, tr_noop("Last &7 days")),
    (Period.LAST_30_DAYS, tr_noop("Last 3&0 days")),
    (Period.THIS_MONTH, tr_noop("This &month")),
)


def _table(model: RowsModel, name: str) -> QTableView:  # type: ignore[type-arg]
    view = rows_view(QTableView(), model, name, stretch=0)
    view.setMinimumHeight(140)
    return view


class Figure(QFrame):
    """One big number with its caption (read at arm's length)."""

    def __init__(self, caption: str, *, main: bool = False) -> None:
        super().__init__()
        self.setObjectName("FigureTile")
        self.setProperty("role", "card")
        self.caption = QLabel(caption)
        self.caption.setObjectName("FigureCaption")
        self.caption.setProperty("role", "hint")
        self.value = QLabel("—")
        self.value.setObjectName("BigFigure" if main else "Figure")
        self.value.setProperty("role", "balance" if main else "title")
        self.value.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        column = QVBoxLayout(self)
        column.addWidget(self.caption)
        column.addWidget(self.value)
        column.addStretch(1)


class ReportsPage(QWidget):
    title = tr_noop("Reports")
    icon_name = "reports"

    def __init__(self, ctx: UiContext) -> None:
        super().__init__()
        self.ctx = ctx
        self.setObjectName("ReportsPage")
        self.period = Period.LAST_7_DAYS
        self.data: ReportData | None = None
        self._asked = 0  # the newest question; older answers are dropped
        locale = ctx.locale
        self.liability_model: RowsModel[LiabilityRow] = RowsModel(liability_columns(locale), parent=self)
        self.day_model: RowsModel[DayRow] = RowsModel(day_columns(locale), parent=self)
        self.till_model: RowsModel[TillRow] = RowsModel(till_columns(locale, self._this_till), parent=self)

        heading = QLabel(tr("Reports"))
        heading.setObjectName("PageTitle")
        heading.setProperty("role", "title")
        self.busy = QProgressBar()
        self.busy.setObjectName("BusyBar")
        self.busy.setRange(0, 0)
        self.busy.setTextVisible(False)
        self.busy.setMaximumWidth(160)
        self.busy.hide()
        self.updated = QLabel("")
        self.updated.setObjectName("Hint")
        self.updated.setProperty("role", "hint")
        self.refresh_button = QPushButton(tr("Refresh (F5)"))
        self.refresh_button.setShortcut(tr("F5"))
        self.refresh_button.clicked.connect(self.refresh)
        top = QHBoxLayout()
        top.addWidget(heading)
        top.addStretch(1)
        top.addWidget(self.busy)
        top.addWidget(self.updated)
        top.addWidget(self.refresh_button)

        body = QWidget()
        body.setObjectName("ReportsBody")
        column = QVBoxLayout(body)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(12)
        column.addWidget(self._section(tr("Outstanding on gift cards")))
        self.figures = QGridLayout()
        self.figures.setHorizontalSpacing(12)
        column.addLayout(self.figures)
        self.unbalanced = QLabel("")
        self.unbalanced.setObjectName("FormProblem")
        self.unbalanced.setProperty("level", "refused")
        self.unbalanced.setWordWrap(True)
        self.unbalanced.hide()
        column.addWidget(self.unbalanced)
        self.liability_table = _table(self.liability_model, "LiabilityTable")
        column.addWidget(self.liability_table)
        column.addWidget(self._section(tr("Redemptions")))
        column.addLayout(self._period_buttons())
        self.total_line = QLabel("")
        self.total_line.setObjectName("ReportTotal")
        column.addWidget(self.total_line)
        column.addLayout(self._charts(), 1)

        scroll = QScrollArea()
        scroll.setObjectName("ReportsScroll")
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setWidget(body)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 16, 16, 16)
        layout.addLayout(top)
        layout.addWidget(scroll, 1)
        ctx.events.sale_done.connect(lambda _sale: self._refresh_if_shown())

    # ---- building --------------------------------------------------------------------------------------------

    @staticmethod
    def _section(text: str) -> QLabel:
        label = QLabel(text)
        label.setObjectName("SectionTitle")
        label.setProperty("role", "subtitle")
        return label

    def _period_buttons(self) -> QHBoxLayout:
        self.period_group = QButtonGroup(self)
        self.period_group.setExclusive(True)
        self.period_buttons: dict[Period, QPushButton] = {}
        row = QHBoxLayout()
        for period, text in PERIODS:
            button = QPushButton(tr(text))
            button.setCheckable(True)
            button.setObjectName("PeriodButton")
            button.setChecked(period is self.period)
            button.toggled.connect(lambda on, chosen=period: self.choose(chosen) if on else None)
            self.period_group.addButton(button)
            self.period_buttons[period] = button
            row.addWidget(button)
        row.addStretch(1)
        return row

    def _charts(self) -> QHBoxLayout:
        money = self._money_text
        self.day_chart = BarChart(value_text=money, empty_text=tr("No redemptions in this period"))
        self.day_chart.setAccessibleName(tr("Redemptions per day"))
        self.till_chart = BarChart(horizontal=True, value_text=money, empty_text=tr("No redemptions in this period"))
        self.till_chart.setAccessibleName(tr("Redemptions per till"))
        self.day_table = _table(self.day_model, "DayTable")
        self.till_table = _table(self.till_model, "TillTable")
        row = QHBoxLayout()
        row.setSpacing(16)
        for title, chart, table, stretch in ((tr("Per day"), self.day_chart, self.day_table, 3),
                                             (tr("Per till"), self.till_chart, self.till_table, 2)):
            box = QVBoxLayout()
            box.addWidget(self._section(title))
            box.addWidget(chart, 1)
            box.addWidget(table)
            row.addLayout(box, stretch)
        return row

    # ---- reading ---------------------------------------------------------------------------------------------

    def on_shown(self) -> None:
        self.refresh()

    def _refresh_if_shown(self) -> None:
        if self.isVisible():
            self.refresh()

    def choose(self, period: Period) -> None:
        if period is not self.period:
            self.period = period
            self.refresh()

    def refresh(self) -> None:
        if self.ctx.session.caller is None:
            return
        self._asked += 1
        asked, period, session = self._asked, self.period, self.ctx.session
        self.busy.show()
        self.refresh_button.setEnabled(False)
        (self.ctx.ops.read(lambda: fetch(session, period), owner=self, label="reports")
         .success(lambda data: self._show(data) if asked == self._asked else None)
         .failure(lambda error: self._refused(error) if asked == self._asked else None)
         .finally_(lambda: self._settled(asked))
         .run())

    def _settled(self, asked: int) -> None:
        if asked == self._asked:
            self.busy.hide()
            self.refresh_button.setEnabled(True)

    def _refused(self, error: BaseException) -> None:
        self.ctx.tell(sentence(error, locale=self.ctx.locale), Level.REFUSED)

    # ---- showing ---------------------------------------------------------------------------------------------

    def _this_till(self) -> str:
        return self.data.this_till if self.data else ""

    def _money_text(self, minor: int) -> str:
        return format_money(Money(minor, self.ctx.currency), locale=self.ctx.locale)

    def _show(self, data: ReportData) -> None:
        self.data = data
        locale = self.ctx.locale
        self._show_figures(data.liability.totals)
        self.unbalanced.setVisible(not data.liability.balanced)
        self.unbalanced.setText(tr("The figures do not add up: what was loaded onto cards differs from what is "
                                   "outstanding plus what was redeemed. Run a ledger check and call support."))
        self.liability_model.set_rows(data.liability.rows)
        self.day_model.set_rows(data.redemptions.per_day)
        self.till_model.set_rows(data.redemptions.per_till)
        mine = data.currency
        self.day_chart.set_bars([(day_label(r, locale), r.redeemed) for r in data.redemptions.per_day
                                 if r.currency == mine])
        self.till_chart.set_bars([(till_label(r.device_id, data.this_till), r.redeemed)
                                  for r in data.redemptions.per_till if r.currency == mine])
        totals = data.redemptions.totals
        if totals:
            self.total_line.setText("   ".join(
                tr("{count} redemptions, {amount} redeemed, {refunded} refunded").format(
                    count=count_text(t.count, locale), amount=format_money(t.redeemed, t.currency, locale=locale),
                    refunded=format_money(t.refunded, t.currency, locale=locale)) for t in totals))
        else:
            self.total_line.setText(tr("No redemptions in this period."))
        self.updated.setText(tr("As of {time}").format(time=datetime.now().strftime("%H:%M")))

    def _show_figures(self, totals: tuple[LiabilityTotal, ...]) -> None:
        while self.figures.count():
            item = self.figures.takeAt(0)
            widget = item.widget() if item is not None else None
            if widget is not None:
                widget.deleteLater()
        locale = self.ctx.locale
        shown = totals or (LiabilityTotal(self.ctx.currency, 0, 0, 0, 0, 0, 0, 0),)
        self.figure_tiles: list[Figure] = []
        for line, total in enumerate(shown):
            def amount(minor: int, currency: str = total.currency) -> str:
                return format_money(minor, currency, locale=locale)

            tiles = (
                (Figure(tr("Outstanding balance"), main=True), amount(total.outstanding)),
                (Figure(tr("Cards")), tr("{cards} ({active} sold)").format(
                    cards=count_text(total.cards, locale), active=count_text(total.active_cards, locale))),
                (Figure(tr("Issued")), amount(total.loaded)),
                (Figure(tr("Redeemed, net of refunds")), amount(total.redeemed - total.refunded)),
            )
            for place, (tile, text) in enumerate(tiles):
                tile.value.setText(text)
                if place == 0:  # the figure that matters, on a line of its own: it stays big at 1024 px
                    self.figures.addWidget(tile, 2 * line, 0, 1, 3)
                else:
                    self.figures.addWidget(tile, 2 * line + 1, place - 1)
                self.figure_tiles.append(tile)
        for place in range(3):
            self.figures.setColumnStretch(place, 1)
