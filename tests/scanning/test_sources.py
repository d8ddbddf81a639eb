"""Frame sources (scanning/sources.py): the missing camera for real, files, folders and videos written here."""

from __future__ import annotations

import threading
import time
from pathlib import Path

import cv2
import numpy as np
import pytest

from pos_app.scanning.sources import (
    CameraSource,
    CameraUnavailable,
    FolderSource,
    FrameSource,
    ImageSource,
    SourceError,
    VideoSource,
    image_files,
    open_source,
)
from tests.scanning.card_images import blank, card, new_code, write


def frames_of(source: FrameSource, limit: int = 1000) -> list[np.ndarray]:
    out: list[np.ndarray] = []
    while len(out) < limit:
        frame = source.read()
        if frame is None:
            if source.ended:
                return out
            continue
        out.append(frame)
    return out


def shade(frame: np.ndarray) -> int:
    return round(float(frame.mean()))


def write_video(path: Path, shades: list[int], fourcc: str, fps: float = 50.0) -> Path:
    writer = cv2.VideoWriter(str(path), cv2.VideoWriter_fourcc(*fourcc), fps, (320, 240))
    assert writer.isOpened(), f"this OpenCV cannot write {fourcc}"
    for value in shades:
        writer.write(np.full((240, 320, 3), value, np.uint8))
    writer.release()
    return path


# --- the camera: this machine has none, so the refusal path is tested for real ---------------------------------

@pytest.mark.parametrize("device", [57, "57", "/dev/video57"])
def test_an_absent_camera_fails_at_once_naming_the_device(device: int | str) -> None:
    started = time.monotonic()
    with pytest.raises(CameraUnavailable, match=r"camera .*57 is not available"):
        CameraSource(device)
    assert time.monotonic() - started < 2.0
    assert CameraUnavailable.key == "camera_unavailable"


def test_a_camera_that_drops_out_is_reopened_with_backoff(tmp_path: Path) -> None:
    """A video file opened as a camera (VideoCapture takes both) plays out: reads fail, as when a camera is
    unplugged; the source re-opens it after a growing pause and frames flow again."""
    clip = write_video(tmp_path / "clip.avi", [0, 100], "MJPG")
    camera = CameraSource(str(clip))
    try:
        assert [shade(f) for f in (camera.read(), camera.read()) if f is not None] == pytest.approx([0, 100], abs=6)
        started = time.monotonic()
        assert camera.read() is None  # dropped out: released, then a 0.1 s pause
        assert camera.failures == 1 and camera.ended is False
        assert 0.08 <= time.monotonic() - started < 1.0
        frame = camera.read()  # re-opened: the picture is back
        assert frame is not None and shade(frame) == pytest.approx(0, abs=6)
        assert camera.failures == 0
    finally:
        camera.close()
    assert camera.read() is None and camera.ended


def test_open_source_takes_an_index_or_a_device_path_as_a_camera() -> None:
    for spec in ("57", "/dev/video57"):
        with pytest.raises(CameraUnavailable, match="57"):
            open_source(spec)


# --- one image --------------------------------------------------------------------------------------------------

def test_an_image_is_repeated_as_grey_frames_at_the_given_rate(tmp_path: Path) -> None:
    path = write(tmp_path / "card.png", card(new_code()))
    started = time.monotonic()
    with ImageSource(path, fps=20, count=5) as source:
        frames = frames_of(source)
        assert source.ended
    elapsed = time.monotonic() - started
    assert len(frames) == 5
    assert all(f.ndim == 2 and f.shape == (480, 640) for f in frames)
    assert 0.15 <= elapsed < 1.0  # 4 intervals of 50 ms: paced like a camera, not as fast as possible


def test_a_transparent_png_is_composited_on_white(tmp_path: Path) -> None:
    rgba = np.zeros((50, 50, 4), np.uint8)  # black, fully transparent
    path = write(tmp_path / "clear.png", rgba)
    frame = ImageSource(path, count=1).read()
    assert frame is not None
    assert int(frame.min()) == 255


def test_an_unreadable_image_is_refused_naming_it(tmp_path: Path) -> None:
    bad = tmp_path / "notes.png"
    bad.write_text("not an image")
    with pytest.raises(SourceError, match=r"notes\.png"):
        ImageSource(bad)


def test_interrupt_wakes_a_slow_source_at_once(tmp_path: Path) -> None:
    source = ImageSource(write(tmp_path / "card.png", blank()), fps=0.2)  # one frame every 5 s
    assert source.read() is not None  # the first at once
    threading.Timer(0.1, source.interrupt).start()
    started = time.monotonic()
    assert source.read() is None
    assert time.monotonic() - started < 1.0


# --- a folder ---------------------------------------------------------------------------------------------------

def test_a_folder_plays_its_images_in_natural_name_order(tmp_path: Path) -> None:
    folder = tmp_path / "shop"
    for name, value in [("card10.png", 30), ("card2.png", 20), ("card1.png", 10)]:
        write(folder / name, np.full((40, 40), value, np.uint8))
    (folder / "card3.txt").write_text("not an image: ignored")
    assert [p.name for p in image_files(folder)] == ["card1.png", "card2.png", "card10.png"]
    assert [shade(f) for f in frames_of(FolderSource(folder, fps=200, loop=False))] == [10, 20, 30]


def test_a_folder_repeats_each_image_and_loops(tmp_path: Path) -> None:
    folder = tmp_path / "shop"
    write(folder / "a.png", np.full((40, 40), 10, np.uint8))
    write(folder / "b.png", np.full((40, 40), 20, np.uint8))
    source = FolderSource(folder, fps=200, loop=True, repeat=2)
    assert [shade(f) for f in frames_of(source, limit=9)] == [10, 10, 20, 20, 10, 10, 20, 20, 10]
    assert not source.ended


def test_a_folder_skips_an_unreadable_image(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    folder = tmp_path / "shop"
    write(folder / "a.png", np.full((40, 40), 10, np.uint8))
    (folder / "b.png").write_bytes(b"\x89PNG broken")
    write(folder / "c.png", np.full((40, 40), 30, np.uint8))
    assert [shade(f) for f in frames_of(FolderSource(folder, fps=200, loop=False))] == [10, 30]
    assert "b.png" in caplog.text


def test_a_looping_folder_of_only_broken_images_ends_instead_of_spinning(tmp_path: Path) -> None:
    folder = tmp_path / "shop"
    folder.mkdir()
    (folder / "a.png").write_bytes(b"broken")
    source = FolderSource(folder, fps=200, loop=True)
    assert frames_of(source) == []
    assert source.ended


def test_an_empty_folder_is_refused(tmp_path: Path) -> None:
    (tmp_path / "readme.txt").write_text("no images here")
    with pytest.raises(SourceError, match="holds no images"):
        FolderSource(tmp_path)


# --- a video ----------------------------------------------------------------------------------------------------

@pytest.mark.parametrize(("fourcc", "suffix"), [("MJPG", ".avi"), ("mp4v", ".mp4")])
def test_a_video_plays_its_frames_in_order(tmp_path: Path, fourcc: str, suffix: str) -> None:
    path = write_video(tmp_path / f"clip{suffix}", [0, 100, 200], fourcc)
    with VideoSource(path, loop=False, fps=200) as source:
        frames = frames_of(source)
    assert [f.shape for f in frames] == [(240, 320, 3)] * 3
    assert [shade(f) for f in frames] == pytest.approx([0, 100, 200], abs=6)  # lossy codecs


def test_a_video_loops_when_asked(tmp_path: Path) -> None:
    path = write_video(tmp_path / "clip.avi", [0, 200], "MJPG")
    frames = frames_of(VideoSource(path, loop=True, fps=200), limit=5)
    assert [shade(f) for f in frames] == pytest.approx([0, 200, 0, 200, 0], abs=6)


def test_a_video_is_paced_at_its_own_frame_rate(tmp_path: Path) -> None:
    path = write_video(tmp_path / "clip.avi", [0] * 4, "MJPG", fps=20.0)
    started = time.monotonic()
    assert len(frames_of(VideoSource(path))) == 4
    assert time.monotonic() - started >= 0.14  # 3 intervals of 50 ms


def test_a_file_that_is_not_a_video_is_refused(tmp_path: Path) -> None:
    bad = tmp_path / "clip.mp4"
    bad.write_bytes(b"nothing to see")
    with pytest.raises(SourceError, match=r"clip\.mp4"):
        VideoSource(bad)


# --- open_source ------------------------------------------------------------------------------------------------

def test_open_source_tells_files_folders_and_videos_apart(tmp_path: Path) -> None:
    image = write(tmp_path / "card.png", card(new_code()))
    video = write_video(tmp_path / "clip.avi", [0, 100], "MJPG")
    for spec, kind in [(image, ImageSource), (tmp_path, FolderSource), (video, VideoSource)]:
        with open_source(str(spec)) as source:
            assert isinstance(source, kind)
            assert source.read() is not None
            assert str(spec) in source.description


def test_open_source_refuses_what_does_not_exist(tmp_path: Path) -> None:
    with pytest.raises(SourceError, match="neither a camera nor an existing file"):
        open_source(str(tmp_path / "nowhere.png"))
