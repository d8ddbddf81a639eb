"""Seeded webcam-like frames of gift-card codes, and frames with no code, for the tests and the benchmark.

Real gift cards at a till look unlike the zxing corpus: a card held up to a cheap webcam, tilted, a little out of
focus, under shop lighting that washes out part of it. :data:`QR_WEBCAM` and :data:`CODE128_WEBCAM` are the
severities chosen for that (all parameters here, one seed: :data:`SEED`):

* rotation: QR any way up to ±45° (a card held in a hand); Code128 up to ±10° (a 1-D code is presented roughly
  level, and the scanner UI asks for it);
* perspective: each corner moved by up to 8 % of the code's side (card tilted ~15–20° towards the camera);
* blur: Gaussian σ up to 1.2 px (slight defocus; worse is a frame the camera worker simply drops);
* noise: Gaussian σ up to 8 grey levels (sensor noise in shop light);
* contrast: black-to-white span 90–230 grey levels (a faded print, a grey card, auto-exposure off);
* glare: on 40 % of frames, a bright blob up to +110 grey levels over part of the code (laminated cards);
* JPEG quality 40–90 (MJPEG webcams);
* size: QR 4–8 px per module, Code128 2.6–3.6 px per module — a card at 20–40 cm from a 720p/480p webcam.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

import barcode
import cv2
import numpy as np
import qrcode

from pos_app.domain.codes import CodeConfig, generate_code

SEED = 20240604
SIZES = ((640, 480), (1280, 720))


@dataclass(frozen=True)
class Severity:
    max_rotation: float  # degrees either way
    perspective: float  # corner jitter, fraction of the code's side
    max_blur: float  # Gaussian sigma, px
    max_noise: float  # Gaussian sigma, grey levels
    contrast: tuple[float, float]  # black-to-white span, grey levels
    glare_chance: float
    max_glare: float  # grey levels added at the blob's centre
    jpeg_quality: tuple[int, int]
    module_px: tuple[float, float]


QR_WEBCAM = Severity(max_rotation=45, perspective=0.08, max_blur=1.2, max_noise=8, contrast=(90, 230),
                     glare_chance=0.4, max_glare=110, jpeg_quality=(40, 90), module_px=(4.0, 8.0))
CODE128_WEBCAM = Severity(max_rotation=10, perspective=0.04, max_blur=1.0, max_noise=8, contrast=(90, 230),
                          glare_chance=0.4, max_glare=110, jpeg_quality=(40, 90), module_px=(2.6, 3.6))


def gift_code(rng: random.Random) -> str:
    """A readable gift-card code (``GC-XXXX-XXXX-XXXX-XXXX``), from ``rng`` instead of ``secrets``."""
    return generate_code(CodeConfig.readable_default(), random_bytes=rng.randbytes)


def qr_modules(text: str) -> np.ndarray:
    """The QR code of ``text`` as 0/1 modules (1 = dark), with the standard 4-module quiet zone."""
    code = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_M, border=4)
    code.add_data(text)
    code.make(fit=True)
    return np.array(code.get_matrix(), dtype=np.uint8)


def code128_modules(text: str) -> np.ndarray:
    """The Code128 of ``text`` as one row of 0/1 modules, with 10 modules of quiet zone each side."""
    pattern = barcode.get("code128", text).build()[0]
    return np.array([0] * 10 + [int(c) for c in pattern] + [0] * 10, dtype=np.uint8)[None, :]


def qr_frame(rng: random.Random, text: str, size: tuple[int, int], sev: Severity = QR_WEBCAM) -> np.ndarray:
    modules = qr_modules(text)
    px = rng.uniform(*sev.module_px)
    return _place(rng, modules, (modules.shape[1] * px, modules.shape[0] * px), size, sev)


def code128_frame(rng: random.Random, text: str, size: tuple[int, int], sev: Severity = CODE128_WEBCAM) -> np.ndarray:
    modules = code128_modules(text)
    width = modules.shape[1] * rng.uniform(*sev.module_px)
    return _place(rng, modules, (width, width * rng.uniform(0.18, 0.3)), size, sev)


def empty_frame(rng: random.Random, size: tuple[int, int]) -> np.ndarray:
    """A frame with no code: photo-like smooth noise, lines of text, or a texture (stripes, grid, weave)."""
    w, h = size
    kind = rng.choice(("photo", "text", "texture"))
    if kind == "photo":
        frame = _background(rng, size)
    elif kind == "text":
        frame = np.full((h, w), rng.randint(170, 240), np.uint8)
        font = rng.choice((cv2.FONT_HERSHEY_SIMPLEX, cv2.FONT_HERSHEY_DUPLEX, cv2.FONT_HERSHEY_PLAIN))
        scale = rng.uniform(0.6, 1.6) * w / 640
        for y in range(int(30 * scale) + 5, h, int(34 * scale) + 4):
            words = " ".join(rng.choice(("Gift", "card", "EUR", "25,00", "Thank you", "||| |", "IIII", "Total",
                                         "GC-7XZP", "0123456789", "lll111")) for _ in range(8))
            cv2.putText(frame, words, (rng.randint(0, 20), y), font, scale, rng.randint(0, 60), rng.randint(1, 2))
    else:
        yy, xx = np.mgrid[0:h, 0:w].astype(np.float32)
        angle = rng.uniform(0, np.pi)
        period = rng.uniform(3, 25)
        stripes = np.sin((xx * np.cos(angle) + yy * np.sin(angle)) * 2 * np.pi / period)
        if rng.random() < 0.5:  # a grid or weave: two directions
            stripes = stripes * np.sin((xx * np.sin(angle) - yy * np.cos(angle)) * 2 * np.pi / rng.uniform(3, 25))
        frame = np.clip(128 + 100 * stripes, 0, 255).astype(np.uint8)
    return _photometric(rng, frame, QR_WEBCAM)


def _background(rng: random.Random, size: tuple[int, int]) -> np.ndarray:
    """Smooth random shapes and shading: a counter, a hand, a shop behind the card."""
    w, h = size
    coarse = np.random.default_rng(rng.getrandbits(32)).uniform(40, 220, (rng.randint(3, 9), rng.randint(4, 12)))
    frame = cv2.resize(coarse.astype(np.float32), (w, h), interpolation=cv2.INTER_CUBIC)
    fine = np.random.default_rng(rng.getrandbits(32)).normal(0, 12, (h // 4, w // 4)).astype(np.float32)
    frame += cv2.GaussianBlur(cv2.resize(fine, (w, h)), (0, 0), 3)
    return np.clip(frame, 0, 255).astype(np.uint8)


def _place(rng: random.Random, modules: np.ndarray, extent: tuple[float, float], size: tuple[int, int],
           sev: Severity) -> np.ndarray:
    """Draw the modules as a white card of ``extent`` px, rotated, in perspective, somewhere in the frame."""
    w, h = size
    scale = 8  # draw the modules sharp and large, then shrink to size by averaging
    card = np.where(np.kron(modules, np.ones((scale, scale), np.uint8)) > 0, 0, 255).astype(np.uint8)
    if modules.shape[0] == 1:  # a 1-D code: stretch the single row to the bar height
        card = np.repeat(card[:1], int(extent[1] / extent[0] * card.shape[1]), axis=0)
    ew, eh = extent
    card = cv2.resize(card, (round(ew), round(eh)), interpolation=cv2.INTER_AREA)  # average: as a lens would
    ch, cw = card.shape
    angle = np.radians(rng.uniform(-sev.max_rotation, sev.max_rotation))
    radius = 0.5 * np.hypot(ew, eh)
    cx = rng.uniform(min(radius, w / 2), max(w - radius, w / 2))
    cy = rng.uniform(min(radius, h / 2), max(h - radius, h / 2))
    corners = np.array([[-ew, -eh], [ew, -eh], [ew, eh], [-ew, eh]], np.float32) / 2
    corners += np.array([[rng.uniform(-1, 1) * sev.perspective * max(ew, eh) for _ in range(2)] for _ in range(4)],
                        np.float32)
    rot = np.array([[np.cos(angle), -np.sin(angle)], [np.sin(angle), np.cos(angle)]], np.float32)
    dst = corners @ rot.T + np.array([cx, cy], np.float32)
    src = np.array([[0, 0], [cw, 0], [cw, ch], [0, ch]], np.float32)
    matrix = cv2.getPerspectiveTransform(src, dst)
    frame = _background(rng, size)
    warped = cv2.warpPerspective(card, matrix, size, flags=cv2.INTER_LINEAR, borderValue=0)
    inside = cv2.warpPerspective(np.full_like(card, 255), matrix, size, flags=cv2.INTER_LINEAR, borderValue=0)
    frame = ((frame.astype(np.float32) * (255 - inside) + warped.astype(np.float32) * inside) / 255).astype(np.uint8)
    return _photometric(rng, frame, sev)


def _photometric(rng: random.Random, frame: np.ndarray, sev: Severity) -> np.ndarray:
    h, w = frame.shape
    span = rng.uniform(*sev.contrast)
    low = rng.uniform(0, 255 - span)
    out = low + frame.astype(np.float32) * (span / 255)
    if rng.random() < sev.glare_chance:
        yy, xx = np.mgrid[0:h, 0:w].astype(np.float32)
        gx, gy, r = rng.uniform(0, w), rng.uniform(0, h), rng.uniform(0.05, 0.2) * w
        out += rng.uniform(40, sev.max_glare) * np.exp(-((xx - gx) ** 2 + (yy - gy) ** 2) / (2 * r * r))
    sigma = rng.uniform(0, sev.max_blur)
    if sigma > 0.3:
        out = cv2.GaussianBlur(out, (0, 0), sigma)
    out += np.random.default_rng(rng.getrandbits(32)).normal(0, rng.uniform(0, sev.max_noise), out.shape)
    frame = np.clip(out, 0, 255).astype(np.uint8)
    ok, jpeg = cv2.imencode(".jpg", frame, [cv2.IMWRITE_JPEG_QUALITY, rng.randint(*sev.jpeg_quality)])
    assert ok
    return cv2.imdecode(jpeg, cv2.IMREAD_GRAYSCALE)
