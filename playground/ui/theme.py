"""Colours and the application palette: Fusion style, light and dark, and the views' colour maps.

The decision-map colours are TensorFlow Playground's: orange for class 0 / negative, blue for
class 1 / positive, white in between, so a student who has used the web playground reads our maps
the same way. Weight heatmaps use the same diverging map with fixed symmetric levels.
"""
from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QGuiApplication, QPalette
from PySide6.QtWidgets import QApplication

ORANGE = (245, 147, 34)          # TF Playground's negative class
BLUE = (8, 119, 189)             # TF Playground's positive class
#: colours for k classes (softmax): the first two are Playground's, then a qualitative set
CLASS_COLORS = [ORANGE, BLUE, (76, 175, 80), (171, 71, 188), (229, 57, 53), (0, 172, 193),
                (141, 110, 99), (255, 202, 40), (96, 125, 139), (236, 64, 122)]
ACCENT = "#0877bd"

_LIGHT = {"window": "#f4f5f7", "base": "#ffffff", "alt": "#eef0f3", "text": "#1f2328",
          "mid": "#c9ced6", "button": "#f9fafb", "highlight": ACCENT, "plot_bg": "#ffffff",
          "plot_fg": "#3a3f47", "muted": "#6a737d", "banner": "#fff4e5", "banner_text": "#7a4100"}
_DARK = {"window": "#1e2227", "base": "#16191d", "alt": "#252a31", "text": "#e6e8eb",
         "mid": "#3b424c", "button": "#2a3038", "highlight": "#3a9ad9", "plot_bg": "#16191d",
         "plot_fg": "#c5cad3", "muted": "#98a1ad", "banner": "#3d2a12", "banner_text": "#ffd8a8"}

_dark = False


def is_dark() -> bool:
    return _dark


def colors() -> dict[str, str]:
    """The current scheme's named colours (for plots and stylesheets)."""
    return _DARK if _dark else _LIGHT


def system_prefers_dark() -> bool:
    """The desktop's colour scheme (Qt 6.5+); light when it is not known."""
    hints = QGuiApplication.styleHints()
    scheme = getattr(hints, "colorScheme", None)
    return bool(scheme) and scheme() == Qt.ColorScheme.Dark


def apply(app: QApplication, dark: bool) -> None:
    """Fusion style with our palette; pyqtgraph's defaults follow (set before views are made)."""
    global _dark
    _dark = dark
    c = colors()
    # each of these re-polishes every widget of the application: only when something changes
    if app.style().name().lower() != "fusion":
        app.setStyle("Fusion")
    pal = QPalette()
    roles = {QPalette.Window: "window", QPalette.Base: "base", QPalette.AlternateBase: "alt",
             QPalette.Text: "text", QPalette.WindowText: "text", QPalette.ButtonText: "text",
             QPalette.Button: "button", QPalette.Highlight: "highlight", QPalette.Mid: "mid",
             QPalette.ToolTipBase: "base", QPalette.ToolTipText: "text",
             QPalette.PlaceholderText: "muted"}
    for role, key in roles.items():
        pal.setColor(role, QColor(c[key]))
    pal.setColor(QPalette.HighlightedText, QColor("#ffffff"))
    pal.setColor(QPalette.Disabled, QPalette.Text, QColor(c["muted"]))
    pal.setColor(QPalette.Disabled, QPalette.ButtonText, QColor(c["muted"]))
    pal.setColor(QPalette.Disabled, QPalette.WindowText, QColor(c["muted"]))
    if app.palette() != pal:
        app.setPalette(pal)
    sheet = stylesheet()
    if app.styleSheet() != sheet:
        app.setStyleSheet(sheet)
    pg.setConfigOptions(imageAxisOrder="row-major", antialias=False,
                        background=c["plot_bg"], foreground=c["plot_fg"])


def restyle_plots(root) -> int:
    """Give every pyqtgraph plot under the widget ``root`` the current colours (after ``apply``
    toggled dark mode): backgrounds, axes and their labels, titles, legends, colour bars.
    Returns how many plot widgets it restyled."""
    c = colors()
    fg = c["plot_fg"]
    views = root.findChildren(pg.GraphicsView)
    for view in views:
        view.setBackground(c["plot_bg"])
        for item in view.scene().items():
            _restyle_item(item, fg)
    return len(views)


def _restyle_item(item, fg: str) -> None:
    if isinstance(item, pg.AxisItem):
        item.setPen(fg)
        item.setTextPen(fg)
    elif isinstance(item, pg.LegendItem):
        item.setLabelTextColor(fg)
    elif isinstance(item, pg.ColorBarItem):
        levels = item.levels()
        item.setColorMap(diverging_colormap())
        item.setLevels(levels)
    elif isinstance(item, pg.LabelItem) and item.text:
        item.setAttr("color", fg)         # kept for later setText calls, then drawn now
        item.setText(item.text)


def stylesheet() -> str:
    c = colors()
    return f"""
    QToolBar {{ spacing: 4px; padding: 3px; border: none; border-bottom: 1px solid {c['mid']}; }}
    QToolBar QLabel {{ color: {c['muted']}; padding: 0 2px; }}
    QLabel#counter {{ color: {c['text']}; font-weight: 600; min-width: 44px; }}
    QDockWidget::title {{ padding: 4px 6px; background: {c['alt']}; }}
    QFrame#banner {{ background: {c['banner']}; border: 1px solid {ORANGE_HEX}; border-radius: 4px; }}
    QFrame#banner QLabel {{ color: {c['banner_text']}; }}
    QToolTip {{ padding: 4px; }}
    """


ORANGE_HEX = "#f59322"


def diverging_colormap() -> pg.ColorMap:
    """Orange (low) - white (middle) - blue (high)."""
    white = (255, 255, 255) if not _dark else (235, 235, 235)
    return pg.ColorMap(np.array([0.0, 0.5, 1.0]), np.array([ORANGE, white, BLUE], dtype=np.ubyte))


def class_rgb(k: int) -> np.ndarray:
    """(k, 3) float colours of k classes."""
    return np.array([CLASS_COLORS[i % len(CLASS_COLORS)] for i in range(k)], dtype=np.float32)


def blend_classes(probabilities: np.ndarray) -> np.ndarray:
    """(k, R, R) class probabilities -> (R, R, 3) uint8 image, each pixel the probability-weighted
    mix of the class colours (certain regions are saturated, uncertain ones muddy)."""
    k = probabilities.shape[0]
    p = np.clip(probabilities, 0.0, 1.0)
    rgb = np.tensordot(p, class_rgb(k), axes=([0], [0]))          # (R, R, 3): sum_k p_k c_k
    # lighten towards white where the network is unsure, as Playground's faded regions
    certainty = p.max(axis=0, keepdims=True).transpose(1, 2, 0)
    lift = (1.0 - certainty) * 0.6
    rgb = rgb * (1 - lift) + 255.0 * lift
    return np.clip(rgb, 0, 255).astype(np.ubyte)
