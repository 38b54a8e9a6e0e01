"""Where the classic datasets come from: official file names, md5 sums and mirrors in order.

Mirrors can be replaced with the ``mirrors=`` argument of the download functions or with the
environment variable ``PLAYGROUND_MIRRORS_<NAME>`` (e.g. ``PLAYGROUND_MIRRORS_MNIST``): base URLs
separated by spaces, tried in order; each file is fetched as base URL + file name.

https mirrors come first, plain http ones stay as a fallback. Either way the md5 of every file is
checked against the official one below, so a mirror (or anyone between it and us) cannot change
the content: a file that does not match is refused and never used.
"""
from __future__ import annotations

import os
from dataclasses import dataclass


@dataclass(frozen=True)
class RemoteFile:
    name: str
    md5: str
    size: int            # bytes, for the progress total before the server says


@dataclass(frozen=True)
class Source:
    """One downloadable dataset: its files, the mirrors that serve them and its home page."""
    name: str
    title: str
    files: tuple[RemoteFile, ...]
    mirrors: tuple[str, ...]
    homepage: str


_IDX = ("train-images-idx3-ubyte.gz", "train-labels-idx1-ubyte.gz",
        "t10k-images-idx3-ubyte.gz", "t10k-labels-idx1-ubyte.gz")


def _idx_files(md5s, sizes):
    return tuple(RemoteFile(n, m, s) for n, m, s in zip(_IDX, md5s, sizes))


SOURCES = {
    "mnist": Source(
        "mnist", "MNIST",
        _idx_files(("f68b3c2dcbeaaa9fbdd348bbdeb94873", "d53e105ee54ea40749a09fcbcd1e9432",
                    "9fb629c4189551a2d022fa330f9573f3", "ec29112dd5afa0611ce80d1b7f02629c"),
                   (9912422, 28881, 1648877, 4542)),
        ("https://ossci-datasets.s3.amazonaws.com/mnist/", "http://yann.lecun.com/exdb/mnist/"),
        "http://yann.lecun.com/exdb/mnist/"),
    "fashion_mnist": Source(
        "fashion_mnist", "Fashion-MNIST",
        _idx_files(("8d4fb7e6c68d591d4c3dfef9ec88bf0d", "25c81989df183df01b3e8a0aad5dffbe",
                    "bef4ecab320f06d8554ea6380940ec79", "bb300cfdad3c16e7a12a480ee83cd310"),
                   (26421880, 29515, 4422102, 5148)),
        ("https://storage.googleapis.com/tensorflow/tf-keras-datasets/",     # Keras's copy
         "http://fashion-mnist.s3-website.eu-central-1.amazonaws.com/"),
        "https://github.com/zalandoresearch/fashion-mnist"),
    "kmnist": Source(
        "kmnist", "Kuzushiji-MNIST",
        _idx_files(("bdb82020997e1d708af4cf47b453dcf7", "e144d726b3acfaa3e44228e80efcd344",
                    "5c965bf0a639b31b8f53240b1b52f4d7", "7320c461ea6c1c855c0b718fb2a4b134"),
                   (18165135, 29497, 3041136, 5120)),
        ("https://codh.rois.ac.jp/kmnist/dataset/kmnist/", "http://codh.rois.ac.jp/kmnist/dataset/kmnist/"),
        "https://github.com/rois-codh/kmnist"),
    "cifar10": Source(
        "cifar10", "CIFAR-10",
        (RemoteFile("cifar-10-binary.tar.gz", "c32a1d4ab5d03f1284b67883e8d87530", 170052171),),
        ("https://www.cs.toronto.edu/~kriz/",),
        "https://www.cs.toronto.edu/~kriz/cifar.html"),
}


def mirrors_for(name: str, override=None) -> tuple[str, ...]:
    """The base URLs to try in order: the argument, else the environment variable, else ours."""
    if override:
        mirrors = (override,) if isinstance(override, str) else tuple(override)
    else:
        env = os.environ.get(f"PLAYGROUND_MIRRORS_{name.upper()}", "").split()
        mirrors = tuple(env) or SOURCES[name].mirrors
    return tuple(m if m.endswith("/") else m + "/" for m in mirrors)
