"""The dataset gallery: one thumbnail per dataset, drawn from a small sample of the real data.

Thumbnails come from ``Dataset.preview()`` of a small version of each dataset (a few hundred
points, four images); the downloadable classics and the user's own files get a titled card
instead, since drawing them would mean reading (or downloading) the files first; the card says
"download" or "downloaded" and is redrawn when a download finishes. Thumbnails are cached for the
life of the process.
"""
from __future__ import annotations

import numpy as np
from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtGui import QColor, QFont, QIcon, QImage, QPainter, QPixmap
from PySide6.QtWidgets import QListView, QListWidget, QListWidgetItem, QWidget

from playground.data import (DatasetError, DatasetInfo, dataset_folder, list_datasets, make_dataset,
                             missing_files)

from ..download_dialog import download_events

ICON = 64
#: a small recipe per kind, so every thumbnail is quick to make
_SMALL = {"2d": {"n": 300}, "1d": {"n": 150}, "image": {"n": 20}}
_CACHE: dict[str, QPixmap] = {}


def _to_qimage(rgb: np.ndarray) -> QImage:
    """(H, W) or (H, W, 3) floats in [0, 1] -> an RGB888 QImage (copied, owns its memory)."""
    if rgb.ndim == 2:
        rgb = np.repeat(rgb[:, :, None], 3, axis=2)
    data = np.ascontiguousarray(np.clip(rgb * 255 + 0.5, 0, 255).astype(np.uint8))
    h, w = data.shape[:2]
    return QImage(data.data, w, h, 3 * w, QImage.Format_RGB888).copy()


def _mosaic(images: np.ndarray) -> np.ndarray:
    """The first four images in a 2x2 grid (gray or colour)."""
    imgs = list(images[:4]) + [np.zeros_like(images[0])] * (4 - min(len(images), 4))
    top, bottom = np.concatenate(imgs[:2], axis=1), np.concatenate(imgs[2:4], axis=1)
    return np.concatenate([top, bottom], axis=0)


def _card(title: str, subtitle: str) -> QPixmap:
    """A plain card with the dataset's title, for data that cannot be sampled cheaply."""
    pixmap = QPixmap(ICON, ICON)
    pixmap.fill(QColor("#e8ecf1"))
    painter = QPainter(pixmap)
    painter.setPen(QColor("#33404d"))
    font = QFont()
    font.setPixelSize(11)
    font.setBold(True)
    painter.setFont(font)
    painter.drawText(pixmap.rect().adjusted(3, 4, -3, -22), Qt.AlignCenter | Qt.TextWordWrap, title)
    font.setBold(False)
    font.setPixelSize(9)
    painter.setFont(font)
    painter.setPen(QColor("#5d6b78"))
    painter.drawText(pixmap.rect().adjusted(2, ICON - 22, -2, -3), Qt.AlignCenter, subtitle)
    painter.end()
    return pixmap


def download_state(info: DatasetInfo) -> str:
    """"download" while files of a downloadable set are missing, then "downloaded"; "" for the
    others."""
    if not info.needs_download:
        return ""
    return "download" if missing_files(info.name) else "downloaded"


def thumbnail(info: DatasetInfo) -> QPixmap:
    """The gallery picture of one dataset."""
    state = download_state(info)
    key = f"{info.name}:{state}"                  # once downloaded, a new card, not a stale one
    if key in _CACHE:
        return _CACHE[key]
    if info.name == "csv":
        pixmap = _card("CSV", "your points")
    elif info.name == "image_folder":
        pixmap = _card("Folder", "your images")
    elif state:
        pixmap = _card(info.title, state)
    else:
        try:
            ds = make_dataset({"name": info.name, **_SMALL.get(info.kind, {})})
            picture = ds.preview(4)
            image = _to_qimage(_mosaic(picture) if info.kind == "image" else picture)
            pixmap = QPixmap.fromImage(image.scaled(ICON, ICON, Qt.IgnoreAspectRatio,
                                                    Qt.SmoothTransformation))
        except DatasetError:
            pixmap = _card(info.title, "")
    _CACHE[key] = pixmap
    return pixmap


def tooltip(info: DatasetInfo) -> str:
    tip = f"<b>{info.title}</b><br>{info.description}"
    state = download_state(info)
    if state == "download":
        tip += "<br><i>Needs a one-time download.</i>"
    elif state == "downloaded":
        tip += f"<br><i>Downloaded, in {dataset_folder(info.name)}.</i>"
    return tip


class DatasetGallery(QListWidget):
    """Every dataset as a thumbnail with its title; the tooltip says what it is. Emits
    ``dataset_picked(name)`` when the user chooses one (not when ``select`` is called)."""

    dataset_picked = Signal(str)

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setViewMode(QListView.IconMode)
        self.setIconSize(QSize(ICON, ICON))
        # room for titles of three short lines ("f(x) = x" / "sin(x) / 5") under the icon, whole
        self.setGridSize(QSize(ICON + 42, ICON + 46))
        self.setResizeMode(QListView.Adjust)
        self.setMovement(QListView.Static)
        self.setWordWrap(True)
        self.setUniformItemSizes(False)     # each title gets the lines it needs
        self.setSpacing(2)
        self.infos = {info.name: info for info in list_datasets()}
        for info in self.infos.values():
            item = QListWidgetItem(QIcon(thumbnail(info)), info.title)
            item.setData(Qt.UserRole, info.name)
            item.setToolTip(tooltip(info))
            self.addItem(item)
        self._selecting = False
        self.currentItemChanged.connect(self._on_current_changed)
        download_events().dataset_downloaded.connect(self.refresh)

    def refresh(self, name: str) -> None:
        """Redraw the card and tooltip of ``name`` (after its files were downloaded)."""
        item = self._item(name)
        if item is not None:
            item.setIcon(QIcon(thumbnail(self.infos[name])))
            item.setToolTip(tooltip(self.infos[name]))

    def _item(self, name: str) -> QListWidgetItem | None:
        for row in range(self.count()):
            if self.item(row).data(Qt.UserRole) == name:
                return self.item(row)
        return None

    def select(self, name: str) -> None:
        """Highlight ``name`` without emitting ``dataset_picked``."""
        self._selecting = True
        try:
            item = self._item(name)
            self.setCurrentRow(-1 if item is None else self.row(item))
        finally:
            self._selecting = False

    def current_name(self) -> str | None:
        item = self.currentItem()
        return None if item is None else item.data(Qt.UserRole)

    def _on_current_changed(self, current, _previous) -> None:
        if current is not None and not self._selecting:
            self.dataset_picked.emit(current.data(Qt.UserRole))
