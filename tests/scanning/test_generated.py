"""Webcam-like frames of gift-card codes (``synth``: one seed, the severities documented there)."""

import random

import pytest

from pos_app.domain.codes import verify_readable
from pos_app.scanning.chain import default_chain
from pos_app.scanning.results import Symbology
from tests.scanning import synth

QR_FRAMES = 100  # per size
CODE128_FRAMES = 80
EMPTY_FRAMES = 40  # per size


def rate(kind: str, size: tuple[int, int], count: int, seed_offset: int) -> tuple[float, list[str]]:
    chain = default_chain()
    rng = random.Random(synth.SEED + seed_offset)
    symbology = Symbology.QR_CODE if kind == "qr" else Symbology.CODE_128
    make = synth.qr_frame if kind == "qr" else synth.code128_frame
    hits, wrong = 0, []
    for _ in range(count):
        code = synth.gift_code(rng)
        assert verify_readable(code) == code
        reads = chain.decode(make(rng, code, size), still=True)
        hits += any(r.text == code and r.symbology is symbology for r in reads)
        wrong += [r.text for r in reads if r.text != code]
    return hits / count, wrong


@pytest.mark.parametrize("size", synth.SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_qr_gift_codes_are_read_from_webcam_frames(size: tuple[int, int]):
    success, wrong = rate("qr", size, QR_FRAMES, seed_offset=size[0])
    assert not wrong
    assert success >= 0.99


def test_code128_gift_codes_are_read_from_720p_frames():
    success, wrong = rate("code128", (1280, 720), CODE128_FRAMES, seed_offset=128)
    assert not wrong
    assert success >= 0.95


@pytest.mark.parametrize("size", synth.SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_frames_without_a_code_give_nothing(size: tuple[int, int]):
    chain = default_chain()
    rng = random.Random(synth.SEED - size[0])
    found = [chain.decode(synth.empty_frame(rng, size), still=True) for _ in range(EMPTY_FRAMES)]
    assert [reads for reads in found if reads] == []


def test_the_generator_is_deterministic():
    a = synth.qr_frame(random.Random(7), "GC-TEST", (640, 480))
    b = synth.qr_frame(random.Random(7), "GC-TEST", (640, 480))
    assert (a == b).all()
