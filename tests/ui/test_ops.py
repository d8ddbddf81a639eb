"""Background ops: work off the GUI thread, results back on it, writes in order, failures never lost."""

from __future__ import annotations

import threading
import time

import pytest
from PySide6.QtWidgets import QWidget

from pos_app.domain import errors
from pos_app.ui.ops import Ops


@pytest.fixture
def ops(qapp):
    made = Ops()
    yield made
    made.shutdown(wait=True)


def test_work_runs_off_the_gui_thread_and_its_result_comes_back_on_it(ops, qtbot) -> None:
    seen: dict[str, object] = {}

    def work() -> int:
        seen["work"] = threading.current_thread()
        return 42

    def done(value: int) -> None:
        seen["done"] = threading.current_thread()
        seen["value"] = value

    ops.read(work).success(done).run()
    qtbot.waitUntil(lambda: "value" in seen)
    assert seen["work"] is not threading.main_thread()
    assert seen["done"] is threading.main_thread()
    assert seen["value"] == 42


def test_writes_run_one_at_a_time_in_the_order_they_were_started(ops, qtbot) -> None:
    order: list[int] = []
    running = []

    def write(n: int) -> None:
        running.append(n)
        assert len(running) == 1, "two writes at once"
        time.sleep(0.002)
        order.append(n)
        running.remove(n)

    for n in range(20):
        ops.write(lambda n=n: write(n)).run()
    qtbot.waitUntil(lambda: ops.busy == 0)
    assert order == list(range(20))


def test_a_refusal_goes_to_the_failure_callback_and_a_fault_is_logged_too(ops, qtbot, caplog) -> None:
    failures: list[BaseException] = []
    ops.write(lambda: (_ for _ in ()).throw(errors.GiftAmountExceeded("too much"))).failure(failures.append).run()

    def crash() -> None:
        raise RuntimeError("disk on fire")

    with qtbot.waitSignal(ops.fault) as fault:
        ops.write(crash, label="crash").failure(failures.append).run()
    qtbot.waitUntil(lambda: len(failures) == 2)
    assert isinstance(failures[0], errors.GiftAmountExceeded)
    assert isinstance(failures[1], RuntimeError)
    assert fault.args[0] == "crash"
    assert "disk on fire" in caplog.text


def test_an_unhandled_failure_reaches_the_window(ops, qtbot) -> None:
    with qtbot.waitSignal(ops.unhandled) as got:
        ops.read(lambda: (_ for _ in ()).throw(errors.NotFound("x"))).run()
    assert isinstance(got.args[0], errors.NotFound)


def test_no_callback_runs_for_a_widget_that_is_gone(ops, qtbot) -> None:
    owner = QWidget()
    called: list[object] = []
    gate = threading.Event()
    ops.read(lambda: gate.wait(5), owner=owner).success(called.append).finally_(lambda: called.append("f")).run()
    owner.deleteLater()
    qtbot.waitUntil(lambda: not _valid(owner))
    gate.set()
    qtbot.waitUntil(lambda: ops.busy == 0)
    assert called == []


def _valid(widget: QWidget) -> bool:
    import shiboken6

    return shiboken6.isValid(widget)


def test_progress_is_throttled_but_the_last_report_always_arrives(ops, qtbot) -> None:
    seen: list[tuple[int, int]] = []
    report = ops.progress(lambda done, total: seen.append((done, total)), per_second=5)

    def work() -> None:
        for i in range(1, 10_001):
            report(i, 10_000)

    ops.write(work).run()
    qtbot.waitUntil(lambda: ops.busy == 0 and seen and seen[-1] == (10_000, 10_000))
    assert len(seen) < 50


def test_busy_counts_the_ops_under_way(ops, qtbot) -> None:
    gate = threading.Event()
    counts: list[int] = []
    ops.busy_changed.connect(counts.append)
    ops.read(lambda: gate.wait(5)).run()
    assert ops.busy == 1
    gate.set()
    qtbot.waitUntil(lambda: ops.busy == 0)
    assert counts[0] == 1 and counts[-1] == 0


def test_after_shutdown_no_new_work_is_taken(ops) -> None:
    ops.shutdown()
    with pytest.raises(RuntimeError, match="closing"):
        ops.write(lambda: None).run()
