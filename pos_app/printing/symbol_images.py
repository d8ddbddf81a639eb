"""A code as a QR or a Code128 image, PNG or SVG: the module patterns of :mod:`pos_app.printing.symbols` (the
ones the card sheet prints) drawn as whole pixels, with the card sheet's quiet zones.

``size`` (1 to :data:`MAX_SIZE`, as Voucherify's asset URLs take it) is the width of one module in pixels: a QR
of 25 modules plus its quiet zones is 33 × ``size`` pixels square. Every module is a whole number of pixels, so
the image is sharp and any decoder reads it even at ``size=1``. The longer side never exceeds
:data:`MAX_SIDE_PX`: a ``size`` that would pass it is lowered to the largest that fits, which bounds the time and
memory one image can cost (a code has at most 100 characters, so there is always a module of at least 1 pixel).
An SVG gets the same width and height; its shapes are in modules (``viewBox``), one path of merged runs.

The PNG is 1-bit grayscale: a 4,000-pixel QR is a few kilobytes and takes milliseconds.
"""

from __future__ import annotations

import io
from dataclasses import dataclass

import numpy as np
from barcode.errors import IllegalCharacterError
from PIL import Image

from pos_app.printing.card_sheet import CODE128_QUIET_MODULES, QR_QUIET_MODULES
from pos_app.printing.symbols import Matrix, code128_bars, dark_runs, qr_matrix

MAX_SIZE = 100
DEFAULT_SIZE = 4
MAX_SIDE_PX = 4000
CODE128_HEIGHT_SHARE = 0.15  # bars at least 15 % of the symbol's length tall (ISO/IEC 15417's recommendation)
CODE128_MIN_HEIGHT_MODULES = 32


class NotEncodable(ValueError):
    """The code has characters the symbology cannot carry (a Code128 carries ASCII only)."""


@dataclass(frozen=True, slots=True)
class SymbolImage:
    body: bytes
    media_type: str
    width: int
    height: int


def qr_image(text: str, *, size: int = DEFAULT_SIZE, svg: bool = False) -> SymbolImage:
    return _render(_framed(qr_matrix(text), QR_QUIET_MODULES, QR_QUIET_MODULES), size, svg=svg)


def code128_image(text: str, *, size: int = DEFAULT_SIZE, svg: bool = False) -> SymbolImage:
    return _render(code128_matrix(text), size, svg=svg)


def code128_can_carry(text: str) -> bool:
    """Whether a Code128 can carry ``text``: ASCII only (its subsets A and B hold all 128 characters)."""
    return text.isascii()


def code128_matrix(text: str) -> Matrix:
    """The Code128 of ``text`` with its quiet zones, as rows × columns of modules (all rows alike)."""
    try:
        modules, bars = code128_bars(text)
    except IllegalCharacterError as exc:
        raise NotEncodable(f"a Code128 cannot carry {text!r}") from exc
    row = np.zeros(modules, dtype=np.bool_)
    for start, width in bars:
        row[start:start + width] = True
    width = modules + 2 * CODE128_QUIET_MODULES
    height = max(CODE128_MIN_HEIGHT_MODULES, round(width * CODE128_HEIGHT_SHARE))
    return _framed(np.tile(row, (height, 1)), 0, CODE128_QUIET_MODULES)


def module_px(matrix: Matrix, size: int) -> int:
    """Pixels per module: ``size``, lowered so that the longer side stays within :data:`MAX_SIDE_PX`."""
    if not 1 <= size <= MAX_SIZE:
        raise ValueError(f"size must be 1 to {MAX_SIZE}, got {size}")
    longest = int(max(matrix.shape))
    return max(1, min(size, MAX_SIDE_PX // longest))


def _framed(matrix: Matrix, rows: int, columns: int) -> Matrix:
    framed: Matrix = np.pad(matrix, ((rows, rows), (columns, columns)), constant_values=False)
    return framed


def _render(matrix: Matrix, size: int, *, svg: bool) -> SymbolImage:
    px = module_px(matrix, size)
    height, width = (n * px for n in matrix.shape)
    if svg:
        return SymbolImage(_svg(matrix, width, height), "image/svg+xml", width, height)
    light = Image.fromarray(np.logical_not(matrix))  # mode "1": True is white
    out = io.BytesIO()
    light.resize((width, height), Image.Resampling.NEAREST).save(out, format="PNG", optimize=False)
    return SymbolImage(out.getvalue(), "image/png", width, height)


def _svg(matrix: Matrix, width: int, height: int) -> bytes:
    rows, columns = matrix.shape
    if (matrix == matrix[0]).all():  # a Code128: each bar one rectangle of the full height
        path = "".join(f"M{x} 0h{n}v{rows}h-{n}z" for _, x, n in dark_runs(matrix[:1]))
    else:
        path = "".join(f"M{x} {y}h{n}v1h-{n}z" for y, x, n in dark_runs(matrix))
    return (f'<svg xmlns="http://www.w3.org/2000/svg" version="1.1" width="{width}" height="{height}" '
            f'viewBox="0 0 {columns} {rows}" shape-rendering="crispEdges">'
            f'<rect width="{columns}" height="{rows}" fill="#fff"/><path fill="#000" d="{path}"/></svg>\n').encode()
