"""Where a code might be in a frame, and that place cut out straight: the OpenCV half of the region decoder.

OpenCV only *locates* here; the crops are decoded by zxing-cpp/zbar (OpenCV's own decoders misread, DESIGN.md §8).
A straightened, enlarged crop helps the readers with what they miss on the whole frame: small codes (few pixels
per bar or module), tilted 1-D codes (zbar scans rows and columns only) and QR codes seen in perspective.

* QR: :class:`cv2.QRCodeDetector` finds the three finder patterns and gives the four corners; the quad is warped
  to an upright square, keeping a margin of the surrounding frame as quiet zone.
* 1-D: bars are a patch of strong gradients that all point the same way. The structure tensor measures that
  (energy and coherence); the coherent patches, closed into blobs, are the candidates, and the tensor's mean
  direction is the angle by which to turn each one so that its bars stand vertical.
"""

from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np

MAX_CANDIDATES = 3  # per kind; more costs time on busy frames and rarely finds anything
_LOCATE_WIDTH = 640  # locate on a frame at most this wide (a 1280×720 frame is halved), crop from the full frame
_TARGET_LONG_SIDE = 480  # crops are enlarged up to this; more pixels per bar, bounded cost
_MAX_SCALE = 3.0


@dataclass(frozen=True, slots=True)
class Crop:
    """A straightened piece of the frame and the 3×3 transform taking crop pixels back to frame pixels."""

    image: np.ndarray
    to_frame: np.ndarray
    kind: str  # "qr" or "bars"

    def frame_points(self, points: np.ndarray) -> np.ndarray:
        pts = np.asarray(points, dtype=np.float64).reshape(-1, 1, 2)
        return cv2.perspectiveTransform(pts, self.to_frame).reshape(-1, 2)


def qr_crops(gray: np.ndarray, detector: cv2.QRCodeDetector) -> list[Crop]:
    """Upright squares around the QR codes OpenCV's finder-pattern detector sees."""
    try:
        ok, quads = detector.detectMulti(gray)
    except cv2.error:  # degenerate frames (e.g. a few pixels) make some OpenCV versions assert
        return []
    if not ok or quads is None:
        return []
    crops = []
    for quad in np.asarray(quads, dtype=np.float32).reshape(-1, 4, 2)[:MAX_CANDIDATES]:
        side = float(max(np.linalg.norm(quad[i] - quad[(i + 1) % 4]) for i in range(4)))
        if side < 12:
            continue
        out = min(_TARGET_LONG_SIDE, max(side, 200.0))
        margin = out * 0.15  # a QR needs four modules of quiet zone; 15 % of the side is ≥ 4 modules up to v13
        dst = np.array([[margin, margin], [margin + out, margin], [margin + out, margin + out],
                        [margin, margin + out]], dtype=np.float32)
        matrix = cv2.getPerspectiveTransform(quad, dst)
        size = int(out + 2 * margin)
        image = cv2.warpPerspective(gray, matrix, (size, size), flags=cv2.INTER_CUBIC, borderValue=255)
        crops.append(Crop(image, np.linalg.inv(matrix), "qr"))
    return crops


def bar_crops(gray: np.ndarray) -> list[Crop]:
    """Straightened crops of the patches that look like 1-D bars, largest first."""
    scale = min(1.0, _LOCATE_WIDTH / gray.shape[1])
    small = gray if scale == 1.0 else cv2.resize(gray, None, fx=scale, fy=scale, interpolation=cv2.INTER_AREA)
    gx = cv2.Sobel(small, cv2.CV_32F, 1, 0, ksize=3)
    gy = cv2.Sobel(small, cv2.CV_32F, 0, 1, ksize=3)
    window = (15, 15)
    jxx, jyy, jxy = (cv2.blur(a, window) for a in (gx * gx, gy * gy, gx * gy))
    energy = jxx + jyy
    coherence = np.sqrt((jxx - jyy) ** 2 + 4 * jxy**2) / (energy + 1e-6)
    # strong (mean gradient ≥ ~30 grey levels per pixel) and one-directional: bars, not text, noise or photos
    mask = ((coherence > 0.85) & (energy > 1000.0)).astype(np.uint8) * 255
    mask = cv2.morphologyEx(mask, cv2.MORPH_CLOSE, cv2.getStructuringElement(cv2.MORPH_RECT, (5, 5)))
    mask = cv2.morphologyEx(mask, cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_RECT, (7, 7)))
    contours, _ = cv2.findContours(mask, cv2.RETR_EXTERNAL, cv2.CHAIN_APPROX_SIMPLE)
    min_area = 0.004 * small.shape[0] * small.shape[1]
    contours = sorted((c for c in contours if cv2.contourArea(c) >= min_area), key=cv2.contourArea, reverse=True)
    crops = []
    for contour in contours[:MAX_CANDIDATES]:
        blob = np.zeros_like(mask)
        cv2.drawContours(blob, [contour], -1, 255, thickness=-1)
        sel = blob > 0
        # mean gradient direction of the patch (doubled angle, so opposite gradients of a bar's two edges add up)
        theta = 0.5 * np.arctan2(2 * float(jxy[sel].sum()), float((jxx - jyy)[sel].sum()))
        crop = _straighten(gray, contour.reshape(-1, 2).astype(np.float64) / scale, theta)
        if crop is not None:
            crops.append(crop)
    return crops


def _straighten(gray: np.ndarray, points: np.ndarray, theta: float) -> Crop | None:
    """Turn the frame by ``theta`` (gradients horizontal: bars vertical) and cut out ``points``' box plus margin."""
    c, s = np.cos(-theta), np.sin(-theta)
    rotate = np.array([[c, -s], [s, c]])
    turned = points @ rotate.T
    (x0, y0), (x1, y1) = turned.min(axis=0), turned.max(axis=0)
    width, height = x1 - x0, y1 - y0
    if width < 20 or height < 6:
        return None
    # quiet zone: 10 modules each side of an EAN-13 (95 modules) is ~10 %; the blob may also stop short of the
    # guard bars, so take 15 % of the length, and a little above and below
    x0, x1 = x0 - 0.15 * width, x1 + 0.15 * width
    y0, y1 = y0 - 0.1 * height, y1 + 0.1 * height
    zoom = min(_MAX_SCALE, max(1.0, _TARGET_LONG_SIDE / (x1 - x0)))
    # frame → crop: rotate, shift the box to the origin, zoom
    matrix = np.eye(3)
    matrix[:2, :2] = rotate * zoom
    matrix[:2, 2] = (-x0 * zoom, -y0 * zoom)
    size = (int((x1 - x0) * zoom), int((y1 - y0) * zoom))
    image = cv2.warpAffine(gray, matrix[:2], size, flags=cv2.INTER_CUBIC, borderMode=cv2.BORDER_REPLICATE)
    return Crop(image, np.linalg.inv(matrix), "bars")
