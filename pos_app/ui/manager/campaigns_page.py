"""Manager page: Campaigns — the campaigns of this shop, a form to generate a new one, and card sheets.

Generation runs on the long-write lane (``ctx.ops.long_write``) with the service's ``progress`` fed to a progress
bar through ``ctx.ops.progress``; the form is locked meanwhile, the rest of the window is not. The service commits
the cards batch by batch, so a crash keeps what was made, and a sale (on the writer thread), another till or the
sync worker write between batches. On a till enrolled to a central server campaigns are made at head office: the service
refuses (``managed_by_server``) and its sentence is shown.

"Card sheet…" (Ctrl+P) asks where to save the PDF (:meth:`CampaignsPage.choose_sheet_path`, replaced in
tests) and hands the job to :class:`~pos_app.ui.manager.campaign_sheet.SheetJob`.
"""

from __future__ import annotations

from datetime import tzinfo
from pathlib import Path

from PySide6.QtCore import QItemSelectionModel, Qt
from PySide6.QtGui import QKeyEvent, QResizeEvent
from PySide6.QtWidgets import (
    QApplication,
    QFileDialog,
    QFrame,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QStackedWidget,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from pos_app.domain.cards import Campaign
from pos_app.domain.money import Money
from pos_app.formatting import format_datetime, format_last_day, format_money
from pos_app.services.campaigns import CreateCampaign
from pos_app.ui.context import Level, UiContext
from pos_app.ui.icons import icon
from pos_app.ui.manager.campaign_form import CampaignForm
from pos_app.ui.manager.campaign_sheet import SheetJob
from pos_app.ui.manager.campaign_work import CampaignRow, create, list_campaigns
from pos_app.ui.messages import sentence, tr, tr_noop
from pos_app.ui.table_model import Column, RowsModel, rows_view

WIDE = 1350  # px of page: below it the form takes the list's place instead of sitting beside it


def campaign_columns(locale: str, zone: tzinfo) -> list[Column[CampaignRow]]:
    def value(row: CampaignRow) -> str:
        return format_money(Money(row.campaign.amount, row.campaign.currency), locale=locale)

    def day(when: object) -> str:
        return format_datetime(when, locale=locale, zone=zone) if when is not None else "—"  # type: ignore[arg-type]

    def last_day(row: CampaignRow) -> str:
        expiry = row.campaign.expiration_date
        if expiry is None:
            return tr("No expiry")
        return format_last_day(expiry, zone=zone, locale=locale)

    def stamp(when: object) -> float:
        return when.timestamp() if when is not None else 0.0  # type: ignore[attr-defined]

    return [
        Column(tr("Name"), lambda r: r.campaign.name, sort_key=lambda r: r.campaign.name.casefold()),
        Column(tr("Card value"), value, sort_key=lambda r: r.campaign.amount, right=True),
        Column(tr("Cards"), lambda r: f"{r.cards:,}", sort_key=lambda r: r.cards, right=True),
        Column(tr("Sold"), lambda r: f"{r.active:,}", sort_key=lambda r: r.active, right=True,
               tooltip=lambda r: tr("Cards sold and usable now (disabled and frozen cards not counted)")),
        Column(tr("Last day"), last_day, sort_key=lambda r: stamp(r.campaign.expiration_date)),
        Column(tr("Created"), lambda r: day(r.campaign.created_at), sort_key=lambda r: stamp(r.campaign.created_at)),
    ]


class CampaignsPage(QWidget):
    title = tr_noop("Campaigns")
    icon_name = "campaigns"

    def __init__(self, ctx: UiContext) -> None:
        super().__init__()
        self.ctx = ctx
        self.setObjectName("CampaignsPage")
        self.model: RowsModel[CampaignRow] = RowsModel(campaign_columns(ctx.locale, ctx.zone), parent=self)
        self.table = rows_view(QTableView(), self.model, "CampaignsTable", stretch=0, single=True)
        self.table.selectionModel().selectionChanged.connect(lambda *_: self._update_buttons())
        self.table.doubleClicked.connect(lambda _index: self.print_sheet())
        self.empty = QLabel(tr("No campaigns yet. Create the first one with the form on the right."))
        self.empty.setObjectName("EmptyState")
        self.empty.setWordWrap(True)
        self.empty.hide()

        self.sheet_button = QPushButton(icon("printer"), tr("Card sheet… (Ctrl+P)"))
        self.sheet_button.setShortcut(tr("Ctrl+P"))
        self.sheet_button.clicked.connect(self.print_sheet)
        self.refresh_button = QPushButton(tr("Refresh (F5)"))
        self.refresh_button.setShortcut(tr("F5"))
        self.refresh_button.clicked.connect(self.refresh)
        self.sheet_job = SheetJob(ctx)
        self.sheet_job.finished.connect(lambda _result: self._update_buttons())
        self.form = CampaignForm(ctx)
        self.form.submitted.connect(self.generate)
        self.form_scroll = QScrollArea()  # the form with its more options is taller than a 768-pixel screen
        self.form_scroll.setObjectName("CampaignFormScroll")
        self.form_scroll.setWidgetResizable(True)
        self.form_scroll.setFrameShape(QFrame.Shape.NoFrame)
        self.form_scroll.setWidget(self.form)
        QApplication.instance().focusChanged.connect(self._follow_focus)  # type: ignore[union-attr]
        self._generating = False

        self.new_button = QPushButton(icon("campaigns"), tr("New campaign (Ctrl+N)"))
        self.new_button.setProperty("role", "primary")
        self.new_button.setShortcut(tr("Ctrl+N"))
        self.new_button.clicked.connect(self.new_campaign)
        self.form.back_button.clicked.connect(self.show_list)

        heading = QLabel(tr("Campaigns"))
        heading.setObjectName("PageTitle")
        heading.setProperty("role", "title")
        title_row = QHBoxLayout()  # Refresh up here: the buttons below fit a 1024-pixel till's page
        title_row.addWidget(heading, 1)
        title_row.addWidget(self.refresh_button)
        buttons = QHBoxLayout()
        buttons.addWidget(self.new_button)
        buttons.addWidget(self.sheet_button)
        buttons.addStretch(1)
        self.list_view = QWidget()
        left = QVBoxLayout(self.list_view)
        left.setContentsMargins(0, 0, 0, 0)
        left.addLayout(title_row)
        left.addWidget(self.table, 1)
        left.addWidget(self.empty)
        left.addLayout(buttons)
        left.addWidget(self.sheet_job)
        self.form_view = QWidget()  # the form on its own, in a narrow window
        QVBoxLayout(self.form_view).setContentsMargins(0, 0, 0, 0)
        self.stack = QStackedWidget()
        self.stack.addWidget(self.list_view)
        self.stack.addWidget(self.form_view)
        self.side = QWidget()  # the form beside the list, in a wide window
        QVBoxLayout(self.side).setContentsMargins(0, 0, 0, 0)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(16, 16, 16, 16)
        layout.setSpacing(16)
        layout.addWidget(self.stack, 3)
        layout.addWidget(self.side, 2)
        self.narrow: bool | None = None
        self._arrange(narrow=True)  # until the page knows its width: the narrow arrangement asks for less room
        self.setTabOrder(self.table, self.new_button)
        self.setTabOrder(self.new_button, self.sheet_button)
        self._update_buttons()

    # ---- wide and narrow -------------------------------------------------------------------------------------

    def resizeEvent(self, event: QResizeEvent) -> None:
        self._arrange(narrow=event.size().width() < WIDE)
        super().resizeEvent(event)

    def _arrange(self, *, narrow: bool) -> None:
        """Wide: the form beside the list. Narrow (a 1024×768 till): the form in the list's place when asked for,
        so that neither is squeezed."""
        if narrow == self.narrow:
            return
        self.narrow = narrow
        holder = self.form_view if narrow else self.side
        layout = holder.layout()
        assert layout is not None, "both holders are built with a layout"
        layout.addWidget(self.form_scroll)
        self.side.setVisible(not narrow)
        self.form.back_button.setVisible(narrow)
        if not narrow:
            self.stack.setCurrentWidget(self.list_view)

    def _follow_focus(self, _old: QWidget | None, new: QWidget | None) -> None:
        """A field reached by its Alt+letter or by Tab is scrolled into view (the form is taller than 768 px)."""
        if new is not None and self.form.isAncestorOf(new):
            self.form_scroll.ensureWidgetVisible(new, 16, 16)

    def new_campaign(self) -> None:
        """Ctrl+N: the form, its name field ready for typing."""
        if self.narrow:
            self.stack.setCurrentWidget(self.form_view)
        self.form.name.setFocus(Qt.FocusReason.ShortcutFocusReason)

    def show_list(self) -> None:
        if self._generating:
            return
        self.stack.setCurrentWidget(self.list_view)
        self.table.setFocus(Qt.FocusReason.OtherFocusReason)

    # ---- the list --------------------------------------------------------------------------------------------

    def on_shown(self) -> None:
        self.refresh()

    def refresh(self, *, select: str | None = None) -> None:
        if self.ctx.session.caller is None:
            return
        chosen = self.selected()
        wanted = select or (chosen.id if chosen is not None else None)
        session = self.ctx.session
        (self.ctx.ops.read(lambda: list_campaigns(session), owner=self, label="campaigns")
         .success(lambda rows: self._show_rows(rows, wanted)).failure(self._refused).run())

    def _show_rows(self, rows: list[CampaignRow], select: str | None) -> None:
        self.model.set_rows(rows)
        self.empty.setVisible(not rows)
        for number, row in enumerate(rows):
            if row.id == select or (select is None and number == 0):
                self.table.selectionModel().select(
                    self.model.index(number, 0),
                    QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows)
                self.table.scrollTo(self.model.index(number, 0))
                break
        self._update_buttons()

    def selected(self) -> CampaignRow | None:
        chosen = self.table.selectionModel().selectedRows()
        return self.model.row(chosen[0].row()) if chosen else None

    def _update_buttons(self) -> None:
        self.sheet_button.setEnabled(self.selected() is not None and not self.sheet_job.running)

    # ---- generation ------------------------------------------------------------------------------------------

    def generate(self, cmd: CreateCampaign) -> None:
        if self._generating:
            return
        self._generating = True
        self.form.set_busy(cmd.count)
        report = self.ctx.ops.progress(self.form.show_progress)
        session = self.ctx.session
        (self.ctx.ops.long_write(lambda: create(session, cmd, report), owner=self, label="create campaign")
         .success(self._generated).failure(self._generation_refused).finally_(self._generation_over).run())

    def _generated(self, campaign: Campaign) -> None:
        self._generation_over()
        self.form.clear()
        self.stack.setCurrentWidget(self.list_view)  # the new campaign, selected, ready for its card sheet
        self.table.setFocus(Qt.FocusReason.OtherFocusReason)
        self.ctx.tell(tr("Campaign “{name}” is ready: {count} cards, inactive until sold.").format(
            name=campaign.name, count=f"{campaign.vouchers_count:,}"), Level.DONE)
        self.refresh(select=campaign.id)

    def _generation_refused(self, error: BaseException) -> None:
        self._generation_over()  # the fields are usable again before the focus goes to the one to fix
        said = sentence(error, locale=self.ctx.locale)
        field = self.form.name if getattr(error, "key", "") == "duplicate_found" else None
        self.form.show_problem(said, field)
        self.ctx.tell(said, Level.REFUSED)
        self.refresh()  # a failure halfway keeps the batches written: the table says how many

    def _generation_over(self) -> None:
        self._generating = False
        self.form.set_busy(None)

    def _refused(self, error: BaseException) -> None:
        self.ctx.tell(sentence(error, locale=self.ctx.locale), Level.REFUSED)

    # ---- card sheets -----------------------------------------------------------------------------------------

    def choose_sheet_path(self, suggested: Path) -> Path | None:
        """Where to save the sheet (a file dialog); tests replace this method."""
        chosen, _filter = QFileDialog.getSaveFileName(self, tr("Save card sheet"), str(suggested),
                                                      tr("PDF files (*.pdf)"))
        if not chosen:
            return None
        path = Path(chosen)
        return path if path.suffix.lower() == ".pdf" else path.with_suffix(".pdf")

    def print_sheet(self) -> None:
        row = self.selected()
        if row is None or self.sheet_job.running:
            return
        safe = "".join(ch if ch.isalnum() or ch in "-_ " else "_" for ch in row.campaign.name).strip() or "cards"
        out = self.choose_sheet_path(Path.home() / f"{safe} - card sheet.pdf")
        if out is None:
            return
        self.sheet_job.start(row.id, row.campaign.name, out)
        self._update_buttons()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        """Esc: cancel the card sheet being drawn, or leave the form for the list (narrow window)."""
        if event.key() == Qt.Key.Key_Escape:
            if self.sheet_job.running:
                self.sheet_job.cancel()
                return
            if self.stack.currentWidget() is self.form_view:
                self.show_list()
                return
        super().keyPressEvent(event)
