"""The look: every icon the screens ask for is there and draws; the sheet parses and styles what it promises;
applying the theme twice changes nothing; the palette's text colours are readable (WCAG AA)."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

import pytest
from PySide6.QtGui import QColor, QImage, QPainter, QStandardItemModel
from PySide6.QtSvg import QSvgRenderer
from PySide6.QtWidgets import QApplication, QLabel, QStatusBar, QTableView

from pos_app.ui import theme
from pos_app.ui.resources import resource

ICONS = ("app", "redeem", "balance", "refund", "reprint", "sell", "topup", "correct", "disable", "enable", "search",
         "campaigns", "reports", "conflicts", "settings", "cards", "camera", "scanner", "printer", "lock", "manager",
         "till", "ok", "clear", "backspace", "online", "offline", "sync", "warning", "card", "user")
STATUSES = ("active", "inactive", "disabled", "frozen", "expired", "spent")


@pytest.fixture
def themed(qapp: QApplication) -> QApplication:
    theme.apply_theme()
    return qapp


@pytest.mark.parametrize("name", ICONS)
def test_every_icon_is_a_valid_24_pixel_svg(qapp: QApplication, name: str) -> None:
    path = resource("icons", f"{name}.svg")
    assert path.is_file(), f"resources/icons/{name}.svg is missing"
    assert ET.parse(path).getroot().get("viewBox") == "0 0 24 24"
    renderer = QSvgRenderer(str(path))
    assert renderer.isValid()
    image = QImage(48, 48, QImage.Format.Format_ARGB32)
    image.fill(0)
    painter = QPainter(image)
    renderer.render(painter)
    painter.end()
    drawn = sum(1 for x in range(48) for y in range(48) if image.pixelColor(x, y).alpha() > 0)
    assert drawn > 48, f"{name}.svg draws (almost) nothing"


def test_every_url_in_the_sheet_points_at_an_existing_file(themed: QApplication) -> None:
    sheet = theme.style_sheet()
    assert "@" not in sheet  # every token was filled in
    urls = re.findall(r"url\(([^)]+)\)", sheet)
    assert urls
    for url in urls:
        assert QSvgRenderer(url).isValid(), url


def test_the_sheet_parses_and_is_the_applications(themed: QApplication, qtbot, qtlog) -> None:
    themed.setStyleSheet("")
    theme.apply_theme()
    assert themed.styleSheet() == theme.style_sheet()
    label = QLabel("polished")
    qtbot.addWidget(label)
    label.show()
    assert not [r for r in qtlog.records if "parse" in r.message.lower()]


def test_a_broken_sheet_would_be_noticed(themed: QApplication, qtbot, qtlog) -> None:
    """The check above can fail: Qt does complain (and the test sees it) about a sheet it cannot parse."""
    try:
        themed.setStyleSheet("QLabel { color: ")
        label = QLabel("polished")
        qtbot.addWidget(label)
        label.show()
        assert [r for r in qtlog.records if "parse" in r.message.lower()]
    finally:
        theme.apply_theme()


def test_applying_the_theme_twice_changes_nothing(themed: QApplication) -> None:
    style, sheet, palette, font = themed.style(), themed.styleSheet(), themed.palette(), themed.font()
    theme.apply_theme()
    assert themed.style() is style
    assert themed.styleSheet() == sheet
    assert themed.palette() == palette
    assert themed.font() == font
    assert font.pointSize() == theme.BASE_POINT_SIZE
    assert themed.palette().highlight().color() == theme.colour("primary")  # painted widgets follow the theme


def _background(label: QLabel, qtbot) -> QColor:
    """The colour a styled label paints, sampled inside its padding (away from the text and rounded corners)."""
    qtbot.addWidget(label)
    label.show()
    image = label.grab().toImage()
    ratio = image.devicePixelRatio()
    return image.pixelColor(int(6 * ratio), int(label.height() * ratio / 2))


def test_each_card_status_has_its_own_pill_colour(themed: QApplication, qtbot) -> None:
    colours = {}
    for status in STATUSES:
        label = QLabel(status.capitalize())
        label.setProperty("role", "badge")
        label.setProperty("status", status)
        colours[status] = _background(label, qtbot).name()
        assert colours[status] == theme.colour(f"badge-{status}").name()
    assert len(set(colours.values())) == len(STATUSES)


def test_banners_are_green_neutral_and_red(themed: QApplication, qtbot) -> None:
    seen = {}
    for level in ("done", "info", "refused"):
        label = QLabel("A message for the cashier")
        label.setProperty("level", level)
        seen[level] = _background(label, qtbot).name()
    assert seen == {"done": theme.colour("done").name(), "info": theme.colour("info-tint").name(),
                    "refused": theme.colour("refused").name()}


def test_status_bar_parts_are_coloured_by_state_and_restyle_follows_a_change(themed: QApplication, qtbot) -> None:
    bar = QStatusBar()
    bar.setObjectName("TillStatusBar")
    part = QLabel("Printer: ready")
    part.setProperty("state", "ok")
    bar.addPermanentWidget(part)
    qtbot.addWidget(bar)
    bar.resize(400, 40)
    bar.show()

    def sample() -> str:
        image = part.grab().toImage()
        return image.pixelColor(int(8 * image.devicePixelRatio()), image.height() // 2).name()

    assert sample() == theme.colour("done-tint").name()
    theme.restyle(part, state="bad")
    assert sample() == theme.colour("refused-tint").name()
    theme.restyle(part, state="warn")
    assert sample() == theme.colour("warn-tint").name()


def test_table_rows_are_tall_enough_to_touch(themed: QApplication, qtbot) -> None:
    view = QTableView()
    view.setModel(QStandardItemModel(3, 2))
    qtbot.addWidget(view)
    view.show()
    assert view.rowHeight(0) == theme.TABLE_ROW_HEIGHT


def _luminance(colour: QColor) -> float:
    def channel(value: float) -> float:
        return value / 12.92 if value <= 0.03928 else ((value + 0.055) / 1.055) ** 2.4

    return 0.2126 * channel(colour.redF()) + 0.7152 * channel(colour.greenF()) + 0.0722 * channel(colour.blueF())


def _contrast(text: str, background: str) -> float:
    high, low = sorted((_luminance(theme.colour(text)), _luminance(theme.colour(background))), reverse=True)
    return (high + 0.05) / (low + 0.05)


@pytest.mark.parametrize(("text", "background"), [
    ("ink", "surface"), ("ink", "window"), ("ink", "surface-alt"), ("ink-muted", "surface"), ("ink-muted", "window"),
    ("on-primary", "primary"), ("primary-ink", "primary-tint"), ("primary", "surface"), ("header-ink", "header"),
    ("header-muted", "header"), ("ink", "header-button"), ("on-primary", "done"), ("on-primary", "refused"),
    ("ink", "info-tint"), ("refused", "surface"), ("done-ink", "done-tint"), ("warn-ink", "warn-tint"),
    ("refused-ink", "refused-tint"), ("unknown-ink", "unknown-tint"), ("ink", "progress"),
    *[("on-primary", f"badge-{status}") for status in STATUSES],
])
def test_text_colours_meet_wcag_aa(text: str, background: str) -> None:
    assert _contrast(text, background) >= 4.5


def test_an_unknown_colour_token_is_an_error_not_a_black_widget(monkeypatch, tmp_path) -> None:
    (tmp_path / "style.qss").write_text("QLabel { color: @no-such-colour; }", encoding="utf-8")
    monkeypatch.setattr(theme, "resource", tmp_path.joinpath)
    with pytest.raises(KeyError, match="no-such-colour"):
        theme.style_sheet()
