"""IDX and CIFAR readers on real and generated files; safe tar extraction; the classic loaders."""
from __future__ import annotations

import gzip
import io
import tarfile

import numpy as np
import pytest

from playground.data import DatasetError, make_dataset
from playground.data.readers import read_cifar_bin, read_idx, read_idx_pair, safe_extract

MNIST_TEST_COUNTS = [980, 1135, 1032, 1010, 982, 892, 958, 1028, 974, 1009]


def test_idx_reads_the_real_mnist_test_set(mnist_dir):
    images, labels = read_idx_pair(mnist_dir / "t10k-images-idx3-ubyte.gz", mnist_dir / "t10k-labels-idx1-ubyte.gz")
    assert images.shape == (10000, 28, 28) and images.dtype == np.uint8
    assert np.bincount(labels, minlength=10).tolist() == MNIST_TEST_COUNTS
    assert images.max() == 255 and images[:, 0, :].max() == 0     # ink in the middle, borders empty


def test_idx_reads_raw_files_too(mnist_dir, tmp_path):
    raw = tmp_path / "labels.idx"
    raw.write_bytes(gzip.decompress((mnist_dir / "t10k-labels-idx1-ubyte.gz").read_bytes()))
    assert np.bincount(read_idx(raw)).tolist() == MNIST_TEST_COUNTS


def test_a_truncated_idx_file_is_reported(mnist_dir, tmp_path):
    data = gzip.decompress((mnist_dir / "t10k-images-idx3-ubyte.gz").read_bytes())
    cut = tmp_path / "t10k-images-idx3-ubyte.gz"
    cut.write_bytes(gzip.compress(data[: len(data) // 2], compresslevel=1))
    with pytest.raises(DatasetError, match="truncated: its header promises 10000 x 28 x 28"):
        read_idx(cut)
    cut.write_bytes((mnist_dir / "t10k-images-idx3-ubyte.gz").read_bytes()[:100_000])   # a cut download
    with pytest.raises(DatasetError, match="damaged or incomplete gzip"):
        read_idx(cut)
    cut.write_bytes(data[:10])
    with pytest.raises(DatasetError, match="ends inside its header"):
        read_idx(cut)


def test_a_foreign_file_is_not_an_idx(tmp_path):
    foreign = tmp_path / "notes.gz"
    foreign.write_bytes(gzip.compress(b"<html>Not found</html>"))
    with pytest.raises(DatasetError, match="notes.gz is not an IDX file"):
        read_idx(foreign)


def test_images_and_labels_must_agree(mnist_dir, tmp_path):
    labels = tmp_path / "labels"
    labels.write_bytes(b"\x00\x00\x08\x01" + (5).to_bytes(4, "big") + bytes(5))
    with pytest.raises(DatasetError, match="10,000 images but labels has 5 labels"):
        read_idx_pair(mnist_dir / "t10k-images-idx3-ubyte.gz", labels)


def _cifar_records(labels, rng):
    pixels = rng.integers(0, 256, (len(labels), 3072), dtype=np.uint8)
    return np.concatenate([np.asarray(labels, np.uint8)[:, None], pixels], axis=1), pixels


def test_cifar_records_are_label_then_rgb_planes(tmp_path):
    records, pixels = _cifar_records([3, 0, 9, 1], np.random.default_rng(0))
    path = tmp_path / "data_batch_1.bin"
    path.write_bytes(records.tobytes())
    images, labels = read_cifar_bin(path)
    assert labels.tolist() == [3, 0, 9, 1] and images.shape == (4, 3, 32, 32)
    assert images[2, 1, 0, 5] == pixels[2, 1024 + 5]           # green plane, row 0, column 5
    assert images[1, 2, 31, 31] == pixels[1, 3071]
    path.write_bytes(records.tobytes()[:-1])
    with pytest.raises(DatasetError, match="not a whole number of 3073-byte records"):
        read_cifar_bin(path)
    records[0, 0] = 12
    path.write_bytes(records.tobytes())
    with pytest.raises(DatasetError, match="label 12"):
        read_cifar_bin(path)


def _tar(path, members):
    with tarfile.open(path, "w:gz") as tar:
        for name, data in members.items():
            info = tarfile.TarInfo(name)
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))


@pytest.fixture(params=["data_filter", "python_3_11_2"])
def tar_mode(request, monkeypatch):
    """Every tar test runs twice: with tarfile's data filter, and as on Python 3.11.0-3.11.3
    (Debian 12's 3.11.2), where tarfile has no data_filter, no FilterError and extractall takes
    no filter argument."""
    has_filter = hasattr(tarfile, "data_filter")
    if request.param == "data_filter" and not has_filter:
        pytest.skip("this Python's tarfile has no data filter (3.11.0-3.11.3): the other run is it")
    if request.param == "python_3_11_2" and has_filter:
        monkeypatch.delattr(tarfile, "data_filter")
        monkeypatch.delattr(tarfile, "FilterError")
        real = tarfile.TarFile.extractall

        def old_extractall(self, path=".", members=None, *, numeric_owner=False, **kwargs):
            if kwargs:
                raise TypeError(f"extractall() got an unexpected keyword argument {next(iter(kwargs))!r}")
            return real(self, path, members, numeric_owner=numeric_owner, filter="fully_trusted")
        monkeypatch.setattr(tarfile.TarFile, "extractall", old_extractall)
    return request.param


@pytest.mark.parametrize("evil", ["../evil.txt", "a/../../evil.txt"])
def test_a_tar_member_escaping_its_folder_is_refused(tmp_path, evil, tar_mode):
    archive = tmp_path / "archive.tar.gz"
    _tar(archive, {"good.txt": b"fine", evil: b"gotcha"})
    dest = tmp_path / "out"
    with pytest.raises(DatasetError, match="refused"):
        safe_extract(archive, dest)
    assert not (tmp_path / "evil.txt").exists() and not list(dest.iterdir())   # nothing written at all


def test_an_absolute_member_lands_inside_the_folder(tmp_path, tar_mode):
    archive = tmp_path / "archive.tar"
    _tar(archive, {"/tmp/evil-playground-abs.txt": b"gotcha"})
    safe_extract(archive, tmp_path / "out")
    assert (tmp_path / "out" / "tmp" / "evil-playground-abs.txt").read_bytes() == b"gotcha"


def test_a_symlink_out_of_the_folder_is_refused(tmp_path, tar_mode):
    archive = tmp_path / "links.tar"
    with tarfile.open(archive, "w") as tar:
        info = tarfile.TarInfo("link")
        info.type, info.linkname = tarfile.SYMTYPE, "/etc/passwd"
        tar.addfile(info)
    with pytest.raises(DatasetError, match="refused"):
        safe_extract(archive, tmp_path / "out")
    assert not (tmp_path / "out" / "link").exists()


def test_a_device_member_is_refused(tmp_path, tar_mode):
    archive = tmp_path / "dev.tar"
    with tarfile.open(archive, "w") as tar:
        info = tarfile.TarInfo("zero")
        info.type, info.devmajor, info.devminor = tarfile.CHRTYPE, 1, 5
        tar.addfile(info)
    with pytest.raises(DatasetError, match="refused: the member 'zero'"):
        safe_extract(archive, tmp_path / "out")
    assert not (tmp_path / "out" / "zero").exists()


def test_cifar10_loads_from_its_binary_archive(tmp_path, tar_mode):
    rng = np.random.default_rng(1)
    batches = {}
    for i, name in enumerate([f"data_batch_{k}.bin" for k in range(1, 6)] + ["test_batch.bin"]):
        batches[f"cifar-10-batches-bin/{name}"] = _cifar_records(np.arange(10) if i == 5 else [i] * 4, rng)[0].tobytes()
    folder = tmp_path
    _tar(folder / "cifar-10-binary.tar.gz", batches)
    ds = make_dataset({"name": "cifar10", "root": str(tmp_path)})
    assert ds.x_train.shape == (20, 3, 32, 32) and ds.x_test.shape == (10, 3, 32, 32)
    assert ds.y_train.tolist() == [0] * 4 + [1] * 4 + [2] * 4 + [3] * 4 + [4] * 4
    assert ds.class_names[3] == "cat" and 0 <= ds.x_train.min() and ds.x_train.max() <= 1


def test_the_mnist_loader_reads_its_folder(tmp_path, mnist_dir):
    folder = tmp_path
    for name in ("t10k-images-idx3-ubyte.gz", "t10k-labels-idx1-ubyte.gz"):
        (folder / name).symlink_to(mnist_dir / name)
    with pytest.raises(DatasetError, match=r"missing train-images-idx3-ubyte.gz, train-labels-idx1-ubyte.gz\)"):
        make_dataset({"name": "mnist", "root": str(tmp_path)})
    # stand the test files in for the training files to check the loader's pairing and scaling
    for name in ("images-idx3", "labels-idx1"):
        (folder / f"train-{name}-ubyte.gz").symlink_to(mnist_dir / f"t10k-{name}-ubyte.gz")
    ds = make_dataset({"name": "mnist", "root": str(tmp_path), "n_train": 500, "scale": "standardize"})
    assert ds.x_train.shape == (500, 1, 28, 28) and ds.x_test.shape == (10000, 1, 28, 28)
    assert np.bincount(ds.y_test).tolist() == MNIST_TEST_COUNTS
    assert abs(float(ds.x_train.mean())) < 1e-4 and abs(float(ds.x_train.std()) - 1) < 1e-3
    thumbs = ds.preview(8)
    assert thumbs.shape == (8, 28, 28) and thumbs.min() >= 0 and thumbs.max() == pytest.approx(1, abs=1e-5)


def test_a_dataset_file_that_is_a_device_or_a_gzip_bomb_is_refused(tmp_path, monkeypatch):
    from playground.data import readers
    link = tmp_path / "t10k-images-idx3-ubyte.gz"
    link.symlink_to("/dev/zero")
    with pytest.raises(DatasetError, match="is a device, not a dataset file"):
        read_idx(link)
    monkeypatch.setattr(readers, "MAX_DATA_FILE", 1024 * 1024)
    bomb = tmp_path / "bomb.gz"
    bomb.write_bytes(gzip.compress(b"\0\0\x08\x01" + bytes(20 * 1024 * 1024)))
    with pytest.raises(DatasetError, match="bomb.gz unpacks to more than 1 MB"):
        read_idx(bomb)
