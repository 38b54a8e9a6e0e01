"""The one QApplication and two helpers shared by the app, the self-test and the UI benchmark:
``application()`` (our names, style and palette), ``scratch_settings`` and ``wait_until``.

A module of its own so selftest.py and app.py do not import each other.
"""
from __future__ import annotations

import os
import sys
import time

from PySide6.QtCore import QCoreApplication, QEvent, QSettings, Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QApplication

from . import theme

ORG, APP = "Playground", "Playground"


def application(argv: list[str] | None = None) -> QApplication:
    """The one QApplication, with our names (QSettings), Fusion style and palette."""
    app = QApplication.instance()
    if app is None:
        QGuiApplication.setHighDpiScaleFactorRoundingPolicy(
            Qt.HighDpiScaleFactorRoundingPolicy.PassThrough)
        app = QApplication(argv if argv is not None else sys.argv[:1])
    QCoreApplication.setOrganizationName(ORG)
    QCoreApplication.setApplicationName(APP)
    settings = QSettings()
    stored = settings.value("view/dark")
    # QSettings hands booleans back as strings: compare the text
    dark = theme.system_prefers_dark() if stored is None else str(stored).lower() == "true"
    theme.apply(app, dark)
    return app


def scratch_settings(folder: str) -> QSettings:
    """Settings in a throw-away file: default layout, recent files untouched."""
    return QSettings(os.path.join(folder, "settings.ini"), QSettings.IniFormat)


def wait_until(predicate, timeout: float = 120.0) -> bool:
    """Run the event loop until ``predicate()`` holds (warm-up, training) or the time is up."""
    app = QApplication.instance()
    # as a running event loop would: windows closed since are deleted (processEvents does not)
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    end = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > end:
            return False
        app.processEvents()
        time.sleep(0.005)
    return True
