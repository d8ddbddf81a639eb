"""The status bar says what the sync worker, the printer and the scanner last reported, and nothing else."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from pos_app.sync.worker import SyncState
from pos_app.ui.status_bar import TillStatusBar, ago


def test_until_anything_reports_it_says_it_is_checking(ctx, qtbot) -> None:
    bar = TillStatusBar(ctx)
    qtbot.addWidget(bar)
    assert "checking" in bar.server.text() and "checking" in bar.printer.text()


def test_offline_with_unsynced_entries_is_shown_as_a_warning(ctx, qtbot) -> None:
    bar = TillStatusBar(ctx)
    qtbot.addWidget(bar)
    last = datetime.now(UTC) - timedelta(minutes=7)
    ctx.events.sync_state.emit(SyncState(mode="offline", unsynced=3, last_sync=last))
    assert "OFFLINE" in bar.server.text() and bar.server.property("state") == "warn"
    assert bar.unsynced.text() == "Unsynced: 3" and bar.unsynced.property("state") == "warn"
    assert bar.last_sync.text() == "Last sync: 7 min ago"
    ctx.events.sync_state.emit(SyncState(mode="online", unsynced=0, last_sync=datetime.now(UTC)))
    assert bar.server.property("state") == "ok" and bar.unsynced.text() == "Unsynced: 0"


def test_a_standalone_till_hides_what_does_not_apply(ctx, qtbot) -> None:
    bar = TillStatusBar(ctx)
    qtbot.addWidget(bar)
    bar.show()
    ctx.events.sync_state.emit(SyncState(mode="standalone"))
    assert bar.server.text() == "Standalone till" and not bar.unsynced.isVisible()


def test_printer_and_scanner_states(ctx, qtbot) -> None:
    bar = TillStatusBar(ctx)
    qtbot.addWidget(bar)
    ctx.events.printer_state.emit("failed", "Printer: not printing — check it")
    ctx.events.scanner_state.emit("camera", "Camera: ready")
    assert bar.printer.property("state") == "bad" and bar.scanner.property("state") == "ok"


def test_ago_reads_like_a_person() -> None:
    now = datetime(2026, 1, 1, 12, tzinfo=UTC)
    assert ago(None) == "never"
    assert ago(now - timedelta(seconds=20), now) == "just now"
    assert ago(now - timedelta(hours=3), now) == "3 h ago"
    assert ago(now - timedelta(days=2), now) == "2 days ago"


def test_before_the_first_receipt_it_says_only_whether_a_printer_is_set_up(ctx, qtbot, settle) -> None:
    bar = TillStatusBar(ctx)
    qtbot.addWidget(bar)
    settle()
    assert bar.printer.text() == "Printer: set up, nothing printed yet"
