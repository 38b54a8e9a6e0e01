"""The Training panel: loss, optimizer and its hyperparameters, regularization, learning rule, seed.

The main window holds the one TrainingSettings; ``set_settings`` shows it (blocking the panel's
own echo) and every edit goes back out as a signal: a new learning rate as ``lr_changed`` (it
applies live, without a reset), anything else as ``settings_changed(settings, True)``. The window
decides what each change keeps: a new optimizer or optimizer setting keeps the weights and the
counters and starts only the optimizer's state again (``ui.data_edits.change_settings``).
"""
from __future__ import annotations

import copy

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QCheckBox, QComboBox, QGroupBox, QSpinBox, QVBoxLayout, QWidget

from playground.engine import TrainingSettings, optimizer_config
from playground.engine.losses import FORMULAS, auto_loss
from playground.engine.settings import OPTIMIZER_DEFAULTS

from .fields import NumberBox, align_labels, close_enough, group

LOSS_NAMES = {"mse": "MSE", "bce": "BCE", "cce": "CCE"}
LOSS_TIPS = {
    "auto": "Chosen from the output activation, as in the notes' table: sigmoid -> BCE (binary and "
            "multi-label), softmax -> CCE (multi-class), anything else -> MSE (regression).",
    "mse": "Mean squared error, for regression: " + FORMULAS["mse"],
    "bce": "Binary cross-entropy, for sigmoid outputs (notes 1.5.3): " + FORMULAS["bce"],
    "cce": "Categorical cross-entropy, for softmax outputs and one-hot targets (notes 1.6.4): "
           + FORMULAS["cce"],
}
OPTIMIZERS = {
    "sgd": ("SGD", "Stochastic gradient descent (notes 1.8): θ ← θ − lr·∇J(θ), one mini-batch at "
                   "a time."),
    "momentum": ("Momentum", "SGD with momentum (notes 2.2.1): v ← ρ·v + lr·∇J(θ);  θ ← θ − v. The "
                             "velocity grows while the gradient keeps its direction and shrinks "
                             "when it turns."),
    "rmsprop": ("RMSProp", "RMSProp (notes 2.2.2): g ← α·g + (1 − α)·∇J²;  θ ← θ − lr·∇J / (√g + ε). "
                           "Each weight's step is divided by its recent gradient size."),
    "adam": ("Adam", "Adam (notes 2.2.3): m ← β₁·m + (1 − β₁)·g;  v ← β₂·v + (1 − β₂)·g²;  "
                     "m̂ = m/(1 − β₁ᵗ), v̂ = v/(1 − β₂ᵗ);  θ ← θ − lr·m̂/(√v̂ + ε). Momentum and RMSProp "
                     "together, with bias correction."),
}
#: field -> (label, tooltip, minimum, maximum, linear step or None)
NUMBER_FIELDS = {
    "lr": ("Learning rate", "lr (α, γ in the notes): how far each step moves the weights. Applies "
           "live while training.", 1e-6, 10.0, None),
    "rho": ("Momentum ρ", "ρ: the friction, the share of the previous velocity kept "
            "(0.9 ≈ the last 10 gradients).", 0.0, 0.999, 0.01),
    "alpha": ("Smoothing α", "α: how slowly the average of squared gradients forgets "
              "(0.99 ≈ the last 100 gradients).", 0.0, 0.9999, 0.01),
    "beta1": ("β₁", "β₁: the moving average of gradients (momentum), default 0.9.", 0.0, 0.9999, 0.01),
    "beta2": ("β₂", "β₂: the moving average of squared gradients, default 0.999.", 0.0, 0.99999, 0.001),
    "eps": ("ε", "ε: keeps the division by √v̂ away from zero.", 1e-12, 1.0, None),
    "weight_decay": ("Weight decay λ", "λ: adds λ·θ to every gradient (g ← g + λθ), pulling weights "
                     "toward 0.", 0.0, 1.0, None),
}
FLAG_TIPS = {"amsgrad": "AMSGrad: divide by the largest v̂ seen so far, v̂max ← max(v̂max, v̂), so "
                        "the step size never grows back.",
             "maximize": "Maximize: climb the objective instead of descending it (g ← −∇f)."}
REGULARIZATIONS = {"none": ("None", "No penalty on the weights."),
                   "l1": ("L1", "L1: adds rate·Σ|w| to the loss; its gradient rate·sign(w) pushes "
                                "small weights to exactly 0 (sparse networks)."),
                   "l2": ("L2", "L2: adds rate·½Σw² to the loss; its gradient rate·w shrinks every "
                                "weight a little at each step.")}
RULES = {"backprop": ("Back-propagation", "Gradients of the loss through every layer (notes 1.2.4), "
                                          "applied by the optimizer."),
         "perceptron": ("Perceptron", "Notes 1.3.2: ŷ = step(w·x + b);  w ← w + η(y − ŷ)x. One dense "
                                      "unit, two classes; it learns only from mistakes."),
         "adaline": ("ADALINE", "Notes 1.4.2 (Widrow-Hoff): z = w·x + b;  w ← w + η(y − z)x. Learns "
                                "from the output before the threshold."),
         "adaline_normalized": ("ADALINE unit-norm", "Notes 1.4.2: w ← w + η(y − z)·x/‖x‖, steps "
                                                     "that do not grow with the input's size.")}


class TrainingPanel(QWidget):
    """Edits a TrainingSettings the main window owns: loss, optimizer (showing only the chosen
    optimizer's fields), regularization, learning rule and seed. Signals ``settings_changed``
    (new settings, needs_reset) and ``lr_changed`` (live)."""

    settings_changed = Signal(object, bool)
    lr_changed = Signal(float)

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self._settings = TrainingSettings()
        self._updating = False
        self._output_activation = "sigmoid"
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(self._build_loss())
        layout.addWidget(self._build_optimizer())
        layout.addWidget(self._build_regularization())
        layout.addWidget(self._build_stop())
        layout.addStretch(1)
        align_labels([box.layout() for box in self.findChildren(QGroupBox)])
        self.set_settings(self._settings)

    # -- building --------------------------------------------------------------------------------
    def _combo(self, items: dict, tips: bool = True) -> QComboBox:
        combo = QComboBox()
        for key, value in items.items():
            label, tip = value if isinstance(value, tuple) else (value, "")
            combo.addItem(label, key)
            combo.setItemData(combo.count() - 1, tip, 3)        # 3 = Qt.ToolTipRole
        combo.currentIndexChanged.connect(self._on_edited)
        return combo

    def _build_loss(self) -> QWidget:
        box, form = group("Loss")
        self.loss = self._combo({k: (LOSS_NAMES.get(k, "auto"), LOSS_TIPS[k]) for k in LOSS_TIPS})
        form.addRow("Loss", self.loss)
        self.rule = self._combo(RULES)
        # the closed box may elide "ADALINE (unit-norm)" (the list shows every name in full) rather
        # than widen the left column, which a 1280 px window cannot give
        self.rule.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.rule.setMinimumContentsLength(8)
        self.rule.setToolTip("How the weights learn: back-propagation for any network, or a classic "
                             "rule for a single neuron.")
        form.addRow("Learning rule", self.rule)
        self.seed = QSpinBox()
        self.seed.setRange(0, 2**31 - 1)
        self.seed.setMinimumWidth(90)          # ten digits' worth would widen the column too
        self.seed.setKeyboardTracking(False)
        self.seed.setToolTip("The seed of the initial weights and of the batch order: the same seed "
                             "gives the same run.")
        self.seed.valueChanged.connect(self._on_edited)
        form.addRow("Seed", self.seed)
        return box

    def _build_optimizer(self) -> QWidget:
        box, form = group("Optimizer")
        self._optimizer_form = form
        self.optimizer = self._combo(OPTIMIZERS)
        form.addRow("Optimizer", self.optimizer)
        self.numbers: dict[str, NumberBox] = {}
        for key, (label, tip, low, high, step) in NUMBER_FIELDS.items():
            spin = NumberBox(low, high, step)
            spin.setToolTip(tip)
            spin.valueChanged.connect(self._on_lr_edited if key == "lr" else self._on_edited)
            self.numbers[key] = spin
            form.addRow(label, spin)
            form.labelForField(spin).setToolTip(tip)
        self.flags: dict[str, QCheckBox] = {}
        for key, tip in FLAG_TIPS.items():
            check = QCheckBox(key.capitalize() if key != "amsgrad" else "AMSGrad")
            check.setToolTip(tip)
            check.toggled.connect(self._on_edited)
            self.flags[key] = check
            form.addRow("", check)
        return box

    def _build_regularization(self) -> QWidget:
        box, form = group("Regularization")
        self.regularization = self._combo(REGULARIZATIONS)
        form.addRow("Penalty", self.regularization)
        self.reg_rate = NumberBox(0.0, 10.0)
        self.reg_rate.setToolTip("The penalty's rate: how strongly weights are pulled toward 0.")
        self.reg_rate.valueChanged.connect(self._on_edited)
        form.addRow("Rate", self.reg_rate)
        return box

    def _build_stop(self) -> QWidget:
        from .stop_fields import StopFields
        box, form = group("Stop when")
        self.stop = StopFields(form, self._on_edited)
        return box

    # -- model -> widgets ------------------------------------------------------------------------
    def settings(self) -> TrainingSettings:
        """A copy of the settings the panel shows."""
        return TrainingSettings.from_dict(copy.deepcopy(self._settings.to_dict()))

    def set_settings(self, settings: TrainingSettings) -> None:
        """Show ``settings`` without emitting anything."""
        self._settings = TrainingSettings.from_dict(copy.deepcopy(settings.to_dict()))
        s, opt = self._settings, self._settings.optimizer
        self._updating = True
        try:
            _select(self.loss, s.loss)
            _select(self.rule, s.rule)
            self.seed.setValue(s.seed)
            _select(self.optimizer, opt["type"])
            values = {**opt, "beta1": opt.get("betas", [0.9, 0.999])[0],
                      "beta2": opt.get("betas", [0.9, 0.999])[1]}
            for key, spin in self.numbers.items():
                if key in values:
                    spin.setValue(float(values[key]))
            for key, check in self.flags.items():
                check.setChecked(bool(opt.get(key, False)))
            _select(self.regularization, s.regularization)
            self.reg_rate.setValue(float(s.reg_rate))
            self.stop.show(s)
        finally:
            self._updating = False
        self._show_fields()

    def set_output_activation(self, activation: str) -> None:
        """The network's output activation, so "auto" can say which loss it means."""
        self._output_activation = activation
        self.loss.setItemText(0, f"auto ({LOSS_NAMES[auto_loss(activation)]})")

    def _show_fields(self) -> None:
        kind = self._settings.optimizer["type"]
        present = set(OPTIMIZER_DEFAULTS[kind])
        if "betas" in present:
            present |= {"beta1", "beta2"}
        backprop = self._settings.rule == "backprop"
        for key, spin in self.numbers.items():
            self._optimizer_form.setRowVisible(spin, key == "lr" or (backprop and key in present))
        for key, check in self.flags.items():
            self._optimizer_form.setRowVisible(check, backprop and key in present)
        self.optimizer.setEnabled(backprop)
        self.loss.setEnabled(backprop)
        self.optimizer.setToolTip(OPTIMIZERS[kind][1])
        self.loss.setToolTip(LOSS_TIPS[self._settings.loss])
        self.regularization.setToolTip(REGULARIZATIONS[self._settings.regularization][1])
        self.regularization.setEnabled(backprop)
        self.reg_rate.setEnabled(backprop and self._settings.regularization != "none")
        self.rule.setToolTip(RULES[self._settings.rule][1])
        self._optimizer_form.activate()      # shrink the box now, not at the next layout pass
        self.layout().activate()

    # -- widgets -> model ------------------------------------------------------------------------
    def _on_lr_edited(self, value: float) -> None:
        if self._updating or close_enough(value, self._settings.lr):
            return
        self._settings.optimizer["lr"] = float(value)
        self.lr_changed.emit(float(value))

    def _on_edited(self, *_args) -> None:
        if self._updating:
            return
        new = self._collect()
        if new == self._settings:
            return
        self.set_settings(new)           # a new optimizer brings its own defaults into the fields
        self.settings_changed.emit(self.settings(), True)

    def _collect(self) -> TrainingSettings:
        kind = self.optimizer.currentData()
        old = self._settings.optimizer
        if kind != old["type"]:
            optimizer = optimizer_config(kind)       # the table's defaults for the new optimizer
        else:
            optimizer = {"type": kind}
            for key in OPTIMIZER_DEFAULTS[kind]:
                if key == "betas":
                    optimizer[key] = [self.numbers["beta1"].value(), self.numbers["beta2"].value()]
                elif key in self.flags:
                    optimizer[key] = self.flags[key].isChecked()
                else:
                    optimizer[key] = self.numbers[key].value()
        s = self._settings
        return TrainingSettings(loss=self.loss.currentData(), optimizer=optimizer,
                                regularization=self.regularization.currentData(),
                                reg_rate=self.reg_rate.value(), batch_size=s.batch_size,
                                rule=self.rule.currentData(), seed=self.seed.value(),
                                **self.stop.values())


def _select(combo: QComboBox, key: str) -> None:
    index = combo.findData(key)
    if index >= 0:
        combo.setCurrentIndex(index)
