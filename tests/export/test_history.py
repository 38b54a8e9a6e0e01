"""Training history to CSV and back: every column, exact floats, gaps for late metrics."""
from __future__ import annotations

import io
import math

import numpy as np
import pytest

from playground.export import history_to_csv, read_history_csv


def test_round_trip_keeps_every_value_exactly(tmp_path):
    history = [{"loss": 0.1 + 0.2, "epoch": 1, "accuracy": np.float32(0.5)},
               {"epoch": 2, "loss": 1e-300, "accuracy": 0.75, "val_loss": float("inf")},
               {"epoch": 3, "loss": float("nan"), "accuracy": None, "val_loss": 2.5}]
    path = tmp_path / "history.csv"
    text = history_to_csv(history, path)
    assert path.read_text() == text
    assert text.splitlines()[0] == "epoch,loss,accuracy,val_loss"  # epoch first, then as they came
    back = read_history_csv(path)
    assert back[0] == {"epoch": 1, "loss": 0.1 + 0.2, "accuracy": 0.5, "val_loss": None}
    assert back[1]["loss"] == 1e-300 and back[1]["val_loss"] == math.inf
    assert math.isnan(back[2]["loss"]) and back[2]["accuracy"] is None
    assert isinstance(back[2]["epoch"], int)


def test_empty_history_is_an_empty_table():
    assert read_history_csv(io.StringIO(history_to_csv([]))) == []


def test_values_that_are_not_numbers_are_refused():
    with pytest.raises(ValueError, match="'note' must be a number"):
        history_to_csv([{"epoch": 1, "note": "fast"}])


def test_broken_file_gives_a_clear_error(tmp_path):
    path = tmp_path / "history.csv"
    path.write_text("epoch,loss\n1,0.5\n2\n")
    with pytest.raises(ValueError, match="line 3 has 1 values, the header has 2"):
        read_history_csv(path)
    path.write_text("epoch,loss\n1,abc\n")
    with pytest.raises(ValueError, match="line 2 has a value that is not a number"):
        read_history_csv(path)
