"""Sounds for a good and a bad scan (placeholder until built). API: ``play(ctx, "good" | "bad")``."""

from __future__ import annotations

from typing import Literal

from pos_app.ui.context import UiContext

Sound = Literal["good", "bad"]


def play(ctx: UiContext, sound: Sound) -> None:
    """Never blocks and never fails: a till without a speaker just stays quiet."""
