"""The decoder chain's rules: what it trusts, when fallbacks run, and life without optional libraries."""

import builtins
import logging
import random

import numpy as np
import pytest

from pos_app.scanning import chain as chain_module
from pos_app.scanning.chain import DecoderChain, default_chain
from pos_app.scanning.decoders import Decoder, ZbarDecoder, ZxingDecoder, accept, drop_conflicts, gs1_check_ok
from pos_app.scanning.results import Read, Symbology
from tests.scanning import synth

FRAME = np.full((48, 64), 255, np.uint8)


class Fake(Decoder):
    """Returns scripted reads and counts its calls; ``cost`` seconds are added to the fake clock per call."""

    def __init__(self, name: str, reads: list[Read], clock: list[float], cost: float) -> None:
        super().__init__()
        self.name, self.reads, self.clock, self.cost, self.calls = name, reads, clock, cost, 0

    def decode(self, gray: np.ndarray) -> list[Read]:
        self.calls += 1
        self.clock[0] += self.cost
        return list(self.reads)


def read(text: str, symbology: Symbology = Symbology.CODE_128, decoder: str = "zbar") -> Read:
    return Read(text, symbology, decoder, ((0, 0), (100, 0), (100, 20), (0, 20)))


def test_gs1_check_digit():
    assert gs1_check_ok("5030159003930") and gs1_check_ok("036602301467") and gs1_check_ok("96385074")
    assert not gs1_check_ok("5030159003931") and not gs1_check_ok("50301590O3930")


def test_upc_a_read_as_ean_13_is_reported_as_upc_a_with_12_digits():
    as_ean = accept("0036602301467", Symbology.EAN_13, "zbar", None)
    as_upc = accept("036602301467", Symbology.UPC_A, "zxing", None)
    assert as_ean is not None and as_upc is not None
    assert (as_ean.symbology, as_ean.text) == (as_upc.symbology, as_upc.text) == (Symbology.UPC_A, "036602301467")


def test_ean_reads_failing_their_check_digit_are_dropped():
    assert accept("5030159003931", Symbology.EAN_13, "zbar", None) is None
    assert accept("503015900393", Symbology.EAN_13, "zbar", None) is None  # wrong length


def test_two_different_1d_texts_in_one_place_are_both_dropped():
    a = read("7034759003930", Symbology.EAN_13)
    b = Read("5030159003930", Symbology.EAN_13, "zxing", ((110, 0), (200, 0), (200, 20), (110, 20)))
    far = Read("1920081045006", Symbology.EAN_13, "zxing", ((0, 300), (100, 300), (100, 320), (0, 320)))
    assert drop_conflicts([a, b, far]) == [far]


def test_stream_fallbacks_cost_at_most_the_budget_on_an_idle_camera():
    clock = [0.0]
    primary = Fake("zxing", [], clock, cost=0.003)
    fallback = Fake("zbar", [], clock, cost=0.030)
    chain = DecoderChain(primary, [fallback], fallback_budget=0.5, clock=lambda: clock[0])
    for _ in range(300):
        assert chain.decode(FRAME) == []
    assert fallback.calls * 0.030 <= 0.5 * primary.calls * 0.003 + 0.030
    assert fallback.calls >= 10  # but they do run: a hard code still gets tried a few times a second


def test_still_frames_run_every_fallback_and_found_codes_skip_them():
    clock = [0.0]
    primary = Fake("zxing", [], clock, cost=0.003)
    fallback = Fake("zbar", [read("GC-1", Symbology.QR_CODE)], clock, cost=0.030)
    chain = DecoderChain(primary, [fallback], clock=lambda: clock[0])
    for _ in range(5):
        assert [r.text for r in chain.decode(FRAME, still=True)] == ["GC-1"]
    assert fallback.calls == 5
    primary.reads = [read("GC-2", Symbology.QR_CODE, "zxing")]
    assert [r.text for r in chain.decode(FRAME, still=True)] == ["GC-2"]
    assert fallback.calls == 5


def test_a_fallback_1d_read_needs_a_second_agreeing_pass():
    clock = [0.0]
    zbar = Fake("zbar", [read("GC-AAAA")], clock, cost=0.0)
    region_disagrees = Fake("region", [read("GC-AAAB")], clock, cost=0.0)
    assert DecoderChain(None, [zbar, region_disagrees]).decode(FRAME, still=True) == []
    region_agrees = Fake("region", [read("GC-AAAA", decoder="region")], clock, cost=0.0)
    found = DecoderChain(None, [zbar, region_agrees]).decode(FRAME, still=True)
    assert [(r.text, r.decoder) for r in found] == [("GC-AAAA", "zbar")]


def test_missing_libraries_leave_the_decoder_unavailable_with_one_warning_each(monkeypatch, caplog):
    real_import = builtins.__import__

    def without(name, *args, **kwargs):
        if name == "zxingcpp":
            raise ImportError("No module named 'zxingcpp'")
        if name.startswith("pyzbar"):
            raise OSError("libzbar.so.0: cannot open shared object file")  # the wheel without the system library
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", without)
    with caplog.at_level(logging.WARNING, logger="pos_app.scanning"):
        chain = default_chain()
    assert not ZxingDecoder().available and not ZbarDecoder().available
    assert chain.missing == ["zxing", "zbar", "region"] and chain.available == []
    assert len([r for r in caplog.records if r.name == "pos_app.scanning"]) == 3
    assert chain.decode(FRAME, still=True) == []


def test_without_zxing_zbar_becomes_the_primary(monkeypatch):
    real_import = builtins.__import__

    def without_zxing(name, *args, **kwargs):
        if name == "zxingcpp":
            raise ImportError(name)
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", without_zxing)
    chain = default_chain()
    assert chain.available == ["zbar", "region"] and chain.missing == ["zxing"]
    code = synth.gift_code(random.Random(1))
    frame = synth.qr_frame(random.Random(2), code, (640, 480))
    assert [r.text for r in chain.decode(frame)] == [code]


def test_restricted_chain_ignores_other_symbologies():
    code = synth.gift_code(random.Random(3))
    frame = synth.qr_frame(random.Random(4), code, (640, 480))
    assert default_chain([Symbology.CODE_128]).decode(frame, still=True) == []
    found = default_chain([Symbology.QR_CODE]).decode(frame, still=True)
    assert [(r.text, r.symbology, r.decoder) for r in found] == [(code, Symbology.QR_CODE, "zxing")]
    assert found[0].corners is not None


def test_budget_must_not_be_negative():
    with pytest.raises(ValueError):
        DecoderChain(None, [], fallback_budget=-1)
    assert chain_module.DEFAULT_FALLBACK_BUDGET == 0.5
