"""The camera picture, scaled to fit with its aspect kept, and the codes found in it outlined.

Cheap to paint: the picture is scaled once per new frame or resize (and cached as a pixmap), never on every paint.
The outline's colour is a property the style sheet may set (``qproperty-outlineColor``); green by default.
"""

from __future__ import annotations

from PySide6.QtCore import Property, QPointF, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QPainter, QPaintEvent, QPen, QPixmap, QPolygonF, QResizeEvent
from PySide6.QtWidgets import QSizePolicy, QWidget

from pos_app.ui.scan.preview import Preview


class PreviewView(QWidget):
    def __init__(self) -> None:
        super().__init__()
        self.setObjectName("CameraPreview")
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setMinimumSize(128, 72)  # 16:9 at its smallest: a 1024×700 window, with five rows of history below
        self._preview: Preview | None = None
        self._pixmap: QPixmap | None = None  # the picture at the current size
        self._outline = QColor(46, 204, 64)

    def _get_outline(self) -> QColor:
        return self._outline

    def _set_outline(self, colour: QColor) -> None:
        self._outline = QColor(colour)
        self.update()

    outlineColor = Property(QColor, _get_outline, _set_outline)

    @property
    def current(self) -> Preview | None:
        return self._preview

    def set_preview(self, preview: Preview) -> None:
        self._preview = preview
        self._pixmap = None
        self.update()

    def clear(self) -> None:
        self._preview, self._pixmap = None, None
        self.update()

    def sizeHint(self) -> QSize:
        return QSize(320, 180)  # small: the layout gives it the room it can spare (a 1024×768 till has little)

    def resizeEvent(self, event: QResizeEvent) -> None:
        self._pixmap = None
        super().resizeEvent(event)

    def _target(self) -> QRectF:
        """Where the picture goes: as large as fits, centred, aspect kept."""
        assert self._preview is not None
        image = self._preview.image.size()
        if image.isEmpty():
            return QRectF()
        size = image.scaled(self.size(), Qt.AspectRatioMode.KeepAspectRatio)
        return QRectF((self.width() - size.width()) / 2, (self.height() - size.height()) / 2,
                      size.width(), size.height())

    def paintEvent(self, event: QPaintEvent) -> None:
        if self._preview is None:
            return
        target = self._target()
        if target.isEmpty():
            return
        if self._pixmap is None or self._pixmap.size() != target.size().toSize():
            self._pixmap = QPixmap.fromImage(self._preview.image.scaled(
                target.size().toSize(), Qt.AspectRatioMode.IgnoreAspectRatio,
                Qt.TransformationMode.SmoothTransformation))
        painter = QPainter(self)
        painter.drawPixmap(target.topLeft(), self._pixmap)
        if self._preview.outlines:
            scale = target.width() / self._preview.image.width()
            painter.setRenderHint(QPainter.RenderHint.Antialiasing)
            pen = QPen(self._outline, 4)
            pen.setJoinStyle(Qt.PenJoinStyle.RoundJoin)
            painter.setPen(pen)
            for outline in self._preview.outlines:
                painter.drawPolygon(QPolygonF([QPointF(target.x() + p.x() * scale, target.y() + p.y() * scale)
                                               for p in outline]))
        painter.end()
