"""Counters and live readouts change text at a fixed size: no window layout per frame, yet never
clipped (a longer text, or a larger font in presentation mode, widens them)."""
from PySide6.QtCore import QEvent, QObject
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QHBoxLayout, QLabel, QWidget

from playground.ui.widgets.steady_label import make_steady, set_steady


class LayoutRequests(QObject):
    def __init__(self):
        super().__init__()
        self.count = 0

    def eventFilter(self, obj, event):
        if event.type() == QEvent.Type.LayoutRequest:
            self.count += 1
        return False


def _row(qtbot):
    parent = QWidget()
    qtbot.addWidget(parent)
    row = QHBoxLayout(parent)
    label = QLabel("0")
    row.addWidget(label)
    row.addStretch(1)
    parent.show()
    qtbot.waitExposed(parent)
    return parent, label


def test_a_changing_number_asks_for_no_layout(qtbot):
    parent, label = _row(qtbot)
    make_steady(label, "00,000")
    qtbot.wait(20)
    spy = LayoutRequests()
    parent.installEventFilter(spy)
    for n in range(0, 90_000, 7_000):
        set_steady(label, f"{n:,}")
        qtbot.wait(1)
    assert spy.count == 0
    assert label.width() >= label.fontMetrics().horizontalAdvance("84,000")


def test_a_longer_text_or_a_larger_font_widens_it(qtbot):
    parent, label = _row(qtbot)
    make_steady(label, "000")
    narrow = label.width()
    set_steady(label, "1,234,567")
    assert label.width() >= label.fontMetrics().horizontalAdvance("1,234,567") > narrow
    wide = label.width()
    font = QFont(label.font())
    font.setPointSizeF(font.pointSizeF() * 2)
    label.setFont(font)                                  # presentation mode
    qtbot.waitUntil(lambda: label.width() >= label.fontMetrics().horizontalAdvance("1,234,567"))
    assert label.width() > wide
    assert label.height() >= label.fontMetrics().height()


def test_a_wrapping_label_is_left_free(qtbot):
    parent, label = _row(qtbot)
    make_steady(label, "000")
    label.setWordWrap(True)
    set_steady(label, "a readout long enough to take two lines in a narrow dock")
    assert label.minimumWidth() != label.maximumWidth()
