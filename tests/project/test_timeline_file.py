"""Save with timeline: the moments go into the .nnplay and come back exactly (views' arrays and the
trainer state, so a reopened project resumes bit for bit); a normal save stays without them."""
import zipfile

import numpy as np
import pytest

from playground.engine.rewind import rewind
from playground.engine.timeline import Timeline
from playground.project import build_session
from playground.project.examples import default_project
from playground.project.project import ProjectError
from playground.project.projectfile import load_project, save_project
from zip_members import with_member_changed


def trained():
    project = default_project()
    session = build_session(project)
    t = session.trainer
    timeline = Timeline()
    for _ in range(40):
        t.run(7)
        timeline.record(t)
    project.weights, project.history = t.net.get_weights(), [dict(r) for r in t.history]
    return project, t, timeline


def test_round_trip_keeps_every_moment_and_resumes_bit_for_bit(tmp_path):
    project, t, timeline = trained()
    plain, full = tmp_path / "plain.nnplay", tmp_path / "full.nnplay"
    save_project(project, plain)
    project.timeline = timeline.moments()
    save_project(project, full)
    assert "timeline.npz" not in zipfile.ZipFile(plain).namelist()
    assert plain.stat().st_size * 3 < full.stat().st_size
    assert load_project(plain).timeline is None

    loaded = load_project(full)
    assert [m.step for m in loaded.timeline] == timeline.steps()
    for a, b in zip(timeline.moments(), loaded.timeline):
        sa, sb = a.snapshot, b.snapshot
        assert (sa.epoch, sa.train_loss, sa.metrics) == (sb.epoch, sb.train_loss, sb.metrics)
        for group in ("weights", "gradients", "grid_outputs"):
            assert getattr(sa, group).keys() == getattr(sb, group).keys()
            for key in getattr(sa, group):
                np.testing.assert_array_equal(getattr(sa, group)[key], getattr(sb, group)[key])
        np.testing.assert_array_equal(sa.grid_inputs, sb.grid_inputs)
        np.testing.assert_array_equal(a.state.params, b.state.params)
        assert a.state.rng == b.state.rng and a.state.optimizer_t == b.state.optimizer_t

    # resume a reopened moment in a fresh session: the same steps as the original run
    middle = loaded.timeline[len(loaded.timeline) // 2]
    reopened = build_session(loaded).trainer
    restored = Timeline()
    restored.replace_all(loaded.timeline)
    rewind(restored, reopened, middle.step)
    assert reopened.history == [r for r in project.history if r["step"] <= middle.step]
    reopened.run(t.step_count - middle.step)
    np.testing.assert_array_equal(reopened.net.flat_params, t.net.flat_params)


def test_a_damaged_timeline_is_refused_in_words(tmp_path):
    project, _, timeline = trained()
    project.timeline = timeline.moments()
    path = tmp_path / "full.nnplay"
    save_project(project, path)
    bad = tmp_path / "bad.nnplay"
    with_member_changed(path, bad, "timeline.json",
                        lambda data: data.replace(b'"optimizer_t"', b'"optimizer_x"', 1))
    with pytest.raises(ProjectError, match="timeline is damaged"):
        load_project(bad)
