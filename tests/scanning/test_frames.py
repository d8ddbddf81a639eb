"""Images to grayscale frames: colour orders, transparency on white, fitting, and clear errors for bad files."""

from pathlib import Path

import cv2
import numpy as np
import pytest

from pos_app.scanning.frames import FrameError, fit, load_gray, to_gray


def test_bgr_and_rgb_orders_give_the_luminance_of_each():
    pure_blue_bgr = np.zeros((4, 4, 3), np.uint8)
    pure_blue_bgr[..., 0] = 255
    assert to_gray(pure_blue_bgr)[0, 0] == 29  # 0.114·255: blue is dark
    assert to_gray(pure_blue_bgr, rgb=True)[0, 0] == 76  # read as RGB it is red: 0.299·255


def test_gray_passes_through_and_other_depths_become_uint8():
    gray = np.arange(16, dtype=np.uint8).reshape(4, 4)
    assert to_gray(gray) is not None and np.array_equal(to_gray(gray), gray)
    assert to_gray(gray[:, :, None]).shape == (4, 4)
    assert to_gray(np.full((2, 2), 65535, np.uint16))[0, 0] == 255
    assert to_gray(np.full((2, 2), 1.0))[0, 0] == 255
    assert to_gray(np.ones((2, 2), bool))[0, 0] == 255


def test_transparent_pixels_become_white_and_opaque_ones_keep_their_colour():
    bgra = np.zeros((2, 2, 4), np.uint8)  # black everywhere; only the left column opaque
    bgra[:, 0, 3] = 255
    gray = to_gray(bgra)
    assert gray[0, 0] == 0 and gray[0, 1] == 255


def test_transparent_png_file_is_composited_on_white(tmp_path: Path):
    bgra = np.zeros((10, 10, 4), np.uint8)
    bgra[2:8, 2:8, 3] = 255  # a black square on transparency (bars on a transparent background)
    path = tmp_path / "bars.png"
    cv2.imwrite(str(path), bgra)
    gray = load_gray(path)
    assert gray.dtype == np.uint8 and gray.shape == (10, 10)
    assert gray[0, 0] == 255 and gray[5, 5] == 0


@pytest.mark.parametrize("content", [b"", b"not an image at all", b"\x89PNG\r\n\x1a\n truncated"])
def test_unreadable_files_raise_frame_error(tmp_path: Path, content: bytes):
    path = tmp_path / "bad.png"
    path.write_bytes(content)
    with pytest.raises(FrameError, match=r"bad\.png"):
        load_gray(path)


def test_missing_file_raises_frame_error_which_is_a_value_error(tmp_path: Path):
    with pytest.raises(ValueError, match="cannot read"):
        load_gray(tmp_path / "nope.jpg")


@pytest.mark.parametrize("bad", [np.zeros((0, 3), np.uint8), np.zeros((4, 4, 2), np.uint8), np.zeros((2, 2), np.int64)])
def test_unsupported_arrays_raise_frame_error(bad: np.ndarray):
    with pytest.raises(FrameError):
        to_gray(bad)


def test_fit_scales_down_keeping_aspect_and_never_up():
    gray = np.zeros((1000, 2000), np.uint8)
    assert fit(gray, 640, 480).shape == (320, 640)
    assert fit(np.zeros((960, 640), np.uint8), 640, 480).shape == (480, 320)
    small = np.zeros((100, 100), np.uint8)
    assert fit(small, 640, 480) is small
