"""QR and Code128 as module patterns (no Qt here): the card sheet draws them as filled rectangles, the server
as PNG and SVG images (:mod:`pos_app.printing.symbol_images`).

Drawing modules as vector rectangles keeps the symbols crisp at any printer resolution and costs far less than
rendering an image per card. Code128 comes from python-barcode (it picks subsets B/C and the check character).
The QR comes from zxing-cpp's encoder when it has one (``create_barcode``; 3.1 here): about 50 times faster than the
pure-Python ``qrcode`` package, whose search for the best mask pattern takes ~4 ms a code, 7 minutes for a
campaign of 100,000 cards. ``qrcode`` remains the fallback for older zxing-cpp wheels; both choose the mask by
the standard's penalty rules, so either gives a QR any reader decodes.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import numpy as np
import numpy.typing as npt
from barcode.codex import Code128

Matrix = npt.NDArray[np.bool_]  # rows × columns of modules, True = dark, without the quiet zone
_RUN = re.compile("1+")


def code128_bars(text: str) -> tuple[int, list[tuple[int, int]]]:
    """``text`` as Code128: its width in modules (without quiet zones) and its dark bars as ``(first module,
    width in modules)``."""
    modules = str(Code128(text).build()[0])
    return len(modules), [(m.start(), m.end() - m.start()) for m in _RUN.finditer(modules)]


#: Retail symbologies a till also decodes (``scanning.decoders``), whose guard patterns can turn up inside a
#: Code128's bars: about one readable code in 2,000 (``GC-Q23H-HKVS-B4S7-X4N7`` reads as the EAN-13 9437020002652
#: at two and three pixels a module, and zxing-cpp then returns only the EAN-13 for that barcode).
_RETAIL = ("EAN13", "EAN8", "UPCA", "UPCE")


def code128_misreads(text: str) -> bool:
    """Whether zxing-cpp reads ``text``'s Code128, drawn cleanly at two and at three pixels a module (the
    resolutions a card is photographed or printed at), as a retail barcode: a till would then take the card for
    another number. Such a card is better printed without its Code128 (the QR and the text still carry the code).
    """
    try:
        import zxingcpp
    except ImportError:
        return False
    zx: Any = zxingcpp  # formats as a list (zxing-cpp 3 deprecates ``|``), which its stubs do not know
    formats = [getattr(zx.BarcodeFormat, name) for name in _RETAIL]
    modules, bars = code128_bars(text)
    for scale in (2, 3):
        row = np.full((modules + 20) * scale, 255, np.uint8)  # ten modules of quiet zone on either side
        for first, width in bars:
            row[(10 + first) * scale:(10 + first + width) * scale] = 0
        if zx.read_barcodes(np.tile(row, (8, 1)), formats=formats):
            return True
    return False


def dark_runs(matrix: Matrix) -> list[tuple[int, int, int]]:
    """The dark modules of a QR merged into horizontal runs: ``(row, first column, length)``; a third as many
    rectangles to draw as there are dark modules."""
    edges = np.diff(np.pad(matrix.astype(np.int8), ((0, 0), (1, 1))), axis=1)
    rows, starts = np.nonzero(edges == 1)  # row-major order: the n-th start and the n-th end are one run
    _, ends = np.nonzero(edges == -1)
    return list(zip(rows.tolist(), starts.tolist(), (ends - starts).tolist(), strict=True))


def _qr_zxing(text: str) -> Matrix:
    import zxingcpp

    symbol = zxingcpp.create_barcode(text, zxingcpp.BarcodeFormat.QRCode, ec_level="Q")
    pixels = np.asarray(symbol.to_image(scale=1, add_quiet_zones=False))
    return pixels < 128


def _qr_qrcode(text: str) -> Matrix:
    import qrcode
    from qrcode.constants import ERROR_CORRECT_Q

    qr = qrcode.QRCode(error_correction=ERROR_CORRECT_Q, border=0)
    qr.add_data(text)
    qr.make(fit=True)
    matrix: list[list[Any]] = qr.get_matrix()
    return np.array(matrix, dtype=np.bool_)


def _has_zxing_encoder() -> bool:
    try:
        import zxingcpp
    except ImportError:
        return False
    return hasattr(zxingcpp, "create_barcode")


QR_ENCODERS: dict[str, Callable[[str], Matrix]] = {"zxing-cpp": _qr_zxing, "qrcode": _qr_qrcode}
DEFAULT_QR_ENCODER = "zxing-cpp" if _has_zxing_encoder() else "qrcode"


def qr_matrix(text: str, encoder: str | None = None) -> Matrix:
    """``text`` as a QR (error correction Q: a quarter of the symbol may be scratched), modules without the
    quiet zone. ``encoder``: ``"zxing-cpp"`` or ``"qrcode"`` (default: the fastest installed)."""
    return QR_ENCODERS[encoder or DEFAULT_QR_ENCODER](text)
