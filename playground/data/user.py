"""The user's own data as ordinary Datasets: a CSV of points, or a folder of images with one
subfolder per class. Both are split into train/test by ``train_share`` with the seed."""
from __future__ import annotations

import os
from pathlib import Path

import numpy as np

from .csv_points import parse_points
from .dataset import Dataset, DatasetInfo, split
from .errors import DatasetError, LoadCancelled
from .image_dataset import IMAGE_OPTIONS, from_pool, read_image_options
from .imagefiles import UnreadableImage, read_image, resize, to_channels
from .recipe import choice, integer, merge, number, text
from .safefiles import MAX_CSV_BYTES, MAX_SCAN_ENTRIES, Progress, Scan, check_cancel, check_folder, \
    read_regular, scan_files

CSV_DEFAULTS = {"name": "csv", "path": None, "task": "auto", "train_share": 0.8, "seed": 0}
FOLDER_DEFAULTS = {"name": "image_folder", "path": None, "size": 28, "color": "gray",
                   "train_share": 0.8, "seed": 0, **IMAGE_OPTIONS}
MAX_IMAGES = 200_000                #: image files read from one folder at most
MAX_CLASS_FOLDERS = 100
_CACHE: dict = {}                   #: the last file or folder read (see build_csv)


def _read_text(path: Path, progress: Progress = None) -> str:
    raw = read_regular(path, MAX_CSV_BYTES, "CSV file", _share(progress, 0.0, 0.3))
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        return raw.decode("latin-1")               # every byte is a character: never fails


def _share(progress: Progress, start: float, stop: float) -> Progress:
    """``progress`` as a fraction in [0, 1]: this stage covers [start, stop] of the whole load."""
    if progress is None:
        return None
    return lambda done, total: progress(start + (stop - start) * (done / total if total else 0), 1.0)


def points_dataset(table, recipe: dict, label: str) -> Dataset:
    """A Dataset from a parsed point table (see csv_points.PointTable)."""
    share, seed = number(recipe, "train_share", 0.1, 0.9), integer(recipe, "seed", 0, 2**32 - 1)
    d = table.features.shape[1]
    kind = {1: "1d", 2: "2d"}.get(d, "table")
    parts = split(table.features, table.targets, share, np.random.default_rng(seed))
    return Dataset(label, kind, table.task, (d,), table.class_names, *parts, recipe=recipe)


def build_csv(recipe: dict, progress: Progress = None) -> Dataset:
    """The points of the CSV file the recipe names. ``progress(fraction, 1.0)`` is called as it is
    read and parsed; returning False stops it (LoadCancelled). The parsed table is kept for the
    next build of the same, unchanged file, so the file is read and parsed once."""
    r = merge(recipe, CSV_DEFAULTS)
    path = Path(text(r, "path"))
    task = choice(r, "task", ("auto", "classification", "regression"))
    number(r, "train_share", 0.1, 0.9)
    key = ("csv", _file_key(path), task)
    table = _CACHE.get(key)
    if table is None:
        raw = _read_text(path, progress)           # its messages name the whole path
        try:
            table = parse_points(raw, task, _share(progress, 0.3, 1.0))
        except LoadCancelled:
            raise
        except DatasetError as exc:
            raise DatasetError(f"{path.name}: {exc}") from None
        except MemoryError:
            raise DatasetError(f"{path.name} is too large to read into memory") from None
        _remember(key, table)
    return points_dataset(table, r, f"csv:{path.name}")


def _file_key(path: Path):
    """What identifies a file's content cheaply: its real path, size and change time."""
    try:
        info = os.stat(path)
    except OSError:
        return None
    return (str(path.resolve()), info.st_size, info.st_mtime_ns, info.st_ino)


def _remember(key, value) -> None:
    if key[1] is not None:
        _CACHE.clear()                             # one entry: the file the user loaded last
        _CACHE[key] = value


def _class_folders(root: Path) -> list[Path]:
    check_folder(root, "folder with one subfolder per class")
    try:
        with os.scandir(root) as it:
            folders = sorted(Path(e.path) for e in it if not e.name.startswith(".") and e.is_dir())
    except OSError as exc:
        raise DatasetError(f"cannot read the folder {root}: {exc.strerror or exc}") from None
    if len(folders) < 2:
        raise DatasetError(f"{root} needs one subfolder per class (at least two), each holding that "
                           f"class's images; it has {len(folders)}")
    if len(folders) > MAX_CLASS_FOLDERS:
        raise DatasetError(f"{root} has {len(folders):,} subfolders; each subfolder is a class and "
                           f"at most {MAX_CLASS_FOLDERS} classes are supported")
    return folders


class _Skipped:
    """The unreadable files: how many, and the first one in words."""

    def __init__(self):
        self.count, self.first = 0, ""

    def add(self, path: str, base: str, why: str) -> None:
        if not self.count:
            self.first = f"{os.path.relpath(path, base)}: {why}"
        self.count += 1


def _load_folder(folders, size, color, progress: Progress = None):
    """(images, labels, skipped, notes): every file under each class folder is read (unreadable
    ones are listed in ``skipped``); the scan stops after MAX_SCAN_ENTRIES entries and says so."""
    scan = Scan()
    per_class = [scan_files(f, None, scan, MAX_SCAN_ENTRIES, progress=_share(progress, 0.0, 0.0)) for f in folders]
    total = sum(len(files) for files in per_class)
    notes = []
    if scan.stopped:
        notes.append(f"The folder is very large: only the first {MAX_SCAN_ENTRIES:,} entries were "
                     f"looked at ({total:,} files); the rest were not read.")
    if total > MAX_IMAGES:
        raise DatasetError(f"the folder has more than {MAX_IMAGES:,} files; use a smaller one")
    images, labels, skipped = [], [], _Skipped()
    report = _share(progress, 0.0, 1.0)
    base = os.fspath(folders[0].parent)
    for label, files in enumerate(per_class):
        for path in files:
            if report is not None and (len(images) + skipped.count) % 64 == 0:
                check_cancel(report, len(images) + skipped.count, max(total, 1))
            try:
                img = read_image(path)
                images.append(to_channels(resize(img, size, size), color))
            except UnreadableImage as exc:
                skipped.add(path, base, str(exc))
                continue
            except MemoryError:
                skipped.add(path, base, "too large to read")
                continue
            labels.append(label)
    return images, labels, skipped, notes


def build_image_folder(recipe: dict, progress: Progress = None) -> Dataset:
    """A folder with one subfolder of images per class. ``progress(fraction, 1.0)`` is called as
    images are read (return False to stop); the images read are kept for the next build of the
    same folder with the same size and colour, so the folder is read once."""
    r = merge(recipe, FOLDER_DEFAULTS)
    root = Path(text(r, "path"))
    size, color = integer(r, "size", 8, 128), choice(r, "color", ("gray", "rgb"))
    share, seed = number(r, "train_share", 0.1, 0.9), integer(r, "seed", 0, 2**32 - 1)
    read_image_options(r)
    folders = _class_folders(root)
    key = ("folder", _folder_key(root, folders), size, color)
    loaded = _CACHE.get(key)
    if loaded is None:
        loaded = _images_of(root, folders, size, color, progress)
        _remember(key, loaded)
    x, labels, skipped, notes = loaded
    ds = from_pool(f"folder:{root.name}", x, labels, [f.name for f in folders],
                   r, share, np.random.default_rng(seed))
    if skipped.count:
        ds.notes.append(f"{skipped.count} file(s) could not be read and were skipped, e.g. {skipped.first}")
    ds.notes[:0] = [f"{len(x)} images in {len(folders)} classes"] + notes
    return ds


def _images_of(root, folders, size, color, progress):
    images, labels, skipped, notes = _load_folder(folders, size, color, progress)
    counts = np.bincount(np.asarray(labels, np.int64), minlength=len(folders))
    empty = [f.name for f, c in zip(folders, counts) if c == 0]
    if empty:
        note = f"; {skipped.count} file(s) could not be read, e.g. {skipped.first}" if skipped.count else ""
        raise DatasetError(f"no readable images in {', '.join(empty)} (of {root}); "
                           f"PNG, PGM and PPM files are read{note}")
    try:
        x = np.stack(images).astype(np.float32)
    except MemoryError:
        raise DatasetError(f"the {len(images):,} images of {root} do not fit in memory at "
                           f"{size}x{size}; choose a smaller size or fewer images") from None
    return x, np.asarray(labels, np.int64), skipped, notes


def _folder_key(root: Path, folders: list[Path]):
    """The folder's identity: its path and the change times of it and its class folders (adding
    or removing a file in a class folder changes them)."""
    try:
        times = tuple(os.stat(p).st_mtime_ns for p in [root, *folders])
    except OSError:
        return None
    return (str(root.resolve()), times)


def infos() -> list[DatasetInfo]:
    return [DatasetInfo("csv", "2d", "classification", "Your CSV file",
                        "Points from a CSV file: x1, x2 (more columns allowed), then a label or a target."),
            DatasetInfo("image_folder", "image", "classification", "Your image folder",
                        "A folder with one subfolder of PNG/PGM/PPM images per class.")]
