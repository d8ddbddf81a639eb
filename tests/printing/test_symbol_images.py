"""The card sheet's symbols as PNG and SVG images (the server's voucher assets): whole pixels per module, the
quiet zones kept, the longer side capped, and every image read back by the till's decoder chain."""

from __future__ import annotations

import io

import numpy as np
import pytest
from PIL import Image

from pos_app.printing.symbol_images import (
    MAX_SIDE_PX,
    NotEncodable,
    code128_can_carry,
    code128_image,
    qr_image,
)
from pos_app.printing.symbols import code128_bars
from pos_app.scanning.chain import default_chain
from pos_app.scanning.frames import to_gray
from pos_app.scanning.results import Symbology

CHAIN = default_chain()
LONGEST = "Zz9/ " * 20  # 100 characters, the most a code may have: the largest QR and Code128 there are


def _reads(png: bytes) -> list[tuple[Symbology, str]]:
    gray = to_gray(np.asarray(Image.open(io.BytesIO(png)).convert("L")))
    return [(r.symbology, r.text) for r in CHAIN.decode(gray, still=True)]


@pytest.mark.parametrize("code", ["GC-7XZP-ABCD-EFGH-JKLM", "a/b c", pytest.param(LONGEST, id="100-chars")])
@pytest.mark.parametrize("size", [1, 7, 100])
def test_every_size_decodes_and_no_side_passes_the_cap(code: str, size: int) -> None:
    for image, symbology in ((qr_image(code, size=size), Symbology.QR_CODE),
                             (code128_image(code, size=size), Symbology.CODE_128)):
        assert image.media_type == "image/png" and max(image.width, image.height) <= MAX_SIDE_PX
        with Image.open(io.BytesIO(image.body)) as png:
            assert png.size == (image.width, image.height) and png.mode == "1"
        assert _reads(image.body) == [(symbology, code)]


def test_size_is_whole_pixels_per_module_until_the_cap() -> None:
    one, two = qr_image("GC-1", size=1), qr_image("GC-1", size=2)
    assert (two.width, two.height) == (2 * one.width, 2 * one.height) == (2 * 29, 2 * 29)  # 21 modules + 2 × 4
    capped = code128_image(LONGEST, size=100)
    assert capped.width <= MAX_SIDE_PX and capped.width % code128_image(LONGEST, size=1).width == 0


def test_the_svg_is_sized_like_the_png_and_holds_nothing_but_shapes() -> None:
    png, svg = qr_image("a/b c", size=5), qr_image("a/b c", size=5, svg=True)
    assert svg.media_type == "image/svg+xml" and (svg.width, svg.height) == (png.width, png.height)
    text = svg.body.decode()
    assert f'width="{png.width}"' in text and "a/b c" not in text and "<script" not in text
    bars = code128_image("a/b c", svg=True).body.decode()
    assert bars.count("M") == len(code128_bars("a/b c")[1])  # each bar one rectangle of the full height


def test_a_code128_carries_ascii_only() -> None:
    assert code128_can_carry("GC-01 /~") and not code128_can_carry("Grüße")
    with pytest.raises(NotEncodable):
        code128_image("Grüße")
    assert _reads(qr_image("Grüße/ä", size=3).body) == [(Symbology.QR_CODE, "Grüße/ä")]
