"""Manager page: Settings — one tab per section (shop, server, printer, camera, offline limits, scanner, till).

Each section is a form of its own with its own Save (see ``settings_common``): what one section refuses never
holds up another. Sections read their current values each time the page or their tab comes into view.
"""

from __future__ import annotations

from PySide6.QtWidgets import QTabWidget, QVBoxLayout, QWidget

from pos_app.ui.context import UiContext
from pos_app.ui.manager.settings_camera import CameraSection
from pos_app.ui.manager.settings_common import Section
from pos_app.ui.manager.settings_limits import LimitsSection
from pos_app.ui.manager.settings_printer import PrinterSection
from pos_app.ui.manager.settings_server import ServerSection
from pos_app.ui.manager.settings_shop import ShopSection
from pos_app.ui.manager.settings_till import ScannerSection, TillSection
from pos_app.ui.messages import tr, tr_noop

SECTIONS = (ShopSection, ServerSection, PrinterSection, CameraSection, LimitsSection, ScannerSection, TillSection)


class SettingsPage(QWidget):
    title = tr_noop("Settings")
    icon_name = "settings"

    def __init__(self, ctx: UiContext) -> None:
        super().__init__()
        self.ctx = ctx
        self.setObjectName("SettingsPage")
        self.tabs = QTabWidget()
        self.tabs.setObjectName("SettingsTabs")
        self.tabs.setDocumentMode(True)
        self.sections: list[Section] = []
        for section_class in SECTIONS:
            section = section_class(ctx)
            self.sections.append(section)
            self.tabs.addTab(section, tr(section_class.title))  # words only: seven tabs fit 1024 pixels
        self.tabs.currentChanged.connect(lambda _index: self._current().on_shown())
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.tabs)

    def section(self, section_class: type[Section]) -> Section:
        for section in self.sections:
            if isinstance(section, section_class):
                return section
        raise LookupError(section_class.__name__)

    def open(self, section_class: type[Section]) -> Section:
        section = self.section(section_class)
        self.tabs.setCurrentWidget(section)
        return section

    def _current(self) -> Section:
        widget = self.tabs.currentWidget()
        assert isinstance(widget, Section)
        return widget

    def on_shown(self) -> None:
        self._current().on_shown()

    def take_scan(self, text: str) -> None:
        """A scan goes to the section on show if it takes one (Server: head office's enrolment QR code)."""
        take = getattr(self._current(), "take_scan", None)
        if take is not None:
            take(text)
        else:
            self.ctx.tell(tr("Open Cards (Alt+1) or the till (F8) to use a scanned card."))
