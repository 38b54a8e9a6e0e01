"""The image views in the main window: which docks show for which data, and what feeds them.

For image data the window shows Feature maps, Filters, Pooling & unpooling, Convolution mechanics
and Predictions (and, for an autoencoder, Autoencoder vs PCA), tabbed together where the 2-D
Output dock sits; for 2-D and 1-D data those docks hide and Output comes back. The views are fed
from snapshots (probe activations, pool argmax, weights) and only while their dock is visible.

Predictions and autoencoder codes need a forward pass over up to ``N_EVAL`` test images. That pass
runs in the training thread through ``bridge.call`` (never on the UI thread while training runs),
at most once per ``EVAL_SECONDS`` while training and once after each step or pause; the result
comes back as a Future the next frame picks up, so the UI never waits for it.
"""
from __future__ import annotations

import time
from concurrent.futures import Future

import numpy as np

from PySide6.QtCore import QTimer

from .image_views import (AutoencoderView, ConvMechanicsView, FeatureMapsView, FiltersView,
                          PoolingView, PredictionsView)

N_EVAL = 200            #: test images the predictions and the autoencoder comparison use
N_PCA_FIT = 2000        #: training images PCA is fitted on for that comparison
EVAL_SECONDS = 1.0      #: while training, a fresh evaluation at most this often
POLL_MS = 50            #: how often a pending evaluation is looked for

#: object name: (title, tooltip, view class)
IMAGE_DOCKS = {
    "feature_maps": ("Feature maps", "Every channel of a layer's output on a probe image",
                     FeatureMapsView),
    "filters": ("Filters", "The kernels of a convolution layer and their gradients", FiltersView),
    # short titles: six tabs share the image views' width at 1280x800
    "pooling": ("Pooling", "Pooling & unpooling: pooling windows, their maxima and max unpooling",
                PoolingView),
    "conv_mechanics": ("Convolution", "Convolution mechanics: how one output of a convolution is "
                                      "computed",
                       ConvMechanicsView),
    "predictions": ("Predictions", "Test images with the predicted class, the confusion matrix and "
                                   "per-class accuracy", PredictionsView),
    "autoencoder": ("Autoencoder vs PCA", "Reconstructions and bottleneck codes against PCA's",
                    AutoencoderView),
}
#: the views fed by snapshots (the other two get evaluations from the worker)
SNAPSHOT_VIEWS = ("feature_maps", "filters", "pooling", "conv_mechanics")


def bottleneck_id(network) -> str | None:
    """The hidden layer with the fewest output values: an autoencoder's code z."""
    hidden = network.layers[:-1]
    if not hidden:
        return None
    return min(hidden, key=lambda layer: int(np.prod(layer.out_shape))).id


def compresses(network) -> bool:
    """Whether an autoencoder squeezes its input through a code smaller than the input: only then
    is there anything to compare with PCA (pool_unpool rebuilds the image through 4x14x14 = 784
    values, as many as the 28x28 input)."""
    code = bottleneck_id(network)
    if code is None:
        return False
    return int(np.prod(network.layer(code).out_shape)) < int(np.prod(network.input_shape))


def front_dock(docks: "ImageDocks") -> str:
    """The image dock to bring to the front for this session."""
    if docks.reconstruct and docks.compressing:
        return "autoencoder"
    if docks.has_pooling:
        return "pooling" if docks.reconstruct else "feature_maps"
    return "feature_maps"


def predictions_job(x: np.ndarray):
    """Runs in the worker: the network's outputs on ``x``."""
    def job(trainer):
        return None if trainer is None else np.array(trainer.predict(x))
    return job


def autoencoder_job(x: np.ndarray, code_id: str, recipe: dict | None):
    """Runs in the worker: reconstructions of ``x``, the bottleneck codes and, when ``recipe`` is
    given, the class labels of the test images (an autoencoder's session keeps only the images
    as targets, so the labels come from the dataset made again, once)."""
    def job(trainer):
        if trainer is None:
            return None
        out = np.array(trainer.net.forward(x))
        codes = np.array(trainer.net.activations()[code_id])
        labels = None
        if recipe is not None:
            from ..project.session import load_dataset
            labels = np.asarray(load_dataset(recipe).y_test[:len(x)])
        return out, codes, labels
    return job


class ImageDocks:
    """Owns the six image views. ``set_session`` decides what shows; ``draw(snapshot, visible)``
    feeds the views whose dock is visible; ``select_layer(id)`` follows the canvas's selection."""

    def __init__(self):
        self.views = {name: cls() for name, (_, _, cls) in IMAGE_DOCKS.items()}
        self.probe_listeners: list = []          # called with the probe index the user picked
        #: called with the index of a test image clicked in the Predictions grid (Step through)
        self.image_listeners: list = []
        self.active = False              # the session's data are images
        self.reconstruct = False         # ... and the network is an autoencoder
        self.compressing = False         # ... through a code smaller than its input
        self.has_pooling = False
        self._bridge = None
        self._eval_x = self._eval_labels = self._fit_x = None
        self._class_names: list[str] = []
        self._code_id: str | None = None
        self._recipe: dict = {}
        self._future: Future | None = None
        self._future_kind = ""
        self._last_eval = -1e9
        self._last_eval_step = -1
        for name in SNAPSHOT_VIEWS:
            self.views[name].probe_changed.connect(self._on_probe_changed)
        self.views["predictions"].image_chosen.connect(self._on_image_chosen)
        # looks for the evaluation's result while one is pending (no snapshot may come after it)
        self._poll = QTimer(self.views["predictions"])
        self._poll.setSingleShot(True)
        self._poll.setInterval(POLL_MS)
        self._poll.timeout.connect(self._on_poll)

    def widgets(self) -> dict:
        return dict(self.views)

    def wanted(self) -> dict[str, bool]:
        """Which image docks this session shows."""
        return {name: self.active and (name != "autoencoder" or self.compressing)
                and (name != "predictions" or not self.reconstruct) for name in IMAGE_DOCKS}

    # -- the session -----------------------------------------------------------------------------
    def set_session(self, session, bridge) -> None:
        """A freshly built session (or None)."""
        self._bridge = bridge
        self._future, self._last_eval, self._last_eval_step = None, -1e9, -1
        ds = session.dataset if session is not None else None
        painter = self.views["feature_maps"].painter
        painted = painter.painted_probe()    # set_network below forgets it: carried after
        self.active = ds is not None and ds.kind == "image"
        self.reconstruct = self.active and bool(session.project.dataset.get("reconstruct"))
        network = session.network if self.active else None
        self.compressing = self.reconstruct and compresses(network)
        self.has_pooling = network is not None and any(
            "pool" in layer.type_name for layer in network.layers)
        for view in self.views.values():
            view.set_network(network)
        if session is not None:
            dropped = painter.carry(painted, session.trainer if self.active else None)
            if dropped:
                session.notes.append(dropped)        # the window shows the session's notes
        if not self.active:
            return
        n = min(N_EVAL, len(ds.x_test))
        self._eval_x = np.ascontiguousarray(ds.x_test[:n])
        # PCA, the autoencoder's baseline, learns from training images as the network did
        self._fit_x = np.ascontiguousarray(ds.x_train[:N_PCA_FIT])
        self._class_names = list(ds.class_names)
        self.views["feature_maps"].painter.class_names = list(ds.class_names)
        if self.reconstruct:
            self._code_id = bottleneck_id(session.network)
            labels = getattr(session, "labels_test", None)
            self._eval_labels = None if labels is None else np.asarray(labels)[:n].astype(np.int64)
            self._recipe = dict(session.project.dataset)
        else:
            y = np.asarray(ds.y_test[:n])
            self._eval_labels = y if ds.task == "classification" else None

    def select_layer(self, layer_id: str | None) -> None:
        if layer_id:
            for view in self.views.values():
                if hasattr(view, "select_layer"):
                    view.select_layer(layer_id)

    def _on_probe_changed(self, index: int) -> None:
        for name in SNAPSHOT_VIEWS:
            self.views[name].set_probe(index)
        for listener in self.probe_listeners:   # e.g. the canvas's feature-map thumbnails
            listener(index)

    def _on_image_chosen(self, index: int) -> None:
        for listener in self.image_listeners:
            listener(index)

    # -- drawing ---------------------------------------------------------------------------------
    def draw(self, snap, visible: dict[str, bool]) -> None:
        """Feed the visible views; start or collect an evaluation in the worker."""
        if not self.active:
            return
        for name in SNAPSHOT_VIEWS:
            if visible.get(name):
                self.views[name].show_snapshot(snap)
        self._collect()
        kind = "autoencoder" if self.reconstruct else "predictions"
        if visible.get(kind) and self._due(snap):
            self._request(kind, snap.step)

    def _due(self, snap) -> bool:
        if self._future is not None or self._bridge is None or snap.step == self._last_eval_step:
            return False
        if not snap.running:            # paused or stepped: show the new state at once
            return True
        return time.perf_counter() - self._last_eval >= EVAL_SECONDS

    def _request(self, kind: str, step: int) -> None:
        if kind == "autoencoder":
            recipe = self._recipe if self._eval_labels is None else None
            job = autoencoder_job(self._eval_x, self._code_id, recipe)
        elif self._eval_labels is None:
            return                       # regression or multilabel images: no classes to show
        else:
            job = predictions_job(self._eval_x)
        self._future, self._future_kind = self._bridge.call(job), kind
        self._last_eval, self._last_eval_step = time.perf_counter(), step
        self._poll.start()

    def _on_poll(self) -> None:
        if self._future is not None and not self._future.done():
            self._poll.start()
        else:
            self._collect()

    def stop(self) -> None:
        self._poll.stop()
        self._future = None

    def _collect(self) -> None:
        future = self._future
        if future is None or not future.done():
            return
        self._future = None
        if future.exception() is not None:
            return                       # the structure changed under it: the next one will do
        result = future.result()
        if result is None:
            return
        if self._future_kind == "predictions":
            self.views["predictions"].show_predictions(self._eval_x, self._eval_labels, result,
                                                       self._class_names)
        else:
            recon, codes, labels = result
            if labels is not None and len(labels) == len(self._eval_x):
                self._eval_labels = labels.astype(np.int64).reshape(-1)
            if self._eval_labels is None:
                self._eval_labels = np.zeros(len(self._eval_x), np.int64)
            self.views["autoencoder"].show_autoencoder(self._eval_x, self._eval_labels, recon,
                                                       codes, self._class_names,
                                                       fit_x=self._fit_x)

    def wait_for_evaluation(self, timeout: float = 30.0) -> bool:
        """Block until a pending evaluation arrives and show it (screenshots and tests)."""
        future = self._future
        if future is None:
            return False
        try:
            future.result(timeout)
        except Exception:       # noqa: BLE001 - shown as nothing, as in _collect
            pass
        self._collect()
        return True
