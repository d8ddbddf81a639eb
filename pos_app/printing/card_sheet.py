"""Printable gift cards: what one card shows, and how cards sit on a sheet (plain data, in millimetres).

One layout, two renderers: the till's Qt renderer (``pos_app.qt_printing.card_sheet_pdf``) and the server's
pure-Python one (``pos_app.printing.card_sheet_fpdf``, the head-office console's downloads) only draw what this
module decides, so the geometry is tested here without either: how many cards fit a page, where each one goes,
where the cut marks are, and for each card (:func:`card_drawing`) every text with its box, style and how it
fits, every dark rectangle of its QR and of its Code128, and how wide a bar module is. A renderer fills the
rectangles and sets the texts; it measures text in its own fonts (to shorten the shop's name), nothing more.

Why these numbers:

* Cards are credit-card size (ISO/IEC 7810 ID-1, 85.6 × 54 mm) so that they fit wallets and card sleeves.
* A 5 mm page margin and a 4 mm gutter give 2 × 5 = 10 cards on A4 (2 × 4 = 8 on Letter). The gutter is there
  so that each card has its own cut marks and a cut that is off by a millimetre does not leave a neighbour's
  edge on the card. Marks start 0.5 mm outside a corner (so that they never print on the card) and reach at most
  halfway across a gutter.
* Code128: the readable code ``GC-XXXX-XXXX-XXXX-XXXX`` is 22 characters, all in subset B: 11 modules per
  character plus start and check (11 each) and stop (13) is 277 modules, plus a quiet zone of 10 modules on each
  side. At the textbook 0.3 mm module that is 89 mm, more than the card is wide; across the card's inner width
  (79.6 mm) the module is 0.268 mm. It is rounded *down* to whole dots of a 600 dpi printer (1/600 in), here
  6 dots = 0.254 mm (10 mil, a common minimum X-dimension for laser-printed Code128), which is exactly 2 pixels
  at 200 dpi and 3 at 300 dpi. A code too long for :data:`MIN_MODULE_MM` gets no Code128 on its card (the QR and
  the text still carry it): a barcode no scanner reads is worse than none.
* The Code128's first bar starts on a multiple of :data:`BAR_GRID_MM` (1/100 in) from the page's edge, so every
  bar edge of a 6-dot symbol falls on a whole dot of a 600 dpi printer and on a whole pixel when the sheet is
  rasterised at 100, 200 or 300 dpi (centred to the hundredth of a millimetre, a bar edge fell mid-pixel and
  was smeared to grey by anti-aliasing).
* The QR (byte/alphanumeric mode, error correction Q: version 2, 25 modules, for a readable code) sits in a
  22 mm square that includes its 4-module quiet zone: about 0.67 mm per module.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date, tzinfo
from enum import StrEnum
from functools import lru_cache

from babel.dates import format_date

from pos_app.domain.cards import Campaign, GiftCard
from pos_app.domain.money import Money
from pos_app.domain.shop_time import last_day
from pos_app.formatting import format_money
from pos_app.printing.symbols import code128_bars, code128_misreads, dark_runs, qr_matrix

DOT_MM = 25.4 / 600  # one dot of a 600 dpi printer: bar modules are whole dots
MIN_MODULE_MM = 6 * DOT_MM  # 0.254 mm
MAX_MODULE_MM = 8 * DOT_MM  # 0.339 mm: no wider, even for a short code (the bars would look clumsy)
CODE128_QUIET_MODULES = 10
QR_QUIET_MODULES = 4
MARK_OFFSET_MM = 0.5
MARK_LENGTH_MM = 4.0
BAR_GRID_MM = 6 * DOT_MM  # 1/100 in: where a Code128's first bar may start (see above)


@dataclass(frozen=True, slots=True, kw_only=True)
class CardFace:
    """One printable card: its whole code (as QR and Code128, and in text), amount, expiry and the shop's name.
    Card sheets are the one place a whole code is printed: they are the cards themselves. ``expires`` is the
    last day the card may be used; ``locale`` formats the amount and the date."""

    code: str
    amount: Money
    expires: date | None
    shop_name: str
    campaign: str
    locale: str = "en_GB"


class SheetCancelled(Exception):
    """The person printing cancelled; nothing was written."""


@dataclass(frozen=True, slots=True)
class PageSize:
    name: str
    width: float  # mm
    height: float


PAGE_SIZES: dict[str, PageSize] = {
    "A4": PageSize("A4", 210.0, 297.0),
    "Letter": PageSize("Letter", 215.9, 279.4),
}


@dataclass(frozen=True, slots=True)
class Box:
    """A rectangle in millimetres (``x``, ``y`` = top left)."""

    x: float
    y: float
    w: float
    h: float

    def moved(self, dx: float, dy: float) -> Box:
        return Box(self.x + dx, self.y + dy, self.w, self.h)


@dataclass(frozen=True, slots=True)
class CardGeometry:
    """Where things go on one card, relative to its top-left corner."""

    width: float = 85.6
    height: float = 54.0
    padding: float = 3.0

    @property
    def shop(self) -> Box:
        return Box(self.padding, self.padding, self.width - 2 * self.padding, 5.0)

    @property
    def qr(self) -> Box:
        """The QR's square, its quiet zone included."""
        return Box(self.padding, 8.5, 22.0, 22.0)

    @property
    def details(self) -> Box:
        """Amount, expiry and campaign, right of the QR."""
        left = self.qr.x + self.qr.w + 2.5
        return Box(left, 9.5, self.width - self.padding - left, 20.0)

    @property
    def amount(self) -> Box:
        d = self.details
        return Box(d.x, d.y, d.w, 8.0)

    @property
    def expiry(self) -> Box:
        d = self.details
        return Box(d.x, d.y + 9.0, d.w, 4.5)

    @property
    def campaign(self) -> Box:
        d = self.details
        return Box(d.x, d.y + 13.5, d.w, 6.5)

    @property
    def code_text(self) -> Box:
        return Box(self.padding, 31.5, self.width - 2 * self.padding, 5.0)

    @property
    def barcode(self) -> Box:
        """The Code128, its quiet zones included."""
        return Box(self.padding, 37.0, self.width - 2 * self.padding, 13.5)

    def barcode_module(self, modules: int) -> float | None:
        """Width of one bar module (mm) for a symbol of ``modules`` modules without quiet zones, or None when it
        would be narrower than :data:`MIN_MODULE_MM` (too long a code for a Code128 that scans reliably)."""
        fit = self.barcode.w / (modules + 2 * CODE128_QUIET_MODULES)
        dots = min(math.floor(fit / DOT_MM + 1e-9), round(MAX_MODULE_MM / DOT_MM))
        module = dots * DOT_MM
        return module if module >= MIN_MODULE_MM - 1e-9 else None


@dataclass(frozen=True, slots=True)
class SheetLayout:
    """Cards in ``columns`` × ``rows`` on one page, the grid centred, ``gutter`` mm between cards."""

    page: PageSize
    card: CardGeometry
    columns: int
    rows: int
    gutter: float
    left: float  # the grid's top-left corner on the page
    top: float

    @property
    def per_page(self) -> int:
        return self.columns * self.rows

    def card_box(self, index: int) -> Box:
        """The ``index``-th card of a page (row by row)."""
        row, column = divmod(index, self.columns)
        return Box(self.left + column * (self.card.width + self.gutter),
                   self.top + row * (self.card.height + self.gutter), self.card.width, self.card.height)

    def cut_marks(self, count: int) -> list[tuple[float, float, float, float]]:
        """Line segments ``(x1, y1, x2, y2)`` at the corners of the first ``count`` cards of a page, outside the
        cards: each mark continues a card edge into the gutter (at most halfway across) or the page margin."""
        inner = self.gutter / 2
        marks: list[tuple[float, float, float, float]] = []
        for index in range(count):
            box = self.card_box(index)
            row, column = divmod(index, self.columns)
            space_left = inner if column > 0 else box.x
            space_right = inner if column < self.columns - 1 else self.page.width - box.x - box.w
            space_up = inner if row > 0 else box.y
            space_down = inner if row < self.rows - 1 else self.page.height - box.y - box.h
            for x, y, sx, sy in ((box.x, box.y, -1, -1), (box.x + box.w, box.y, 1, -1),
                                 (box.x, box.y + box.h, -1, 1), (box.x + box.w, box.y + box.h, 1, 1)):
                across = min(MARK_LENGTH_MM, (space_left if sx < 0 else space_right) - MARK_OFFSET_MM)
                along = min(MARK_LENGTH_MM, (space_up if sy < 0 else space_down) - MARK_OFFSET_MM)
                if across > 0.2:  # horizontal mark: the card's top/bottom edge, continued sideways
                    marks.append((x + sx * MARK_OFFSET_MM, y, x + sx * (MARK_OFFSET_MM + across), y))
                if along > 0.2:  # vertical mark: the card's left/right edge, continued up or down
                    marks.append((x, y + sy * MARK_OFFSET_MM, x, y + sy * (MARK_OFFSET_MM + along)))
        return marks


def page_size(name: str) -> PageSize:
    try:
        return PAGE_SIZES[name]
    except KeyError:
        raise ValueError(f"unknown page size {name!r}; use one of {', '.join(PAGE_SIZES)}") from None


def layout(page: str | PageSize = "A4", *, card: CardGeometry | None = None, margin: float = 5.0,
           gutter: float = 4.0) -> SheetLayout:
    """As many cards as fit inside ``margin`` with ``gutter`` between them, the grid centred on the page."""
    size = page_size(page) if isinstance(page, str) else page
    card = card or CardGeometry()
    eps = 1e-9
    columns = math.floor((size.width - 2 * margin + gutter) / (card.width + gutter) + eps)
    rows = math.floor((size.height - 2 * margin + gutter) / (card.height + gutter) + eps)
    if columns < 1 or rows < 1:
        raise ValueError(f"a {card.width} × {card.height} mm card does not fit on {size.name}")
    grid_w = columns * card.width + (columns - 1) * gutter
    grid_h = rows * card.height + (rows - 1) * gutter
    return SheetLayout(page=size, card=card, columns=columns, rows=rows, gutter=gutter,
                       left=(size.width - grid_w) / 2, top=(size.height - grid_h) / 2)


def pages(faces: Iterable[CardFace], sheet: SheetLayout) -> Iterator[list[CardFace]]:
    """The faces a page at a time, pulled from ``faces`` as they are needed (a campaign is never all in memory)."""
    it = iter(faces)
    while chunk := list(itertools.islice(it, sheet.per_page)):
        yield chunk


def page_count(cards: int, sheet: SheetLayout) -> int:
    return -(-cards // sheet.per_page)


def face_of(card: GiftCard, campaign: Campaign, *, shop_name: str, locale: str, zone: tzinfo) -> CardFace:
    """What a card shows: its value when sold (the campaign's amount), and its last valid day in the shop's time
    zone ``zone`` (``domain.shop_time.last_day``)."""
    value = card.initial_amount if card.initial_amount is not None else campaign.amount
    expires = None if card.expiration_date is None else last_day(card.expiration_date, zone)
    return CardFace(code=card.code, amount=Money(value, card.currency), expires=expires, shop_name=shop_name,
                    campaign=campaign.name, locale=locale)


# ---- one card, drawn: texts and dark rectangles ------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class TextStyle:
    """A font: DejaVu Sans (``mono``: DejaVu Sans Mono) at ``points``."""

    points: float
    bold: bool = False
    mono: bool = False


SHOP_STYLE = TextStyle(8.5, bold=True)
AMOUNT_STYLE = TextStyle(15.0, bold=True)
SMALL_STYLE = TextStyle(7.0)
CODE_STYLE = TextStyle(9.5, bold=True, mono=True)


class Fit(StrEnum):
    """How a text keeps inside its box."""

    ELIDE = "elide"  # one line, shortened with "…" when too long (the shop's name)
    LINE = "line"  # one line, as it is (the amount, the expiry: short by construction)
    WORDS = "words"  # wrapped at spaces, from the top (the campaign's name)
    ANYWHERE = "anywhere"  # wrapped anywhere, centred (a code: it must be printed whole)


@dataclass(frozen=True, slots=True)
class TextBlock:
    box: Box  # on the page
    text: str
    style: TextStyle
    fit: Fit
    centred: bool = False  # else left-aligned; one-line texts sit in the middle of their box's height


@dataclass(frozen=True, slots=True)
class CardDrawing:
    """Everything a renderer draws for one card, in page millimetres: ``texts``, the dark rectangles of the QR
    (``qr``) and of the Code128 (``bars``; empty when ``has_barcode`` is False: the code is too long for a
    Code128 that scans, or its bars would read as another number)."""

    texts: tuple[TextBlock, ...]
    qr: tuple[Box, ...]
    bars: tuple[Box, ...]
    has_barcode: bool


_EXPIRY = {"en": ("Valid until {}", "No expiry date"), "de": ("Gültig bis {}", "Ohne Ablaufdatum")}


@lru_cache(maxsize=64)
def amount_text(amount: Money, locale: str) -> str:
    """A campaign's cards share their amount and expiry: Babel formats each once (it costs 0.5 ms a call)."""
    return format_money(amount, locale=locale)


@lru_cache(maxsize=64)
def expiry_text(last: date | None, locale: str) -> str:
    until, never = _EXPIRY.get(locale.split("_", maxsplit=1)[0], _EXPIRY["en"])
    return never if last is None else until.format(format_date(last, "medium", locale=locale))


def card_drawing(face: CardFace, at: Box, geo: CardGeometry, *, symbols: bool = True) -> CardDrawing:
    """``face`` drawn in the card box ``at`` (page millimetres). ``symbols=False`` leaves out QR and Code128."""
    dx, dy = at.x, at.y
    texts = (
        TextBlock(geo.shop.moved(dx, dy), face.shop_name, SHOP_STYLE, Fit.ELIDE),
        TextBlock(geo.amount.moved(dx, dy), amount_text(face.amount, face.locale), AMOUNT_STYLE, Fit.LINE),
        TextBlock(geo.expiry.moved(dx, dy), expiry_text(face.expires, face.locale), SMALL_STYLE, Fit.LINE),
        TextBlock(geo.campaign.moved(dx, dy), face.campaign, SMALL_STYLE, Fit.WORDS),
        TextBlock(geo.code_text.moved(dx, dy), face.code, CODE_STYLE, Fit.ANYWHERE, centred=True),
    )
    if not symbols:
        return CardDrawing(texts, (), (), True)
    bars = code128_boxes(face.code, geo.barcode.moved(dx, dy), geo)
    return CardDrawing(texts, qr_boxes(face.code, geo.qr.moved(dx, dy)), bars or (), bars is not None)


def qr_boxes(code: str, square: Box) -> tuple[Box, ...]:
    """The QR of ``code`` in ``square`` (its quiet zone included): one rectangle per horizontal run of dark
    modules."""
    matrix = qr_matrix(code)
    module = square.w / (len(matrix) + 2 * QR_QUIET_MODULES)
    x0, y0 = square.x + QR_QUIET_MODULES * module, square.y + QR_QUIET_MODULES * module
    return tuple(Box(x0 + column * module, y0 + row * module, length * module, module)
                 for row, column, length in dark_runs(matrix))


def code128_boxes(code: str, box: Box, geo: CardGeometry) -> tuple[Box, ...] | None:
    """The Code128 of ``code`` in ``box`` (page millimetres, its quiet zones included), centred and its first
    bar on :data:`BAR_GRID_MM`; None when the code is too long for a Code128 that scans, or when its bars would
    also read as a retail barcode (``symbols.code128_misreads``: a till decodes EAN-13 too)."""
    if not code.isascii():  # a Code128 carries ASCII only; the QR and the text still carry the code
        return None
    modules, bars = code128_bars(code)
    module = geo.barcode_module(modules)
    if module is None or code128_misreads(code):
        return None
    x0 = round((box.x + (box.w - modules * module) / 2) / BAR_GRID_MM) * BAR_GRID_MM
    return tuple(Box(x0 + first * module, box.y, width * module, box.h) for first, width in bars)
