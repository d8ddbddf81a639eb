"""Sounds for a good and a bad scan: the right file to the player, nothing when sounds are off, never an error,
and the two WAV files as they are described (a short rising beep, a low double buzz)."""

from __future__ import annotations

import wave
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest

from pos_app.ui import sounds
from pos_app.ui.context import UiContext


@pytest.fixture
def played() -> Iterator[list[Path]]:
    heard: list[Path] = []
    sounds.use_player(heard.append)
    yield heard
    sounds.use_player(None)


def test_the_right_file_goes_to_the_player(ctx: UiContext, played: list[Path]) -> None:
    sounds.play(ctx, "good")
    sounds.play(ctx, "bad")
    assert [p.name for p in played] == ["good.wav", "bad.wav"]
    assert all(p.is_file() for p in played)


def test_nothing_when_sounds_are_off(ctx: UiContext, played: list[Path]) -> None:
    ctx.settings = replace(ctx.settings, sounds=False)
    sounds.play(ctx, "good")
    own: list[Path] = []
    sounds.play(ctx, "bad", player=own.append)
    assert played == [] and own == []


def test_a_failing_player_is_no_error(ctx: UiContext) -> None:
    def broken(_path: Path) -> None:
        raise OSError("no sound card")

    sounds.play(ctx, "bad", player=broken)  # logged, not raised


def test_offscreen_plays_nothing(qapp) -> None:
    assert sounds.system_player() is sounds._silent


def _read(path: Path) -> tuple[np.ndarray, int]:
    with wave.open(str(path), "rb") as wav:
        assert (wav.getnchannels(), wav.getsampwidth()) == (1, 2)
        return np.frombuffer(wav.readframes(wav.getnframes()), dtype="<i2").astype(float), wav.getframerate()


def _pitch(chunk: np.ndarray, rate: int) -> float:
    spectrum = np.abs(np.fft.rfft(chunk * np.hanning(len(chunk))))
    return float(np.fft.rfftfreq(len(chunk), 1 / rate)[int(np.argmax(spectrum))])


def test_the_committed_files_are_what_they_say(tmp_path: Path) -> None:
    good, rate = _read(sounds.sound_file("good"))
    assert 0.05 < len(good) / rate < 0.3  # short
    quarter = len(good) // 4
    assert _pitch(good[:quarter], rate) < _pitch(good[-quarter:], rate)  # rising
    bad, rate = _read(sounds.sound_file("bad"))
    window = int(rate * 0.01)
    loud = np.convolve(np.abs(bad), np.ones(window) / window, "same") > 2000  # the envelope, 10 ms at a time
    assert np.count_nonzero(np.diff(loud.astype(int)) == 1) + loud[0] == 2  # two buzzes
    assert _pitch(bad[: len(bad) // 3], rate) < 400  # low
    regenerated = sounds.write_sounds(tmp_path)
    assert [p.read_bytes() for p in regenerated] == [sounds.sound_file(s).read_bytes() for s in ("good", "bad")]
