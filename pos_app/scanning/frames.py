"""Images to the one frame shape every decoder takes: a 2-D grayscale ``uint8`` array, C-contiguous.

All decoders (zxing-cpp, zbar, the OpenCV region finder) work on luminance only, so colour is dropped once, here,
instead of in each decoder. Transparent PNGs are composited on white first: many barcode images are black bars on
a transparent background, and dropping the alpha channel would leave black on black (nothing to read).

Arrays are assumed BGR/BGRA (OpenCV's order, what a camera and :func:`cv2.imread` give); pass ``rgb=True`` for
RGB/RGBA (e.g. from Pillow). The luminance weights differ only slightly between the two orders, so a wrong guess
costs contrast on coloured codes, never a wrong read.
"""

from __future__ import annotations

from pathlib import Path

import cv2
import numpy as np


class FrameError(ValueError):
    """An image that cannot be a frame: unreadable file, unsupported shape or type. The message says which."""


def load_gray(path: Path) -> np.ndarray:
    """Read an image file (PNG, JPEG, BMP, TIFF…, transparency kept) as a grayscale frame.

    Reads the bytes ourselves and decodes them with :func:`cv2.imdecode`: ``cv2.imread`` returns None without a
    reason, and cannot open non-ASCII paths on Windows.
    """
    path = Path(path)
    try:
        data = np.fromfile(str(path), dtype=np.uint8)
    except OSError as exc:
        raise FrameError(f"cannot read image file {path}: {exc.strerror or exc}") from exc
    if data.size == 0:
        raise FrameError(f"image file {path} is empty")
    try:
        image = cv2.imdecode(data, cv2.IMREAD_UNCHANGED)
    except cv2.error as exc:  # pragma: no cover - imdecode reports failure by returning None
        raise FrameError(f"{path} is not an image OpenCV can read") from exc
    if image is None:
        raise FrameError(f"{path} is not an image OpenCV can read")
    return to_gray(image)


def to_gray(image: np.ndarray, *, rgb: bool = False) -> np.ndarray:
    """Any 8- or 16-bit gray, BGR(A) or RGB(A) array (``rgb=True``) to a grayscale ``uint8`` frame."""
    if not isinstance(image, np.ndarray):
        raise FrameError(f"expected a numpy array, got {type(image).__name__}")
    if image.size == 0:
        raise FrameError("empty image")
    image = _to_uint8(image)
    if image.ndim == 3 and image.shape[2] == 1:
        image = image[:, :, 0]
    if image.ndim == 2:
        return np.ascontiguousarray(image)
    if image.ndim != 3 or image.shape[2] not in (3, 4):
        raise FrameError(f"unsupported image shape {image.shape}: expected gray, BGR or BGRA")
    if image.shape[2] == 4:
        return _composite_on_white(image, rgb=rgb)
    code = cv2.COLOR_RGB2GRAY if rgb else cv2.COLOR_BGR2GRAY
    return cv2.cvtColor(np.ascontiguousarray(image), code)


def fit(gray: np.ndarray, width: int, height: int) -> np.ndarray:
    """Scale ``gray`` down (never up) to fit inside ``width``×``height``, keeping its aspect ratio.

    Never up: enlarging adds no detail and costs decode time. INTER_AREA because it averages, which keeps thin bars
    and modules instead of skipping rows of them as nearest-neighbour would.
    """
    if width <= 0 or height <= 0:
        raise ValueError(f"fit size must be positive, got {width}x{height}")
    h, w = gray.shape[:2]
    scale = min(width / w, height / h)
    if scale >= 1.0:
        return gray
    size = (max(1, round(w * scale)), max(1, round(h * scale)))
    return cv2.resize(gray, size, interpolation=cv2.INTER_AREA)


def _to_uint8(image: np.ndarray) -> np.ndarray:
    if image.dtype == np.uint8:
        return image
    if image.dtype == np.uint16:
        return (image >> 8).astype(np.uint8)
    if image.dtype == np.bool_:
        return np.where(image, np.uint8(255), np.uint8(0))
    if np.issubdtype(image.dtype, np.floating):  # 0..1 floats, as from scikit-image or Qt conversions
        scaled: np.ndarray = np.clip(np.nan_to_num(image), 0.0, 1.0) * 255 + 0.5
        return scaled.astype(np.uint8)
    raise FrameError(f"unsupported image type {image.dtype}")


def _composite_on_white(image: np.ndarray, *, rgb: bool) -> np.ndarray:
    code = cv2.COLOR_RGBA2GRAY if rgb else cv2.COLOR_BGRA2GRAY
    luma = cv2.cvtColor(np.ascontiguousarray(image), code).astype(np.uint16)
    alpha = image[:, :, 3].astype(np.uint16)
    # luma·α + 255·(1-α), in integers: (luma·α + 255·(255-α) + 127) / 255
    out = (luma * alpha + 255 * (255 - alpha) + 127) // 255
    return out.astype(np.uint8)
