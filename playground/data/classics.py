"""The real classics (MNIST, Fashion-MNIST, KMNIST, CIFAR-10) from their official files.

``make_dataset({"name": "mnist"})`` reads the files from ``<app data>/datasets/mnist`` or from the
folder ``root`` if the recipe names one; when
they are missing it downloads them if the recipe says ``"download": true`` and otherwise raises
DatasetUnavailable naming the files and where to copy them. The official train/test split is kept;
``n_train`` optionally keeps only the first so many training images (for quick lessons).
"""
from __future__ import annotations

from pathlib import Path

import numpy as np

from .dataset import DatasetInfo
from .download import dataset_folder, ensure_files, missing_files, remedy
from .errors import DatasetUnavailable
from .image_dataset import IMAGE_OPTIONS, from_split, read_image_options
from .readers import read_cifar_bin, read_idx_pair, safe_extract
from .recipe import flag, integer, merge, text
from .sources import SOURCES

CLASS_NAMES = {
    "mnist": [str(d) for d in range(10)],
    "fashion_mnist": ["T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt",
                      "Sneaker", "Bag", "Ankle boot"],
    "kmnist": ["o", "ki", "su", "tsu", "na", "ha", "ma", "ya", "re", "wo"],
    "cifar10": ["airplane", "automobile", "bird", "cat", "deer", "dog", "frog", "horse", "ship", "truck"],
}
DESCRIPTIONS = {
    "mnist": "70,000 handwritten digits, 28x28 gray: the classic.",
    "fashion_mnist": "Zalando's clothes and shoes in MNIST's format: harder than digits.",
    "kmnist": "Cursive Japanese characters (Kuzushiji), 10 classes, MNIST's format.",
    "cifar10": "60,000 small colour photos (32x32) of 10 kinds of object: hard for small nets.",
}
CIFAR_DIR = "cifar-10-batches-bin"


def defaults(name: str) -> dict:
    return {"name": name, "root": None, "download": False, "n_train": None, **IMAGE_OPTIONS}


def _load_idx(folder: Path):
    x_tr, y_tr = read_idx_pair(folder / "train-images-idx3-ubyte.gz", folder / "train-labels-idx1-ubyte.gz")
    x_te, y_te = read_idx_pair(folder / "t10k-images-idx3-ubyte.gz", folder / "t10k-labels-idx1-ubyte.gz")
    return x_tr[:, None], y_tr, x_te[:, None], y_te


def _load_cifar(folder: Path):
    batches = folder / CIFAR_DIR
    if not (batches / "test_batch.bin").is_file():
        safe_extract(folder / "cifar-10-binary.tar.gz", folder)
    train = [read_cifar_bin(batches / f"data_batch_{i}.bin") for i in range(1, 6)]
    x_te, y_te = read_cifar_bin(batches / "test_batch.bin")
    return np.concatenate([t[0] for t in train]), np.concatenate([t[1] for t in train]), x_te, y_te


def build(recipe: dict):
    r = merge(recipe, defaults(recipe.get("name")))
    name, root = r["name"], text(r, "root", required=False)
    read_image_options(r)
    n_train = None if r["n_train"] is None else integer(r, "n_train", 1, 10**6)
    if missing_files(name, root):
        if not flag(r, "download"):
            folder = dataset_folder(name, root)
            raise DatasetUnavailable(
                f"{SOURCES[name].title} is not on this computer yet (missing "
                f"{', '.join(missing_files(name, root))}). Download it from the gallery, "
                + remedy(SOURCES[name], folder))
        ensure_files(name, root)
    folder = dataset_folder(name, root)
    x_tr, y_tr, x_te, y_te = (_load_cifar if name == "cifar10" else _load_idx)(folder)
    if n_train is not None:
        x_tr, y_tr = x_tr[:n_train], y_tr[:n_train]
    scale = np.float32(1 / 255)
    return from_split(name, x_tr.astype(np.float32) * scale, y_tr, x_te.astype(np.float32) * scale,
                      y_te, CLASS_NAMES[name], r)


def infos() -> list[DatasetInfo]:
    return [DatasetInfo(name, "image", "classification", SOURCES[name].title, DESCRIPTIONS[name],
                        needs_download=True) for name in SOURCES]
