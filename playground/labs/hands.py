"""Hands on the network (issue 11, section 3): set weights and probe images in a trainer by hand.

The training worker runs these between chunks (``TrainingBridge.set_weights`` and
``set_probe_image``) and then publishes a fresh snapshot, so the decision map, the neuron maps,
the feature maps and the prediction follow an edit at once, while paused too. No training step
runs. Nothing here imports Qt.

An edit is ``(key, index, value)``: ``key`` a parameter name as in ``Network.parameters()``
("dense1.weight", "conv1.bias"), ``index`` a tuple into that array (one weight), or None with
``value`` an array of the parameter's whole shape, or a tuple of leading indices with ``value``
the sub-array there (one conv filter: ``("conv1.weight", (2,), kernel_of_shape_c_kh_kw)``).
"""
from __future__ import annotations

from typing import Iterable

import numpy as np

Edit = tuple[str, "tuple[int, ...] | None", "float | np.ndarray"]


def fits(params: dict[str, np.ndarray], edit: Edit) -> bool:
    """Whether ``edit`` names a parameter of this network and fits its shape (an undo entry made
    before the network changed may no longer)."""
    key, index, value = edit
    array = params.get(key)
    if array is None:
        return False
    index = () if index is None else tuple(int(i) for i in index)
    if len(index) > array.ndim or any(not 0 <= i < n for i, n in zip(index, array.shape)):
        return False
    return np.shape(value) == array.shape[len(index):]


def apply_edits(network, edits: Iterable[Edit]) -> int:
    """Write the edits that fit into ``network``'s parameters; returns how many did."""
    params = network.parameters()
    done = 0
    for edit in edits:
        if not fits(params, edit):
            continue
        key, index, value = edit
        index = () if index is None else tuple(int(i) for i in index)
        if index and len(index) == params[key].ndim:
            params[key][index] = float(value)
        else:
            params[key][index] = np.asarray(value, params[key].dtype)
        done += 1
    return done


def read_values(network, edits: Iterable[Edit]) -> list[Edit]:
    """The current values where ``edits`` would write: what undoing them writes back."""
    params = network.parameters()
    out = []
    for key, index, value in edits:
        if fits(params, (key, index, value)):
            current = params[key][() if index is None else tuple(index)]
            out.append((key, index, float(current) if np.ndim(current) == 0 else current.copy()))
    return out


def set_weights(trainer, edits: Iterable[Edit]) -> int:
    """Apply hand edits to the trainer's network. The divergence watch starts again from the
    edited weights (they are the user's, not a run going astray); the optimizer keeps its state."""
    done = apply_edits(trainer.net, edits)
    if done:
        trainer.watch.restart(trainer.net.flat_params)
    return done


def swap_weights(trainer, edits: Iterable[Edit]) -> list[Edit]:
    """``set_weights``, returning the values the edits replaced, read just before writing them:
    what an undo of these edits must write back, exact even while training runs (a snapshot drawn
    a moment before is already a few steps old)."""
    edits = list(edits)
    before = read_values(trainer.net, edits)
    set_weights(trainer, edits)
    return before


def set_probe_image(trainer, index: int, image: np.ndarray) -> bool:
    """Replace probe image ``index`` (C, H, W, in the network's input units) by a painted one;
    the snapshot after it shows the feature maps and the output for it. False when it does not
    fit (no probes, another shape, an index past the end)."""
    probes = trainer.probe_inputs
    if probes is None or not 0 <= index < len(probes) or np.shape(image) != probes.shape[1:]:
        return False
    probes = np.array(probes)          # a new array: snapshots already published keep the old
    probes[index] = image
    trainer.probe_inputs = probes
    return True
