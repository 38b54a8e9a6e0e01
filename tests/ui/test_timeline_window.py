"""The timeline in the window: the Stop-when fields pause the run and the status bar says why; the
slider's moments show in every view (the live run untouched), drags are coalesced, the Curves get
a cursor, Resume from here trains on from the moment and Undo brings the abandoned run back;
Save with timeline reopens with the same moments."""
from __future__ import annotations

import numpy as np
import pytest

from test_app import WAIT, dialogs, window  # noqa: F401 - fixtures

from playground.engine.timeline import DENSE_STEPS
from playground.ui.scrub import moment_x

pytestmark = pytest.mark.usefixtures("app_look")      # conftest: the app's look put back


def live(w):
    return w.bridge.call(lambda t: (t.step_count, t.epoch, t.net.flat_params.copy())).result(30)


def train_epochs(w, qtbot, epochs):
    # every moment due is recorded: the share of time recording may take is the engine's test
    # (a few epochs take milliseconds here, and a busy machine made the share postpone them)
    w.bridge.timeline.max_share = None
    w.parts.training_panel.stop.epochs.setValue(epochs)
    assert w.project.training.stop_epochs == epochs            # saved in the project settings
    w.actions_["play"].trigger()
    qtbot.waitUntil(lambda: not w.run_state.running and live(w)[1] == epochs, timeout=WAIT * 4)
    qtbot.waitUntil(lambda: f"{epochs} epochs" in w.statusBar().currentMessage(), timeout=WAIT)


def test_scrub_resume_and_undo(window, qtbot):
    w, scrub = window, window.scrub
    train_epochs(w, qtbot, 3)
    step, _, params = live(w)
    scrub.refresh_marks()
    assert len(scrub.moments) > DENSE_STEPS and scrub.moments[-1].step <= step
    assert len(scrub.bar.slider.labels) == len(scrub.moments)

    # a drag: twenty moves before the UI gets a turn draw once, the newest
    n = len(scrub.moments)
    for i in range(n - 21, n - 1):
        scrub.scrub_to(i)
    qtbot.waitUntil(lambda: scrub.draws == 1, timeout=WAIT)
    qtbot.wait(50)
    assert scrub.draws == 1
    moment = scrub.moments[n - 2]
    assert w.parts.output_view._last is moment.snapshot              # the map at that moment
    assert w.parts.weights_view._last is moment.snapshot
    assert all(line.isVisible() and line.value() == moment_x(moment) for line in scrub._cursors)
    assert f"step {moment.step:,}" in scrub.bar.readout.text()
    assert live(w)[0] == step                                         # nothing trained

    scrub.leave()
    assert not any(line.isVisible() for line in scrub._cursors)
    assert w.parts.output_view._last is scrub._live

    # Resume from here, then Undo
    scrub.scrub_to(n // 2)
    qtbot.waitUntil(lambda: scrub.draws == 2, timeout=WAIT)
    back = scrub.shown_moment()
    scrub.bar.resume.click()
    assert w.run_state.running and not scrub.scrubbing
    assert w.undo_stack.undoText() == f"Resume from step {back.step:,}"
    qtbot.waitUntil(lambda: live(w)[0] > back.step, timeout=WAIT)
    w.undo_stack.undo()
    qtbot.waitUntil(lambda: not w.bridge.running, timeout=WAIT)
    now_step, now_epoch, now_params = live(w)
    assert (now_step, now_epoch) == (step, 3)
    np.testing.assert_array_equal(now_params, params)


def test_save_with_timeline_reopens_with_its_moments(window, qtbot, tmp_path):
    w = window
    train_epochs(w, qtbot, 2)
    steps = w.bridge.timeline.steps()
    path = str(tmp_path / "with-timeline.nnplay")
    assert w.scrub.save_to(path)
    w.actions_["reset"].trigger()
    qtbot.waitUntil(lambda: len(w.bridge.timeline) <= 1 and live(w)[0] == 0, timeout=WAIT)
    assert w.files.open_path(path)
    qtbot.waitUntil(lambda: w.bridge.timeline.steps() == steps, timeout=WAIT)
    qtbot.waitUntil(lambda: "timeline moments" in w.statusBar().currentMessage(), timeout=WAIT)
    w.scrub.refresh_marks()
    assert len(w.scrub.bar.slider.labels) == len(steps)


def test_resume_can_keep_the_run_left_behind_as_a_pinned_run(window, qtbot):
    """The abandoned future is pinned with its curves and its last live map, not the map of the
    moment on screen, and the run trains on from the moment."""
    w, scrub = window, window.scrub
    train_epochs(w, qtbot, 3)
    step = live(w)[0]
    scrub.refresh_marks()
    history_rows = len(w.trained_state()[1])
    scrub.scrub_to(len(scrub.moments) // 2)
    qtbot.waitUntil(lambda: scrub.draws == 1, timeout=WAIT)
    back = scrub.shown_moment()
    assert not w.project.pinned
    scrub.bar.resume_and_pin.trigger()
    assert len(w.project.pinned) == 1
    pinned = w.project.pinned[0]
    assert len(pinned.history) == history_rows                         # the whole abandoned run
    live_map = np.asarray(scrub._live.grid_outputs["output"])
    moment_map = np.asarray(back.snapshot.grid_outputs["output"])
    side = pinned.map.shape[-1]
    stride = -(-live_map.shape[-1] // side)
    np.testing.assert_allclose(pinned.map, live_map[:, ::stride, ::stride], atol=1e-6)
    assert not np.allclose(pinned.map, moment_map[:, ::stride, ::stride], atol=1e-3)
    assert w.undo_stack.undoText() == f"Resume from step {back.step:,}"
    qtbot.waitUntil(lambda: live(w)[0] > back.step, timeout=WAIT)
    assert step > back.step
