"""Pictures of the demo shop's cards, standing in for cards held up to a camera (``pos-app --demo``).

One PNG per demo card, drawn with QPainter offscreen: credit-card proportions, the shop's name, "Gift card", the
card's state as a caption (so the person trying the demo knows what to expect), a QR code of the code big enough
for the decoder at webcam distance, and the masked code. The QR modules come from the card sheet's own encoder
(:func:`pos_app.printing.symbols.qr_matrix`), so the demo reads what a printed card would carry.

Files are named by order, state and a digest of the code: a folder kept from another demo shop never shows a
stale card, and a picture already there is not drawn again.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QColor, QFont, QImage, QLinearGradient, QPainter, QPainterPath

from pos_app.demo import STORE_NAME
from pos_app.domain.codes import mask
from pos_app.printing.symbols import dark_runs, qr_matrix
from pos_app.ui.messages import tr

CARD_SIZE = (856, 540)  # 85.6 × 54 mm at 10 px/mm
QR_BOX = 360  # px: the white square holding the QR code and its quiet zone
STATE_ORDER = ("active", "partly_used", "spent", "disabled", "not_sold", "expired")


def captions() -> dict[str, str]:
    return {"active": tr("Active, full balance"), "partly_used": tr("Partly used"), "spent": tr("Spent"),
            "disabled": tr("Disabled (reported lost)"), "not_sold": tr("Not sold yet"), "expired": tr("Expired")}


def caption(state: str) -> str:
    return captions().get(state, state.replace("_", " ").capitalize())


def short_caption(state: str) -> str:
    """A word or two, for a thumbnail's label."""
    short = {"active": tr("Active"), "partly_used": tr("Partly used"), "spent": tr("Spent"),
             "disabled": tr("Disabled"), "not_sold": tr("Not sold"), "expired": tr("Expired")}
    return short.get(state, caption(state))


def card_files(codes: dict[str, str], folder: Path) -> list[tuple[str, Path]]:
    """(state, picture) of each demo card, in the order they are shown."""
    order = {state: i for i, state in enumerate(STATE_ORDER)}
    states = sorted(codes, key=lambda s: (order.get(s, len(order)), s))
    return [(state, folder / f"{i:02d}-{state}-{_digest(codes[state])}.png") for i, state in enumerate(states)]


def _digest(code: str) -> str:
    return hashlib.sha256(code.encode()).hexdigest()[:10]


def write_demo_cards(codes: dict[str, str], folder: Path, *, shop: str = STORE_NAME) -> Path:
    """Draw the missing card pictures of ``codes`` (state → code) into ``folder``; returns ``folder``."""
    from pos_app.qt_printing.qt_app import ensure_app

    ensure_app()  # text needs a QGuiApplication; the demo draws its cards before the window exists
    folder.mkdir(parents=True, exist_ok=True)
    for state, path in card_files(codes, folder):
        if not path.is_file():
            image = draw_card(codes[state], state, shop=shop)
            partial = path.with_suffix(".part")
            if not image.save(str(partial), "PNG"):  # type: ignore[call-overload]  # the stubs want bytes, Qt a str
                raise OSError(f"could not write {path}")
            partial.replace(path)  # never a half-written picture for the camera to choke on
    return folder


def draw_card(code: str, state: str, *, shop: str = STORE_NAME) -> QImage:
    width, height = CARD_SIZE
    image = QImage(width, height, QImage.Format.Format_ARGB32_Premultiplied)
    image.fill(Qt.GlobalColor.transparent)  # outside the rounded corners: whatever the card lies on
    painter = QPainter(image)
    try:
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        outline = QPainterPath()
        outline.addRoundedRect(QRectF(0, 0, width, height), 36, 36)
        gradient = QLinearGradient(0, 0, width, height)
        gradient.setColorAt(0.0, QColor("#0f4c5c"))
        gradient.setColorAt(1.0, QColor("#1f7a8c"))
        painter.fillPath(outline, gradient)
        _texts(painter, code, state, shop)
        _qr(painter, code, QRectF(width - 48 - QR_BOX, (height - QR_BOX) / 2, QR_BOX, QR_BOX))
    finally:
        painter.end()
    return image


def _texts(painter: QPainter, code: str, state: str, shop: str) -> None:
    left, text_width = 48, CARD_SIZE[0] - QR_BOX - 48 * 3
    painter.setPen(QColor("#ffffff"))
    for text, size, bold, top in ((shop, 30, True, 44), (tr("Gift card"), 54, True, 96)):
        font = QFont()
        font.setPixelSize(size)
        font.setBold(bold)
        painter.setFont(font)
        painter.drawText(QRectF(left, top, text_width, size * 1.4), Qt.AlignmentFlag.AlignLeft, text)
    font = QFont()
    font.setPixelSize(26)
    painter.setFont(font)
    chip = QRectF(left, 250, text_width, 48)
    painter.setBrush(QColor(255, 255, 255, 40))
    painter.setPen(Qt.PenStyle.NoPen)
    painter.drawRoundedRect(chip, 12, 12)
    painter.setPen(QColor("#ffe8a3"))
    painter.drawText(chip.adjusted(16, 0, -8, 0), Qt.AlignmentFlag.AlignVCenter, caption(state))
    font = QFont("monospace")
    font.setStyleHint(QFont.StyleHint.Monospace)
    font.setPixelSize(34)
    painter.setFont(font)
    painter.setPen(QColor("#ffffff"))
    painter.drawText(QRectF(left, CARD_SIZE[1] - 100, text_width, 50), Qt.AlignmentFlag.AlignLeft, mask(code))


def _qr(painter: QPainter, code: str, box: QRectF) -> None:
    matrix = qr_matrix(code)
    modules = matrix.shape[0] + 8  # with the 4-module quiet zone on each side
    step = int(box.width() // modules)
    side = step * modules
    left = int(box.x() + (box.width() - side) / 2) + 4 * step
    top = int(box.y() + (box.height() - side) / 2) + 4 * step
    painter.setRenderHint(QPainter.RenderHint.Antialiasing, False)  # crisp module edges
    painter.setPen(Qt.PenStyle.NoPen)
    painter.setBrush(QColor("#ffffff"))
    painter.drawRoundedRect(box, 18, 18)
    painter.setBrush(QColor("#000000"))
    for row, column, length in dark_runs(matrix):
        painter.drawRect(left + column * step, top + row * step, length * step, step)
