"""Every way a card reaches the till, turned into ``events.scanned`` (placeholder until it is built)."""

from __future__ import annotations

from pos_app.ui.context import UiContext


class ScanInputs:
    def __init__(self, ctx: UiContext) -> None:
        self.ctx = ctx

    def start(self) -> None:
        self.ctx.events.scanner_state.emit("ready", "Scanner: ready")

    def stop(self) -> None:
        pass
