"""A comparison project saved and reopened goes on from every configuration's saved weights and
optimizer state (project/comparison_state.py), not from fresh weights."""
from __future__ import annotations

import numpy as np
import pytest

from playground.project import ProjectError, build_session, load_example
from playground.project.comparison_state import capture_variants
from playground.project.projectfile import load_project, save_project
from zip_members import with_member_changed


def trained(name: str, steps: int = 120):
    project = load_example(name)
    session = build_session(project)
    trainer = session.trainer
    trainer.record_interval = 0.0
    trainer.run(steps)
    project.weights, project.history = trainer.net.get_weights(), list(trainer.history)
    project.comparison.saved = capture_variants(trainer)
    return project, trainer


def test_reopening_a_comparison_goes_on_from_every_configurations_weights(tmp_path):
    project, trainer = trained("optimizers")
    path = tmp_path / "race.nnplay"
    save_project(project, path)
    reopened = load_project(path)
    again = build_session(reopened).trainer
    assert again.resumed == len(trainer.slots) == 5
    for old, new in zip(trainer.slots, again.slots):
        assert new.label == old.label and new.trainer.step_count == 120
        np.testing.assert_array_equal(new.trainer.net.flat_params, old.trainer.net.flat_params)
        assert new.trainer.optimizer.t == old.trainer.optimizer.t
        assert new.trainer.history == old.trainer.history
    # the optimizer state and the batch order came back too: the next steps are the same steps
    trainer.run(30)
    again.run(30)
    for old, new in zip(trainer.slots, again.slots):
        np.testing.assert_allclose(new.trainer.net.flat_params, old.trainer.net.flat_params,
                                   rtol=1e-6, atol=1e-7)
    # Reset still starts every configuration from its seed
    fresh = again.fresh()
    assert fresh.resumed == 0 and {s.trainer.step_count for s in fresh.slots} == {0}


def test_the_step_zero_histograms_stay_those_of_the_seed(tmp_path):
    project, trainer = trained("initializations", steps=40)
    save_project(project, tmp_path / "init.nnplay")
    again = build_session(load_project(tmp_path / "init.nnplay")).trainer
    for old, new in zip(trainer.slots, again.slots):
        np.testing.assert_allclose(new.stats_start.act_hist, old.stats_start.act_hist)
        np.testing.assert_allclose(new.stats_start.grad_rms, old.stats_start.grad_rms)
        assert new.trainer.step_count == 40 and new.stats_now is not None


def test_a_damaged_saved_comparison_is_refused_in_words(tmp_path):
    project, _ = trained("batch_sizes", steps=10)
    path = tmp_path / "b.nnplay"
    save_project(project, path)
    damaged = tmp_path / "damaged.nnplay"
    with_member_changed(path, damaged, "comparison_runs.json", lambda data: b"{not json")
    with pytest.raises(ProjectError, match="saved comparison is damaged"):
        load_project(damaged)
