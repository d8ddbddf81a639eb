"""A receipt as a one-page PDF, and on an office printer, through Qt (DESIGN.md §9).

The same blocks as the till's paper receipt, drawn as real text (a PDF reader or ``pdftotext`` can search it):
shop, operation, date, till, cashier, masked code, the amount moved, and — largest of all — the remaining
balance. Amounts are formatted with Babel for the receipt's locale (``pos_app.formatting``).

Pages: ``roll80``/``roll58`` are a page exactly as wide as the roll and exactly as tall as the receipt (a PDF
that a roll printer's driver, or a person saving it, gets without white space); ``A4``/``Letter`` put the same
column at the top centre of an office page. The layout is measured first with the writer's own font metrics,
then the page is sized and drawn: one pass of measuring, one of drawing, no guessing.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Literal

from PySide6.QtCore import QBuffer, QIODevice, QSizeF
from PySide6.QtGui import QPagedPaintDevice, QPageLayout, QPageSize, QPainter
from PySide6.QtPrintSupport import QPrinter, QPrinterInfo

from pos_app.domain.errors import GiftCardError
from pos_app.printing.receipt import Receipt
from pos_app.qt_printing.pdf_metadata import deterministic_hashes, fix_info_dates, pdf_writer
from pos_app.qt_printing.qt_app import ensure_app
from pos_app.qt_printing.receipt_blocks import Blocks, Column, receipt_blocks

PageKind = Literal["roll80", "roll58", "A4", "Letter"]
_NAMESPACE = uuid.UUID("5d0c7c1e-56d3-4a8e-9f0b-6f5a3c2d1e0f")


@dataclass(frozen=True, slots=True)
class PageStyle:
    """Where the receipt's column goes and how big its type is. ``page`` None: a roll (width × content)."""

    page: QPageSize.PageSizeId | None
    width_mm: float  # of the page (a roll: of the paper)
    column: Column
    top_mm: float
    bottom_mm: float


STYLES: dict[str, PageStyle] = {
    # 80 mm rolls print 72 mm wide and 58 mm rolls 48 mm: the PDF keeps the same white edges.
    "roll80": PageStyle(None, 80.0, Column(width_mm=72.0, body_pt=8.5, title_pt=11.0, balance_pt=16.0), 4.0, 8.0),
    "roll58": PageStyle(None, 58.0, Column(width_mm=48.0, body_pt=7.0, title_pt=9.0, balance_pt=13.0), 3.0, 8.0),
    "A4": PageStyle(QPageSize.PageSizeId.A4, 210.0, Column(width_mm=90.0, body_pt=10.0, title_pt=13.0,
                                                           balance_pt=20.0), 20.0, 0.0),
    "Letter": PageStyle(QPageSize.PageSizeId.Letter, 215.9, Column(width_mm=90.0, body_pt=10.0, title_pt=13.0,
                                                                   balance_pt=20.0), 20.0, 0.0),
}


class PrinterNotFound(GiftCardError):
    key, code, message = "printer_not_found", 404, "there is no printer of that name"


def page_style(page: str) -> PageStyle:
    try:
        return STYLES[page]
    except KeyError:
        raise ValueError(f"unknown page {page!r}; use one of {', '.join(STYLES)}") from None


def document_id(receipt: Receipt, page: str) -> uuid.UUID:
    """The PDF's id: the same for every rendering of this receipt on this page (a reprint is identical)."""
    return uuid.uuid5(_NAMESPACE, f"receipt:{receipt.entry_id}:{receipt.kind.value}:{page}")


def render_receipt_pdf(receipt: Receipt, *, page: PageKind | str = "roll80") -> bytes:
    """The receipt as the bytes of a one-page PDF; the same receipt gives the same bytes (see ``pdf_metadata``)."""
    style = page_style(page)
    ensure_app()
    buffer = QBuffer()
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    with deterministic_hashes():
        writer = pdf_writer(buffer, title=_title(receipt), page=QPageSize(QPageSize.PageSizeId.A4),
                            when=receipt.at, document_id=document_id(receipt, page))
        blocks = receipt_blocks(receipt, style.column, writer)
        if style.page is None:
            height = style.top_mm + blocks.height_mm + style.bottom_mm
            writer.setPageSize(QPageSize(QSizeF(style.width_mm, height), QPageSize.Unit.Millimeter, "roll",
                                         QPageSize.SizeMatchPolicy.ExactMatch))
        else:
            writer.setPageSize(QPageSize(style.page))
        _paint(writer, blocks, style)
    buffer.close()
    return fix_info_dates(bytes(buffer.data().data()), receipt.at)


def print_receipt(receipt: Receipt, printer_name: str) -> None:
    """Print on the office printer ``printer_name`` (as the system lists it), on its default paper."""
    ensure_app()
    info = QPrinterInfo.printerInfo(printer_name)
    if info.isNull():
        known = ", ".join(QPrinterInfo.availablePrinterNames()) or "none"
        raise PrinterNotFound(f"no printer named {printer_name!r} (printers: {known})")
    printer = QPrinter(info, QPrinter.PrinterMode.HighResolution)
    printer.setDocName(_title(receipt))
    size = info.defaultPageSize()
    letter = size.id() == QPageSize.PageSizeId.Letter
    style = STYLES["Letter" if letter else "A4"]
    printer.setPageSize(QPageSize(style.page or QPageSize.PageSizeId.A4))
    _paint(printer, receipt_blocks(receipt, style.column, printer), style)


def _paint(device: QPagedPaintDevice, blocks: Blocks, style: PageStyle) -> None:
    per_mm = blocks.per_mm
    painter = QPainter()
    if not painter.begin(device):
        raise OSError("Qt could not start the PDF or print job")
    try:
        full = device.pageLayout().fullRect(QPageLayout.Unit.Millimeter).width()
        page_width = full if style.page is not None else style.width_mm
        left = (page_width - style.column.width_mm) / 2
        blocks.draw(painter, left * per_mm, style.top_mm * per_mm)
    finally:
        painter.end()


def _title(receipt: Receipt) -> str:
    return f"Receipt {receipt.entry_id}"
