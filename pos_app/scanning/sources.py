"""Frame sources (DESIGN.md §8): a camera, or a file, folder or video standing in for one (demo shop, tests).

Every source is a :class:`FrameSource`: ``read()`` gives the next frame, paced like a camera (a file source waits
for its next frame time), or None when there is none right now — a camera that dropped out (it is re-opened with
backoff) or a source that has :attr:`~FrameSource.ended`. A waiting ``read()`` returns within a fraction of a
second once :meth:`~FrameSource.interrupt` is called from another thread, so a worker stops promptly, and only
the thread that reads ever touches the OpenCV handle (``close()`` belongs to it too).

Frames are numpy arrays as OpenCV gives them: BGR from a camera or a video, grayscale from image files (loaded
with :func:`~pos_app.scanning.frames.load_gray`, which composites transparent PNGs on white, so an image
decodes here exactly as it does in ``pos-app decode``).
"""

from __future__ import annotations

import itertools
import logging
import re
import threading
import time
from abc import ABC, abstractmethod
from collections.abc import Iterable
from pathlib import Path
from types import TracebackType

import cv2
import numpy as np

from pos_app.scanning.frames import FrameError, load_gray

log = logging.getLogger("pos_app.scanning")

IMAGE_SUFFIXES = frozenset({".png", ".jpg", ".jpeg", ".bmp", ".tif", ".tiff", ".webp", ".pgm", ".ppm", ".pbm"})
VIDEO_SUFFIXES = frozenset({".avi", ".mp4", ".m4v", ".mkv", ".mov", ".webm", ".mjpg", ".mjpeg", ".mpg", ".mpeg"})
DEFAULT_FPS = 10.0
OPEN_TIMEOUT_MS = 3000  # asked of backends that honour it: a wedged camera must not hang the worker for long
READ_TIMEOUT_MS = 1000
BACKOFF_FIRST, BACKOFF_MAX = 0.1, 2.0  # seconds between attempts to re-open a camera that dropped out


class SourceError(Exception):
    """A source that cannot deliver frames at all; the message names the device or file. ``key`` is for the UI."""

    key = "source_unavailable"


class CameraUnavailable(SourceError):
    key = "camera_unavailable"


class FrameSource(ABC):
    """Where frames come from. Use from one thread; only :meth:`interrupt` may be called from another."""

    description: str = "frames"

    def __init__(self) -> None:
        self._interrupted = threading.Event()
        self._ended = False

    @abstractmethod
    def read(self) -> np.ndarray | None:
        """The next frame, or None when there is none now (see :attr:`ended`). Blocks about one frame at most."""

    def close(self) -> None:
        """Release what the source holds. Idempotent."""
        self._ended = True

    @property
    def ended(self) -> bool:
        """True when no frame will ever come again (a file played to its end without ``loop``, or closed)."""
        return self._ended

    def interrupt(self) -> None:
        """Make a waiting :meth:`read` return soon (None); the next reads return None too. Thread-safe."""
        self._interrupted.set()

    def _wait(self, seconds: float) -> bool:
        """Sleep unless interrupted; True when the sleep ran its course."""
        return not self._interrupted.wait(max(0.0, seconds))

    def __enter__(self) -> FrameSource:
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {self.description}>"


class _Pacer:
    """Deliver frames at ``fps``: the first at once, then one every 1/fps s (catching up after a slow reader
    without bursting: a late frame resets the schedule)."""

    def __init__(self, fps: float) -> None:
        if not fps > 0:
            raise ValueError(f"fps must be positive, got {fps}")
        self.interval = 1.0 / fps
        self._next: float | None = None

    def delay(self) -> float:
        now = time.monotonic()
        if self._next is None or self._next < now:
            self._next = now
        wait = self._next - now
        self._next += self.interval
        return wait


class CameraSource(FrameSource):
    """A camera through :class:`cv2.VideoCapture`: an index (``0``) or a device path (``/dev/video0``).

    Opening fails at once with :class:`CameraUnavailable` naming the device. Once open, a failed read (the
    camera unplugged, the driver hiccuping) releases it and re-opens it with backoff (0.1 s doubling to 2 s),
    returning None meanwhile; the worker reports that state, and frames resume when the camera is back.
    """

    def __init__(self, device: int | str, width: int = 640, height: int = 480) -> None:
        super().__init__()
        if isinstance(device, str) and device.strip().isdigit():
            device = int(device)
        self.device = device
        self.width, self.height = width, height
        self.description = f"camera {device}"
        self._backoff = BACKOFF_FIRST
        self.failures = 0  # consecutive failed reads; 0 while frames flow
        if isinstance(device, str) and device.startswith("/dev/") and not Path(device).exists():
            raise CameraUnavailable(f"camera {device} is not available: there is no such device")
        cap = self._open()
        if cap is None:
            raise CameraUnavailable(f"camera {device} is not available: no such camera, or it is in use or "
                                    "could not be opened")
        self._cap: cv2.VideoCapture | None = cap
        w, h = int(cap.get(cv2.CAP_PROP_FRAME_WIDTH)), int(cap.get(cv2.CAP_PROP_FRAME_HEIGHT))
        if w and h:
            self.description = f"camera {device} ({w}x{h})"

    def _open(self) -> cv2.VideoCapture | None:
        params = [cv2.CAP_PROP_OPEN_TIMEOUT_MSEC, OPEN_TIMEOUT_MS, cv2.CAP_PROP_READ_TIMEOUT_MSEC, READ_TIMEOUT_MS]
        try:
            cap = cv2.VideoCapture(self.device, cv2.CAP_ANY, params)
        except cv2.error as exc:
            log.warning("scanning: camera %s could not be opened: %s", self.device, exc)
            return None
        if not cap.isOpened():
            cap.release()
            return None
        cap.set(cv2.CAP_PROP_FRAME_WIDTH, self.width)
        cap.set(cv2.CAP_PROP_FRAME_HEIGHT, self.height)
        cap.set(cv2.CAP_PROP_BUFFERSIZE, 1)  # the latest frame, not a queue of old ones (where supported)
        return cap

    def read(self) -> np.ndarray | None:
        if self._interrupted.is_set() or self._ended:
            return None
        if self._cap is None:
            self._cap = self._open()
        if self._cap is not None:
            ok, frame = self._cap.read()
            if ok and frame is not None:
                self.failures, self._backoff = 0, BACKOFF_FIRST
                return frame
            self._cap.release()
            self._cap = None
        self.failures += 1
        if self.failures == 1:
            log.warning("scanning: %s stopped delivering frames; re-opening it", self.description)
        self._wait(self._backoff)
        self._backoff = min(self._backoff * 2, BACKOFF_MAX)
        return None

    def close(self) -> None:
        super().close()
        if self._cap is not None:
            self._cap.release()
            self._cap = None


class ImageSource(FrameSource):
    """One image file delivered over and over at ``fps`` (``count`` times, or for ever), like a card held still."""

    def __init__(self, path: str | Path, fps: float = DEFAULT_FPS, *, count: int | None = None) -> None:
        super().__init__()
        self.path = Path(path)
        self.description = f"image {self.path}"
        try:
            self._frame = load_gray(self.path)
        except FrameError as exc:
            raise SourceError(str(exc)) from exc
        self._pacer = _Pacer(fps)
        self._left = count

    def read(self) -> np.ndarray | None:
        if self._left == 0:
            self._ended = True
        if self._ended or not self._wait(self._pacer.delay()):
            return None
        if self._left is not None:
            self._left -= 1
        return self._frame


def natural_key(path: Path) -> tuple[tuple[int, int | str], ...]:
    """Name order as people expect it: ``card2`` before ``card10``."""
    return tuple((0, int(part)) if part.isdigit() else (1, part.lower())
                 for part in re.split(r"(\d+)", path.name) if part)


def image_files(folder: str | Path) -> list[Path]:
    """The image files directly in ``folder`` (by suffix), in natural name order; other files are ignored."""
    return sorted((p for p in Path(folder).iterdir() if p.is_file() and p.suffix.lower() in IMAGE_SUFFIXES),
                  key=natural_key)


class FolderSource(FrameSource):
    """The images of a folder in name order at ``fps``, each delivered ``repeat`` times in a row (a card held in
    view for repeat/fps seconds; a scan needs two decoded frames of it). ``loop``: start again after the last.

    The demo shop's camera. Files are read when they are due (a folder may be large); one that cannot be read
    is skipped with a warning, once.
    """

    def __init__(self, folder: str | Path, fps: float = DEFAULT_FPS, loop: bool = True, *, repeat: int = 1) -> None:
        super().__init__()
        self.folder = Path(folder)
        self.description = f"folder {self.folder}"
        if not self.folder.is_dir():
            raise SourceError(f"{self.folder} is not a folder")
        self.files = image_files(self.folder)
        if not self.files:
            raise SourceError(f"folder {self.folder} holds no images ({', '.join(sorted(IMAGE_SUFFIXES))})")
        if repeat < 1:
            raise ValueError("repeat must be at least 1")
        self.loop, self.repeat = loop, repeat
        self._pacer = _Pacer(fps)
        rounds: Iterable[int] = itertools.count() if loop else range(1)
        self._plan = (f for _ in rounds for f in self.files for _ in range(repeat))
        self._bad: set[Path] = set()
        self._current: tuple[Path, np.ndarray] | None = None

    def read(self) -> np.ndarray | None:
        if self._ended or not self._wait(self._pacer.delay()):
            return None
        for path in self._plan:
            frame = self._load(path)
            if frame is not None:
                return frame
            if len(self._bad) == len(self.files):
                break  # nothing readable left: end rather than spin
        self._ended = True
        return None

    def _load(self, path: Path) -> np.ndarray | None:
        if self._current is not None and self._current[0] == path:
            return self._current[1]
        if path in self._bad:
            return None
        try:
            frame = load_gray(path)
        except FrameError as exc:
            log.warning("scanning: skipping %s: %s", path, exc)
            self._bad.add(path)
            return None
        self._current = (path, frame)
        return frame


class VideoSource(FrameSource):
    """A video file through :class:`cv2.VideoCapture`, paced at its own frame rate (or ``fps``); ``loop``
    rewinds at the end. BGR frames, as from a camera."""

    def __init__(self, path: str | Path, loop: bool = False, *, fps: float | None = None) -> None:
        super().__init__()
        self.path = Path(path)
        self.description = f"video {self.path}"
        self.loop = loop
        if not self.path.is_file():
            raise SourceError(f"video {self.path} does not exist")
        self._cap: cv2.VideoCapture | None = self._open()
        native = self._cap.get(cv2.CAP_PROP_FPS)
        self._pacer = _Pacer(fps or (native if 0 < native <= 240 else 25.0))
        self._frames = 0  # delivered since the last rewind: an empty video must not loop for ever

    def _open(self) -> cv2.VideoCapture:
        cap = cv2.VideoCapture(str(self.path))
        if not cap.isOpened():
            cap.release()
            raise SourceError(f"{self.path} is not a video OpenCV can read")
        return cap

    def read(self) -> np.ndarray | None:
        if self._ended or self._cap is None or not self._wait(self._pacer.delay()):
            return None
        ok, frame = self._cap.read()
        if not ok and self.loop and self._frames:
            self._cap.release()
            self._cap, self._frames = self._open(), 0
            ok, frame = self._cap.read()
        if not ok or frame is None:
            self.close()
            return None
        self._frames += 1
        return frame

    def close(self) -> None:
        super().close()
        if self._cap is not None:
            self._cap.release()
            self._cap = None


def is_camera_spec(spec: str) -> bool:
    """``0``, ``1``… or a ``/dev/video…`` device path."""
    return spec.strip().isdigit() or spec.startswith("/dev/video")


def open_source(spec: str, *, width: int = 640, height: int = 480, fps: float = DEFAULT_FPS, loop: bool = True,
                repeat: int = 1) -> FrameSource:
    """What a user or a setting names as "the camera": an index or device path, an image, a folder or a video.

    Raises :class:`SourceError` (a :class:`CameraUnavailable` for a camera) with a sentence naming ``spec``.
    """
    if is_camera_spec(spec):
        return CameraSource(spec, width, height)
    path = Path(spec).expanduser()
    if path.is_dir():
        return FolderSource(path, fps, loop, repeat=repeat)
    if not path.exists():
        raise SourceError(f"{spec} is neither a camera nor an existing file or folder")
    if path.suffix.lower() in VIDEO_SUFFIXES:
        return VideoSource(path, loop)
    if path.suffix.lower() in IMAGE_SUFFIXES:
        return ImageSource(path, fps)
    try:  # an unusual suffix: an image if OpenCV can read it as one, else a video
        return ImageSource(path, fps)
    except SourceError:
        return VideoSource(path, loop)
