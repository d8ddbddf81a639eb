"""The capture/decode worker (scanning/camera.py) on real frame sources, the real decoder chain and parser.

Every test stops its worker and checks that no scanner thread outlives it.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import numpy as np
import pytest

from pos_app.scanning.camera import ScannerStatus, ScanWorker, WorkerState
from pos_app.scanning.chain import DecoderChain, default_chain
from pos_app.scanning.confirm import Confirmer
from pos_app.scanning.payload import ParsedCode
from pos_app.scanning.results import Read
from pos_app.scanning.sources import FolderSource, FrameSource, ImageSource
from tests.scanning.card_images import blank, card, combo, folder, new_code, write


class Recorder:
    """Everything the worker reported, as the GUI would receive it (from the worker's threads)."""

    def __init__(self) -> None:
        self.scans: list[tuple[ParsedCode, Read]] = []
        self.refused: list[tuple[str, str]] = []
        self.frames: list[tuple[np.ndarray, list[Read]]] = []
        self.states: list[ScannerStatus] = []
        self.first_scan = threading.Event()

    def on_scan(self, parsed: ParsedCode, read: Read) -> None:
        self.scans.append((parsed, read))
        self.first_scan.set()

    def on_refused(self, text: str, reason: str) -> None:
        self.refused.append((text, reason))

    def on_frame(self, frame: np.ndarray, reads: list[Read]) -> None:
        self.frames.append((frame, reads))

    def on_state(self, status: ScannerStatus) -> None:
        self.states.append(status)

    @property
    def codes(self) -> list[str]:
        return [parsed.code for parsed, _ in self.scans]


@pytest.fixture
def recorder() -> Recorder:
    return Recorder()


@pytest.fixture
def make_worker(recorder: Recorder) -> Iterator[Callable[..., ScanWorker]]:
    workers: list[ScanWorker] = []

    def make(open_source: Callable[[], FrameSource], **kwargs: object) -> ScanWorker:
        callbacks = {"on_scan": recorder.on_scan, "on_refused": recorder.on_refused,
                     "on_frame": recorder.on_frame, "on_state": recorder.on_state}
        worker = ScanWorker(open_source, **(callbacks | kwargs))  # type: ignore[arg-type]
        workers.append(worker)
        return worker

    yield make
    for worker in workers:
        assert worker.stop(), "a scanner thread did not stop"
    leaked = [t.name for t in threading.enumerate() if t.name.startswith("scan-")]
    assert not leaked, leaked


def play(tmp_path: Path, frames: list[np.ndarray], fps: float = 20.0) -> Callable[[], FrameSource]:
    """A folder of these frames, played once at ``fps``: a card held in front of the camera."""
    images = folder(tmp_path, frames)
    return lambda: FolderSource(images, fps=fps, loop=False)


def run_to_end(worker: ScanWorker) -> None:
    worker.start()
    assert worker.wait(timeout=30), "the source should have played to its end"


def test_one_card_held_in_view_is_exactly_one_scan(tmp_path: Path, recorder: Recorder, make_worker) -> None:
    code = new_code()
    worker = make_worker(play(tmp_path, [card(code)] * 12))
    run_to_end(worker)
    assert recorder.codes == [code]
    _, read = recorder.scans[0]
    assert read.text == code and read.corners is not None
    assert recorder.refused == []
    stats = worker.stats
    assert stats.captured == 12 and stats.scans == 1 and stats.errors == 0
    assert stats.decoded + stats.dropped == 12
    assert stats.decode_ms_median > 0
    assert recorder.states[0].state is WorkerState.RUNNING and "folder" in recorder.states[0].message
    assert recorder.states[-1] == worker.status
    assert worker.status.state is WorkerState.STOPPED and "end of folder" in worker.status.message


def test_two_different_cards_are_two_scans(tmp_path: Path, recorder: Recorder, make_worker) -> None:
    first, second = new_code(), new_code()
    run_to_end(make_worker(play(tmp_path, [card(first)] * 6 + [card(second)] * 6)))
    assert recorder.codes == [first, second]


def test_a_card_taken_away_briefly_is_still_one_scan(tmp_path: Path, recorder: Recorder, make_worker) -> None:
    code = new_code()
    frames = [card(code)] * 5 + [blank()] * 3 + [card(code)] * 5  # 0.15 s away; the cool-down is 2 s
    run_to_end(make_worker(play(tmp_path, frames)))
    assert recorder.codes == [code]


def test_the_same_card_shown_again_after_the_cooldown_is_a_second_scan(tmp_path: Path, recorder: Recorder,
                                                                       make_worker) -> None:
    code = new_code()
    frames = [card(code)] * 5 + [blank()] * 6 + [card(code)] * 5  # 0.3 s away; a 0.1 s cool-down
    run_to_end(make_worker(play(tmp_path, frames), confirmer=Confirmer(cooldown=0.1)))
    assert recorder.codes == [code, code]


def test_a_qr_code_that_is_not_a_card_is_one_refusal(tmp_path: Path, recorder: Recorder, make_worker) -> None:
    garbled = new_code()
    garbled = garbled[:-1] + ("2" if garbled[-1] != "2" else "3")  # a misread: the check character fails
    frames = [card(garbled)] * 8 + [card("https://example.com/")] * 8  # a link without a code
    worker = make_worker(play(tmp_path, frames))
    run_to_end(worker)
    assert recorder.scans == []
    assert [text for text, _ in recorder.refused] == [garbled, "https://example.com/"]
    assert all(reason for _, reason in recorder.refused)
    assert worker.stats.refused == 2


def test_a_card_with_qr_and_barcode_is_one_scan(tmp_path: Path, recorder: Recorder, make_worker) -> None:
    code = new_code()
    run_to_end(make_worker(play(tmp_path, [combo(code, code)] * 10)))
    assert recorder.codes == [code]
    formats = {r.symbology.value for _, reads in recorder.frames for r in reads}
    assert formats == {"QR_CODE", "CODE_128"}  # both symbols were read in the frames: one scan all the same


def test_a_link_in_the_qr_and_the_bare_code_in_the_barcode_are_one_scan(tmp_path: Path, recorder: Recorder,
                                                                        make_worker) -> None:
    code = new_code()
    link = f"https://shop.example/gift?code={code}"
    run_to_end(make_worker(play(tmp_path, [combo(link, code)] * 10)))
    assert recorder.codes == [code]
    assert any(link == r.text for _, reads in recorder.frames for r in reads)  # both were read, one scan
    assert any(code == r.text for _, reads in recorder.frames for r in reads)


class SlowChain:
    """The real chain, made slow: decoding lags the camera."""

    def __init__(self, chain: DecoderChain, seconds: float) -> None:
        self.chain, self.seconds = chain, seconds

    def decode(self, gray: np.ndarray, *, still: bool = False) -> list[Read]:
        time.sleep(self.seconds)
        return self.chain.decode(gray, still=still)


def test_frames_are_dropped_not_queued_when_decoding_lags(tmp_path: Path, recorder: Recorder,
                                                         make_worker) -> None:
    code = new_code()
    path = write(tmp_path / "card.png", card(code))
    worker = make_worker(lambda: ImageSource(path, fps=100, count=60),
                         chain=SlowChain(default_chain(), 0.05))
    started = time.monotonic()
    run_to_end(worker)
    elapsed = time.monotonic() - started
    stats = worker.stats
    assert stats.captured == 60
    assert stats.dropped > 20  # ~0.6 s of frames, a decode every 50 ms
    assert stats.decoded + stats.dropped == 60
    assert elapsed < 2.5  # a queue would have taken 60 × 50 ms = 3 s
    assert recorder.codes == [code]
    assert stats.decode_ms_median >= 50


def test_stop_while_running_is_prompt_and_start_again_works(tmp_path: Path, recorder: Recorder,
                                                            make_worker) -> None:
    code = new_code()
    path = write(tmp_path / "card.png", card(code))
    worker = make_worker(lambda: ImageSource(path, fps=30))  # for ever, like a camera
    worker.start()
    worker.start()  # idempotent
    assert recorder.first_scan.wait(10)
    assert worker.running
    started = time.monotonic()
    assert worker.stop()
    assert time.monotonic() - started < 1.0
    assert not worker.running
    assert not [t for t in threading.enumerate() if t.name.startswith("scan-")]
    assert worker.status == ScannerStatus(WorkerState.STOPPED, "scanner off")
    assert worker.stop()  # idempotent, and reports nothing twice
    assert [s.state for s in recorder.states].count(WorkerState.STOPPED) == 1
    worker.start()  # a new run: the card in view counts again
    deadline = time.monotonic() + 10
    while len(recorder.scans) < 2 and time.monotonic() < deadline:
        time.sleep(0.02)
    assert recorder.codes == [code, code]


def test_stop_before_anything_started_does_nothing(make_worker, recorder: Recorder, tmp_path: Path) -> None:
    worker = make_worker(lambda: ImageSource(write(tmp_path / "c.png", blank())))
    assert worker.stop()
    assert recorder.states == []


def test_an_absent_camera_is_a_clear_error_state(recorder: Recorder) -> None:
    worker = ScanWorker.for_source("57", width=1280, height=720, on_state=recorder.on_state)
    try:
        started = time.monotonic()
        worker.start()
        assert worker.wait(timeout=5)
        assert time.monotonic() - started < 2.0
        assert worker.status.state is WorkerState.ERROR
        assert "camera 57 is not available" in worker.status.message
        worker.stop()
        assert worker.status.state is WorkerState.ERROR  # stop() does not wipe the reason off the status bar
        assert [s.state for s in recorder.states] == [WorkerState.ERROR]
    finally:
        worker.stop()
    assert not [t for t in threading.enumerate() if t.name.startswith("scan-")]


class Flaky:
    """Fails every other call."""

    def __init__(self, chain: DecoderChain) -> None:
        self.chain, self.calls = chain, 0

    def decode(self, gray: np.ndarray, *, still: bool = False) -> list[Read]:
        self.calls += 1
        if self.calls % 3 == 0:
            raise RuntimeError("decoder crashed")
        return self.chain.decode(gray, still=still)


def test_failing_callbacks_and_decoders_do_not_kill_the_worker(tmp_path: Path, make_worker,
                                                               caplog: pytest.LogCaptureFixture) -> None:
    first, second = new_code(), new_code()
    seen: list[str] = []

    def on_scan(parsed: ParsedCode, read: Read) -> None:
        seen.append(parsed.code)
        raise ValueError("the GUI had a bad day")

    def on_frame(frame: np.ndarray, reads: list[Read]) -> None:
        raise RuntimeError("preview broke")

    worker = make_worker(play(tmp_path, [card(first)] * 8 + [card(second)] * 8), chain=Flaky(default_chain()),
                         on_scan=on_scan, on_frame=on_frame)
    run_to_end(worker)
    assert seen == [first, second]
    assert worker.stats.errors >= 3
    assert "decoder crashed" in caplog.text and "the GUI had a bad day" in caplog.text
    assert worker.status.state is WorkerState.STOPPED


def test_the_preview_is_throttled_and_carries_the_outline(tmp_path: Path, recorder: Recorder,
                                                         make_worker) -> None:
    path = write(tmp_path / "card.png", card(new_code()))
    worker = make_worker(lambda: ImageSource(path, fps=60, count=60), preview_fps=5)
    started = time.monotonic()
    run_to_end(worker)  # one second of frames, decoded at up to 60 a second
    elapsed = time.monotonic() - started
    assert worker.stats.decoded > 30
    assert 3 <= len(recorder.frames) <= elapsed * 5 + 1
    frame, reads = recorder.frames[-1]
    assert frame.shape == (480, 640)
    assert reads and reads[0].corners is not None


class Unplugged(FrameSource):
    """A camera that delivers, drops out for a while (no frames, not ended), then comes back."""

    description = "camera test"

    def __init__(self, frame: np.ndarray, pattern: list[bool]) -> None:
        super().__init__()
        self.frame, self.pattern = frame, pattern

    def read(self) -> np.ndarray | None:
        if not self.pattern:
            self._ended = True
            return None
        deliver = self.pattern.pop(0)
        self._wait(0.05)
        return self.frame if deliver else None


def test_a_camera_that_drops_out_is_reported_and_resumes(recorder: Recorder, make_worker) -> None:
    pattern = [True] * 5 + [False] * 30 + [True] * 5  # 1.5 s without a picture
    worker = make_worker(lambda: Unplugged(blank(), pattern))
    run_to_end(worker)
    states = [(s.state, s.message) for s in recorder.states]
    assert states == [
        (WorkerState.RUNNING, "scanning camera test"),
        (WorkerState.ERROR, "camera test gives no picture; retrying"),
        (WorkerState.RUNNING, "scanning camera test"),
        (WorkerState.STOPPED, "end of camera test"),
    ]
    assert worker.stats.captured == 10


def test_switching_the_source_while_running(tmp_path: Path, recorder: Recorder, make_worker) -> None:
    first, second = new_code(), new_code()
    a = write(tmp_path / "a.png", card(first))
    b = write(tmp_path / "b.png", card(second))
    worker = make_worker(lambda: ImageSource(a, fps=30))
    worker.start()
    assert recorder.first_scan.wait(10)
    worker.switch_source(lambda: ImageSource(b, fps=30))
    deadline = time.monotonic() + 10
    while len(recorder.scans) < 2 and time.monotonic() < deadline:
        time.sleep(0.02)
    assert recorder.codes == [first, second]
    assert worker.running
