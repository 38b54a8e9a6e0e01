"""The main window's edits of the data and the network together, and its rebuilds.

A new dataset or a new set of input features is one undoable edit (``ProjectEditCommand``): the
recipe, the features and the network whose input follows them change together, and Ctrl+Z puts
all three back, with the weights the network had. A fix the banner offers ("Use 3 outputs with
softmax", "Add flatten", "Start from the LeNet template") is the same kind of edit.

Every rebuild carries what still fits: the layers whose weights keep their shape keep their
weights (on data edits and fixes), and the step and epoch counters never go backwards (only
Reset and opening another project start them again). While a project cannot train, the status
bar says why and the views that show the network at work are cleared or greyed.
"""
from __future__ import annotations

import copy
from contextlib import contextmanager
from dataclasses import dataclass

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel

from ..data import DatasetError, list_datasets
from ..data.features import LABELS
from ..engine import TrainingSettings
from ..project.fit import Fix, FitError, follow_input
from ..project.project import ProjectError
from ..project.session import build_session, expected_input, load_dataset
from . import collector
from .canvas.commands import EditState, ProjectEditCommand
from .widgets.banner import StaleOverlay

LIVE_TIMEOUT = 10.0             #: seconds to wait for the worker to hand over the weights


@dataclass
class Progress:
    """What a running trainer has made: weights, history and its counters."""

    weights: dict | None
    history: list
    epoch: int
    step: int


# -- reading the running trainer -----------------------------------------------------------------
def live_progress(window) -> Progress | None:
    """The running trainer's progress, or (while the project cannot train) the last one known."""
    if window.session is None:
        return getattr(window, "_last_progress", None)
    future = window.bridge.call(lambda t: None if t is None else Progress(
        t.net.get_weights(), [dict(r) for r in t.history], int(t.epoch), int(t.step_count)))
    return future.result(LIVE_TIMEOUT)


@contextmanager
def quiet(parts):
    """Change the document and the panels without each change scheduling its own rebuild."""
    was = parts._showing
    parts._showing = True
    try:
        yield
    finally:
        parts._showing = was
        parts._pending = None


# -- edits -----------------------------------------------------------------------------------------
def current_state(window) -> EditState:
    p = window.project
    return EditState(copy.deepcopy(p.dataset), list(p.features), window.parts.document.spec())


def change_data(window, recipe: dict, features: list[str]) -> None:
    """The Data panel chose a dataset or features: one undoable edit, the input following."""
    old = current_state(window)
    recipe, features = dict(recipe), list(features)
    network = old.network
    try:
        shape = expected_input(load_dataset(recipe), features)
        network = follow_input(old.network, shape)
    except (ProjectError, DatasetError):
        pass                       # the rebuild says what is wrong with the data
    new = EditState(recipe, features, network)
    window.undo_stack.push(ProjectEditCommand(lambda state, leaving: apply_state(window, state, leaving),
                                              old, new, describe_data_edit(old, new)))


def apply_fix(window, fix: Fix) -> None:
    """A banner fix: the network becomes ``fix.network``, one undoable edit."""
    old = current_state(window)
    new = EditState(copy.deepcopy(old.recipe), list(old.features), copy.deepcopy(fix.network))
    window.undo_stack.push(ProjectEditCommand(lambda state, leaving: apply_state(window, state, leaving),
                                              old, new, fix.label))


def apply_state(window, state: EditState, leaving: EditState) -> None:
    """Show ``state`` everywhere and rebuild, keeping the weights that fit. The weights of the
    state being left are kept in it, so undo and redo bring them back exactly."""
    live = live_progress(window)
    leaving.weights = None if live is None else live.weights
    # a state that could not train has no curves of its own (live is then the last that could)
    leaving.history = [] if live is None or window.session is None else live.history
    p = window.project
    p.dataset, p.features, p.network = copy.deepcopy(state.recipe), list(state.features), \
        copy.deepcopy(state.network)
    parts = window.parts
    with quiet(parts):
        parts.document.set_spec(state.network)
        if parts.data_panel is not None:
            parts.data_panel.set_dataset(p.dataset, p.features)
    window.files.mark_dirty()
    if state.weights is not None:          # undo or redo: the weights and curves it had
        carry, history = (state.weights, state.features), state.history
    else:
        carry = (leaving.weights, leaving.features)
        # the curves go on only on the same data (new features, noise, painted points)
        same = state.recipe.get("name") == leaving.recipe.get("name")
        history = leaving.history if same else []
    rebuild(window, carry=carry, history=history)


def describe_data_edit(old: EditState, new: EditState) -> str:
    """The undo entry's words: "Use the Stroke digits data" or "Choose the features X1, X1²"."""
    if old.recipe.get("name") != new.recipe.get("name"):
        titles = {info.name: info.title for info in list_datasets()}
        return f"Use the {titles.get(new.recipe.get('name'), new.recipe.get('name'))} data"
    if old.features != new.features:
        return "Choose the features " + ", ".join(LABELS.get(f, f) for f in new.features)
    return "Change the data"


def change_settings(window, settings: TrainingSettings) -> None:
    """New training settings. The learning rate and the batch size apply live; the seed (the
    initial weights) starts the weights again; any other change (optimizer, its settings, loss,
    penalty, learning rule) keeps the weights and the counters and starts only the optimizer's
    state again, as PyTorch does when you make a new optimizer for the same parameters."""
    old = window.project.training
    new = TrainingSettings.from_dict(settings.to_dict())
    window.project.training = new
    window._show_settings(new)
    window.files.mark_dirty()
    if _same_except(old, new, ("lr", "batch_size", "stop_test_loss", "stop_accuracy", "stop_epochs")):
        if window.session is not None:
            window.bridge.update_settings(TrainingSettings.from_dict(new.to_dict()))
        return
    if new.seed != old.seed:
        rebuild(window)
        return
    live = live_progress(window)
    if live is not None and window.session is not None:
        window.project.weights, window.project.history = live.weights, live.history
    rebuild(window, keep_progress=True)


def _same_except(a: TrainingSettings, b: TrainingSettings, names: tuple[str, ...]) -> bool:
    da, db = a.to_dict(), b.to_dict()
    for d in (da, db):
        d["optimizer"] = {k: v for k, v in d["optimizer"].items() if k not in names}
        for name in names:
            d.pop(name, None)
    return da == db


# -- rebuilding ------------------------------------------------------------------------------------
def rebuild(window, keep_progress: bool = False, carry: tuple | None = None,
            history: list | None = None, session=None) -> None:
    """Build a new session from the window's project and hand its trainer to the worker (paused).

    ``keep_progress``: the project's own weights and history (a project opened, or an edit after
    which the weights still fit). ``carry`` = (weights, features they were trained with): the
    weights of every layer that still fits are kept (data edits, banner fixes), with ``history``
    for the curves when some were. Unless another project was just opened, the step and epoch
    counters continue from the running trainer's, and a run goes on when the weights were kept.
    ``session``: one already built from the project off the UI thread (an Open: progress restored)
    or the ProjectError its build raised."""
    collector.settle_soon()         # the old session's trainer and views: collected once this is done
    same = getattr(window, "_progress_project", None) is window.project
    if not same:                    # another project was opened: its own counters, not ours
        window._last_progress = None
    running = same and window.bridge.running
    live = live_progress(window) if same else None
    window._progress_project = window.project
    project = window.project.copy()
    if not keep_progress:
        project.weights, project.history = None, []
    window.parts.clear_live()
    prebuilt = session is not None
    if session is None:
        try:
            session = build_session(project, carry=carry if not keep_progress else None)
        except ProjectError as exc:
            session = exc
    if isinstance(session, ProjectError):
        if live is not None:
            window._last_progress = live
        _cannot_train(window, session)
        return
    trainer = session.trainer
    if keep_progress and project.history and not prebuilt:
        _restore_history(trainer, project.history)
    elif carry is not None and session.kept and history:
        trainer.history = [dict(r) for r in history]        # the weights went on: so do the curves
    if live is not None:
        trainer.epoch = max(trainer.epoch, live.epoch)
        trainer.step_count = max(trainer.step_count, live.step)
    window._last_progress = None
    window.session, window._buildable = session, True
    window._diverged_shown = None
    window.banner.hide()
    _set_stale(window, False)
    _show_input(window, session)
    window.parts.show_session(session)
    for note in session.notes:
        window.statusBar().showMessage(note, 8000)
    window._replace_trainer(trainer)
    window._set_training_enabled(True)
    # an edit that kept the weights (features, data, optimizer) does not stop a run
    resume = running and (keep_progress or bool(session.kept)) and window.ready
    if resume:
        window.bridge.play()
        window._run_command = window.bridge.commands_sent
        window.run_state.set_running(True)


def _restore_history(trainer, history: list[dict]) -> None:
    trainer.history = [dict(r) for r in history]
    last = history[-1]
    trainer.epoch = int(last.get("epoch", len(history)))
    trainer.step_count = int(last.get("step", trainer.epoch * trainer.steps_per_epoch))


def _cannot_train(window, exc: ProjectError) -> None:
    window.session, window._buildable = None, False
    window._replace_trainer(None)
    fixes = exc.fixes if isinstance(exc, FitError) else ()
    window.banner.show_fixes(f"Cannot train yet: {exc}", fixes,
                             lambda fix: apply_fix(window, fix))
    window._set_training_enabled(False)
    _set_stale(window, True, f"Cannot train: {exc}")


# -- what the window shows ---------------------------------------------------------------------
def _why_label(window) -> QLabel:
    label = getattr(window, "_why", None)
    if label is None:
        label = window._why = QLabel()
        label.setObjectName("cannot_train")
        window.statusBar().addWidget(label, 1)
    return label


def _set_stale(window, stale: bool, why: str = "") -> None:
    """While the project cannot train: the status bar says why, the live views are cleared (the
    canvas maps, curves, weights) or greyed (the decision map, the image views), never frozen."""
    label = _why_label(window)
    if stale:       # the reason replaces an older temporary message rather than being drawn over it
        window.statusBar().clearMessage()
    label.setText(why)
    label.setToolTip(why)
    label.setVisible(stale)
    parts = window.parts
    views = [parts.output_view, parts.weights_view, parts.curves_view,
             *parts.image_docks.widgets().values()]
    for view in views:
        overlay = view.findChild(StaleOverlay, "stale_overlay", Qt.FindChildOption.FindDirectChildrenOnly)
        if overlay is None and stale:
            overlay = StaleOverlay(view)
        if overlay is not None:
            overlay.set_shown(stale)


def _show_input(window, session) -> None:
    """The input block's feature names and the Inspector's description of the input."""
    editor = window.parts.editor
    if editor is None:
        return
    ds = session.dataset
    labels = [LABELS.get(f, f) for f in session.features] if ds.kind == "2d" else None
    with quiet(window.parts):
        editor.document.set_input(list(session.network.input_shape), labels)
    editor.inspector.set_input_info(input_description(session))


def input_description(session) -> dict:
    """What the Inspector says about the input: the data, its shape, features and normalisation."""
    ds = session.dataset
    recipe = session.project.dataset
    if ds.kind == "2d":
        features = ", ".join(LABELS.get(f, f) for f in session.features)
        norm = "none: the points' coordinates x1, x2 in [−6, 6], then the chosen features of them"
    elif ds.kind == "1d":
        features, norm = "x", "none: x in [−6, 6]"
    else:
        channels = ds.input_shape[0]
        features = f"{channels} channel{'s' if channels > 1 else ''} of " \
                   f"{ds.input_shape[1]}x{ds.input_shape[2]} pixels"
        norm = ("standardised per channel to mean 0 and standard deviation 1 (the training set's "
                "statistics)" if recipe.get("scale") == "standardize" else "pixels in [0, 1]")
    titles = {info.name: info.title for info in list_datasets()}
    return {"data": titles.get(ds.name, ds.name), "features": features, "normalisation": norm}
