"""The timeline bar under the toolbar: a slider over the run's recorded moments.

Marks stand at the recorded steps on a logarithmic axis (the moments are log-spaced, so they
spread evenly); hovering tells the step, epoch, loss and accuracy there; pressing or dragging
picks the nearest moment (``scrubbed``). "Live" goes back to the running network, "Resume from
here" trains on from the moment shown.
"""
from __future__ import annotations

import math

from PySide6.QtCore import QPointF, QRectF, QSize, Qt, Signal
from PySide6.QtGui import QColor, QPainter, QPen
from PySide6.QtWidgets import (QHBoxLayout, QLabel, QMenu, QSizePolicy, QToolButton, QToolTip,
                               QVBoxLayout, QWidget)

from . import theme

SLIDER_TIP = ("The run's timeline: each mark is a recorded moment (every step at first, then "
              "further apart: the first steps change the network the most). Drag to see every "
              "view as it was then; training goes on meanwhile. Press Live or Play to come back.")
RESUME_TIP = ("Train on from the moment shown: its weights, optimizer state and batch order come "
              "back, and the later moments are dropped (Undo brings them back).")
LIVE_TIP = "Show the network as it is now again (leave the timeline)."


def describe(label: dict) -> str:
    """"step 1,234 · epoch 5 · loss 0.123 / test 0.145 · accuracy 92.0 %" for a moment."""
    parts = [f"step {label['step']:,}", f"epoch {label['epoch']:,}"]
    train, test = label.get("train_loss"), label.get("test_loss")
    if train is not None and math.isfinite(train):
        loss = f"loss {train:.4g}"
        if test is not None and math.isfinite(test):
            loss += f" / test {test:.4g}"
        parts.append(loss)
    for key, words in (("test_accuracy", "test accuracy"), ("train_accuracy", "accuracy"),
                       ("test_r2", "test R²"), ("train_r2", "R²")):
        value = label.get(key)
        if value is not None and math.isfinite(value):
            parts.append(f"{words} {100 * value:.1f} %" if "accuracy" in key else
                         f"{words} {value:.3f}")
            break
    return " · ".join(parts)


class TimelineSlider(QWidget):
    """Marks at the moments' steps (log axis) and a handle at the one shown; ``scrubbed(index)``
    on press and drag."""

    scrubbed = Signal(int)
    MARGIN = 8

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.labels: list[dict] = []
        self.current: int | None = None          # None: live (the handle at the live end)
        self._xs: list[float] = []
        self.setMouseTracking(True)
        self.setMinimumWidth(80)
        self.setSizePolicy(QSizePolicy.Expanding, QSizePolicy.Fixed)
        self.setToolTip(SLIDER_TIP)

    def sizeHint(self) -> QSize:
        return QSize(400, 20)

    def set_moments(self, labels: list[dict]) -> None:
        self.labels = labels
        if self.current is not None and self.current >= len(labels):
            self.current = len(labels) - 1 if labels else None
        self._place()
        self.update()

    def set_current(self, index: int | None) -> None:
        self.current = index
        self.update()

    def _place(self) -> None:
        logs = [math.log1p(max(label["step"], 0)) for label in self.labels]
        left, width = self.MARGIN, max(self.width() - 2 * self.MARGIN, 1)
        lo, hi = (logs[0], logs[-1]) if logs else (0.0, 1.0)
        span = (hi - lo) or 1.0
        self._xs = [left + width * (v - lo) / span for v in logs]

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        self._place()

    def index_at(self, x: float) -> int | None:
        if not self._xs:
            return None
        return min(range(len(self._xs)), key=lambda i: abs(self._xs[i] - x))

    def mousePressEvent(self, event) -> None:
        self._pick(event.position().x())

    def mouseMoveEvent(self, event) -> None:
        x = event.position().x()
        if event.buttons() & Qt.LeftButton:
            self._pick(x)
        index = self.index_at(x)
        if index is not None:
            QToolTip.showText(event.globalPosition().toPoint(), describe(self.labels[index]), self)

    def _pick(self, x: float) -> None:
        index = self.index_at(x)
        if index is not None and index != self.current:
            self.current = index
            self.update()
            self.scrubbed.emit(index)

    def paintEvent(self, event) -> None:
        p = QPainter(self)
        p.setRenderHint(QPainter.Antialiasing)
        mid = self.height() / 2
        muted = self.palette().mid().color()
        p.setPen(QPen(muted, 2))
        p.drawLine(QPointF(self.MARGIN, mid), QPointF(self.width() - self.MARGIN, mid))
        p.setPen(QPen(QColor(*theme.BLUE), 1.2))
        for x in self._xs:
            p.drawLine(QPointF(x, mid - 5), QPointF(x, mid + 5))
        if self._xs:
            live = self.current is None
            x = self._xs[-1] if live else self._xs[self.current]
            color = QColor(*theme.ORANGE)
            p.setPen(QPen(color, 2))
            p.setBrush(self.palette().base().color() if live else color)
            p.drawEllipse(QRectF(x - 6, mid - 6, 12, 12))
        p.end()


class TimelineBar(QWidget):
    """The slider with the Live and Resume buttons, and under it a line saying the moment shown."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("timeline_bar")
        box = QVBoxLayout(self)
        box.setContentsMargins(2, 0, 2, 0)
        box.setSpacing(0)
        row = QHBoxLayout()
        row.setSpacing(4)
        self.slider = TimelineSlider()
        self.live = QToolButton()
        self.live.setText("Live")
        self.live.setToolTip(LIVE_TIP)
        self.resume = QToolButton()
        self.resume.setText("Resume from here")
        self.resume.setToolTip(RESUME_TIP)
        self.resume.setPopupMode(QToolButton.MenuButtonPopup)
        menu = QMenu(self.resume)
        self.resume_and_pin = menu.addAction("Resume from here, keeping the run left behind "
                                             "as a pinned run")
        self.resume.setMenu(menu)
        for button in (self.live, self.resume):
            button.setAutoRaise(True)
        row.addWidget(self.slider, 1)
        row.addWidget(self.live)
        row.addWidget(self.resume)
        self.readout = QLabel("live")
        self.readout.setObjectName("muted")
        self.readout.setToolTip(SLIDER_TIP)
        # cut short rather than widen the window
        self.readout.setSizePolicy(QSizePolicy.Ignored, QSizePolicy.Preferred)
        box.addLayout(row)
        box.addWidget(self.readout)
        self.show_live()

    def show_live(self) -> None:
        self.slider.set_current(None)
        n = len(self.slider.labels)
        self.readout.setText(f"Timeline: live · {n} moment{'s' if n != 1 else ''} kept, drag to "
                             f"look back" if n else "Timeline: moments appear as the network trains")
        self.live.setEnabled(False)
        self.resume.setEnabled(False)

    def show_moment(self, index: int) -> None:
        self.slider.set_current(index)
        self.readout.setText("Timeline: " + describe(self.slider.labels[index]))
        self.live.setEnabled(True)
        self.resume.setEnabled(True)
