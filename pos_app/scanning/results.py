"""What a decoder found in a frame, in one shape whichever library found it."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Symbology(StrEnum):
    """The symbologies a till reads (DESIGN.md §8). The values are the names in ``pos-app decode --json``."""

    QR_CODE = "QR_CODE"
    CODE_128 = "CODE_128"
    EAN_13 = "EAN_13"
    EAN_8 = "EAN_8"
    UPC_A = "UPC_A"


Point = tuple[float, float]


@dataclass(frozen=True, slots=True)
class Read:
    """One symbol decoded from one frame.

    ``corners``: the symbol's outline in frame pixels (top-left, top-right, bottom-right, bottom-left when the
    library says), for the preview's outline; None when unknown. ``decoder``: which decoder found it
    (``"zxing"``, ``"zbar"``, ``"region"``), for diagnostics and the benchmark.
    """

    text: str
    symbology: Symbology
    decoder: str
    corners: tuple[Point, Point, Point, Point] | None = None
