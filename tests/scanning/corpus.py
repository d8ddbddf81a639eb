"""The real-photo scan corpus (``../shared/scan-corpus`` beside the repository) and the raw libraries as baselines.

Used by ``test_corpus.py`` and by the benchmark. Frames are prepared as the corpus README measured them: grayscale,
transparent PNGs on white, fitted into 640×480. Expected texts are the ``NAME.txt`` bytes decoded as UTF-8, compared
exactly (CRLF kept). A UPC-A is compared as 12 digits whichever way a library reports it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import numpy as np
import zxingcpp
from pyzbar import pyzbar

from pos_app.scanning import frames
from pos_app.scanning.results import Symbology

REPO_ROOT = Path(__file__).resolve().parents[2]
CORPUS = REPO_ROOT.parent / "shared" / "scan-corpus"
FOLDERS = {
    "qrcode": Symbology.QR_CODE, "ean13": Symbology.EAN_13, "upca": Symbology.UPC_A, "code128": Symbology.CODE_128,
}
IMAGE_SUFFIXES = {".png", ".jpg", ".jpeg", ".gif", ".bmp"}

# Codes that are really in a picture besides the expected one (checked by eye), so reading them is not wrong:
# the ean13-2 photos of one Japanese book show its ISBN and, below it, the Japanese price code; qrcode-2_16 is a
# "double QR", a small QR printed inside a large one.
_BOOK = {"9784872348880", "1920081045006"}
_INNER_QR = "[内側QRコード]\r\n\r\n*ダブルQR*\r\nhttp://d-qr.net/ex/"
ALSO_IN_PICTURE: dict[str, set[str]] = {
    **{f"ean13-2_{n}": _BOOK for n in range(13, 29)},
    "qrcode-2_16": {_INNER_QR},
}


@dataclass(frozen=True)
class Sample:
    name: str
    symbology: Symbology
    gray: np.ndarray
    expected: str

    def is_wrong(self, text: str) -> bool:
        """A text that is in neither the expected text nor anything else printed in the picture."""
        return text != self.expected and text not in ALSO_IN_PICTURE.get(self.name, set())


@cache
def samples(width: int = 640, height: int = 480) -> tuple[Sample, ...]:
    found = []
    for folder, symbology in FOLDERS.items():
        for image in sorted((CORPUS / folder).iterdir()):
            if image.suffix.lower() not in IMAGE_SUFFIXES:
                continue
            expected = image.with_suffix(".txt").read_bytes().decode("utf-8")
            gray = frames.fit(frames.load_gray(image), width, height)
            found.append(Sample(image.stem, symbology, gray, expected))
    return tuple(found)


def upc(text: str) -> str:
    return text[1:] if len(text) == 13 and text.startswith("0") else text


_ZX_FORMATS = [zxingcpp.BarcodeFormat.QRCode, zxingcpp.BarcodeFormat.Code128, zxingcpp.BarcodeFormat.EAN13,
               zxingcpp.BarcodeFormat.EAN8, zxingcpp.BarcodeFormat.UPCA]
_ZB_SYMBOLS = [pyzbar.ZBarSymbol.QRCODE, pyzbar.ZBarSymbol.CODE128, pyzbar.ZBarSymbol.EAN13,
               pyzbar.ZBarSymbol.EAN8, pyzbar.ZBarSymbol.UPCA]


def raw_zxing(gray: np.ndarray) -> list[str]:
    """zxing-cpp alone, the five formats, default options: the baseline (and the README's figures)."""
    return [upc(b.text) for b in zxingcpp.read_barcodes(gray, formats=_ZX_FORMATS, text_mode=zxingcpp.TextMode.Plain)]


def raw_zbar(gray: np.ndarray) -> list[str]:
    """pyzbar alone, the five formats."""
    return [upc(s.data.decode("utf-8", "replace")) for s in pyzbar.decode(gray, symbols=_ZB_SYMBOLS)]


RAW: dict[str, Callable[[np.ndarray], list[str]]] = {"zxing-cpp": raw_zxing, "pyzbar": raw_zbar}
