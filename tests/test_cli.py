"""The command line: `playground train` and `python -m playground.bench`, as a user runs them."""
import json
import subprocess
import sys
from pathlib import Path

import pytest

from playground import resources_dir

SPIRAL = str(resources_dir() / "examples" / "xor.json")


def run(*args, cwd=None):
    return subprocess.run([sys.executable, "-m", "playground", *args], capture_output=True,
                          text=True, cwd=cwd, timeout=600)


def test_train_an_example_prints_json_results():
    out = run("train", SPIRAL, "--epochs", "30", "--json")
    assert out.returncode == 0, out.stderr
    result = json.loads(out.stdout)
    assert result["epochs"] == 30 and result["dataset"] == "xor"
    assert result["test_accuracy"] > 0.9
    assert "Traceback" not in out.stderr


def test_train_a_bare_spec_on_another_dataset_with_progress(tmp_path):
    spec = {"format": "playground-network", "version": 1, "input_shape": [2], "layers": [
        {"type": "dense", "units": 8, "activation": "tanh"},
        {"type": "dense", "units": 1, "activation": "sigmoid"}]}
    path = tmp_path / "net.json"
    path.write_text(json.dumps(spec))
    out = run("train", str(path), "--dataset", "circle", "--epochs", "3", "--seed", "4")
    assert out.returncode == 0, out.stderr
    assert "epoch 3/3" in out.stderr
    assert "trained circle for 3 epochs" in out.stdout and "test_loss" in out.stdout


@pytest.mark.parametrize("content, words", [
    ("{not json", "JSON"),
    ('{"format": "playground-network", "version": 1, "input_shape": [2], "layers": '
     '[{"type": "dense", "units": 0}]}', "'units' must be at least 1"),
])
def test_a_bad_file_gives_a_clear_message_and_exit_code_2(tmp_path, content, words):
    path = tmp_path / "bad.json"
    path.write_text(content)
    out = run("train", str(path))
    assert out.returncode == 2
    assert words in out.stderr and "Traceback" not in out.stderr


def test_a_saturated_run_stops_with_the_divergence_message_and_exit_code_1(tmp_path):
    # lr 10: the loss sits at BCE 30-60 with finite weights; it must not train on and exit 0
    project = json.loads((resources_dir() / "examples" / "spiral.json").read_text())
    project["training"]["optimizer"] = {"type": "sgd", "lr": 10.0}
    path = tmp_path / "too_fast.json"
    path.write_text(json.dumps(project))
    out = run("train", str(path), "--epochs", "50")
    assert out.returncode == 1, out.stderr
    assert "diverged at step" in out.stderr and "the loss stayed over" in out.stderr
    assert "smaller learning rate" in out.stderr and "Traceback" not in out.stderr


def test_missing_file_unknown_dataset_and_bad_option_exit_2(tmp_path):
    for args in (["train", str(tmp_path / "nope.json")],
                 ["train", SPIRAL, "--dataset", "nonsense"],
                 ["train", SPIRAL, "--epochs", "many"]):
        out = run(*args)
        assert out.returncode == 2, args
        assert out.stderr.strip() and "Traceback" not in out.stderr


def test_benchmark_prints_its_table_as_json():
    out = subprocess.run([sys.executable, "-m", "playground.bench", "--only", "F", "--no-startup",
                          "--json"], capture_output=True, text=True, timeout=600)
    assert out.returncode == 0, out.stderr
    rows = json.loads(out.stdout)["workloads"]
    assert [r["name"][0] for r in rows] == ["F", "F"]
    assert all(r["ours_steps_per_s"] > 0 for r in rows)
