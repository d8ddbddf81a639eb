"""The till window's speed (not part of the test run): ``python -m tests.benchmarks.gui [--section NAME]``.

Runs the real window on an X server (Xvfb, started here when there is no ``DISPLAY``) on a fresh demo shop, and
prints each figure next to a baseline measured in the same run, so the figures are read as ratios on this
(shared, noisy) machine:

* ``start`` — cold start: from launching ``pos-app --demo`` (a new Python process: interpreter, imports, the
  store, the window) to the first frame painted with the event loop idle, median and worst of ``--runs``.
  Baseline: a process that imports PySide6 and shows one QLabel the same way. Target ≤ 2 s.
* ``scan`` — scan to card: a USB scanner's burst of keys sent to the window (through the keyboard-wedge
  filter) until the card panel shows the card, over ``--scans`` scans of alternating cards. Baseline: the same
  look-up called directly (``session.look_up``: the store alone). Target ≤ 100 ms.
* ``stalls`` — the GUI thread's longest stall while work happens elsewhere: a heartbeat timer ticks every 5 ms on
  the GUI thread and the worst lateness of a tick is the longest the window could not respond. Measured while
  idle (the baseline), while the demo camera decodes frames and cards are scanned and looked up, while the sync
  worker pulls a campaign of ``--sync-cards`` cards from a real ``pos-server`` on 127.0.0.1, and while sales print
  their receipts to a network printer that takes its time. Target: no stall over 50 ms.
"""

from __future__ import annotations

import argparse
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


# ---- the GUI thread's heartbeat ------------------------------------------------------------------------------


class Heartbeat:
    """A QTimer every ``interval_ms`` on the GUI thread; a tick's lateness is how long the thread was busy."""

    def __init__(self, interval_ms: int = 5) -> None:
        from PySide6.QtCore import Qt, QTimer

        self.interval = interval_ms / 1000
        self.late: list[float] = []
        self._last: float | None = None
        self._timer = QTimer()
        self._timer.setTimerType(Qt.TimerType.PreciseTimer)
        self._timer.setInterval(interval_ms)
        self._timer.timeout.connect(self._tick)

    def _tick(self) -> None:
        now = time.perf_counter()
        if self._last is not None:
            self.late.append(max(0.0, now - self._last - self.interval))
        self._last = now

    def start(self) -> None:
        self.late.clear()
        self._last = None
        self._timer.start()

    def stop(self) -> tuple[float, float, int]:
        """The worst and the 99th percentile lateness (ms), and how many ticks."""
        self._timer.stop()
        late = sorted(self.late) or [0.0]
        return late[-1] * 1000, late[int(len(late) * 0.99) - 1 if len(late) > 1 else 0] * 1000, len(late)


def pump(seconds: float, until: Callable[[], bool] | None = None) -> None:
    from PySide6.QtWidgets import QApplication

    app = QApplication.instance()
    assert app is not None
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline and not (until is not None and until()):
        app.processEvents()
        time.sleep(0.001)


# ---- the window --------------------------------------------------------------------------------------------


@contextmanager
def display() -> Iterator[str]:
    """An X display for the real window: the one we have, else an Xvfb of our own."""
    if os.environ.get("DISPLAY"):
        yield "xcb"
        return
    sys.path.insert(0, str(ROOT / "packaging"))
    from screenshots import start_xvfb  # type: ignore[import-not-found]

    server = start_xvfb(1920, 1080)
    try:
        yield "xcb"
    finally:
        if server is not None:
            server.terminate()
            server.wait(5)
            os.environ.pop("DISPLAY", None)


def demo_window(folder: Path, *, demo_camera: bool = False):  # type: ignore[no-untyped-def]
    from pos_app.bootstrap import open_till
    from pos_app.demo import build_demo
    from pos_app.ui.app import build_context, build_window
    from pos_app.ui.demo import demo_info

    till = open_till(folder)
    build_demo(till)
    info = demo_info(till)
    if not demo_camera:
        info = type(info)(pins=info.pins, codes=info.codes, images=None)
    ctx = build_context(till, demo=info)
    window = build_window(ctx)
    window.resize(1280, 800)
    window.show()
    window.start_background()
    pump(1.0)
    caller = ctx.session.login("1234")
    ctx.events.logged_in.emit(caller)
    pump(0.3, lambda: ctx.ops.busy == 0)
    return window, ctx


def report(name: str, figure: str, baseline: str, ratio: float | None = None) -> None:
    shown = f"{ratio:5.2f}x" if ratio is not None else ""
    print(f"  {name:<34} {figure:<28} {baseline:<34} {shown}", flush=True)


# ---- sections ----------------------------------------------------------------------------------------------


def section_start(args: argparse.Namespace) -> None:
    print(f"cold start to a usable window (median / worst of {args.runs}):")
    folder = Path(tempfile.mkdtemp(prefix="pos-start-"))
    env = dict(os.environ, POS_APP_STARTUP_PROBE="1", QT_QPA_PLATFORM="xcb")
    command = [sys.executable, "-m", "pos_app", "--data-dir", str(folder), "--demo"]
    subprocess.run(command, env=env, capture_output=True, check=True, timeout=300)  # builds the demo shop once
    bare = [sys.executable, "-c", "from PySide6.QtWidgets import QApplication, QLabel\n"
            "from PySide6.QtCore import QTimer\nimport sys\napp = QApplication(sys.argv)\nw = QLabel('till')\n"
            "w.show()\nQTimer.singleShot(0, lambda: (print('usable', flush=True), app.quit()))\napp.exec()"]

    def launch(cmd: list[str]) -> float:
        started = time.perf_counter()
        proc = subprocess.Popen(cmd, env=env, stdout=subprocess.PIPE, text=True)
        assert proc.stdout is not None
        line = proc.stdout.readline()
        took = time.perf_counter() - started
        proc.wait(60)
        if "usable" not in line:
            raise RuntimeError(f"{cmd[:3]} did not report a usable window")
        return took * 1000

    tills, bares = [], []
    for _ in range(args.runs):
        tills.append(launch(command))
        bares.append(launch(bare))
    till_ms, bare_ms = statistics.median(tills), statistics.median(bares)
    report("pos-app --demo", f"{till_ms:6.0f} ms / {max(tills):6.0f} ms",
           f"bare PySide6 window {bare_ms:5.0f} ms", till_ms / bare_ms)


def section_scan(args: argparse.Namespace) -> None:
    from tests.ui.keys import scanner_burst

    print(f"scan to card on screen (median / p95 / worst of {args.scans} scans):")
    with tempfile.TemporaryDirectory() as folder:
        window, ctx = demo_window(Path(folder))
        screen = window.cashier
        codes = [ctx.demo.codes["active"], ctx.demo.codes["partly_used"]]
        shown: dict[str, float] = {}
        real_show = screen.panel.show_card

        def show_card(view, *a, **kw):  # type: ignore[no-untyped-def]
            real_show(view, *a, **kw)
            screen.panel.repaint()  # on screen, not just in the model
            shown[view.card.code] = time.perf_counter()

        screen.panel.show_card = show_card  # type: ignore[method-assign]
        times, direct = [], []
        seen: list[str] = []
        ctx.events.scanned.connect(seen.append)
        for i in range(args.scans):
            code = codes[i % 2]
            shown.pop(code, None)
            screen.pad.field.setFocus()
            started = time.perf_counter()
            scanner_burst(screen.pad.field, code + "\r")  # delivered at once, as Qt delivers a queued burst
            pump(5.0, lambda code=code: code in shown)
            if code not in shown:
                raise RuntimeError(f"scan {i}: the card did not show (scans seen: {seen}, panel: "
                                   f"{screen.panel.card and screen.panel.card.code}, focus: {screen.focusWidget()})")
            times.append((shown[code] - started) * 1000)
            t0 = time.perf_counter()
            ctx.session.look_up(code)
            direct.append((time.perf_counter() - t0) * 1000)
            pump(0.2)  # a burst's key stamps run ~90 ms ahead: the next card comes after them, as in a shop
        times.sort()
        median, p95 = statistics.median(times), times[int(len(times) * 0.95) - 1]
        base = statistics.median(direct)
        report("scanner burst → card shown", f"{median:5.1f} / {p95:5.1f} / {times[-1]:5.1f} ms",
               f"session.look_up alone {base:5.1f} ms", median / base)
        window.close()


def section_stalls(args: argparse.Namespace) -> None:
    print("longest stall of the GUI thread (worst / p99 lateness of a 5 ms heartbeat):")
    with tempfile.TemporaryDirectory() as folder:
        window, ctx = demo_window(Path(folder) / "till", demo_camera=True)
        beat = Heartbeat()

        beat.start()
        pump(args.seconds)
        idle = beat.stop()
        report("idle (baseline)", f"{idle[0]:5.1f} / {idle[1]:4.1f} ms", f"{idle[2]} ticks")

        pictures = sorted(ctx.demo.images.glob("*.png"))
        from pos_app.ui.scan.demo_camera import desk_for

        scans = []
        ctx.events.scanned.connect(scans.append)
        beat.start()
        end = time.monotonic() + args.seconds
        i = 0
        while time.monotonic() < end:
            desk_for(ctx).hold(pictures[i % len(pictures)])
            i += 1
            pump(2.2)  # the camera's cool-down: each card is one scan
        camera = beat.stop()
        report("camera decoding + scans + look-ups", f"{camera[0]:5.1f} / {camera[1]:4.1f} ms",
               f"{len(scans)} scans, {camera[2]} ticks", camera[0] / max(idle[0], 0.1))

        printed = _stall_while_printing(window, ctx, beat, args)
        report("sales printing to a slow printer", f"{printed[0]:5.1f} / {printed[1]:4.1f} ms",
               f"{printed[3]} receipts, {printed[2]} ticks", printed[0] / max(idle[0], 0.1))
        window.close()
    synced = _stall_while_syncing(args, beat)
    report(f"sync pulling {args.sync_cards:,} cards", f"{synced[0]:5.1f} / {synced[1]:4.1f} ms",
           f"{synced[3]:.1f} s of sync, {synced[2]} ticks", synced[0] / max(idle[0], 0.1))


def _stall_while_printing(window, ctx, beat: Heartbeat, args: argparse.Namespace):  # type: ignore[no-untyped-def]
    """Sales whose receipts go to a TCP printer on 127.0.0.1 that reads slowly (a few ms per chunk)."""
    from pos_app.domain.money import Money
    from pos_app.printing.printer_settings import PrinterSettings

    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen()
    port = listener.getsockname()[1]
    stop = threading.Event()

    def printer() -> None:
        listener.settimeout(0.2)
        while not stop.is_set():
            try:
                conn, _ = listener.accept()
            except TimeoutError:
                continue
            with conn:
                conn.settimeout(2)
                try:
                    while conn.recv(256):
                        time.sleep(0.005)
                except OSError:
                    pass

    thread = threading.Thread(target=printer, daemon=True)
    thread.start()
    ctx.session.till.save_printer_settings(PrinterSettings(destination=f"tcp://127.0.0.1:{port}"))
    code = ctx.demo.codes["active"]
    done: list[object] = []
    beat.start()
    for _ in range(args.receipts):
        ctx.ops.write(lambda: ctx.session.redeem(code, Money(10, "EUR"))).success(done.append).run()
        pump(0.15)
    pump(30, lambda: len(done) == args.receipts and ctx.ops.busy == 0)
    result = beat.stop()
    stop.set()
    thread.join(2)
    listener.close()
    return (*result, sum(1 for sale in done if getattr(sale, "receipt", None) and sale.receipt.printed))


def _stall_while_syncing(args: argparse.Namespace, beat: Heartbeat):  # type: ignore[no-untyped-def]
    """A till enrolled to a real server pulls a campaign of ``--sync-cards`` cards while the window runs."""
    sys.path.insert(0, str(ROOT))
    from pos_app.bootstrap import open_till
    from pos_app.ui.app import build_context, build_window
    from tests.cli_shop import Shop
    from tests.server.harness import add_user, enrol_codes, pos_server, running_server

    with tempfile.TemporaryDirectory() as folder:
        db_url = f"sqlite:///{Path(folder) / 'server.sqlite3'}"
        shop = Shop(Path(folder) / "till")
        with running_server(db_url) as server:
            add_user(db_url, "Maria", "manager", "9876")
            shop.ok("enroll", "--server", server.url, "--code", enrol_codes(db_url, 1)[0], "--name", "T", pin=None)
            pos_server(db_url, "campaign", "create", "--name", "Big", "--amount", "10.00",
                       "--count", str(args.sync_cards), timeout=600)
            till = open_till(shop.data_dir)
            ctx = build_context(till, printing=False)
            window = build_window(ctx)
            window.resize(1280, 800)
            window.show()
            pump(0.5)
            beat.start()
            started = time.monotonic()
            window.start_background()  # the sync worker's first cycle pulls everything
            pump(600, lambda: window.sync.worker is not None and window.sync.worker.state.last_sync is not None
                 and "online" in window.status.server.text())
            took = time.monotonic() - started
            result = beat.stop()
            with till.new_reader() as uow:
                held = sum(1 for _ in uow.cards.iter_all())
            if held < args.sync_cards:
                raise RuntimeError(f"the till holds {held} cards after the sync, not {args.sync_cards}")
            window.close()
    return (*result, took)


SECTIONS = {"start": section_start, "scan": section_scan, "stalls": section_stalls}


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--section", choices=sorted(SECTIONS), action="append")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--scans", type=int, default=40)
    parser.add_argument("--seconds", type=float, default=8.0)
    parser.add_argument("--receipts", type=int, default=20)
    parser.add_argument("--sync-cards", type=int, default=20_000)
    args = parser.parse_args(argv)
    with display() as platform:
        os.environ["QT_QPA_PLATFORM"] = platform
        from pos_app.qt_printing.qt_app import ensure_app

        ensure_app()
        for name in args.section or list(SECTIONS):
            SECTIONS[name](args)


if __name__ == "__main__":
    main()
