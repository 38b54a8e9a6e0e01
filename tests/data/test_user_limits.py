"""The user's own data read safely: only regular files and folders, with limits, progress,
cancel, one parse per file, and clear messages for the CSVs that used to mislead."""
from __future__ import annotations

import os
import threading
import tracemalloc

import numpy as np
import pytest
from _png_encoder import encode_png

from playground.data import DatasetError, LoadCancelled, csv_points, make_dataset, safefiles, user


@pytest.fixture(autouse=True)
def _fresh_cache():
    user._CACHE.clear()
    yield
    user._CACHE.clear()


def _csv(tmp_path, text, name="points.csv"):
    path = tmp_path / name
    path.write_text(text)
    return path


def _in_thread(fn):
    """Run ``fn`` in a thread; wait for it on an event (a hang would fail, not block the run)."""
    done, box = threading.Event(), {}

    def run():
        try:
            box["value"] = fn()
        except BaseException as exc:  # noqa: BLE001 - handed back to the test
            box["error"] = exc
        done.set()
    threading.Thread(target=run, daemon=True).start()
    assert done.wait(20), "reading the path did not return"
    return box


# -- only regular files and folders ---------------------------------------------------------------
def test_a_device_is_refused_without_reading_it():
    box = _in_thread(lambda: make_dataset({"name": "csv", "path": "/dev/zero"}))
    assert isinstance(box.get("error"), DatasetError)
    assert "is a device, not a CSV file" in str(box["error"])


def test_a_fifo_is_refused_without_waiting_for_a_writer(tmp_path):
    fifo = tmp_path / "points.csv"
    os.mkfifo(fifo)
    box = _in_thread(lambda: make_dataset({"name": "csv", "path": str(fifo)}))
    assert "is a pipe (FIFO), not a CSV file" in str(box.get("error"))


def test_a_missing_path_is_a_message(tmp_path):
    with pytest.raises(DatasetError, match="gone.csv does not exist: choose the CSV file again"):
        make_dataset({"name": "csv", "path": str(tmp_path / "gone.csv")})
    with pytest.raises(DatasetError, match="does not exist: choose the folder"):
        make_dataset({"name": "image_folder", "path": str(tmp_path / "gone")})
    with pytest.raises(DatasetError, match="is a file, not a folder"):
        make_dataset({"name": "image_folder", "path": str(_csv(tmp_path, "1,2,0\n"))})


def test_a_csv_over_the_limit_is_refused_naming_the_limit(tmp_path, monkeypatch):
    monkeypatch.setattr(user, "MAX_CSV_BYTES", 1000)
    path = _csv(tmp_path, "1,2,0\n3,4,1\n" * 200)
    with pytest.raises(DatasetError, match="points.csv is 2,400 bytes; the largest CSV file read is 1,000 bytes"):
        make_dataset({"name": "csv", "path": str(path)})


def test_a_huge_folder_scan_stops_and_says_so(tmp_path, monkeypatch):
    monkeypatch.setattr(user, "MAX_SCAN_ENTRIES", 30)
    for cls in ("a", "b"):
        (tmp_path / cls).mkdir()
        for i in range(20):
            (tmp_path / cls / f"{i:02d}.png").write_bytes(encode_png(np.full((4, 4, 1), i / 20), 0))
    ds = make_dataset({"name": "image_folder", "path": str(tmp_path), "size": 8})
    assert ds.n_train + ds.n_test == 30               # all 20 of a, the first 10 of b
    assert any("only the first 30 entries were looked at" in n for n in ds.notes)


# -- progress and cancel ----------------------------------------------------------------------------
def test_progress_rises_to_the_end_and_false_cancels(tmp_path):
    path = _csv(tmp_path, "".join(f"{i % 7},{i % 5},{i % 2}\n" for i in range(50_000)))
    seen = []
    make_dataset({"name": "csv", "path": str(path)}, progress=lambda d, t: seen.append(d / t))
    assert seen == sorted(seen) and seen[-1] == 1.0 and len(seen) >= 3
    user._CACHE.clear()
    with pytest.raises(LoadCancelled):
        make_dataset({"name": "csv", "path": str(path)}, progress=lambda d, t: d < 0.5)


def test_a_file_is_parsed_once_until_it_changes(tmp_path, monkeypatch):
    path = _csv(tmp_path, "1,2,0\n3,4,1\n5,6,0\n7,8,1\n")
    calls = []
    real = user.parse_points
    monkeypatch.setattr(user, "parse_points", lambda *a, **k: calls.append(1) or real(*a, **k))
    a = make_dataset({"name": "csv", "path": str(path)})
    b = make_dataset({"name": "csv", "path": str(path), "train_share": 0.5})
    assert len(calls) == 1 and (a.n_train, b.n_train) == (3, 2)
    path.write_text("1,2,0\n3,4,1\n5,6,0\n7,8,1\n9,9,1\n")
    assert make_dataset({"name": "csv", "path": str(path)}).n_train == 4 and len(calls) == 2


# -- the CSVs that misled ------------------------------------------------------------------------
def test_one_nan_label_is_named_and_does_not_turn_labels_into_text(tmp_path):
    text = "".join(f"{i},{i},{'1.0' if i % 3 == 0 else i % 2}\n" for i in range(30))
    assert make_dataset({"name": "csv", "path": str(_csv(tmp_path, text))}).class_names == ["0", "1"]
    text = text.replace("5,5,1\n", "5,5,nan\n")
    with pytest.raises(DatasetError, match="line 6: the label 'nan' is missing"):
        make_dataset({"name": "csv", "path": str(_csv(tmp_path, text, "b.csv"))})


def test_one_inf_target_is_named(tmp_path):
    text = "".join(f"{i},{-i},{i * 0.37:.3f}\n" for i in range(100)) + "1,1,inf\n"
    with pytest.raises(DatasetError) as err:
        make_dataset({"name": "csv", "path": str(_csv(tmp_path, text))})
    assert "line 101: the target 'inf' is not a usable number (infinite or huge)" in str(err.value)
    assert "different texts" not in str(err.value)


def test_mixed_separators_are_named(tmp_path):
    text = "1,2,0\n3,4,1\n5;6;0\n7,8,1\n"
    with pytest.raises(DatasetError, match="line 3 separates its values with ';' but the lines "
                                           "before it use ','"):
        make_dataset({"name": "csv", "path": str(_csv(tmp_path, text))})


def test_numbers_and_text_mixed_in_a_big_target_column(tmp_path):
    text = "".join(f"{i},{i},{i * 0.5}\n" for i in range(60)) + "1,1,abc\n"
    with pytest.raises(DatasetError, match="mixes numbers and text .* line 61: 'abc'"):
        make_dataset({"name": "csv", "path": str(_csv(tmp_path, text))})


def test_memory_stays_within_five_times_the_numbers():
    rows = 200_000
    text = "".join(f"{i * 0.001:.3f},{-i * 0.002:.3f},{i % 3}\n" for i in range(rows))
    tracemalloc.start()
    table = csv_points.parse_points(text)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    numbers = rows * 3 * 4                            # the values as float32
    assert table.features.shape == (rows, 2) and table.class_names == ["0", "1", "2"]
    assert peak < 5 * numbers, f"peak {peak / 1e6:.1f} MB for {numbers / 1e6:.1f} MB of numbers"
