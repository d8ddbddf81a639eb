"""One decoder per library behind one small port: a grayscale frame in, a list of :class:`Read` out.

Each library is imported lazily, when its decoder is built: a till without zbar (or without zxing-cpp) still
scans with what it has, and says what is missing (``available``/``unavailable_reason``; the chain logs it).

Every read passes :func:`accept` before it leaves this module, whatever library made it. Zero wrong texts matters
more than success rate: a wrong text is a wrong card (or a confusing "unknown code"), a missed read is only a
second try. So EAN/UPC reads are re-checked here (GS1 mod-10 check digit, digits only, right length) rather than
trusting each library's own verification, and a text that is not valid Unicode is dropped.

UPC-A normalisation: a UPC-A is an EAN-13 whose first digit is 0. zbar reports it as EAN-13 (13 digits), zxing-cpp
as UPC-A (12 digits). We report it one way everywhere: :attr:`Symbology.UPC_A` with the 12 digits, as zxing does
and as a UPC-A is printed. A frame read by two libraries then gives one read, not two.
"""

from __future__ import annotations

import logging
from abc import ABC, abstractmethod
from collections.abc import Iterable
from typing import Any

import numpy as np

from pos_app.scanning.results import Point, Read, Symbology

log = logging.getLogger("pos_app.scanning")

Corners = tuple[Point, Point, Point, Point]
_EAN_LENGTHS = {Symbology.EAN_13: 13, Symbology.EAN_8: 8, Symbology.UPC_A: 12}


class Decoder(ABC):
    """A decoding library behind one interface (the port). ``name`` appears in :attr:`Read.decoder`."""

    name: str = ""

    def __init__(self) -> None:
        self.unavailable_reason: str = ""

    @property
    def available(self) -> bool:
        return not self.unavailable_reason

    @abstractmethod
    def decode(self, gray: np.ndarray) -> list[Read]:
        """Symbols in ``gray`` (2-D uint8), already :func:`accept`-ed and de-duplicated; [] when unavailable."""

    def passes(self, gray: np.ndarray) -> list[list[Read]]:
        """The reads of each independent look at ``gray`` (one, unless the decoder looks several ways)."""
        return [self.decode(gray)]


def gs1_check_ok(digits: str) -> bool:
    """The GS1 mod-10 check digit (EAN-13, EAN-8, UPC-A): weights 3,1,3,… from the right, excluding the check."""
    if not digits.isascii() or not digits.isdigit():
        return False
    body, check = digits[:-1], int(digits[-1])
    total = sum(int(d) * (3 if i % 2 == 0 else 1) for i, d in enumerate(reversed(body)))
    return (10 - total % 10) % 10 == check


def accept(text: str, symbology: Symbology, decoder: str, corners: Corners | None) -> Read | None:
    """The read in canonical form (UPC-A as 12 digits), or None when it cannot be a correct read."""
    if not text:
        return None
    if symbology is Symbology.EAN_13 and len(text) == 13 and text.startswith("0"):
        symbology, text = Symbology.UPC_A, text[1:]
    if symbology in _EAN_LENGTHS and (len(text) != _EAN_LENGTHS[symbology] or not gs1_check_ok(text)):
        return None
    return Read(text=text, symbology=symbology, decoder=decoder, corners=corners)


def wanted_filter(symbologies: Iterable[Symbology]) -> frozenset[Symbology]:
    """Symbologies whose reads to keep: wanting EAN-13 also keeps UPC-A, as every UPC-A is an EAN-13."""
    wanted = set(symbologies)
    if Symbology.EAN_13 in wanted:
        wanted.add(Symbology.UPC_A)
    return frozenset(wanted)


def merge_reads(first: list[Read], more: Iterable[Read]) -> list[Read]:
    """``first`` then the reads of ``more`` not already in it (same symbology and text): the first corners win."""
    seen = {(r.symbology, r.text) for r in first}
    merged = list(first)
    for read in more:
        if (read.symbology, read.text) not in seen:
            seen.add((read.symbology, read.text))
            merged.append(read)
    return merged


def inside_frame(reads: list[Read], shape: tuple[int, ...]) -> list[Read]:
    """Without the EAN/UPC reads whose outline touches the frame's edge.

    An EAN needs a quiet zone at both ends; one cut by the frame edge cannot show it, and periodic textures
    (stripes, a shirt, a grille) running off the frame are where zxing-cpp reads EAN-13 out of nothing (the
    generated idle frames showed "7212112121211" across a whole striped frame). The code is read once it is in view.
    Code128 is spared: its start/stop patterns and mod-103 check do not come out of textures, and tightly cropped
    Code128 images (the corpus has many) touch the edge.
    """
    h, w = shape[:2]
    return [r for r in reads if r.symbology not in _EAN_LENGTHS or r.corners is None
            or all(1.0 < x < w - 2.0 and 1.0 < y < h - 2.0 for x, y in r.corners)]


def drop_conflicts(reads: list[Read]) -> list[Read]:
    """Without the 1-D reads that another 1-D read with a different text overlaps: at most one can be right.

    A photo of one EAN-13 can give two texts, each passing the check digit: one from scan lines through the whole
    code, one from a few lines along its edge (zxing-cpp does this on the corpus's ``ean13-1_35``). Not knowing
    which, neither is kept; the chain's fallbacks then get their turn.
    """
    boxes = [_grown_box(r) for r in reads]
    bad: set[int] = set()
    for i, (a, box_a) in enumerate(zip(reads, boxes, strict=True)):
        for j in range(i + 1, len(reads)):
            b, box_b = reads[j], boxes[j]
            if box_a is None or box_b is None or a.text == b.text:
                continue
            if box_a[0] < box_b[2] and box_b[0] < box_a[2] and box_a[1] < box_b[3] and box_b[1] < box_a[3]:
                bad.update((i, j))
    return [r for i, r in enumerate(reads) if i not in bad]


def _grown_box(read: Read) -> tuple[float, float, float, float] | None:
    """A 1-D read's bounding box grown by 10 % of its long side (scan lines of one code lie side by side)."""
    if read.symbology is Symbology.QR_CODE or read.corners is None:
        return None
    xs, ys = [p[0] for p in read.corners], [p[1] for p in read.corners]
    grow = 0.1 * max(max(xs) - min(xs), max(ys) - min(ys))
    return min(xs) - grow, min(ys) - grow, max(xs) + grow, max(ys) + grow


def order_corners(points: np.ndarray) -> Corners:
    """Four points as top-left, top-right, bottom-right, bottom-left (by x+y and y-x, robust to small tilts)."""
    pts = np.asarray(points, dtype=np.float64).reshape(-1, 2)
    s, d = pts.sum(axis=1), pts[:, 1] - pts[:, 0]
    tl, br, tr, bl = pts[s.argmin()], pts[s.argmax()], pts[d.argmin()], pts[d.argmax()]
    return tuple((float(p[0]), float(p[1])) for p in (tl, tr, br, bl))  # type: ignore[return-value]


class ZxingDecoder(Decoder):
    """zxing-cpp, restricted to the wanted symbologies (fewer formats: faster, and fewer false reads)."""

    name = "zxing"

    def __init__(self, symbologies: Iterable[Symbology] = tuple(Symbology)) -> None:
        super().__init__()
        self._wanted = wanted_filter(symbologies)
        self._zx: Any = None
        try:
            import zxingcpp
        except ImportError as exc:
            self.unavailable_reason = f"zxing-cpp is not installed ({exc})"
            return
        self._zx = zxingcpp
        names = {
            Symbology.QR_CODE: zxingcpp.BarcodeFormat.QRCode,
            Symbology.CODE_128: zxingcpp.BarcodeFormat.Code128,
            Symbology.EAN_13: zxingcpp.BarcodeFormat.EAN13,
            Symbology.EAN_8: zxingcpp.BarcodeFormat.EAN8,
            Symbology.UPC_A: zxingcpp.BarcodeFormat.UPCA,
        }
        self._symbology = {fmt: sym for sym, fmt in names.items()}
        self._formats = [names[s] for s in self._wanted]  # a list: zxing-cpp 3 deprecates ``|`` on formats

    def decode(self, gray: np.ndarray) -> list[Read]:
        if self._zx is None:
            return []
        # TextMode.Plain: the text as encoded (HRI would add GS1 parentheses, Escaped would escape controls).
        found = self._zx.read_barcodes(gray, formats=self._formats, text_mode=self._zx.TextMode.Plain)
        reads: list[Read] = []
        for barcode in found:
            symbology = self._symbology.get(barcode.format)
            if symbology is None or not barcode.valid:
                continue
            p = barcode.position
            corners = tuple((float(q.x), float(q.y)) for q in (p.top_left, p.top_right, p.bottom_right, p.bottom_left))
            read = accept(barcode.text, symbology, self.name, corners)  # type: ignore[arg-type]
            if read is not None and read.symbology in self._wanted:
                reads = merge_reads(reads, [read])
        return drop_conflicts(inside_frame(reads, gray.shape))


class ZbarDecoder(Decoder):
    """zbar through pyzbar, restricted likewise. Needs the libzbar0 system library besides the wheel."""

    name = "zbar"

    def __init__(self, symbologies: Iterable[Symbology] = tuple(Symbology)) -> None:
        super().__init__()
        self._wanted = wanted_filter(symbologies)
        self._zbar: Any = None
        try:
            from pyzbar import pyzbar
        except (ImportError, OSError) as exc:  # no wheel, or the wheel without libzbar: ImportError or OSError
            self.unavailable_reason = f"pyzbar/libzbar is not installed ({exc})"
            return
        self._zbar = pyzbar
        z = pyzbar.ZBarSymbol
        names = {
            Symbology.QR_CODE: z.QRCODE, Symbology.CODE_128: z.CODE128, Symbology.EAN_13: z.EAN13,
            Symbology.EAN_8: z.EAN8, Symbology.UPC_A: z.UPCA,
        }
        self._symbology = {fmt.name: sym for sym, fmt in names.items()}
        self._symbols = [names[s] for s in self._wanted]

    def decode(self, gray: np.ndarray) -> list[Read]:
        if self._zbar is None:
            return []
        reads: list[Read] = []
        for symbol in self._zbar.decode(np.ascontiguousarray(gray), symbols=self._symbols):
            symbology = self._symbology.get(symbol.type)
            try:
                text = symbol.data.decode("utf-8")  # zbar hands over its text as UTF-8 bytes
            except UnicodeDecodeError:
                continue
            if symbology is None:
                continue
            if symbology is Symbology.QR_CODE and not text.isascii():
                continue  # zbar guesses the character set of non-ASCII QR text, often wrongly (mojibake)
            corners = _zbar_corners(symbol.polygon)
            read = accept(text, symbology, self.name, corners)
            if read is not None and read.symbology in self._wanted:
                reads = merge_reads(reads, [read])
        return drop_conflicts(inside_frame(reads, gray.shape))


def _zbar_corners(polygon: list[Any]) -> Corners | None:
    """zbar gives a polygon (scan-line ends for 1-D codes); its minimum-area rectangle is the outline."""
    if len(polygon) < 2:
        return None
    import cv2

    box = cv2.boxPoints(cv2.minAreaRect(np.array([(p.x, p.y) for p in polygon], dtype=np.float32)))
    return order_corners(box)



class RegionDecoder(Decoder):
    """OpenCV locates and straightens candidate regions (:mod:`~pos_app.scanning.regions`); ``readers`` decode them.

    Each reader reading a crop is one *pass* (:meth:`passes`): the chain counts how many passes agree on a 1-D
    text before it trusts a fallback read.
    """

    name = "region"

    def __init__(self, symbologies: Iterable[Symbology] = tuple(Symbology), *, readers: Iterable[Decoder]) -> None:
        super().__init__()
        self._wanted = wanted_filter(symbologies)
        self._readers = [r for r in readers if r.available]
        self._detector: Any = None
        try:
            import cv2
        except ImportError as exc:
            self.unavailable_reason = f"OpenCV is not installed ({exc})"
            return
        if not self._readers:
            self.unavailable_reason = "no library to decode the regions with (needs zxing-cpp or pyzbar)"
            return
        self._detector = cv2.QRCodeDetector() if Symbology.QR_CODE in self._wanted else None

    def passes(self, gray: np.ndarray) -> list[list[Read]]:
        if not self._readers:
            return []
        from pos_app.scanning import regions

        crops = regions.qr_crops(gray, self._detector) if self._detector is not None else []
        if self._wanted - {Symbology.QR_CODE}:
            crops += regions.bar_crops(gray)
        found: list[list[Read]] = [[] for _ in self._readers]
        for crop in crops:
            for reads, reader in zip(found, self._readers, strict=True):
                for read in reader.decode(crop.image):
                    corners = order_corners(crop.frame_points(np.array(read.corners))) if read.corners else None
                    reads[:] = merge_reads(reads, [Read(read.text, read.symbology, self.name, corners)])
        return found

    def decode(self, gray: np.ndarray) -> list[Read]:
        merged: list[Read] = []
        for reads in self.passes(gray):
            merged = merge_reads(merged, reads)
        return drop_conflicts(merged)
