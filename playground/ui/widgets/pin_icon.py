"""A drawn push-pin icon for "Pin run" (Qt's standard icons have none)."""
from __future__ import annotations

from PySide6.QtCore import QPointF, Qt
from PySide6.QtGui import QColor, QIcon, QPainter, QPen, QPixmap


def pin_icon(size: int = 32) -> QIcon:
    pixmap = QPixmap(size, size)
    pixmap.fill(Qt.transparent)
    p = QPainter(pixmap)
    p.setRenderHint(QPainter.Antialiasing)
    s = size / 32.0
    p.setPen(QPen(QColor(90, 90, 90), 2.4 * s))
    p.drawLine(QPointF(16 * s, 18 * s), QPointF(9 * s, 29 * s))          # the needle
    p.setPen(QPen(QColor(150, 30, 30), 1.2 * s))
    p.setBrush(QColor(214, 39, 40))
    p.drawEllipse(QPointF(19 * s, 11 * s), 8 * s, 8 * s)                  # the head
    p.setBrush(QColor(255, 255, 255, 150))
    p.setPen(Qt.NoPen)
    p.drawEllipse(QPointF(16.5 * s, 8.5 * s), 2.5 * s, 2.5 * s)           # its shine
    p.end()
    return QIcon(pixmap)
