"""Sounds for a good and a bad scan: a short rising beep, a low double buzz. API: ``play(ctx, "good" | "bad")``.

PySide6-Essentials has no QtMultimedia, so the two small WAV files in ``resources/sounds/`` (made once by
:func:`write_sounds`: ``python -m pos_app.ui.sounds``) are handed to the platform's own player without waiting
for it: ``paplay`` or ``aplay`` on Linux, ``afplay`` on macOS, ``winsound`` (asynchronous) on Windows; failing
those, the system beep. Playing never blocks the GUI thread and never fails: a till without a speaker stays quiet.
On the ``offscreen`` platform (tests, screenshots) nobody is there to listen, so nothing is played.

Tests hand their own player to :func:`play` (``player=``) or set one for the whole window with
:func:`use_player`.
"""

from __future__ import annotations

import logging
import math
import shutil
import struct
import subprocess
import sys
import wave
from collections.abc import Callable
from pathlib import Path
from typing import Literal

from pos_app.ui.context import UiContext
from pos_app.ui.resources import resource

Sound = Literal["good", "bad"]
Player = Callable[[Path], None]
RATE = 22_050
log = logging.getLogger(__name__)
_player: Player | None = None


def sound_file(sound: Sound) -> Path:
    return resource("sounds", f"{sound}.wav")


def play(ctx: UiContext, sound: Sound, *, player: Player | None = None) -> None:
    """Play ``sound`` unless the till's sounds are off. Never blocks and never fails."""
    if not ctx.settings.sounds:
        return
    path = sound_file(sound)
    chosen = player or _player or system_player()
    try:
        chosen(path)
    except Exception:  # a sound is never worth an error on screen
        log.warning("could not play %s", path, exc_info=True)


def use_player(player: Player | None) -> None:
    """The player for every :func:`play` without its own (None: the platform's again)."""
    global _player  # noqa: PLW0603 - one sound output per process
    _player = player


def system_player() -> Player:
    from PySide6.QtGui import QGuiApplication

    if QGuiApplication.platformName() == "offscreen":
        return _silent
    if sys.platform == "win32":
        return _winsound
    candidates = ("afplay",) if sys.platform == "darwin" else ("paplay", "aplay")
    command = next((c for c in candidates if shutil.which(c)), None)
    if command is not None:
        return lambda path: _spawn([command, *(["-q"] if command == "aplay" else []), str(path)])
    return _beep


def _silent(_path: Path) -> None:
    pass


def _spawn(args: list[str]) -> None:
    """Start the player and return at once; Python reaps the finished process later (no zombie piles up)."""
    try:
        subprocess.Popen(args, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    except OSError:
        _beep(Path(args[-1]))


def _winsound(path: Path) -> None:  # pragma: no cover - Windows only
    if sys.platform == "win32" and path.is_file():
        import winsound

        winsound.PlaySound(str(path), winsound.SND_FILENAME | winsound.SND_ASYNC | winsound.SND_NODEFAULT)
    else:
        _beep(path)


def _beep(_path: Path) -> None:
    from PySide6.QtWidgets import QApplication

    QApplication.beep()


# ---- making the two files ----------------------------------------------------------------------------------------


def _tone(start_hz: float, end_hz: float, seconds: float, *, square: bool = False,
          volume: float = 0.5) -> list[float]:
    """A sweep from ``start_hz`` to ``end_hz`` with 8 ms fades (no clicks at either end)."""
    count = int(RATE * seconds)
    fade = int(RATE * 0.008)
    out, phase = [], 0.0
    for i in range(count):
        hz = start_hz + (end_hz - start_hz) * i / count
        phase += 2 * math.pi * hz / RATE
        value = math.sin(phase)
        if square:  # a buzz: a softened square wave
            value = math.tanh(4 * value)
        envelope = min(1.0, i / fade, (count - 1 - i) / fade)
        out.append(volume * envelope * value)
    return out


def _silence(seconds: float) -> list[float]:
    return [0.0] * int(RATE * seconds)


def samples(sound: Sound) -> list[float]:
    if sound == "good":
        return _tone(1200, 1900, 0.12)  # short and rising: "got it"
    buzz = _tone(170, 150, 0.14, square=True, volume=0.45)
    return buzz + _silence(0.07) + buzz  # low and twice: "look at the screen"


def write_sounds(folder: Path) -> list[Path]:
    """Write ``good.wav`` and ``bad.wav`` (16-bit mono, 22.05 kHz) into ``folder``."""
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    sounds: tuple[Sound, ...] = ("good", "bad")
    for sound in sounds:
        path = folder / f"{sound}.wav"
        with wave.open(str(path), "wb") as out:
            out.setnchannels(1)
            out.setsampwidth(2)
            out.setframerate(RATE)
            out.writeframes(b"".join(struct.pack("<h", round(v * 32767)) for v in samples(sound)))
        written.append(path)
    return written


if __name__ == "__main__":
    for written_path in write_sounds(resource("sounds")):
        print(written_path)
