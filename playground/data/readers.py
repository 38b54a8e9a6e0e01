"""Readers for the classic file formats: IDX (MNIST family), CIFAR-10 binary, and safe tar
extraction. Every malformed file gives a DatasetError that names the file and what is wrong."""
from __future__ import annotations

import copy
import os
import tarfile
import zlib
from pathlib import Path

import numpy as np

from .errors import DatasetError
from .safefiles import read_regular

# IDX type byte -> big-endian numpy dtype
_IDX_TYPES = {0x08: ">u1", 0x09: ">i1", 0x0B: ">i2", 0x0C: ">i4", 0x0D: ">f4", 0x0E: ">f8"}
CIFAR_RECORD = 1 + 3 * 32 * 32


#: the largest dataset file read, before and after gunzip (MNIST's training images are 47 MB,
#: a CIFAR-10 batch 30 MB)
MAX_DATA_FILE = 256 * 1024 * 1024


def _read_bytes(path: Path) -> bytes:
    """A regular file's bytes, gunzipped if they are gzip; both sizes bounded by MAX_DATA_FILE."""
    path = Path(path)
    raw = read_regular(path, MAX_DATA_FILE, "dataset file")
    if raw[:2] != b"\x1f\x8b":
        return raw
    try:
        inflater = zlib.decompressobj(wbits=31)
        data = inflater.decompress(raw, MAX_DATA_FILE + 1)
    except (OSError, EOFError, zlib.error) as exc:
        raise DatasetError(f"{path.name} is a damaged or incomplete gzip file ({exc}); "
                           f"delete it and download it again") from None
    if len(data) > MAX_DATA_FILE:
        raise DatasetError(f"{path.name} unpacks to more than {MAX_DATA_FILE // 2**20} MB; it is not "
                           f"an official dataset file")
    if not inflater.eof:
        raise DatasetError(f"{path.name} is a damaged or incomplete gzip file (it ends early); "
                           f"delete it and download it again")
    return data


def read_idx(path) -> np.ndarray:
    """The array in an IDX file (gzip-compressed or raw), in native byte order."""
    path = Path(path)
    data = _read_bytes(path)
    if len(data) < 4 or data[0] != 0 or data[1] != 0 or data[2] not in _IDX_TYPES or not 1 <= data[3] <= 4:
        raise DatasetError(f"{path.name} is not an IDX file (it starts with {data[:4].hex(' ') or 'nothing'}; "
                           f"an IDX file starts with 00 00, a type byte and 1-4 dimensions)")
    ndim, dtype = data[3], np.dtype(_IDX_TYPES[data[2]])
    header = 4 + 4 * ndim
    if len(data) < header:
        raise DatasetError(f"{path.name} is truncated: it ends inside its header")
    dims = tuple(int.from_bytes(data[4 + 4 * i: 8 + 4 * i], "big") for i in range(ndim))
    expected = int(np.prod(dims, dtype=np.int64)) * dtype.itemsize
    body = len(data) - header
    if body < expected:
        raise DatasetError(f"{path.name} is truncated: its header promises {' x '.join(map(str, dims))} "
                           f"values ({expected:,} bytes) but only {body:,} bytes follow; "
                           f"delete it and download it again")
    if body > expected:
        raise DatasetError(f"{path.name} has {body - expected:,} bytes more than its header describes; "
                           f"it is not a valid IDX file")
    return np.frombuffer(data, dtype, offset=header).reshape(dims).astype(dtype.newbyteorder("="))


def read_idx_pair(images_path, labels_path) -> tuple[np.ndarray, np.ndarray]:
    """Images (N, H, W) uint8 and labels (N,) from two IDX files that must agree."""
    images, labels = read_idx(images_path), read_idx(labels_path)
    if images.ndim != 3 or images.dtype != np.uint8:
        raise DatasetError(f"{Path(images_path).name} should hold N x H x W bytes, "
                           f"not {images.dtype} of shape {images.shape}")
    if labels.ndim != 1:
        raise DatasetError(f"{Path(labels_path).name} should hold one label per image, "
                           f"not an array of shape {labels.shape}")
    if len(images) != len(labels):
        raise DatasetError(f"{Path(images_path).name} has {len(images):,} images but "
                           f"{Path(labels_path).name} has {len(labels):,} labels")
    return images, labels


def read_cifar_bin(path, n_classes: int = 10) -> tuple[np.ndarray, np.ndarray]:
    """A CIFAR binary batch: records of 1 label byte + 3072 pixel bytes (R, G, B planes of 32x32).
    Returns images (N, 3, 32, 32) uint8 and labels (N,) uint8."""
    path = Path(path)
    data = _read_bytes(path)
    if len(data) == 0 or len(data) % CIFAR_RECORD:
        raise DatasetError(f"{path.name} is not a CIFAR-10 binary batch: its size ({len(data):,} bytes) "
                           f"is not a whole number of {CIFAR_RECORD}-byte records")
    records = np.frombuffer(data, np.uint8).reshape(-1, CIFAR_RECORD)
    labels = records[:, 0].copy()
    if labels.max() >= n_classes:
        raise DatasetError(f"{path.name} has a label {int(labels.max())}; CIFAR-10 labels are 0-{n_classes - 1}")
    return records[:, 1:].reshape(-1, 3, 32, 32).copy(), labels


class _Refused(Exception):
    """A tar member the fallback check refuses (Python before 3.11.4 has no tarfile.FilterError)."""

    def __init__(self, name: str, why: str):
        super().__init__(why)
        self.name = name


def _refusal():
    """The exception types a refused member raises here (tarfile's where it has them)."""
    return (_Refused,) + ((tarfile.FilterError,) if hasattr(tarfile, "FilterError") else ())


def _checked_member(member: tarfile.TarInfo, dest: Path) -> tarfile.TarInfo:
    """The data filter's checks, done by hand where ``tarfile.data_filter`` is missing (Python
    3.11.0-3.11.3, e.g. Debian 12's 3.11.2): leading slashes are dropped (as the filter does), a
    member that would land outside ``dest`` is refused, and only regular files and folders are
    extracted (links, devices and FIFOs are refused), with plain permissions and our ownership."""
    name = member.name.lstrip("/\\")
    if not (member.isfile() or member.isdir()):
        raise _Refused(member.name, "it is a link or a special file, not a file or a folder")
    root = dest.resolve()
    target = (root / name).resolve()
    if target != root and root not in target.parents:
        raise _Refused(member.name, f"it would be written to {target}, outside the folder")
    clean = copy.copy(member)
    clean.name = name
    clean.mode = 0o755 if member.isdir() else 0o644
    clean.uid, clean.gid, clean.uname, clean.gname = os.getuid(), os.getgid(), "", ""
    return clean


def safe_extract(tar_path, dest) -> list[str]:
    """Extract a tar archive into ``dest`` with tarfile's "data" filter: members that would land
    outside ``dest`` (absolute paths, "..", links pointing out) are refused. Returns member names.
    Where the filter is missing (Python before 3.11.4) the same checks are made by hand."""
    tar_path, dest = Path(tar_path), Path(dest)
    dest.mkdir(parents=True, exist_ok=True)
    has_filter = hasattr(tarfile, "data_filter")
    try:
        with tarfile.open(tar_path) as tar:
            members = tar.getmembers()
            if has_filter:
                for member in members:              # check them all before writing anything
                    tarfile.data_filter(member, str(dest))
                tar.extractall(dest, members=members, filter="data")
            else:
                checked = [_checked_member(member, dest) for member in members]
                tar.extractall(dest, members=checked)
            names = [m.name for m in members]
    except _refusal() as exc:
        name = exc.name if isinstance(exc, _Refused) else exc.tarinfo.name
        raise DatasetError(f"{tar_path.name} was refused: the member {name!r} tries to "
                           f"write outside {dest} ({exc})") from None
    except (tarfile.TarError, EOFError, OSError, zlib.error) as exc:
        raise DatasetError(f"{tar_path.name} is a damaged or incomplete archive ({exc}); "
                           f"delete it and download it again") from None
    return names
