"""Comparison examples: several configurations trained side by side, round-robin, each its own
curve and map; the comparison section is checked like the rest of a project."""
from __future__ import annotations

import copy
import json

import numpy as np
import pytest

from playground.engine import Diverged
from playground.project import ProjectError, build_session, load_example
from playground.project.comparison import check_comparison, merged_training
from playground.project.comparison_run import ComparisonTrainer
from playground.project.project import project_from_json, project_to_json

COMPARISONS = {"batch_sizes": 4, "initializations": 8, "optimizers": 5, "activations": 4}


@pytest.mark.parametrize("name", sorted(COMPARISONS))
def test_comparison_trains_one_curve_per_configuration(name):
    session = build_session(load_example(name))
    trainer = session.trainer
    assert isinstance(trainer, ComparisonTrainer)
    trainer.record_interval = 0.0
    for _ in range(4):                          # a few chunks, as the worker runs them
        trainer.run(150)
    snap = trainer.snapshot()
    assert len(snap.variants) == COMPARISONS[name]
    # round-robin: every configuration took the same number of steps
    assert {v.step for v in snap.variants} == {600}
    assert snap.step == 600
    losses = [v.history[-1]["train_loss"] for v in snap.variants]
    assert all(np.isfinite(losses))
    distinct = {round(x, 9) for x in losses}
    if name == "initializations":
        # all-zero weights give every hidden unit 0 whatever the activation: tanh and ReLU
        # networks started at zero are the same network, stuck at the loss of a coin toss
        # networks started at zero are the same network; N(0, 0.01) gives them nearly zero
        # gradients: all four stay at the loss of a coin toss, the four others learn apart
        stuck = [v.history[-1]["train_loss"] for v in snap.variants
                 if "zeros" in v.label or "0.01" in v.label]
        learned = [v.history[-1]["train_loss"] for v in snap.variants
                   if not ("zeros" in v.label or "0.01" in v.label)]
        assert len(stuck) == 4 and np.allclose(stuck, np.log(2), atol=0.01), stuck
        assert len({round(x, 9) for x in learned}) == 4 and max(learned) < 0.3, learned
    else:
        assert len(distinct) == len(losses), losses   # distinct curves
    for v in snap.variants:
        assert v.map is not None and v.map.shape == (1, 50, 50)
        assert {"epoch", "step", "examples", "seconds"} <= set(v.history[-1])
    labels = [v.label for v in snap.variants]
    assert len(set(labels)) == len(labels)


def test_batch_sizes_see_different_numbers_of_examples_per_step():
    trainer = build_session(load_example("batch_sizes")).trainer
    trainer.record_interval = 0.0
    trainer.run(250)
    seen = {v.label: v.examples for v in trainer.snapshot().variants}
    # 250 training points: batch 1 has seen one epoch, the full batch 250 of them
    assert seen["SGD (batch 1)"] == 250 and seen["full batch"] == 250 * 250
    assert seen["mini-batch 10"] == 2500


def test_initializations_show_vanishing_gradients_at_step_zero():
    trainer = build_session(load_example("initializations")).trainer
    stats = {v.label: v.stats_start for v in trainer.snapshot().variants}
    small, xavier = stats["tanh · N(0, 0.01)"].grad_rms, stats["tanh · Xavier"].grad_rms
    assert len(small) == 6
    # N(0, 0.01): the signal shrinks ~25x per layer forward and the error as much backward:
    # every layer's gradient is millions of times smaller than with Xavier
    assert np.all(small < 1e-5 * xavier), (small, xavier)
    assert np.all(xavier > 1e-4)
    zeros = stats["tanh · zeros"]
    assert np.all(zeros.grad_rms[:-1] == 0)


def test_reset_restarts_every_configuration_and_a_diverged_one_stops_alone():
    trainer = build_session(load_example("optimizers")).trainer
    trainer.run(50)
    first = [t.net.flat_params.copy() for t in trainer.trainers]
    fresh = trainer.fresh()
    assert all(t.step_count == 0 for t in fresh.trainers)
    fresh.run(50)
    assert all(np.array_equal(a, t.net.flat_params) for a, t in zip(first, fresh.trainers))
    bad = fresh.trainers[1]

    def explode(n):
        raise Diverged(bad.step_count, "the loss ran away")
    bad.run = explode
    fresh.run(10)
    states = fresh.snapshot().variants
    assert states[1].diverged and states[1].step == 50
    assert all(s.step == 60 for i, s in enumerate(states) if i != 1)


def _example_json(name):
    return project_to_json(load_example(name))


def test_comparison_round_trips_through_project_json():
    data = _example_json("optimizers")
    again = project_to_json(project_from_json(json.loads(json.dumps(data))))
    assert again["comparison"] == data["comparison"]


@pytest.mark.parametrize("change, words", [
    (lambda c: c.update(variants=[c["variants"][0]]), "2 to 8 variants"),
    (lambda c: c["variants"][1].update(label=c["variants"][0]["label"]), "same label"),
    (lambda c: c["variants"][1].update(layers={"units": 3}), "not units"),
    (lambda c: c["variants"][1].update(training={"batch_size": 0}), "'SGD lr 0.1'"),
    (lambda c: c["variants"][1].update(init_std=float("nan")), "init_std"),
    (lambda c: c.update(x_axis="minutes"), "x_axis"),
    (lambda c: c["variants"].__setitem__(2, "fast"), "variant 3"),
    (lambda c: c["variants"][0].update(training={"batch_size": 32}), "first variant"),
])
def test_bad_comparisons_are_refused_in_words(change, words):
    data = _example_json("optimizers")
    change(data["comparison"])
    with pytest.raises(ProjectError, match=words.replace("(", r"\(").replace(")", r"\)")):
        project_from_json(data)


def test_another_optimizer_type_starts_from_its_own_defaults():
    base = {"optimizer": {"type": "adam", "lr": 0.02, "betas": [0.9, 0.999]}, "batch_size": 10}
    out = merged_training(base, {"optimizer": {"type": "sgd", "lr": 0.1}})
    assert out["optimizer"] == {"type": "sgd", "lr": 0.1}
    out = merged_training(base, {"optimizer": {"amsgrad": True}})
    assert out["optimizer"]["type"] == "adam" and out["optimizer"]["amsgrad"] is True
