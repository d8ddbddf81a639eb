"""Card images generated for the scanning tests: real QR codes and Code 128 barcodes, written as real files."""

from __future__ import annotations

from pathlib import Path

import cv2
import numpy as np

from pos_app.domain.codes import CodeConfig, generate_code
from tests.scanning import synth

WIDTH, HEIGHT = 640, 480


def new_code() -> str:
    """A fresh code in the readable default format, with a correct check character."""
    return generate_code(CodeConfig.readable_default())


def _pixels(modules: np.ndarray, width: int, height: int) -> np.ndarray:
    """0/1 modules (1 = dark) as a grayscale image, black on white, each module ``width`` × ``height`` px."""
    return np.kron(1 - modules, np.ones((height, width), dtype=np.uint8)) * 255


def qr_array(text: str, box: int = 6) -> np.ndarray:
    return _pixels(synth.qr_modules(text), box, box)


def code128_array(text: str) -> np.ndarray:
    """Bars of exactly 2 pixels per module (0.169 mm at 300 dpi), 8 mm tall: crisp, as a printed card under a
    camera."""
    return _pixels(synth.code128_modules(text), 2, 94)


def card(text: str, *, barcode: bool = False) -> np.ndarray:
    """A 640x480 BGR card: the QR code on a light grey card (or a Code 128 barcode), like a camera frame."""
    canvas = np.full((HEIGHT, WIDTH), 235, np.uint8)
    symbol = code128_array(text) if barcode else qr_array(text)
    scale = min(1.0, (WIDTH - 40) / symbol.shape[1], (HEIGHT - 40) / symbol.shape[0])
    if scale < 1.0:
        symbol = cv2.resize(symbol, None, fx=scale, fy=scale, interpolation=cv2.INTER_AREA)
    h, w = symbol.shape
    top, left = (HEIGHT - h) // 2, (WIDTH - w) // 2
    canvas[top:top + h, left:left + w] = symbol
    return cv2.cvtColor(canvas, cv2.COLOR_GRAY2BGR)


def combo(qr_text: str, barcode_text: str) -> np.ndarray:
    """A card with a QR code above and a Code 128 barcode below, as on the printed card sheets."""
    canvas = np.full((HEIGHT, WIDTH), 235, np.uint8)
    qr, bars = qr_array(qr_text, box=4), code128_array(barcode_text)
    assert qr.shape[0] + bars.shape[0] <= HEIGHT and bars.shape[1] <= WIDTH, "too long for one card"
    canvas[10:10 + qr.shape[0], (WIDTH - qr.shape[1]) // 2:(WIDTH + qr.shape[1]) // 2] = qr
    left = (WIDTH - bars.shape[1]) // 2
    canvas[HEIGHT - 10 - bars.shape[0]:HEIGHT - 10, left:left + bars.shape[1]] = bars
    return cv2.cvtColor(canvas, cv2.COLOR_GRAY2BGR)


def blank() -> np.ndarray:
    """A frame with no code in it (the counter, an empty hand)."""
    return np.full((HEIGHT, WIDTH, 3), 200, np.uint8)


def write(path: Path, image: np.ndarray) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    assert cv2.imwrite(str(path), image), path
    return path


def folder(root: Path, frames: list[np.ndarray], name: str = "frames") -> Path:
    """A folder of numbered PNGs, one per frame, in the order given."""
    out = root / name
    for i, frame in enumerate(frames):
        write(out / f"frame{i:03d}.png", frame)
    return out
