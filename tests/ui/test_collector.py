"""Python's cycle collector stays out of the frames: once the window is ready, what lives as long
as it is frozen, so a full collection walks only what was made since (one walking everything
took ~120 ms, the comparison examples' worst stall); and nothing frozen is lost for good: a
view dropped by opening another example, or a closed window (test_closed_window_freed), is
still freed."""
from __future__ import annotations

import gc
import weakref

from PySide6.QtCore import QCoreApplication

from playground.project.examples import load_example
from playground.ui import collector


def test_a_ready_window_leaves_the_collector_little_to_walk(make_main_window):
    w = make_main_window()
    frozen = gc.get_freeze_count()
    assert frozen > 50_000                       # Qt, pyqtgraph, numba and the window itself
    w.bridge.step().wait(10)
    QCoreApplication.processEvents()
    assert len(gc.get_objects()) < frozen / 10   # what a full collection still walks


def test_a_view_dropped_after_the_freeze_is_still_freed(make_main_window):
    """The default network's blocks were frozen with the window; opening an example with fewer
    layers drops one (a Qt item in a reference cycle), and the rebuild's settle collects it."""
    w = make_main_window()
    blocks = dict(w.parts.editor.scene.blocks)
    xor = load_example("xor")
    dropped = [weakref.ref(block) for layer_id, block in blocks.items()
               if layer_id not in {layer.get("id") for layer in xor.network["layers"]}]
    del blocks
    assert dropped
    w.load_project(xor)
    QCoreApplication.processEvents()             # the rebuild's collector.settle_soon runs
    assert all(block() is None for block in dropped)


def test_the_freezer_freezes_survivors_only_when_due():
    now = [100.0]
    freezer = collector.Freezer(seconds=10.0, clock=lambda: now[0])
    gc.freeze()
    before = gc.get_freeze_count()
    kept = [[i] for i in range(1000)]            # survivors made after the last freeze
    assert not freezer.tick() and gc.get_freeze_count() == before
    now[0] += 10.0
    assert freezer.tick() and gc.get_freeze_count() >= before + len(kept)
    now[0] += 5.0
    assert not freezer.tick()
    collector.settle()
