"""Does a network fit its data? The rules, in the student's words (input size, output units and
activation per task, an autoencoder giving back its input). ``session.check_fit`` adds the fixes
the banner offers (``fit.suggest_fixes``), and ``fit.fits`` asks whether a fix would work."""
from __future__ import annotations

import numpy as np

from playground.data.dataset import Dataset
from playground.engine import Network

from .project import ProjectError


def _shape(shape) -> str:
    return "x".join(str(s) for s in shape)


def check_network_fits(network: Network, dataset: Dataset, input_shape: tuple[int, ...],
                       reconstruct: bool) -> None:
    """Raise ``ProjectError`` saying, in words, where the network and the data disagree."""
    have = tuple(network.input_shape)
    if have != input_shape:
        if dataset.kind == "2d":
            raise ProjectError(f"the network's input takes {_shape(have)} values but "
                               f"{input_shape[0]} input features are chosen")
        raise ProjectError(f"the network's input is {_shape(have)} but the data is "
                           f"{_shape(input_shape)}")
    out = tuple(network.output_shape)
    if reconstruct:
        _check_reconstruction(out, int(np.prod(input_shape)))
        return
    if len(out) != 1:
        raise ProjectError(f"the network's output is {_shape(out)} values; end it with a flatten and a "
                           f"dense layer of {dataset.n_outputs} unit(s)")
    _check_units(out[0], network.output_activation, dataset)


def _check_reconstruction(out: tuple[int, ...], n_inputs: int) -> None:
    if int(np.prod(out)) != n_inputs:
        raise ProjectError(f"an autoencoder must give back its input: the output has "
                           f"{int(np.prod(out))} values but the input has {n_inputs}")


def _check_units(units: int, activation: str, dataset: Dataset) -> None:
    s = lambda n: "" if n == 1 else "s"  # noqa: E731
    if units == 1 and activation == "softmax":
        raise ProjectError("softmax over a single unit always outputs 1: use sigmoid for one output "
                           "unit, or one unit per class with softmax")
    if dataset.task == "classification":
        k = dataset.n_classes
        if k == 2 and units not in (1, 2):
            raise ProjectError(f"the data has 2 classes but the last layer has {units} units: use 1 "
                               f"unit with sigmoid (or 2 units with softmax)")
        if k > 2 and units != k:
            raise ProjectError(f"the data has {k} classes but the last layer has {units} unit{s(units)}: "
                               f"use {k} units with softmax")
    elif dataset.task == "multilabel":
        k = dataset.n_outputs
        if units != k:
            raise ProjectError(f"the data has {k} labels per example but the last layer has {units} "
                               f"unit{s(units)}: use {k} units with sigmoid (and BCE)")
    elif units != dataset.n_outputs:
        k = dataset.n_outputs
        raise ProjectError(f"the data has {k} target{s(k)} but the last layer has {units} "
                           f"unit{s(units)}: use {k} unit{s(k)} with the identity activation")
