"""The Labs window: the optimizer race, the moving-average demo and the activation explorer."""
from __future__ import annotations

from PySide6.QtWidgets import QMainWindow, QTabWidget

from .activation_tab import ActivationTab
from .ema_tab import EmaTab
from .race_tab import RaceTab

TABS = ("race", "ema", "activations")


class LabsWindow(QMainWindow):
    def __init__(self, parent=None):
        super().__init__(parent)
        self.setWindowTitle("Playground Labs")
        self.setObjectName("labs_window")
        self.tabs = QTabWidget()
        self.race = RaceTab()
        self.ema = EmaTab()
        self.activations = ActivationTab()
        self.tabs.addTab(self.race, "Optimizer race")
        self.tabs.setTabToolTip(0, "SGD, momentum, RMSProp, Adam and AMSGrad on 2-D loss surfaces "
                                   "(notes chapter 2)")
        self.tabs.addTab(self.ema, "Moving average")
        self.tabs.setTabToolTip(1, "The exponentially weighted moving average behind momentum and "
                                   "Adam (notes 2.1)")
        self.tabs.addTab(self.activations, "Activations")
        self.tabs.setTabToolTip(2, "Every activation f and its derivative f′ (notes 1.2.1)")
        self.tabs.currentChanged.connect(lambda _: self.race.stop())
        self.setCentralWidget(self.tabs)
        self.resize(1200, 760)

    def show_tab(self, name: str) -> None:
        self.tabs.setCurrentIndex(TABS.index(name))

    def closeEvent(self, event) -> None:
        self.race.stop()
        super().closeEvent(event)
