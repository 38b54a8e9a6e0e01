"""The user's own data as ordinary Datasets: a CSV of points, or a folder of images with one
subfolder per class. Both are split into train/test by ``train_share`` with the seed."""
from __future__ import annotations

from pathlib import Path

import numpy as np

from .csv_points import parse_points
from .dataset import Dataset, DatasetInfo, split
from .errors import DatasetError
from .image_dataset import IMAGE_OPTIONS, from_pool, read_image_options
from .imagefiles import UnreadableImage, read_image, resize, to_channels
from .recipe import choice, integer, merge, number, text

CSV_DEFAULTS = {"name": "csv", "path": None, "task": "auto", "train_share": 0.8, "seed": 0}
FOLDER_DEFAULTS = {"name": "image_folder", "path": None, "size": 28, "color": "gray",
                   "train_share": 0.8, "seed": 0, **IMAGE_OPTIONS}
MAX_IMAGES = 200_000


def _read_text(path: Path) -> str:
    try:
        raw = path.read_bytes()
    except IsADirectoryError:
        raise DatasetError(f"{path} is a folder; choose a .csv file") from None
    except OSError as exc:
        raise DatasetError(f"cannot open {path}: {exc.strerror or exc}") from None
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        return raw.decode("latin-1")               # every byte is a character: never fails


def points_dataset(table, recipe: dict, label: str) -> Dataset:
    """A Dataset from a parsed point table (see csv_points.PointTable)."""
    share, seed = number(recipe, "train_share", 0.1, 0.9), integer(recipe, "seed", 0, 2**32 - 1)
    d = table.features.shape[1]
    kind = {1: "1d", 2: "2d"}.get(d, "table")
    parts = split(table.features, table.targets, share, np.random.default_rng(seed))
    return Dataset(label, kind, table.task, (d,), table.class_names, *parts, recipe=recipe)


def build_csv(recipe: dict) -> Dataset:
    r = merge(recipe, CSV_DEFAULTS)
    path = Path(text(r, "path"))
    task = choice(r, "task", ("auto", "classification", "regression"))
    number(r, "train_share", 0.1, 0.9)
    try:
        table = parse_points(_read_text(path), task)
    except DatasetError as exc:
        raise DatasetError(f"{path.name}: {exc}") from None
    return points_dataset(table, r, f"csv:{path.name}")


def _class_folders(root: Path) -> list[Path]:
    if not root.is_dir():
        raise DatasetError(f"{root} is not a folder; choose a folder with one subfolder per class")
    folders = sorted(p for p in root.iterdir() if p.is_dir() and not p.name.startswith("."))
    if len(folders) < 2:
        raise DatasetError(f"{root} needs one subfolder per class (at least two), each holding that "
                           f"class's images; it has {len(folders)}")
    return folders


def _load_folder(folders, size, color):
    images, labels, skipped = [], [], []
    for label, folder in enumerate(folders):
        for path in sorted(p for p in folder.rglob("*") if p.is_file() and not p.name.startswith(".")):
            if len(images) >= MAX_IMAGES:
                raise DatasetError(f"the folder has more than {MAX_IMAGES:,} images; use a smaller one")
            try:
                img = read_image(path)
            except UnreadableImage as exc:
                skipped.append(f"{path.relative_to(folder.parent)}: {exc}")
                continue
            images.append(to_channels(resize(img, size, size), color))
            labels.append(label)
    return images, labels, skipped


def build_image_folder(recipe: dict) -> Dataset:
    r = merge(recipe, FOLDER_DEFAULTS)
    root = Path(text(r, "path"))
    size, color = integer(r, "size", 8, 128), choice(r, "color", ("gray", "rgb"))
    share, seed = number(r, "train_share", 0.1, 0.9), integer(r, "seed", 0, 2**32 - 1)
    read_image_options(r)
    folders = _class_folders(root)
    images, labels, skipped = _load_folder(folders, size, color)
    counts = np.bincount(np.asarray(labels, np.int64), minlength=len(folders))
    empty = [f.name for f, c in zip(folders, counts) if c == 0]
    if empty:
        note = f"; {len(skipped)} file(s) could not be read, e.g. {skipped[0]}" if skipped else ""
        raise DatasetError(f"no readable images in {', '.join(empty)} (of {root}); "
                           f"PNG, PGM and PPM files are read{note}")
    x = np.stack(images).astype(np.float32)
    ds = from_pool(f"folder:{root.name}", x, np.asarray(labels, np.int64), [f.name for f in folders],
                   r, share, np.random.default_rng(seed))
    if skipped:
        ds.notes.append(f"{len(skipped)} file(s) could not be read and were skipped, e.g. {skipped[0]}")
    ds.notes.insert(0, f"{len(images)} images in {len(folders)} classes")
    return ds


def infos() -> list[DatasetInfo]:
    return [DatasetInfo("csv", "2d", "classification", "Your CSV file",
                        "Points from a CSV file: x1, x2 (more columns allowed), then a label or a target."),
            DatasetInfo("image_folder", "image", "classification", "Your image folder",
                        "A folder with one subfolder of PNG/PGM/PPM images per class.")]
