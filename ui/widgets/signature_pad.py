"""A box to sign in with a finger, a pen or the mouse (a check's signer, a visitor after an incident, both people at a
handover): the strokes are kept as points normalised to the box, 0 to 1, so they print sharp at any size and the
service can tell that something was drawn (app/domain/signature.py)."""
from __future__ import annotations

from PySide6.QtCore import QPointF, Qt, Signal
from PySide6.QtGui import QColor, QMouseEvent, QPainter, QPainterPath, QPaintEvent, QPen
from PySide6.QtWidgets import QSizePolicy, QWidget


class SignaturePad(QWidget):
    """A finger on a touch screen arrives as mouse events: Qt makes them from touches no widget takes."""

    changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("signaturePad")
        self.setMinimumSize(360, 140)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self._strokes: list[list[QPointF]] = []

    def strokes(self) -> list[list[tuple[float, float]]]:
        """What was drawn, each point as a share of the box's width and height."""
        w, h = max(self.width(), 1), max(self.height(), 1)
        return [[(min(max(p.x() / w, 0.0), 1.0), min(max(p.y() / h, 0.0), 1.0)) for p in stroke]
                for stroke in self._strokes]

    def is_empty(self) -> bool:
        return not any(len(stroke) > 1 for stroke in self._strokes)

    def clear(self) -> None:
        self._strokes = []
        self.update()
        self.changed.emit()

    def mousePressEvent(self, event: QMouseEvent) -> None:  # noqa: N802 (Qt's name)
        if event.button() == Qt.MouseButton.LeftButton:
            self._strokes.append([event.position()])
            self.update()

    def mouseMoveEvent(self, event: QMouseEvent) -> None:  # noqa: N802
        if event.buttons() & Qt.MouseButton.LeftButton and self._strokes:
            self._strokes[-1].append(event.position())
            self.update()

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:  # noqa: N802
        if event.button() == Qt.MouseButton.LeftButton and self._strokes:
            self._strokes[-1].append(event.position())
            self.update()
            self.changed.emit()

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.fillRect(self.rect(), QColor("white"))
        painter.setPen(QPen(QColor("#9e9e9e"), 1))
        painter.drawRect(self.rect().adjusted(0, 0, -1, -1))
        baseline = int(self.height() * 0.75)
        painter.drawLine(12, baseline, self.width() - 12, baseline)  # where people sign, as on paper
        painter.setPen(QPen(QColor("black"), 2.4, Qt.PenStyle.SolidLine, Qt.PenCapStyle.RoundCap,
                            Qt.PenJoinStyle.RoundJoin))
        for stroke in self._strokes:
            path = QPainterPath(stroke[0])
            for point in stroke[1:]:
                path.lineTo(point)
            painter.drawPath(path)
        painter.end()
