"""An ESC/POS reader for the tests, written from Epson's ESC/POS command reference — not from python-escpos.

It walks a byte stream the way a TM printer would and reports what would come out: lines of text (decoded with
the code page ESC t selected, with the size, emphasis and font each character was printed in), QR codes stored
and printed with GS ( k, raster images (GS v 0) as numpy bitmaps, paper cuts (GS V) and feeds. Anything it does
not know is an error, so a renderer cannot slip an unexpected command past the tests.

Widths are in printer dots: Font A is 12 dots per character, Font B 9, times the character width multiplier
(ESC ! bit 5, GS ! high nibble).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

import numpy as np
import zxingcpp

ESC, GS, LF, CR = 0x1B, 0x1D, 0x0A, 0x0D

#: ESC t n → character code table, as Epson's reference numbers them (pages Python has no codec for left out).
EPSON_CODE_PAGES: dict[int, str] = {
    0: "cp437", 2: "cp850", 3: "cp860", 4: "cp863", 5: "cp865", 13: "cp857", 14: "cp737", 15: "iso8859_7",
    16: "cp1252", 17: "cp866", 18: "cp852", 19: "cp858", 32: "cp720", 33: "cp775", 34: "cp855", 35: "cp861",
    36: "cp862", 37: "cp864", 38: "cp869", 39: "iso8859_2", 40: "iso8859_15", 44: "cp1125", 45: "cp1250",
    46: "cp1251", 47: "cp1253", 48: "cp1254", 49: "cp1255", 50: "cp1256", 51: "cp1257", 52: "cp1258",
}
FONT_DOTS = {0: 12, 1: 9}


class ReadError(ValueError):
    """The bytes are not what a printer would accept (unknown command, truncated data, undefined character)."""


@dataclass
class Segment:
    text: str
    font: int
    bold: bool
    width: int  # character width multiplier
    height: int

    @property
    def dots(self) -> int:
        return len(self.text) * FONT_DOTS[self.font] * self.width


@dataclass
class Line:
    segments: list[Segment] = field(default_factory=list)
    align: int = 0

    @property
    def text(self) -> str:
        return "".join(s.text for s in self.segments)

    @property
    def dots(self) -> int:
        return sum(s.dots for s in self.segments)


@dataclass
class Printout:
    lines: list[Line] = field(default_factory=list)
    qr_payloads: list[str] = field(default_factory=list)
    images: list[np.ndarray] = field(default_factory=list)  # True = black
    cuts: list[str] = field(default_factory=list)  # "full" / "partial"
    fed_lines: int = 0
    code_pages: set[int] = field(default_factory=set)

    @property
    def text(self) -> str:
        return "\n".join(line.text for line in self.lines)

    def image_codes(self) -> list[str]:
        """What zxing-cpp reads in the raster images (QR codes, barcodes)."""
        return [text for image in self.images for text in decode_bitmap(image)]


def decode_bitmap(bitmap: np.ndarray) -> list[str]:
    gray = np.where(bitmap, 0, 255).astype(np.uint8)
    gray = np.pad(gray, 24, constant_values=255)  # a quiet zone, whatever the printer's margins
    return [r.text for r in zxingcpp.read_barcodes(gray)]


class _State:
    def __init__(self, code_pages: Mapping[int, str]) -> None:
        self.table = code_pages
        self.reset()

    def reset(self) -> None:
        self.font, self.bold, self.width, self.height, self.align, self.page = 0, False, 1, 1, 0, 0


def read(data: bytes, code_pages: Mapping[int, str] = EPSON_CODE_PAGES) -> Printout:
    """Everything ``data`` would print."""
    out, st = Printout(), _State(code_pages)
    line = Line()
    stored_qr: bytes | None = None
    i = 0

    def need(n: int) -> bytes:
        if i + n > len(data):
            raise ReadError(f"command at byte {i} is cut short")
        return data[i : i + n]

    def end_line() -> None:
        nonlocal line
        out.lines.append(line)
        line = Line(align=st.align)

    while i < len(data):
        b = data[i]
        if b == LF:
            end_line()
            i += 1
        elif b == CR:
            i += 1
        elif b == ESC:
            cmd = need(2)[1]
            if cmd == ord("@"):
                st.reset()
                i += 2
                continue
            n = need(3)[2]
            if cmd == ord("!"):  # print mode: bit 0 font B, 3 emphasized, 4 double height, 5 double width
                st.font, st.bold = n & 1, bool(n & 8)
                st.height, st.width = (2 if n & 16 else 1), (2 if n & 32 else 1)
            elif cmd == ord("E"):
                st.bold = bool(n & 1)
            elif cmd == ord("a"):
                st.align = n % 48
                if not line.segments:
                    line.align = st.align
            elif cmd == ord("t"):
                if n not in st.table:
                    raise ReadError(f"ESC t {n}: no such character code table")
                st.page = n
                out.code_pages.add(n)
            elif cmd == ord("M"):
                st.font = n % 48
            elif cmd == ord("d"):
                if line.segments:
                    end_line()
                out.fed_lines += n
            elif cmd in (ord("-"), ord("{"), ord("3"), ord("J")):
                pass  # underline, upside-down, line spacing, feed by dots: no effect on what is read
            else:
                raise ReadError(f"unknown command ESC {cmd:#04x} at byte {i}")
            i += 3
        elif b == GS:
            cmd = need(2)[1]
            if cmd == ord("!"):
                n = need(3)[2]
                st.width, st.height = (n >> 4) + 1, (n & 15) + 1
                i += 3
            elif cmd in (ord("B"), ord("b")):
                i += 3  # reverse, smoothing
            elif cmd == ord("V"):
                m = need(3)[2]
                if m in (0, 48, 65, 97):
                    out.cuts.append("full")
                elif m in (1, 49, 66, 98):
                    out.cuts.append("partial")
                else:
                    raise ReadError(f"GS V {m}: unknown cut")
                if line.segments:
                    end_line()
                i += 4 if m >= 65 else 3
            elif cmd == ord("("):
                head = need(5)
                fn_class, size = head[2], head[3] + 256 * head[4]
                body = data[i + 5 : i + 5 + size]
                if len(body) != size:
                    raise ReadError(f"GS ( {chr(fn_class)} at byte {i} is cut short")
                if fn_class != ord("k"):
                    raise ReadError(f"GS ( {chr(fn_class)} is not read here")
                cn, fn = body[0], body[1]
                if cn == 49 and fn == 80:  # QR: store the data (m = 48)
                    stored_qr = body[3:]
                elif cn == 49 and fn == 81:  # QR: print the stored data
                    if stored_qr is None:
                        raise ReadError("QR printed before any data was stored")
                    out.qr_payloads.append(stored_qr.decode("utf-8"))
                i += 5 + size
            elif cmd == ord("v"):
                head = need(8)
                if head[2] != ord("0"):
                    raise ReadError("GS v: only GS v 0 (raster bit image) exists")
                width_bytes, height = head[4] + 256 * head[5], head[6] + 256 * head[7]
                raw = data[i + 8 : i + 8 + width_bytes * height]
                if len(raw) != width_bytes * height:
                    raise ReadError("GS v 0 image data cut short")
                bits = np.unpackbits(np.frombuffer(raw, dtype=np.uint8)).reshape(height, width_bytes * 8)
                out.images.append(bits.astype(bool))
                if line.segments:
                    end_line()
                i += 8 + width_bytes * height
            else:
                raise ReadError(f"unknown command GS {cmd:#04x} at byte {i}")
        elif b < 0x20 or b == 0x7F:
            raise ReadError(f"control byte {b:#04x} at {i} is not a character")
        else:
            start = i
            while i < len(data) and data[i] >= 0x20 and data[i] != 0x7F:
                i += 1
            try:
                text = data[start:i].decode(st.table[st.page])
            except (UnicodeDecodeError, KeyError) as exc:
                raise ReadError(f"bytes {data[start:i]!r} are undefined in code page {st.page}") from exc
            line.segments.append(Segment(text, st.font, st.bold, st.width, st.height))
    if line.segments:
        out.lines.append(line)
    return out
