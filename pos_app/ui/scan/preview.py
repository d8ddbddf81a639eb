"""One camera picture for the scan area, made on the camera's decode thread so that the GUI thread only paints.

The frame is scaled down there (a 1280×720 webcam to at most :data:`MAX_WIDTH` pixels wide) and copied into a
:class:`QImage` that owns its pixels: the numpy buffer it came from is reused by the camera for the next frame.
The outlines of the codes read in it are scaled with it, so the scan area draws them as they are.
"""

from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np
from PySide6.QtCore import QPointF
from PySide6.QtGui import QImage

from pos_app.scanning.results import Read

MAX_WIDTH = 640  # enough for a preview a third of a full-HD screen wide; larger frames cost paint time only

Outline = tuple[QPointF, ...]


@dataclass(frozen=True, slots=True)
class Preview:
    """The latest camera picture and the outline (corner points, in the image's pixels) of each code in it."""

    image: QImage
    outlines: tuple[Outline, ...] = ()

    @property
    def found(self) -> bool:
        return bool(self.outlines)


def make_preview(frame: np.ndarray, reads: list[Read] | tuple[Read, ...] = (), *,
                 max_width: int = MAX_WIDTH) -> Preview:
    """A :class:`Preview` of a gray or BGR(A) ``uint8`` frame; safe on any thread."""
    height, width = frame.shape[:2]
    scale = min(1.0, max_width / width) if width else 1.0
    if scale < 1.0:
        frame = cv2.resize(frame, (max(1, round(width * scale)), max(1, round(height * scale))),
                           interpolation=cv2.INTER_AREA)
    image = to_qimage(frame)
    outlines = tuple(tuple(QPointF(x * scale, y * scale) for x, y in read.corners)
                     for read in reads if read.corners)
    return Preview(image, outlines)


def to_qimage(frame: np.ndarray) -> QImage:
    """A deep copy of ``frame`` as a QImage (gray, BGR or BGRA)."""
    frame = np.ascontiguousarray(frame)
    if frame.dtype != np.uint8:
        raise ValueError(f"expected a uint8 frame, got {frame.dtype}")
    if frame.ndim == 2:
        fmt = QImage.Format.Format_Grayscale8
    elif frame.ndim == 3 and frame.shape[2] == 3:
        fmt = QImage.Format.Format_BGR888
    elif frame.ndim == 3 and frame.shape[2] == 4:
        fmt = QImage.Format.Format_ARGB32  # BGRA in memory on little-endian machines, as OpenCV gives it
    else:
        raise ValueError(f"unsupported frame shape {frame.shape}")
    height, width = frame.shape[:2]
    return QImage(frame.data, width, height, frame.strides[0], fmt).copy()  # copy: the buffer is not ours
