"""The demo shop's camera: a desk seen by a webcam, and a card held up to it when the person clicks one.

:class:`DemoDesk` is shared by the scan area (its thumbnails call :meth:`DemoDesk.hold`) and the camera worker
(its :class:`DeskSource` reads frames of it). It shows an empty desk until a card is held up, then the card's
picture, a little off-centre and with sensor noise, for :data:`HOLD_SECONDS`, then the empty desk again: the real
decoder chain and confirmer read it exactly as they read a webcam, so the demo shows the product, not a shortcut.
"""

from __future__ import annotations

import threading
import time
import weakref
from collections.abc import Callable
from pathlib import Path

import cv2
import numpy as np

from pos_app.scanning.sources import FrameSource
from pos_app.ui.context import UiContext

HOLD_SECONDS = 1.5
FRAME_SIZE = (640, 480)  # a webcam's picture
CARD_WIDTH = 500  # px of the frame the card covers, held at arm's length
DEMO_FPS = 12.0

_desks: weakref.WeakKeyDictionary[object, DemoDesk] = weakref.WeakKeyDictionary()


def desk_for(ctx: UiContext) -> DemoDesk:
    """The one desk of this window (the scan area and the camera worker meet here)."""
    desk = _desks.get(ctx.events)
    if desk is None:
        desk = _desks[ctx.events] = DemoDesk()
    return desk


class DemoDesk:
    """Thread-safe: :meth:`hold` from the GUI thread, :meth:`frame` from the camera's capture thread."""

    def __init__(self, *, seed: int | None = None, clock: Callable[[], float] = time.monotonic) -> None:
        self._lock = threading.Lock()
        self._clock = clock
        self._rng = np.random.default_rng(seed)
        self._held: tuple[Path, float, tuple[int, int]] | None = None  # picture, until, offset
        self._cards: dict[Path, np.ndarray] = {}
        self._empty = _empty_desk()

    def hold(self, picture: Path) -> None:
        """Hold ``picture`` up to the camera for a moment (a second click holds it up again)."""
        with self._lock:
            offset = (int(self._rng.integers(-30, 31)), int(self._rng.integers(-20, 21)))
            self._held = (Path(picture), self._clock() + HOLD_SECONDS, offset)

    @property
    def holding(self) -> Path | None:
        with self._lock:
            if self._held is None or self._clock() >= self._held[1]:
                return None
            return self._held[0]

    def frame(self) -> np.ndarray:
        """What the camera sees now (BGR, :data:`FRAME_SIZE`)."""
        with self._lock:
            held = self._held if self._held is not None and self._clock() < self._held[1] else None
            noise = self._rng.integers(-5, 6, size=self._empty.shape, dtype=np.int16)
            jitter = (int(self._rng.integers(-2, 3)), int(self._rng.integers(-2, 3)))
        picture = self._empty.copy()
        if held is not None:
            card = self._card(held[0])
            if card is not None:
                _place(picture, card, held[2][0] + jitter[0], held[2][1] + jitter[1])
        noisy: np.ndarray = np.clip(picture.astype(np.int16) + noise, 0, 255).astype(np.uint8)
        return noisy

    def _card(self, path: Path) -> np.ndarray | None:
        card = self._cards.get(path)
        if card is None:
            data = np.fromfile(str(path), dtype=np.uint8) if path.is_file() else np.zeros(0, np.uint8)
            image = cv2.imdecode(data, cv2.IMREAD_UNCHANGED) if data.size else None
            if image is None:
                return None
            if image.ndim == 2:
                image = cv2.cvtColor(image, cv2.COLOR_GRAY2BGRA)
            elif image.shape[2] == 3:
                image = cv2.cvtColor(image, cv2.COLOR_BGR2BGRA)
            height = round(image.shape[0] * CARD_WIDTH / image.shape[1])
            card = self._cards[path] = cv2.resize(image, (CARD_WIDTH, height), interpolation=cv2.INTER_AREA)
        return card


def _empty_desk() -> np.ndarray:
    """A counter top in soft light: a gentle gradient, no code anywhere."""
    width, height = FRAME_SIZE
    ys = np.linspace(0.0, 1.0, height)[:, None]
    xs = np.linspace(0.0, 1.0, width)[None, :]
    light = 1.0 - 0.25 * ((xs - 0.35) ** 2 + (ys - 0.3) ** 2)
    base = np.array([150.0, 170.0, 185.0])  # BGR: warm grey wood
    desk: np.ndarray = np.clip(light[:, :, None] * base[None, None, :], 0, 255).astype(np.uint8)
    return desk


def _place(frame: np.ndarray, card: np.ndarray, dx: int, dy: int) -> None:
    height, width = frame.shape[:2]
    ch, cw = card.shape[:2]
    top, left = (height - ch) // 2 + dy, (width - cw) // 2 + dx
    y0, x0 = max(0, top), max(0, left)
    y1, x1 = min(height, top + ch), min(width, left + cw)
    part = card[y0 - top:y1 - top, x0 - left:x1 - left].astype(np.float32)
    alpha = part[:, :, 3:] / 255.0  # the card's rounded corners show the desk
    under = frame[y0:y1, x0:x1].astype(np.float32)
    frame[y0:y1, x0:x1] = (part[:, :, :3] * alpha + under * (1.0 - alpha)).astype(np.uint8)


class DeskSource(FrameSource):
    """The desk as a camera, at :data:`DEMO_FPS` frames a second, until interrupted."""

    def __init__(self, desk: DemoDesk, fps: float = DEMO_FPS) -> None:
        super().__init__()
        self.description = "demo camera"
        self._desk = desk
        self._interval = 1.0 / fps

    def read(self) -> np.ndarray | None:
        if self._ended or not self._wait(self._interval):
            return None
        return self._desk.frame()
