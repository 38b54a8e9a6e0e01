"""From a Project to something that trains: the dataset, the network and the Trainer.

``build_session(project)`` makes the Dataset from its recipe (plus the points the student painted,
and the input as the target for autoencoders), expands 2-D points into the chosen input features,
checks that the network's input and output fit the data (saying how to fix them when they do not),
builds the Network (with the project's saved weights when they fit) and a Trainer with the grid the
decision map is drawn from, or the probe images the feature-map views show.
"""
from __future__ import annotations

import dataclasses
import json
from dataclasses import dataclass, field

import numpy as np

from playground.data import make_dataset
from playground.data import features as feats
from playground.data.dataset import Dataset
from playground.data.errors import DatasetError
from playground.engine import Network, SpecError, TrainData, Trainer

from .fit import FitError, carry_note, carry_weights, suggest_fixes
from .fit_rules import check_network_fits
from .project import SESSION_KEYS, Project, ProjectError, check_painted

EXTENT = 6.0                      #: the 2-D plane and the 1-D interval are [-6, 6]
GRID_RESOLUTION = 100             #: decision-map pixels per side (view setting "grid_resolution")
#: the 1-D fit curve is CURVE_SIDE**2 points along x: the Trainer hands grid outputs back as
#: (units, R, R) squares, so the curve's points are a square number (ravel a square for the curve)
CURVE_SIDE = 15
N_PROBES = 8                      #: test images whose feature maps the views show


@dataclass
class Session:
    """A project made runnable: ``dataset`` (painted points included; inputs before feature
    expansion), ``network``, ``trainer``, ``grid_points`` (the raw (R*R, 2) points of the decision
    map, or the (CURVE_SIDE**2, 1) x values of the 1-D fit curve, None for images),
    ``grid_resolution``, ``extent``; ``notes`` are things the user should hear about."""

    project: Project
    dataset: Dataset
    network: Network
    trainer: Trainer
    grid_points: np.ndarray | None
    grid_resolution: int
    extent: float
    notes: list[str] = field(default_factory=list)
    #: the parameters whose trained values were carried over from before the edit
    kept: list[str] = field(default_factory=list)

    @property
    def features(self) -> list[str]:
        return list(self.project.features) if self.dataset.kind == "2d" else []


def build_session(project: Project, carry: tuple | None = None) -> Session:
    """Everything needed to train ``project``; raises ``ProjectError`` for data or network trouble
    (a ``FitError`` with the fixes when the network does not fit the data). ``carry`` =
    (weights, the features they were trained with): without saved weights, the network keeps
    those of its parameters that still fit (``fit.carry_weights``)."""
    reconstruct = bool(project.dataset.get("reconstruct"))
    dataset = load_dataset(project.dataset)
    x_train, x_test = network_inputs(dataset, project.features)
    if reconstruct:
        dataset = as_reconstruction(dataset, x_train, x_test)
    shape = expected_input(dataset, project.features)
    try:
        network = Network.from_spec(project.network, seed=project.training.seed)
    except SpecError as exc:
        raise FitError(f"the network does not build: {exc}",
                       suggest_fixes(project.network, dataset, shape, reconstruct)) from None
    check_fit(network, dataset, shape, reconstruct)
    notes = list(dataset.notes)
    if project.weights is not None:
        try:
            network.set_weights(project.weights)
        except SpecError:
            notes.append("The saved weights do not fit this network any more: it starts fresh.")
    kept: list[str] = []
    if project.weights is None and carry is not None and carry[0]:
        fresh = carry_weights(carry[0], network, carry[1], project.features)
        kept = [k for k in network.parameters() if k not in fresh]
        note = carry_note(network, fresh, kept, carry[0], carry[1], project.features)
        if note:
            notes.append(note)
    grid_points, resolution, grid = make_grid(dataset, project)
    data = TrainData(x_train, dataset.y_train, x_test, dataset.y_test, dataset.task,
                     max(dataset.n_classes, 1))
    probes = x_test[:N_PROBES] if dataset.kind == "image" else None
    # an autoencoder's target is its unshifted input: augmenting only the input would break that
    augment = dataset.augment if dataset.kind == "image" and not reconstruct else None
    try:
        trainer = Trainer(network, project.training, data, grid=grid, grid_resolution=resolution,
                          probe_inputs=probes, augment=augment)
    except ValueError as exc:
        raise ProjectError(f"this network cannot be trained this way: {exc}") from None
    if project.comparison is not None:       # several configurations side by side
        from .comparison_run import compare
        try:
            trainer = compare(project, trainer)
        except (ValueError, SpecError) as exc:
            raise ProjectError(f"the comparison cannot be trained: {exc}") from None
        network = trainer.net
    return Session(project, dataset, network, trainer, grid_points, resolution,
                   EXTENT, notes, kept)


# -- the data ------------------------------------------------------------------------------------
#: the last dataset made from a recipe without a file path: a data edit reads the dataset to
#: find the input shape and the session is built from it right after (images take seconds); the
#: user's own files are kept by the data layer itself (keyed by path, size and time)
_LAST: list = []


def load_dataset(recipe: dict, progress=None) -> Dataset:
    """The recipe's Dataset with the painted points added to the training set. ``progress`` is
    handed to ``make_dataset`` (the user's own files report it; returning False cancels)."""
    clean = {k: v for k, v in recipe.items() if k not in SESSION_KEYS}
    key = None if "path" in clean else json.dumps(clean, sort_keys=True, default=str)
    if key is not None and _LAST and _LAST[0][0] == key:
        dataset = _LAST[0][1]
    else:
        try:
            dataset = make_dataset(clean, progress=progress)
        except DatasetError as exc:
            raise ProjectError(str(exc)) from exc
        except MemoryError:
            raise ProjectError(f"the dataset {clean.get('name')!r} does not fit in this "
                               f"computer's memory") from None
        _LAST[:] = [(key, dataset)] if key is not None else []
    painted = recipe.get("painted") or []
    if painted:
        dataset = add_painted(dataset, painted)
    return dataset


def add_painted(dataset: Dataset, painted: list) -> Dataset:
    """Painted [x1, x2, label] points join the training set. On 1-D data a point is (x, y)."""
    check_painted(painted)
    if dataset.kind not in ("2d", "1d"):
        raise ProjectError("points can only be painted on 2-D and 1-D data")
    p = np.asarray(painted, dtype=np.float64)
    if dataset.kind == "1d":
        x, y = p[:, :1], p[:, 1:2]
    elif dataset.task == "regression":
        x, y = p[:, :2], p[:, 2:3]
    else:
        x, labels = p[:, :2], p[:, 2]
        k = dataset.n_classes
        if not all(lab.is_integer() and 0 <= lab < k for lab in labels):
            raise ProjectError(f"a painted point has a class this data does not have (it has {k}): "
                               f"clear the painted points")
        y = labels.astype(np.int64) if dataset.task == "classification" else \
            np.eye(k, dtype=np.float32)[labels.astype(np.int64)]
    x = np.clip(x, -EXTENT, EXTENT).astype(np.float32)
    y = y.astype(dataset.y_train.dtype)
    return dataclasses.replace(dataset, x_train=np.concatenate([dataset.x_train, x]),
                               y_train=np.concatenate([dataset.y_train, y]))


def network_inputs(dataset: Dataset, features: list[str]) -> tuple[np.ndarray, np.ndarray]:
    """What the network sees: 2-D points expanded into the features; 1-D and images as they are."""
    if dataset.kind != "2d":
        return dataset.x_train, dataset.x_test
    try:
        return feats.expand(dataset.x_train, features), feats.expand(dataset.x_test, features)
    except DatasetError as exc:
        raise ProjectError(str(exc)) from None


def as_reconstruction(dataset: Dataset, x_train: np.ndarray, x_test: np.ndarray) -> Dataset:
    """An autoencoder's data: the target is the network's own input, flattened (N, values)."""
    flat = lambda x: np.ascontiguousarray(x.reshape(len(x), -1), dtype=np.float32)  # noqa: E731
    return dataclasses.replace(dataset, task="regression", y_train=flat(x_train),
                               y_test=flat(x_test))


def expected_input(dataset: Dataset, features: list[str]) -> tuple[int, ...]:
    if dataset.kind == "2d":
        return (len(features),)
    return tuple(dataset.input_shape)


# -- does the network fit the data? --------------------------------------------------------------
def check_fit(network: Network, dataset: Dataset, input_shape: tuple[int, ...],
              reconstruct: bool = False, with_fixes: bool = True) -> None:
    """Raise ``FitError`` (a ``ProjectError``) saying what does not fit; its ``fixes`` are the
    edits that would make the network fit (``fit.suggest_fixes``; none when ``with_fixes`` is
    False)."""
    try:
        check_network_fits(network, dataset, tuple(input_shape), reconstruct)
    except ProjectError as exc:
        fixes = suggest_fixes(network.spec, dataset, input_shape, reconstruct) if with_fixes else ()
        raise FitError(str(exc), fixes) from None


# -- what the views draw -------------------------------------------------------------------------
def make_grid(dataset: Dataset, project: Project):
    """(raw points, resolution, network inputs) for the decision map or the 1-D fit curve."""
    if dataset.kind == "2d":
        resolution = _resolution(project.view)
        points = feats.grid(EXTENT, resolution)
        return points, resolution, feats.expand(points, project.features)
    if dataset.kind == "1d" and not project.dataset.get("reconstruct"):
        points = np.linspace(-EXTENT, EXTENT, CURVE_SIDE ** 2, dtype=np.float32)[:, None]
        return points, CURVE_SIDE, points
    return None, 0, None


def _resolution(view: dict) -> int:
    value = view.get("grid_resolution", GRID_RESOLUTION)
    if isinstance(value, bool) or not isinstance(value, int) or not 4 <= value <= 400:
        return GRID_RESOLUTION
    return value
