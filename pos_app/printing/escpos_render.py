"""The receipt as ESC/POS bytes, made by python-escpos (``escpos.printer.Dummy``) for one printer model.

Same layout as the plain text (:mod:`pos_app.printing.text`), at the columns the paper and the model really
have, with what the model can do and nothing more:

* **Columns** from the paper and the model: 58 mm paper is 384 dots at 203 dpi (360 at 180 dpi), 80 mm is 576
  (512); a model's ``media.width.pixels`` caps that (a 58 mm printer given "80mm" still prints 58 mm), and so does
  its Font A column count when the model is known. Font A is 12 dots wide: 32/48 columns at 203 dpi, 30/42 on a
  180 dpi TM-T88.
* **Characters**: only code pages the profile lists, that are single-byte and known to Python, lowest ESC t slot
  first (python-escpos's magic encoder picks among them). A character none of them holds is transliterated
  (``é`` → ``e``, ``€`` → ``EUR``, ``•`` → ``*``) or left out — never python-escpos's ``?``, never a wrong glyph.
  Amounts whose currency sign cannot be printed show the ISO code (``EUR 12.50``).
* **QR** of the entry id (what a refund asks for; never the card code): native (``GS ( k``) when the profile has
  ``qrCode``, a raster image (``GS v 0``) when it has ``bitImageRaster``, none otherwise (an impact printer's
  column images are not worth scanning; the id is printed in text anyway).
* **Cut** only when the profile has a cutter (a partial cut when it can, so the receipt does not fall); otherwise
  a feed to the tear bar.

Deterministic: the same receipt, profile and paper give the same bytes (nothing here reads a clock).
"""

from __future__ import annotations

import codecs
import copy
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, Literal

from babel.numbers import get_currency_symbol
from escpos.capabilities import CAPABILITIES, get_profile_class
from escpos.constants import QR_ECLEVEL_M
from escpos.magicencode import Encoder
from escpos.printer import Dummy

from pos_app.domain.money import Money
from pos_app.formatting import format_money
from pos_app.printing.receipt import Receipt
from pos_app.printing.text import Align, Block, Style, blocks, cells, fit, pair
from pos_app.printing.text import clean as clean_text

Paper = Literal["58mm", "80mm"]
_PAPER_DOTS = {180: {"58mm": 360, "80mm": 512}, 203: {"58mm": 384, "80mm": 576}}
_FONT_A_DOTS = 12
_QR_MODULE_DOTS = 6
_FEED_LINES = 6
# Characters a code page rarely holds, and what may stand in for them without changing the meaning.
_SUBSTITUTES = {
    "€": "EUR", "£": "GBP", "¥": "JPY", "₹": "INR", "₽": "RUB", "₺": "TRY", "₩": "KRW", "₪": "ILS", "₴": "UAH",
    "₫": "VND", "₱": "PHP", "₦": "NGN", "¢": "c", "•": "*", "·": ".", "—": "-", "–": "-", "‐": "-", "‑": "-",
    "−": "-", "‘": "'", "’": "'", "‚": ",", "“": '"', "”": '"', "„": '"', "«": '"', "»": '"', "…": "...",
    "ß": "ss", "Æ": "AE", "æ": "ae", "Œ": "OE", "œ": "oe", "Ø": "O", "ø": "o", "Ł": "L", "ł": "l", "Đ": "D",
    "đ": "d", "Þ": "Th", "þ": "th", "Ð": "D", "ð": "d", "ı": "i", "×": "x", "№": "No", "™": "TM", "©": "(c)",
    "®": "(R)",
}


@dataclass(frozen=True, slots=True)
class PrinterModel:
    """What one profile can do on one paper: the facts the renderer lays the receipt out by."""

    profile: str
    paper: Paper
    dots: int
    columns: int
    native_qr: bool
    raster: bool
    cut: Literal["PART", "FULL"] | None
    code_pages: tuple[tuple[str, int], ...]  # (python-escpos encoding name, ESC t slot), single-byte only


def _python_codec(encoding: str) -> str | None:
    codec = CAPABILITIES["encodings"].get(encoding, {}).get("python_encode")
    if not codec:
        return None
    try:
        codecs.lookup(codec)
    except LookupError:
        return None
    return codec if all(len(ch.encode(codec, "ignore")) <= 1 for ch in "あ中한") else None  # single-byte only


@lru_cache(maxsize=64)
def printer_model(profile: str = "default", paper: Paper = "80mm") -> PrinterModel:
    """The model's facts from python-escpos's printer database (``ValueError`` for an unknown profile/paper)."""
    if profile not in CAPABILITIES["profiles"]:
        raise ValueError(f"unknown printer profile {profile!r}; known: {', '.join(sorted(CAPABILITIES['profiles']))}")
    if paper not in _PAPER_DOTS[203]:
        raise ValueError(f"paper must be 58mm or 80mm, not {paper!r}")
    data = CAPABILITIES["profiles"][profile]
    media = data.get("media", {})
    dpi = media.get("dpi")
    dots = _PAPER_DOTS[180 if dpi == 180 else 203][paper]
    known_width = media.get("width", {}).get("pixels")
    columns = dots // _FONT_A_DOTS
    if isinstance(known_width, int):  # a known model: its own width and Font A columns bound the paper's
        dots = min(dots, known_width)
        columns = min(dots // _FONT_A_DOTS, int(data["fonts"]["0"]["columns"]))
    features = data.get("features", {})
    cut: Literal["PART", "FULL"] | None = (
        "PART" if features.get("paperPartCut") else "FULL" if features.get("paperFullCut") else None
    )
    pages: dict[str, int] = {}
    for slot, name in sorted(data["codePages"].items(), key=lambda item: int(item[0])):
        if name not in pages and _python_codec(name):
            pages[name] = int(slot)  # the lowest slot of a page listed twice: the standard one
    return PrinterModel(
        profile=profile, paper=paper, dots=dots, columns=columns, native_qr=bool(features.get("qrCode")),
        raster=bool(features.get("bitImageRaster")), cut=cut, code_pages=tuple(pages.items()),
    )


class _Charset:
    """Which characters the model can print, and what it prints instead of the others.

    Built once per model (:func:`_charset`): the code page maps and the substitutions are pure and shared. The
    encoder a render hands to python-escpos is new each time (:meth:`encoder`), because the magic encoder
    remembers which pages it used and prefers them: shared, it would make the bytes depend on earlier receipts.
    """

    def __init__(self, model: PrinterModel) -> None:
        self.pages = dict(model.code_pages)
        self.names = list(self.pages)
        self.probe = Encoder(self.pages)
        for name in self.names:
            self.probe.can_encode(name, "é")  # builds every page's map now, before any thread shares them
        self.cache: dict[str, str] = {}

    def encoder(self) -> Encoder:
        fresh = Encoder(self.pages)
        fresh.available_characters = self.probe.available_characters
        return fresh

    def printable(self, ch: str) -> bool:
        if ch.isascii():
            return ch.isprintable()
        return any(self.probe.can_encode(name, ch) for name in self.names)

    def _substitute(self, ch: str) -> str:
        if unicodedata.category(ch) == "Zs":
            return " "  # no-break and narrow spaces (Babel's amounts): a space is never wrong
        if self.printable(ch):
            return ch
        for candidate in (_SUBSTITUTES.get(ch, ""), unicodedata.normalize("NFKD", ch)):
            kept = "".join(c for c in candidate if not unicodedata.combining(c))
            if kept and all(self.printable(c) for c in kept):
                return kept
        return ""

    def fit(self, text: str) -> str:
        out = []
        for ch in clean_text(text):
            if ch not in self.cache:
                self.cache[ch] = self._substitute(ch)
            out.append(self.cache[ch])
        return clean_text("".join(out))

    def money(self, amount: Money, locale: str) -> str:
        shown = format_money(amount, locale=locale)
        if all(unicodedata.category(c) == "Zs" or self.printable(c) for c in shown):
            return self.fit(shown)
        symbol = str(get_currency_symbol(amount.currency, locale=locale))
        start = shown.find(symbol)
        if symbol and start >= 0:
            before, after = shown[:start].rstrip(), shown[start + len(symbol):].lstrip()
            shown = " ".join(part for part in (before, amount.currency, after) if part)
        return self.fit(shown)


@lru_cache(maxsize=64)
def _charset(model: PrinterModel) -> _Charset:
    return _Charset(model)


@lru_cache(maxsize=64)
def _profile(model: PrinterModel) -> Any:
    """python-escpos's profile of the model, with the paper's width in dots (image width checks and centring)."""
    base = get_profile_class(model.profile)
    data = copy.deepcopy(base.profile_data)
    data.setdefault("media", {})["width"] = {"mm": model.paper[:2], "pixels": model.dots}
    return type(f"{base.__name__}{model.paper}", (base,), {"profile_data": data})()


#: What a printout says, given how the printer formats money and which text it can print (see ``text.blocks``).
Layout = Callable[[Callable[[Money], str], Callable[[str], str]], list[Block]]


def render_escpos(receipt: Receipt, profile: str = "default", paper: Paper = "80mm") -> bytes:
    """ESC/POS bytes of ``receipt`` for the printer ``profile`` (a python-escpos profile name) on ``paper``."""
    return render_layout(lambda money, clean: blocks(receipt, money=money, clean=clean), receipt.locale,
                         profile, paper)


def render_layout(layout: Layout, locale: str, profile: str = "default", paper: Paper = "80mm") -> bytes:
    """ESC/POS bytes of any printout made of blocks (a receipt, a day's report), laid out as a receipt is."""
    model = printer_model(profile, paper)
    charset = _charset(model)
    printer = Dummy(profile=model.profile, magic_encode_args={"encoder": charset.encoder()})
    printer.profile = _profile(model)
    printer.hw("INIT")
    pen = _Pen(printer)
    for block in layout(lambda m: charset.money(m, locale), charset.fit):
        if block.style is Style.QR:
            _print_qr(printer, model, block.text)
        elif block.style is Style.BIG:
            _print_big(pen, model.columns, block)
        else:
            tall = block.style in {Style.TITLE, Style.MARK}
            pen.style(bold=tall or block.style is Style.STRONG, tall=tall)
            for line in fit(block, model.columns):
                pen.line(line)
    pen.style()
    if model.cut:
        printer.cut(mode=model.cut)  # feeds to the cutter first
    else:
        printer.print_and_feed(_FEED_LINES)
    return bytes(printer.output)


class _Pen:
    """Text styles, sent only when they change. Size and bold go in one ``set`` because ESC ! (the size) also
    sets or clears emphasis on Epson printers: bold set before a size change would be lost."""

    def __init__(self, printer: Dummy) -> None:
        self.printer = printer
        self.state = (False, False, False)

    def style(self, *, bold: bool = False, wide: bool = False, tall: bool = False) -> None:
        if (bold, wide, tall) != self.state:
            self.printer.set(bold=bold, double_width=wide, double_height=tall, normal_textsize=not (wide or tall))
            self.state = (bold, wide, tall)

    def line(self, text: str) -> None:
        self.printer.text(f"{text}\n")


def _print_big(pen: _Pen, width: int, block: Block) -> None:
    """The remaining balance: label in bold, the amount twice as wide and high — on the label's line when both
    fit, flush right on the next when not, only twice as high when even that would not fit."""
    label, amount = block.text, block.right
    if 2 * cells(amount) > width:
        pen.style(bold=True, tall=True)
        for line in pair(label, amount, width):
            pen.line(line)
        return
    pen.style(bold=True)
    if cells(label) + 1 + 2 * cells(amount) > width:
        for line in fit(Block(Style.STRONG, Align.LEFT, label), width):
            pen.line(line)
        label = ""
    pen.printer.text(label + " " * (width - cells(label) - 2 * cells(amount)))
    pen.style(bold=True, wide=True, tall=True)
    pen.line(amount)


def _print_qr(printer: Dummy, model: PrinterModel, payload: str) -> None:
    if not payload:
        return
    if model.native_qr:
        printer.set(align="center")
        printer.qr(payload, ec=QR_ECLEVEL_M, size=_QR_MODULE_DOTS, native=True)
        printer.set(align="left")
        printer.text("\n")
    elif model.raster:
        printer.qr(payload, ec=QR_ECLEVEL_M, size=_QR_MODULE_DOTS, native=False, center=True)
