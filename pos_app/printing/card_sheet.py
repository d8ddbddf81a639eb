"""Printable gift cards: what one card shows, and how cards sit on a sheet (plain data, in millimetres).

The Qt renderer (``pos_app.qt_printing.card_sheet_pdf``) only draws what this module decides, so the geometry is
tested here without Qt: how many cards fit a page, where each one goes, where the cut marks are, where the QR
and the Code128 sit on a card and how wide a bar module is.

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
* The QR (byte/alphanumeric mode, error correction Q: version 2, 25 modules, for a readable code) sits in a
  22 mm square that includes its 4-module quiet zone: about 0.67 mm per module.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date, tzinfo

from pos_app.domain.cards import Campaign, GiftCard
from pos_app.domain.money import Money
from pos_app.domain.shop_time import last_day

DOT_MM = 25.4 / 600  # one dot of a 600 dpi printer: bar modules are whole dots
MIN_MODULE_MM = 6 * DOT_MM  # 0.254 mm
MAX_MODULE_MM = 8 * DOT_MM  # 0.339 mm: no wider, even for a short code (the bars would look clumsy)
CODE128_QUIET_MODULES = 10
QR_QUIET_MODULES = 4
MARK_OFFSET_MM = 0.5
MARK_LENGTH_MM = 4.0


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
