"""A user's CSV of points: the happy paths, the errors a new user meets, and fuzzing."""
from __future__ import annotations

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from playground.data import Dataset, DatasetError, make_dataset


def _load(tmp_path, text, **recipe):
    path = tmp_path / "points.csv"
    path.write_bytes(text.encode("utf-8") if isinstance(text, str) else text)
    return make_dataset({"name": "csv", "path": str(path), **recipe})


def test_points_with_a_header_and_integer_labels(tmp_path):
    rows = "\n".join(f"{i * 0.1:.1f},{-i * 0.2:.1f},{i % 2}" for i in range(20))
    ds = _load(tmp_path, "x1,x2,label\n" + rows + "\n", train_share=0.75)
    assert (ds.kind, ds.task, ds.input_shape, ds.class_names) == ("2d", "classification", (2,), ["0", "1"])
    assert (ds.n_train, ds.n_test) == (15, 5) and ds.name == "csv:points.csv"
    x = np.concatenate([ds.x_train, ds.x_test])
    y = np.concatenate([ds.y_train, ds.y_test])
    order = np.argsort(x[:, 0])
    assert y[order].tolist() == [i % 2 for i in range(20)]


def test_semicolons_without_header_and_text_labels(tmp_path):
    ds = _load(tmp_path, "1;2;cat\n3;4;dog\n5;6;cat\n# a comment\n\n7;8;dog\n")
    assert ds.class_names == ["cat", "dog"] and ds.n_train + ds.n_test == 4


def test_float_targets_are_regression_and_the_task_can_be_forced(tmp_path):
    text = "x1\tx2\tt\n0\t0\t0.5\n1\t1\t1.25\n2\t2\t-3\n3\t1\t2\n"
    ds = _load(tmp_path, text)
    assert ds.task == "regression" and ds.y_train.shape[1] == 1 and ds.y_train.dtype == np.float32
    assert _load(tmp_path, "0 0 1\n1 1 2\n2 2 3\n", task="regression").task == "regression"
    assert _load(tmp_path, "0,0,0.5\n1,1,1.5\n", task="classification").n_classes == 2


def test_more_columns_and_one_column(tmp_path):
    assert _load(tmp_path, "1,2,3,0\n4,5,6,1\n").input_shape == (3,)
    assert _load(tmp_path, "0.5,1.5\n1,2.5\n2,4\n").kind == "1d"


@pytest.mark.parametrize("text,message", [
    ("", "empty"),
    ("\n\n# only comments\n", "empty"),
    ("1\n2\n3\n", "single column"),
    ("1,2,0\n3,4\n5,6,1\n", "line 2: 2 values, but the first row has 3"),
    ("x1,x2,y\n1,2,0\n3,abc,1\n5,6,1\n7,8,0\n", "line 3: 'abc' is not a number"),
    ("1,2,0\n3,nan,1\n4,inf,0\n", "line 2: 'nan' is not a usable number"),
    ("1,2,0\n", "at least 2 are needed"),
    ("1,2,a\n3,4,a\n", "at least two classes"),
    ("1,2,0\n3,4,\n", "line 2: the label is empty"),
    (b"\x00\x01\x02binary", "not look like a text file"),
])
def test_broken_files_say_what_is_wrong(tmp_path, text, message):
    with pytest.raises(DatasetError, match=message) as err:
        _load(tmp_path, text)
    assert str(err.value).startswith("points.csv: ")


def test_a_text_target_cannot_be_regression(tmp_path):
    with pytest.raises(DatasetError, match="line 1: the target 'a' is not a usable number"):
        _load(tmp_path, "1,2,a\n3,4,b\n", task="regression")


def test_bad_rows_are_listed_by_line_up_to_five(tmp_path):
    text = "1,2,0\n" + "".join(f"{i},x,1\n" for i in range(8))
    with pytest.raises(DatasetError) as err:
        _load(tmp_path, text)
    assert "8 row(s)" in str(err.value) and "line 6:" in str(err.value) and "(and 3 more)" in str(err.value)


def test_missing_file_and_folder(tmp_path):
    with pytest.raises(DatasetError, match="does not exist"):
        make_dataset({"name": "csv", "path": str(tmp_path / "nope.csv")})
    with pytest.raises(DatasetError, match="is a folder"):
        make_dataset({"name": "csv", "path": str(tmp_path)})


_cells = st.one_of(st.integers(-5, 5).map(str), st.floats(allow_nan=True).map(repr),
                   st.sampled_from(["a", "b", "", " ", "nan", "inf", "1e999", '"q,x"', "-"]),
                   st.text(max_size=4))
_rows = st.lists(st.lists(_cells, min_size=0, max_size=5), max_size=12)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(rows=_rows, delim=st.sampled_from([",", ";", "\t", " ", "|"]),
       task=st.sampled_from(["auto", "classification", "regression"]))
def test_fuzzed_csv_gives_a_dataset_or_a_dataset_error(tmp_path, rows, delim, task):
    text = "\n".join(delim.join(r) for r in rows)
    try:
        ds = _load(tmp_path, text, task=task)
    except DatasetError:
        return
    assert isinstance(ds, Dataset) and ds.n_train >= 1 and ds.n_test >= 1
    assert np.isfinite(ds.x_train).all() and ds.x_train.dtype == np.float32


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(raw=st.binary(max_size=200))
def test_fuzzed_bytes_give_a_dataset_or_a_dataset_error(tmp_path, raw):
    try:
        _load(tmp_path, raw)
    except DatasetError:
        pass
