"""The look of the till: one palette, one style sheet (``resources/style.qss``), Fusion, a font readable from afar.

The colours live here once, in :data:`PALETTE`. The style sheet names them as tokens (``@primary``) and
:func:`style_sheet` fills them in; :func:`apply_theme` gives the same colours to the application's QPalette, so a
widget that paints itself (the reports' bar chart) matches the styled ones without knowing about the sheet —
it reads ``palette().highlight()`` or :func:`colour`. Every text colour meets WCAG AA (4.5:1) on its background.

Screens never set colours or fonts themselves: they mark widgets with object names and dynamic properties
(``role="primary"``, ``level="refused"``, ``status="active"`` …, listed at the top of the sheet) and the sheet
styles them. A property changed on a widget already shown needs a re-polish: :func:`restyle` does both.
"""

from __future__ import annotations

import re

from PySide6.QtGui import QColor, QFont, QPalette
from PySide6.QtWidgets import QApplication, QProxyStyle, QStyle, QStyleOption, QWidget

from pos_app.ui.resources import resource

BASE_POINT_SIZE = 12
TABLE_ROW_HEIGHT = 40  # logical pixels: a row a finger can pick and a 12 pt line with air around it
# the first one installed wins: Windows tills have Segoe UI, Linux ones Noto or DejaVu
FONT_FAMILIES = ["Segoe UI", "Inter", "Noto Sans", "Cantarell", "DejaVu Sans", "Helvetica Neue", "Arial"]

PALETTE: dict[str, str] = {
    # neutrals
    "ink": "#1B2730",  # body text: 15:1 on white
    "ink-muted": "#56646E",  # hints: 6.1:1 on white, 5.4:1 on the window
    "window": "#EEF2F4",
    "surface": "#FFFFFF",
    "surface-alt": "#F5F8F9",  # alternate table rows, read-only fields
    "surface-hover": "#F0F6F7",
    "surface-focus": "#FBFEFE",
    "surface-header": "#E7EDF0",  # table headers
    "border": "#D3DBE0",
    "border-light": "#E6EBEE",
    "border-strong": "#A9B6BE",
    "scroll-handle": "#B9C4CA",
    "disabled-bg": "#EEF1F3",
    "disabled-ink": "#8C979E",
    "disabled-border": "#D5DCE0",
    # the brand: a dark teal
    "primary": "#0B6B73",  # white on it: 6.2:1
    "primary-hover": "#095C63",
    "primary-pressed": "#074A50",
    "primary-disabled": "#8FB8BB",
    "primary-tint": "#DDF0F1",
    "primary-tint-strong": "#C4E5E7",
    "primary-ink": "#063B40",  # on the tint: 10:1
    "progress": "#5FB3B9",  # a progress bar's fill: ink on it 6.3:1
    "on-primary": "#FFFFFF",
    "focus": "#0B6B73",
    "focus-on-dark": "#F2C14E",  # a focused primary button: an amber ring on the teal
    "header": "#12343B",
    "header-ink": "#FFFFFF",
    "header-muted": "#C9DDE0",  # 9.4:1 on the header
    "header-button": "#E3ECEE",
    # outcomes
    "done": "#1D7A46",  # white on it: 5.3:1
    "done-tint": "#DDF2E5",
    "done-ink": "#145A32",
    "refused": "#B3261E",  # white on it: 6.5:1
    "refused-tint": "#FBE0DE",
    "refused-pressed": "#F6C9C5",
    "refused-ink": "#8E1B15",
    "warn": "#B86E00",
    "warn-tint": "#FFEFD2",
    "warn-ink": "#7A4100",
    "info-tint": "#E4EBEF",
    "unknown-tint": "#E6EAED",
    "unknown-ink": "#4A5660",
    # a card's status pills: white text on each, every one a different hue
    "badge-active": "#1D7A46",
    "badge-inactive": "#64707A",
    "badge-disabled": "#B3261E",
    "badge-frozen": "#2563A8",
    "badge-expired": "#A15C07",
    "badge-spent": "#5B4B8A",
}

_STYLED = "tillStyleInstalled"
_TOKEN = re.compile(r"@([a-z][a-z0-9-]*)")


def colour(name: str) -> QColor:
    """A colour of the theme by its token name (``colour("primary")``), for widgets that paint themselves."""
    return QColor(PALETTE[name])


def style_sheet() -> str:
    """The style sheet with its colour tokens and ``@icons`` filled in; an unknown token is an error, not a
    silently black widget."""
    text = resource("style.qss").read_text(encoding="utf-8")
    values = {**PALETTE, "icons": resource("icons").as_posix()}

    def fill(match: re.Match[str]) -> str:
        name = match.group(1)
        if name not in values:
            raise KeyError(f"style.qss uses @{name}, which theme.PALETTE does not define")
        return values[name]

    return _TOKEN.sub(fill, text)


def palette() -> QPalette:
    """The QPalette of the theme: what Fusion and self-painted widgets use where the sheet says nothing."""
    p = QPalette()
    roles = {
        QPalette.ColorRole.Window: "window",
        QPalette.ColorRole.WindowText: "ink",
        QPalette.ColorRole.Base: "surface",
        QPalette.ColorRole.AlternateBase: "surface-alt",
        QPalette.ColorRole.Text: "ink",
        QPalette.ColorRole.PlaceholderText: "ink-muted",
        QPalette.ColorRole.Button: "surface",
        QPalette.ColorRole.ButtonText: "ink",
        QPalette.ColorRole.BrightText: "on-primary",
        QPalette.ColorRole.Highlight: "primary",
        QPalette.ColorRole.HighlightedText: "on-primary",
        QPalette.ColorRole.Accent: "primary",
        QPalette.ColorRole.Link: "primary",
        QPalette.ColorRole.LinkVisited: "primary-pressed",
        QPalette.ColorRole.ToolTipBase: "header",
        QPalette.ColorRole.ToolTipText: "header-ink",
        QPalette.ColorRole.Light: "surface",
        QPalette.ColorRole.Midlight: "border-light",
        QPalette.ColorRole.Mid: "border-strong",
        QPalette.ColorRole.Dark: "ink-muted",
        QPalette.ColorRole.Shadow: "ink",
    }
    for role, name in roles.items():
        p.setColor(role, colour(name))
    disabled = QPalette.ColorGroup.Disabled
    for role in (QPalette.ColorRole.WindowText, QPalette.ColorRole.Text, QPalette.ColorRole.ButtonText):
        p.setColor(disabled, role, colour("disabled-ink"))
    p.setColor(disabled, QPalette.ColorRole.Base, colour("disabled-bg"))
    p.setColor(disabled, QPalette.ColorRole.Button, colour("disabled-bg"))
    p.setColor(disabled, QPalette.ColorRole.Highlight, colour("primary-disabled"))
    return p


def base_font(template: QFont | None = None) -> QFont:
    font = QFont(template) if template is not None else QFont()
    font.setFamilies(FONT_FAMILIES)
    font.setPointSize(BASE_POINT_SIZE)
    return font


class TillStyle(QProxyStyle):
    """Fusion with table rows tall enough for touch. The row height is the one size a style sheet cannot set:
    a ``QHeaderView`` rule would widen the columns too, so the vertical header's default is given here."""

    def __init__(self) -> None:
        super().__init__("Fusion")

    def pixelMetric(self, metric: QStyle.PixelMetric, option: QStyleOption | None = None,
                    widget: QWidget | None = None) -> int:
        if metric == QStyle.PixelMetric.PM_HeaderDefaultSectionSizeVertical:
            return TABLE_ROW_HEIGHT
        return super().pixelMetric(metric, option, widget)


def apply_theme() -> None:
    """Fusion, the palette, the base font and the sheet on the running application. Safe to call again: what is
    already in place is left alone (re-setting a sheet re-polishes every widget)."""
    app = QApplication.instance()
    if not isinstance(app, QApplication):
        return
    if not app.property(_STYLED):  # app.style() is the sheet's wrapper once a sheet is set: ask the app instead
        app.setStyle(TillStyle())  # Fusion: the same on every platform; the style sheet does the rest
        app.setProperty(_STYLED, True)
    wanted = palette()
    if app.palette() != wanted:
        app.setPalette(wanted)
    font = base_font(app.font())
    if app.font() != font:
        app.setFont(font)
    sheet = style_sheet()
    if app.styleSheet() != sheet:
        app.setStyleSheet(sheet)


def restyle(widget: QWidget, **properties: object) -> None:
    """Set dynamic properties the sheet styles by (``restyle(label, level="refused")``) and re-polish the widget,
    which Qt does not do by itself when a property changes. Nothing changed: nothing done (it is cheap to call)."""
    changed = [name for name, value in properties.items() if widget.property(name) != value]
    if not changed:
        return
    for name in changed:
        widget.setProperty(name, properties[name])
    style = widget.style()
    style.unpolish(widget)
    style.polish(widget)
    widget.update()
