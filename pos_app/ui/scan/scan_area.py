"""The scan area of the cashier screen (placeholder until built).

API: ``ScanArea(ctx)``, a QWidget showing the camera preview with the detected code outlined (from
``ctx.events.camera_frame``), or "Ready for scanner" when there is no camera.
"""

from __future__ import annotations

from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from pos_app.ui.context import UiContext
from pos_app.ui.messages import tr


class ScanArea(QWidget):
    def __init__(self, ctx: UiContext) -> None:
        super().__init__()
        self.ctx = ctx
        QVBoxLayout(self).addWidget(QLabel(tr("Ready for scanner")))
