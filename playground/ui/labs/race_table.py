"""The racers' scoreboard: colour, name, steps, current loss, steps to reach the tolerance."""
from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QIcon, QPainter, QPixmap
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableWidget, QTableWidgetItem

from .internals_text import num
from .race_model import RaceModel

HEADERS = [("", "The racer's colour on the surface"),
           ("Racer", "The optimizer and its learning rate (the engine's own optimizer classes)"),
           ("Steps", "Steps taken so far"),
           ("Loss J", "The loss at the racer's current point"),
           ("Steps to tol.", "The first step at which J − J* fell below the tolerance "
                             "(— : not yet, or the surface has no minimum)")]


def dot_icon(color: str, size: int = 14) -> QIcon:
    """A filled circle in the racer's colour (an icon keeps its colour when the row is selected)."""
    pix = QPixmap(size, size)
    pix.fill(Qt.transparent)
    painter = QPainter(pix)
    painter.setRenderHint(QPainter.Antialiasing)
    painter.setPen(QColor("#ffffff"))
    painter.setBrush(QColor(color))
    painter.drawEllipse(1, 1, size - 2, size - 2)
    painter.end()
    return QIcon(pix)


class RaceTable(QTableWidget):
    def __init__(self, parent=None):
        super().__init__(0, len(HEADERS), parent)
        for i, (text, tip) in enumerate(HEADERS):
            item = QTableWidgetItem(text)
            item.setToolTip(tip)
            self.setHorizontalHeaderItem(i, item)
        self.verticalHeader().hide()
        self.setSelectionBehavior(QAbstractItemView.SelectRows)
        self.setSelectionMode(QAbstractItemView.SingleSelection)
        self.setEditTriggers(QAbstractItemView.NoEditTriggers)
        head = self.horizontalHeader()
        head.setSectionResizeMode(QHeaderView.ResizeToContents)
        head.setSectionResizeMode(1, QHeaderView.Stretch)
        self.setAlternatingRowColors(True)

    def rebuild(self, model: RaceModel) -> None:
        selected = self.currentRow()
        self.setRowCount(len(model.entries))
        for row, entry in enumerate(model.entries):
            swatch = QTableWidgetItem()
            swatch.setIcon(dot_icon(entry.color))
            self.setItem(row, 0, swatch)
            name = QTableWidgetItem(entry.label)
            name.setToolTip(("Built in" if entry.builtin else "Added by you")
                            + f": {entry.config}")
            self.setItem(row, 1, name)
            for col in (2, 3, 4):
                item = QTableWidgetItem("")
                item.setTextAlignment(Qt.AlignRight | Qt.AlignVCenter)
                self.setItem(row, col, item)
        if 0 <= selected < self.rowCount():
            self.selectRow(selected)

    @staticmethod
    def _set(item: QTableWidgetItem, text: str) -> None:
        if item.text() != text:           # an unchanged cell is not repainted
            item.setText(text)

    def refresh(self, model: RaceModel, tol: float) -> None:
        for row, racer in enumerate(model.racers):
            if self.item(row, 2) is None:
                return
            self._set(self.item(row, 2), f"{racer.steps:,}")
            loss = self.item(row, 3)
            self._set(loss, "stopped" if racer.stopped else num(racer.loss))
            loss.setToolTip(racer.stopped or "")
            hit = model.steps_to_tolerance(racer, tol)
            self._set(self.item(row, 4), "—" if hit is None else f"{hit:,}")
