"""The manager's screen: a list of pages on the left (Alt+1…Alt+7), the page on the right.

Pages are plain widgets built as ``Page(ctx)`` with a ``title`` and an ``icon_name``; ``on_shown()`` is called
each time a page comes into view (so it reads fresh figures), and a page with ``take_scan(text)`` receives
the scans that arrive while it is on show (e.g. the card operations page fills in the code).
"""

from __future__ import annotations

from typing import Protocol

from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import QHBoxLayout, QListWidget, QListWidgetItem, QStackedWidget, QWidget

from pos_app.ui.context import UiContext
from pos_app.ui.icons import icon
from pos_app.ui.manager.campaigns_page import CampaignsPage
from pos_app.ui.manager.cards_page import CardsPage
from pos_app.ui.manager.conflicts_page import ConflictsPage
from pos_app.ui.manager.customers_page import CustomersPage
from pos_app.ui.manager.data_page import DataPage
from pos_app.ui.manager.end_of_day_page import EndOfDayPage
from pos_app.ui.manager.reports_page import ReportsPage
from pos_app.ui.manager.search_page import SearchPage
from pos_app.ui.manager.settings_page import SettingsPage
from pos_app.ui.messages import tr


class Page(Protocol):
    """What the screen needs of a page class: its title (marked with ``tr_noop``) and icon."""

    title: str
    icon_name: str

    def __call__(self, ctx: UiContext) -> QWidget: ...


PAGES: tuple[Page, ...] = (CardsPage, SearchPage, CustomersPage, CampaignsPage, ReportsPage, EndOfDayPage,
                           ConflictsPage, DataPage, SettingsPage)


class ManagerScreen(QWidget):
    def __init__(self, ctx: UiContext) -> None:
        super().__init__()
        self.ctx = ctx
        self.nav = QListWidget()
        self.nav.setObjectName("ManagerNav")
        self.nav.setIconSize(QSize(28, 28))
        self.nav.setFixedWidth(220)
        self.nav.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)  # a long title is elided
        self.nav.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.pages = QStackedWidget()
        for number, page_class in enumerate(PAGES, start=1):
            page = page_class(ctx)
            self.pages.addWidget(page)
            item = QListWidgetItem(icon(page_class.icon_name), tr(page_class.title))
            item.setToolTip(tr("Alt+{n}").format(n=number))
            self.nav.addItem(item)
            shortcut = QShortcut(QKeySequence(f"Alt+{number}"), self)
            shortcut.activated.connect(lambda row=number - 1: self.nav.setCurrentRow(row))
        self.nav.currentRowChanged.connect(self._show)
        search = self.page(SearchPage)
        assert isinstance(search, SearchPage)
        search.open_card.connect(self.show_card)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.nav)
        layout.addWidget(self.pages, 1)
        self.nav.setCurrentRow(0)
        self.nav.setFocusPolicy(Qt.FocusPolicy.TabFocus)

    def page(self, page_class: type) -> QWidget:
        for i in range(self.pages.count()):
            widget = self.pages.widget(i)
            if widget is not None and isinstance(widget, page_class):
                return widget
        raise LookupError(page_class.__name__)

    def open(self, page_class: type) -> QWidget:
        page = self.page(page_class)
        self.nav.setCurrentRow(self.pages.indexOf(page))
        return page

    def show_card(self, code: str) -> None:
        """Switch to the Cards page with the card ``code`` (asked for by another page)."""
        page = self.open(CardsPage)
        assert isinstance(page, CardsPage)
        page.show_code(code)

    def _show(self, row: int) -> None:
        self.pages.setCurrentIndex(row)
        self.on_shown()

    def on_shown(self) -> None:
        page = self.pages.currentWidget()
        shown = getattr(page, "on_shown", None)
        if shown is not None:
            shown()

    def take_scan(self, text: str) -> None:
        take = getattr(self.pages.currentWidget(), "take_scan", None)
        if take is not None:
            take(text)
        else:
            self.ctx.tell(tr("Open Cards (Alt+1) or the till (F8) to use a scanned card."))
