"""Manager page: Sync conflicts — cards that offline sales of several tills overdrew, for a manager to resolve.

Conflicts live on the central server (DESIGN.md §7), so a standalone till has none and says why. On an enrolled
till the page fetches them each time it comes into view (and on Refresh, F5) on a reader thread; a server that
does not answer is one sentence with a Retry button. Selecting a conflict shows its notes and the form that
resolves it (``conflict_resolve``); after a resolution the list is fetched again and the sync worker is woken,
because the card is released ("unfrozen") on this till only when the next pull brings its new state.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QItemSelection, Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QStackedWidget,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from pos_app.formatting import format_datetime
from pos_app.ui.context import Level, UiContext
from pos_app.ui.icons import icon
from pos_app.ui.manager.conflict_resolve import ResolveForm
from pos_app.ui.manager.conflict_table import action_name, conflicts_model
from pos_app.ui.manager.settings_common import Feedback
from pos_app.ui.messages import sentence, tr, tr_noop

if TYPE_CHECKING:
    from pos_app.sync.schemas import ConflictOut

FILTERS = (("open", tr_noop("Open")), ("resolved", tr_noop("Resolved")), ("all", tr_noop("All")))


class ConflictsPage(QWidget):
    title = tr_noop("Conflicts")
    icon_name = "conflicts"

    def __init__(self, ctx: UiContext) -> None:
        super().__init__()
        self.ctx = ctx
        self.setObjectName("ConflictsPage")
        heading = QLabel(tr("Sync conflicts"))
        heading.setObjectName("PageTitle")
        heading.setProperty("role", "title")
        self.standalone = QLabel(tr("This till works on its own; conflicts arise only between tills synced with a "
                                    "central server."))
        self.standalone.setObjectName("CalmNote")
        self.standalone.setWordWrap(True)
        self.standalone.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.stack = QStackedWidget()
        self.stack.addWidget(self.standalone)
        self.stack.addWidget(self._main())
        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 16, 24, 16)
        layout.addWidget(heading)
        layout.addWidget(self.stack, 1)
        refresh = QShortcut(QKeySequence("F5"), self)
        refresh.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        refresh.activated.connect(self.refresh)
        self._loading = False

    def _main(self) -> QWidget:
        page = QWidget()
        self.filter = QComboBox()
        for value, text in FILTERS:
            self.filter.addItem(tr(text), value)
        self.filter.currentIndexChanged.connect(lambda _i: self.refresh())
        self.refresh_button = QPushButton(icon("sync"), tr("Refresh (F5)"))
        self.refresh_button.clicked.connect(self.refresh)
        self.count = QLabel("")
        self.count.setObjectName("Hint")
        bar = QHBoxLayout()
        bar.addWidget(QLabel(tr("Show")))
        bar.addWidget(self.filter)
        bar.addWidget(self.refresh_button)
        bar.addStretch(1)
        bar.addWidget(self.count)

        self.offline = QWidget()
        self.offline.setObjectName("OfflineBanner")
        self.offline_text = QLabel("")
        self.offline_text.setWordWrap(True)
        self.offline_text.setProperty("level", "refused")
        self.retry = QPushButton(icon("sync"), tr("Retry"))
        self.retry.setProperty("role", "primary")
        self.retry.clicked.connect(self.refresh)
        banner = QHBoxLayout(self.offline)
        banner.setContentsMargins(0, 0, 0, 0)
        banner.addWidget(self.offline_text, 1)
        banner.addWidget(self.retry)
        self.offline.setVisible(False)

        self.model = conflicts_model(self.ctx.locale)
        self.table = QTableView()
        self.table.setObjectName("ConflictsTable")
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.verticalHeader().setVisible(False)
        self.table.setMinimumHeight(150)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(4, QHeaderView.ResizeMode.Stretch)
        self.table.selectionModel().selectionChanged.connect(self._selected)

        self.details = QLabel(tr("Select a conflict to see what happened and to resolve it."))
        self.details.setObjectName("ConflictDetails")
        self.details.setProperty("role", "card")  # a white panel, like the form beside it
        self.details.setMargin(12)
        self.details.setWordWrap(True)
        self.details.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self.details.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.form = ResolveForm(self.ctx)
        self.form.resolved.connect(self._resolved)
        self.feedback = Feedback()
        below = QHBoxLayout()
        below.addWidget(self.details, 1)
        below.addWidget(self.form, 1)

        layout = QVBoxLayout(page)
        layout.setContentsMargins(0, 8, 0, 0)
        layout.addLayout(bar)
        layout.addWidget(self.offline)
        layout.addWidget(self.table, 3)
        layout.addLayout(below, 2)
        layout.addWidget(self.feedback)
        return page

    # ---- fetching ----------------------------------------------------------------------------------------------

    @property
    def enrolled(self) -> bool:
        return self.ctx.session.profile.mode == "enrolled"

    def on_shown(self) -> None:
        self.stack.setCurrentIndex(1 if self.enrolled else 0)
        if self.enrolled:
            self.refresh()

    def refresh(self) -> None:
        if not self.enrolled or self._loading:
            return
        which, till = str(self.filter.currentData()), self.ctx.session.till

        def work() -> list[ConflictOut]:
            from pos_app.sync.conflicts import list_conflicts

            return list_conflicts(till, which)  # type: ignore[arg-type]

        self._loading = True
        self.refresh_button.setEnabled(False)
        self.retry.setEnabled(False)
        self.count.setText(tr("Asking the central server…"))
        (self.ctx.ops.read(work, owner=self, label="conflicts").success(self._show).failure(self._failed)
         .finally_(self._idle).run())

    def _idle(self) -> None:
        self._loading = False
        self.refresh_button.setEnabled(True)
        self.retry.setEnabled(True)

    def _show(self, conflicts: list[ConflictOut]) -> None:
        selected = self.form.conflict.id if self.form.conflict is not None else None
        self.offline.setVisible(False)
        self.model.set_rows(conflicts)
        self.count.setText(tr("{n} shown").format(n=len(conflicts)) if conflicts else "")
        if not conflicts:
            self.count.setText(tr("No conflicts: every card adds up."))
        rows = [i for i, c in enumerate(conflicts) if c.id == selected]
        if rows or conflicts:
            self.table.selectRow(rows[0] if rows else 0)
        else:
            self._select(None)

    def _failed(self, exc: BaseException) -> None:
        self.offline_text.setText(sentence(exc, locale=self.ctx.locale))
        self.offline.setVisible(True)
        self.count.setText("")
        self.retry.setFocus()

    # ---- one conflict ------------------------------------------------------------------------------------------

    def _selected(self, _now: QItemSelection, _before: QItemSelection) -> None:
        rows = self.table.selectionModel().selectedRows()
        self._select(self.model.row(rows[0].row()) if rows else None)

    def _select(self, conflict: ConflictOut | None) -> None:
        self.form.show_conflict(conflict)
        if conflict is None:
            self.details.setText(tr("Select a conflict to see what happened and to resolve it."))
            return
        locale = self.ctx.locale
        lines = [tr("Card {code}, opened {when}.").format(code=conflict.code,
                                                          when=format_datetime(conflict.opened_at, locale=locale)),
                 tr("Entries in it: {n}. Every one stays on the card's record.").format(n=len(conflict.entry_ids))]
        lines += conflict.notes or [tr("Offline sales at more than one till took more than the card held.")]
        if conflict.status == "resolved":
            lines.append(tr("Resolved {when}: {how}. Reason: {why}").format(
                when=format_datetime(conflict.resolved_at, locale=locale), how=action_name(conflict.resolution),
                why=conflict.reason or "—"))
        self.details.setText("\n".join(lines))

    def _resolved(self, conflict: ConflictOut) -> None:
        bridge = getattr(self.window(), "sync", None)
        if bridge is not None:
            bridge.wake()  # the next pull brings the card's new state and releases it here
            after = tr("The card is released here as the till syncs now.")
        else:
            after = tr("The card is released here at the till's next sync.")
        self.feedback.say(tr("Conflict resolved. {after}").format(after=after), Level.DONE)
        self.ctx.tell(tr("Conflict resolved."), Level.DONE)
        self.refresh()
