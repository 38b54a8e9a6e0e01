"""Moving plots between places of a pyqtgraph GraphicsLayout: the wide and tall arrangements of
the Weights & gradients and Optimizer pages."""
from __future__ import annotations


def place_items(grid, items, places) -> None:
    """Put each item of ``items`` at its (row, col, rows, cols) in ``places``, taking it out of
    wherever it sat in the QGraphicsGridLayout ``grid`` first."""
    for item in items:
        for index in range(grid.count()):
            if grid.itemAt(index) is item:
                grid.removeAt(index)
                break
    for item, (row, col, rows, cols) in zip(items, places):
        grid.addItem(item, row, col, rows, cols)
