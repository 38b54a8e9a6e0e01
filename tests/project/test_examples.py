"""Every example opens, builds a session and trains; the small ones measurably learn."""
from __future__ import annotations

import json

import numpy as np
import pytest

from playground import resources_dir
from playground.data import list_datasets
from playground.project import (ProjectError, build_session, default_project, list_examples,
                                load_example)
from playground.project.examples import ORDER, dataset_for_input

NAMES = [name for name, *_ in list_examples()]
POINT_EXAMPLES = [name for name, _, _, kind in list_examples() if kind in ("2d", "1d")]
IMAGE_EXAMPLES = [name for name, _, _, kind in list_examples() if kind == "image"
                  and name != "lenet_mnist"]


def test_every_listed_example_is_a_file_and_every_file_is_listed():
    files = {p.stem for p in (resources_dir() / "examples").glob("*.json")}
    assert set(NAMES) == files
    assert set(ORDER) == files
    for name, title, description, kind in list_examples():
        assert title and len(description) > 40 and kind in ("2d", "1d", "image")


@pytest.mark.parametrize("name", POINT_EXAMPLES)
def test_point_examples_learn(name):
    session = build_session(load_example(name))
    trainer = session.trainer
    before = trainer.evaluate()
    trainer.run(3000)
    after = trainer.evaluate()
    # the classic rules report the error rate as their loss; everything else its loss function
    assert after["train_loss"] < 0.75 * before["train_loss"], (before, after)
    if "train_accuracy" in after and session.dataset.task == "classification":
        assert after["train_accuracy"] > before["train_accuracy"]


@pytest.mark.parametrize("name", IMAGE_EXAMPLES)
def test_image_examples_build_and_train(name):
    session = build_session(load_example(name))
    assert session.grid_points is None and session.trainer.probe_inputs.shape[0] == 8
    losses = [session.trainer.step() for _ in range(3)]
    assert all(np.isfinite(losses))
    snap = session.trainer.snapshot()
    assert snap.probe_activations                       # the feature-map views have data


def test_mnist_example_without_the_files_says_what_to_do(tmp_path, monkeypatch):
    monkeypatch.setenv("PLAYGROUND_DATA_DIR", str(tmp_path))
    with pytest.raises(ProjectError, match="MNIST is not on this computer"):
        build_session(load_example("lenet_mnist"))


def test_default_project_is_the_spiral_ready_to_train():
    project = default_project()
    assert project.dataset["name"] == "spiral" and project.features == ["x1", "x2"]
    units = [layer["units"] for layer in project.network["layers"]]
    assert units == [12, 12, 1] and project.network["layers"][-1]["activation"] == "sigmoid"
    session = build_session(project)
    assert session.grid_points.shape == (100 * 100, 2) and session.extent == 6.0   # issue 9: >= 100x100


def test_the_notes_table_holds_for_the_rgb_example():
    """Notes 3.5: every row of the table, to the softmax layer's 850 (10 classes, as the notes'
    network), trained on coloured 32x32 pictures made offline."""
    project = load_example("notes_cnn_rgb")
    session = build_session(project)
    params = [row[3] for row in session.network.summary() if row[3]]
    assert params == [608, 3216, 48120, 10164, 850]
    dataset = session.dataset
    assert dataset.x_train.shape[1:] == (3, 32, 32) and len(dataset.class_names) == 10
    assert not next(i for i in list_datasets() if i.name == project.dataset["name"]).needs_download


def test_unknown_example():
    with pytest.raises(ProjectError, match="no example called 'nope'"):
        load_example("nope")


def test_examples_are_well_formed_json_with_a_teaching_text():
    for path in (resources_dir() / "examples").glob("*.json"):
        data = json.loads(path.read_text(encoding="utf-8"))
        assert data["format"] == "playground-project" and data["description"]


def test_bare_specs_get_a_dataset_that_fits():
    assert dataset_for_input([2]) == ({"name": "spiral"}, ["x1", "x2"])
    assert dataset_for_input([1])[0]["name"] == "sine"
    assert dataset_for_input([3, 32, 32])[0] == {"name": "shapes", "color": "rgb"}
    with pytest.raises(ProjectError, match="no dataset"):
        dataset_for_input([5, 7, 7])
