"""Draw the app icon: a small neural network (3-4-2 nodes and their links) on a rounded tile.

Writes resources/icons/playground.svg (the SVG is generated here, so the drawing has one source)
and renders resources/icons/playground.png at 256 px with Qt's SVG renderer (offscreen, no
display needed). Run: python packaging/make_icon.py
"""
from __future__ import annotations

import os
import sys
from pathlib import Path

ICONS = Path(__file__).resolve().parents[1] / "resources" / "icons"
SIZE = 256
LAYERS = [(64, 3), (128, 4), (192, 2)]  # (x, number of nodes)
NODE_COLOURS = ["#4fc3f7", "#ffb74d", "#81c784"]


def node_positions() -> list[list[tuple[float, float]]]:
    """Nodes of each layer, spread evenly around the vertical middle."""
    columns = []
    for x, count in LAYERS:
        gap = 48
        top = SIZE / 2 - gap * (count - 1) / 2
        columns.append([(x, top + gap * i) for i in range(count)])
    return columns


def svg_text() -> str:
    columns = node_positions()
    links = []
    for left, right in zip(columns, columns[1:]):
        for i, (x1, y1) in enumerate(left):
            for j, (x2, y2) in enumerate(right):
                # alternate warm and cool links, as the app colours positive and negative weights
                colour = "#ef9a9a" if (i + j) % 3 == 0 else "#90caf9"
                links.append(f'  <line x1="{x1}" y1="{y1}" x2="{x2}" y2="{y2}" stroke="{colour}" '
                             f'stroke-width="5" stroke-linecap="round" opacity="0.85"/>')
    nodes = [f'  <circle cx="{x}" cy="{y}" r="17" fill="{NODE_COLOURS[k]}" stroke="#f5f5f5" '
             f'stroke-width="5"/>' for k, column in enumerate(columns) for x, y in column]
    return "\n".join([
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{SIZE}" height="{SIZE}" '
        f'viewBox="0 0 {SIZE} {SIZE}">',
        '  <title>Playground</title>',
        f'  <rect x="8" y="8" width="{SIZE - 16}" height="{SIZE - 16}" rx="44" fill="#263238"/>',
        *links, *nodes, "</svg>", ""])


def render_png(svg_path: Path, png_path: Path) -> None:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import Qt
    from PySide6.QtGui import QGuiApplication, QImage, QPainter
    from PySide6.QtSvg import QSvgRenderer

    app = QGuiApplication.instance() or QGuiApplication(sys.argv[:1])  # noqa: F841 (keeps Qt up)
    image = QImage(SIZE, SIZE, QImage.Format.Format_ARGB32)
    image.fill(Qt.GlobalColor.transparent)
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    QSvgRenderer(str(svg_path)).render(painter)
    painter.end()
    if not image.save(str(png_path)):
        raise SystemExit(f"could not write {png_path}")


def main() -> None:
    ICONS.mkdir(parents=True, exist_ok=True)
    svg, png = ICONS / "playground.svg", ICONS / "playground.png"
    svg.write_text(svg_text(), encoding="utf-8")
    render_png(svg, png)
    print(f"wrote {svg} and {png}")


if __name__ == "__main__":
    main()
