"""Screenshots of the real till window on an X server, for the README: ``python packaging/screenshots.py``.

The window runs on Qt's xcb platform against Xvfb (started here when there is no ``DISPLAY``), on a fresh demo
shop in a temporary folder, and is driven as a person would: the PIN, a scanned card, an amount, Redeem, a
refused card, the manager's pages. Each picture is grabbed from the X server's screen (what a monitor would show),
not from Qt's offscreen buffers. Output: ``resources/screenshots/*.png`` (``--out`` elsewhere).
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def start_xvfb(width: int, height: int) -> subprocess.Popen[bytes] | None:
    """An Xvfb of ``width``×``height`` when there is no display; None when there is one already."""
    if os.environ.get("DISPLAY"):
        return None
    if shutil.which("Xvfb") is None:
        raise SystemExit("Xvfb is not installed (Debian: apt-get install xvfb; .ci/system-packages.sh does it)")
    for number in range(90, 110):
        if not Path(f"/tmp/.X11-unix/X{number}").exists() and not Path(f"/tmp/.X{number}-lock").exists():
            break
    server = subprocess.Popen(["Xvfb", f":{number}", "-screen", "0", f"{width}x{height}x24", "-nolisten", "tcp"],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 10
    while not Path(f"/tmp/.X11-unix/X{number}").exists():
        if time.monotonic() > deadline or server.poll() is not None:
            raise SystemExit("Xvfb did not start")
        time.sleep(0.05)
    os.environ["DISPLAY"] = f":{number}"
    return server


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "resources" / "screenshots")
    parser.add_argument("--language", default="en", help="the window's language, e.g. de")
    args = parser.parse_args(argv)
    xvfb = start_xvfb(1920, 1080)
    os.environ["QT_QPA_PLATFORM"] = "xcb"
    try:
        with tempfile.TemporaryDirectory() as folder:
            return _shoot(Path(folder), args.out, args.language)
    finally:
        if xvfb is not None:
            xvfb.terminate()
            xvfb.wait(5)


def _shoot(folder: Path, out: Path, language: str = "en") -> int:
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication

    from pos_app.bootstrap import open_till
    from pos_app.demo import build_demo
    from pos_app.ui.app import build_context, build_window
    from pos_app.ui.demo import demo_info

    till = open_till(folder / "till")
    build_demo(till)
    ctx = build_context(till, demo=demo_info(till), language=language)
    window = build_window(ctx)
    window.move(0, 0)
    window.resize(1280, 800)
    window.show()
    window.start_background()
    app = QApplication.instance()
    assert app is not None
    out.mkdir(parents=True, exist_ok=True)

    def wait(condition: Callable[[], bool] = lambda: True, seconds: float = 10.0, settle: float = 0.4,
             idle: bool = True) -> None:
        deadline = time.monotonic() + seconds
        while not condition() or (idle and ctx.ops.busy):
            if time.monotonic() > deadline:
                raise TimeoutError("the window did not get there in time")
            app.processEvents()
            time.sleep(0.01)
        end = time.monotonic() + settle  # let the repaint reach the X server
        while time.monotonic() < end:
            app.processEvents()
            time.sleep(0.01)

    def shot(name: str) -> None:
        wait()
        grab(name)

    def grab(name: str) -> None:  # as it is now, busy or not
        app.processEvents()
        screen = window.screen()
        frame = window.frameGeometry()
        picture = screen.grabWindow(0, frame.x(), frame.y(), frame.width(), frame.height())
        picture.save(str(out / f"{name}.png"))
        print(f"{out / f'{name}.png'} {picture.width()}x{picture.height()}")

    _scenes(window, ctx, wait, shot, grab)
    QTimer.singleShot(0, window.close)
    wait()
    window.close()
    return 0


def _type(widget: object, text: str, wait: Callable[..., None]) -> None:
    """Keys at a person's pace (a scanner's pace would be taken for a scan, as it should)."""
    from PySide6.QtTest import QTest

    for ch in text:
        QTest.keyClicks(widget, ch)  # type: ignore[arg-type]
        wait(settle=0.08)


def _scenes(window, ctx, wait, shot, shot_now) -> None:  # type: ignore[no-untyped-def]
    from PySide6.QtCore import Qt
    from PySide6.QtTest import QTest

    from pos_app.ui.manager.campaigns_page import CampaignsPage
    from pos_app.ui.manager.cards_page import CardsPage
    from pos_app.ui.manager.reports_page import ReportsPage
    from pos_app.ui.manager.search_page import SearchPage
    from pos_app.ui.manager.settings_page import SettingsPage

    codes = ctx.demo.codes
    wait(lambda: window.status.scanner.property("state") == "ok", settle=1.0)  # the camera is on
    shot("login")

    for digit in "1234":
        window.login.pad.press(digit)
    window.login.pad.submit()
    wait(lambda: window.screens.currentWidget() is window.cashier)
    cashier = window.cashier

    def holding(state: str) -> None:  # a demo card held up to the (demo) camera: the real decoder reads it
        picture = next(p for p in sorted(ctx.demo.images.glob("*.png")) if f"-{state}-" in p.name)
        cashier.scan_area.hold_up(picture)

    holding("partly_used")
    wait(lambda: cashier.panel.card is not None and cashier.panel.card.code == codes["partly_used"])
    _type(cashier.pad.field, "12.50", wait)
    shot("cashier-card")
    QTest.keyClick(cashier.pad.field, Qt.Key.Key_Return)
    wait(lambda: cashier.panel.card is not None and cashier.panel.card.balance == 2500, settle=0.8)
    shot("cashier-sale")

    wait(settle=2.5)  # the demo camera's cool-down: one card, one scan
    holding("disabled")
    wait(lambda: cashier.panel.card is not None and cashier.panel.card.code == codes["disabled"],
         settle=0.8)
    shot("cashier-refused")

    window.resize(1024, 768)
    wait(settle=0.8)
    shot("cashier-1024x768")
    window.resize(1280, 800)

    window.lock()
    wait(lambda: window.screens.currentWidget() is window.login)
    for digit in "9876":
        window.login.pad.press(digit)
    window.login.pad.submit()
    wait(lambda: ctx.session.caller is not None)
    window.show_manager()
    wait(lambda: window.screens.currentWidget() is window.manager)
    cards = window.manager.open(CardsPage)
    cards.show_code(codes["active"])
    wait(settle=1.0)
    shot("manager-cards")
    search = window.manager.open(SearchPage)
    search.search_edit.setText(codes["partly_used"][:6])
    search.search_now()
    wait(settle=1.0)
    shot("manager-search")
    campaigns = window.manager.open(CampaignsPage)
    wait(settle=0.5)
    campaigns.new_campaign()
    form = campaigns.form
    form.name.setText("Spring cards €25")
    form.amount.setText("25.00")
    form.count.setText("60000")
    form.submit()
    wait(lambda: form.progress.value() > 10000, seconds=60, settle=0.1, idle=False)  # the progress bar at work
    shot_now("manager-campaign-progress")
    wait(lambda: not form.progress.isVisible(), seconds=120, settle=1.0)
    shot("manager-campaigns")

    window.resize(1920, 1080)
    window.manager.open(ReportsPage)
    wait(settle=1.5)
    shot("manager-reports-1920x1080")
    window.resize(1280, 800)
    settings = window.manager.open(SettingsPage)
    settings.tabs.setCurrentIndex(2)  # the printer
    wait(settle=1.0)
    shot("manager-settings-printer")


if __name__ == "__main__":
    sys.exit(main())
