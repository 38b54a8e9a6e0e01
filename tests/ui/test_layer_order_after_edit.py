"""After a layer is inserted in the middle of the network on the canvas, the Weights & gradients
dock lists the layers as the network orders them, input to output: the gradient-norm legend,
the layer chooser and the Optimizer tab's legend (a student reads the legend top to bottom to see
gradients vanish towards the input).

What went wrong: the views are cleared at the rebuild, but a frame of the old network still in
flight (the pump had not drawn it yet) drew the old layers' lines first, and the new layer, whose
first frame has the same step (the counters go on), got its line a step later, last."""
from __future__ import annotations

import numpy as np

from playground.engine.optimizer_stats import summarize
from playground.project.examples import load_example
from playground.project.session import build_session
from playground.ui.views.weights_view import WeightsView

WAIT = 300_000     # ms: the first window may compile numba kernels on a busy machine


def legend_labels(legend) -> list[str]:
    return [label.text for _sample, label in legend.items]


def worker_layers(w) -> list[str]:
    return w.bridge.call(lambda t: list(dict.fromkeys(
        k.partition(".")[0] for k in t.net.get_weights()))).result(30)


def step_undrawn(w) -> None:
    """One step (the S key's action), done and published by the worker, not yet drawn."""
    w.actions_["step"].trigger()
    w.bridge.call(lambda t: None).result(30)       # the worker's commands run in order


def test_legends_follow_the_network_order_after_an_insert(quiet_dialogs, make_main_window, qtbot):
    """In the window: a step, then a layer inserted before the pump drew that step's frame; the
    frame of the old network arrives after the rebuild cleared the views (as it can while
    training runs), then the new network's at the same step, then the next steps'."""
    w = make_main_window(load_example("spiral"))
    view = w.parts.weights_view
    w.docks["weights"].show()
    w.docks["weights"].raise_()
    w.pump.stop()                                  # the frames are drawn here, in a known order
    step_undrawn(w)
    late = w.bridge.take_snapshot()                # the old network's newest frame
    new_id = w.parts.editor.insert_layer("dense", 1)       # between the first two layers
    order = list(w.parts.document.layer_ids())
    assert order.index(new_id) == 1 and len(order) >= 4
    qtbot.waitUntil(lambda: new_id in worker_layers(w), timeout=WAIT)   # rebuilt: views cleared
    empty = np.empty(0)
    w._draw(late, empty, empty)
    assert w.pump.pull_now() and view._last.step == late.step      # the new network, same step
    for _ in range(3):
        step_undrawn(w)
        assert w.pump.pull_now()
    weighted = [i for i in order if f"{i}.weight" in view._last.weights]
    assert new_id in weighted and list(view.norms) == weighted
    assert legend_labels(view.norm_legend) == weighted
    assert [view.layer.itemText(i) for i in range(view.layer.count())] == weighted
    view.tabs.setCurrentWidget(view.optimizer)
    assert list(view.optimizer.layers) == weighted
    assert legend_labels(view.optimizer.legend) == weighted


def _snapshot(trainer):
    """A snapshot as the worker makes it (with the optimizer's numbers per layer)."""
    snap = trainer.snapshot()
    snap.optimizer = trainer.optimizer.name
    snap.optimizer_stats = summarize(trainer.optimizer, trainer.net)
    return snap


def _old_and_edited(steps: int):
    """The spiral network's snapshot at step ``steps``, and the trainer of the same network with
    a dense layer inserted after its first layer, also at step ``steps`` (the counters go on
    across a rebuild)."""
    project = load_example("spiral")
    old = build_session(project).trainer
    old.run(steps)
    layers = [dict(layer) for layer in project.network["layers"]]
    layers.insert(1, {"type": "dense", "id": "dense9", "units": 12, "activation": "tanh"})
    project.network = {**project.network, "layers": layers}
    new = build_session(project).trainer
    new.run(steps)
    return _snapshot(old), new


def test_a_stale_snapshot_of_the_old_network_does_not_reorder_the_legends(qtbot):
    """The race above, step by step: the old network's snapshot after the clear, the new one's at
    the same step, then the next step's."""
    old_snap, new = _old_and_edited(5)
    view = WeightsView()
    qtbot.addWidget(view)
    view.show_snapshot(old_snap)
    view.clear()                                   # the rebuild
    view.show_snapshot(old_snap)                   # still in flight
    same_step = _snapshot(new)
    view.show_snapshot(same_step)
    new.run(1)
    view.show_snapshot(_snapshot(new))
    order = ["dense1", "dense9", "dense2", "dense3"]
    assert [k[:-len(".weight")] for k in same_step.weights if k.endswith(".weight")] == order
    assert legend_labels(view.norm_legend) == order
    assert list(view.norm_lines) == order
    assert [view.layer.itemText(i) for i in range(view.layer.count())] == order
    view.tabs.setCurrentWidget(view.optimizer)     # drawn when its tab comes to the front
    assert list(view.optimizer.layers) == order
    assert legend_labels(view.optimizer.legend) == order
