"""The Data and Training panels: they show the model they are given, emit the right signals when
the user edits them, and never echo a change that came from the model."""
from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from playground.engine import TrainingSettings, optimizer_config
from playground.ui.panels import data_panel as data_panel_module
from playground.ui.panels.data_panel import DataPanel
from playground.ui.panels.training_panel import TrainingPanel


@pytest.fixture
def training(qtbot):
    panel = TrainingPanel()
    qtbot.addWidget(panel)
    return panel


@pytest.fixture
def data(qtbot):
    panel = DataPanel()
    qtbot.addWidget(panel)
    panel.set_dataset({"name": "xor", "noise": 0.1}, ["x1", "x2"])
    return panel


def record(signal):
    calls = []
    signal.connect(lambda *args: calls.append(args))
    return calls


# -- TrainingPanel -------------------------------------------------------------------------------
def test_set_settings_shows_them_without_emitting(training):
    changed, lr = record(training.settings_changed), record(training.lr_changed)
    s = TrainingSettings(loss="bce", optimizer=optimizer_config("adam", lr=0.005, betas=[0.8, 0.99],
                                                                amsgrad=True),
                         regularization="l1", reg_rate=0.01, rule="backprop", seed=12)
    training.set_settings(s)
    assert training.optimizer.currentData() == "adam" and training.numbers["lr"].value() == 0.005
    assert training.numbers["beta1"].value() == pytest.approx(0.8)
    assert training.flags["amsgrad"].isChecked() and training.seed.value() == 12
    assert training.loss.currentData() == "bce" and training.regularization.currentData() == "l1"
    assert training.settings() == s
    assert changed == [] and lr == []


def test_only_the_chosen_optimizers_fields_are_shown(training):
    training.show()
    training.set_settings(TrainingSettings(optimizer=optimizer_config("momentum")))
    visible = {k for k, w in training.numbers.items() if w.isVisible()}
    assert visible == {"lr", "rho"}
    training.set_settings(TrainingSettings(optimizer=optimizer_config("adam")))
    visible = {k for k, w in training.numbers.items() if w.isVisible()}
    assert visible == {"lr", "beta1", "beta2", "eps", "weight_decay"}
    assert all(check.isVisible() for check in training.flags.values())


def test_learning_rate_is_live(training):
    changed, lr = record(training.settings_changed), record(training.lr_changed)
    training.numbers["lr"].setValue(0.1)
    assert lr == [(0.1,)] and changed == []


def test_other_edits_need_a_reset(training):
    changed = record(training.settings_changed)
    training.optimizer.setCurrentIndex(training.optimizer.findData("rmsprop"))
    settings, needs_reset = changed[-1]
    assert needs_reset and settings.optimizer == optimizer_config("rmsprop")
    assert training.numbers["lr"].value() == pytest.approx(0.01)    # the new optimizer's default
    training.numbers["alpha"].setValue(0.9)
    assert changed[-1][0].optimizer["alpha"] == pytest.approx(0.9)
    training.regularization.setCurrentIndex(training.regularization.findData("l2"))
    training.reg_rate.setValue(0.003)
    assert changed[-1][0].regularization == "l2" and changed[-1][0].reg_rate == pytest.approx(0.003)
    training.rule.setCurrentIndex(training.rule.findData("perceptron"))
    assert changed[-1][0].rule == "perceptron" and not training.optimizer.isEnabled()


def test_auto_loss_names_its_choice_and_tooltips_carry_formulas(training):
    training.set_output_activation("softmax")
    assert training.loss.itemText(0) == "auto (CCE)"
    training.set_settings(TrainingSettings(optimizer=optimizer_config("adam")))
    assert "m̂" in training.optimizer.toolTip() and "β₂" in training.optimizer.toolTip()
    training.set_settings(TrainingSettings(optimizer=optimizer_config("momentum")))
    assert "v ← ρ·v + lr·∇J" in training.optimizer.toolTip()


def test_the_lr_box_steps_through_round_numbers(training):
    training.set_settings(TrainingSettings(optimizer=optimizer_config("sgd", lr=0.03)))
    training.numbers["lr"].stepBy(1)
    assert training.numbers["lr"].value() == pytest.approx(0.1)
    training.numbers["lr"].stepBy(-2)
    assert training.numbers["lr"].value() == pytest.approx(0.01)


# -- DataPanel -----------------------------------------------------------------------------------
def test_set_dataset_shows_the_recipe_without_emitting(data):
    changed = record(data.dataset_changed)
    data.set_dataset({"name": "spiral", "noise": 0.25, "train_share": 0.7}, ["x1", "sin_x2"])
    assert data.gallery.current_name() == "spiral"
    assert data.noise.value() == 25 and data.train_share.value() == 70
    assert [f for f, b in data.feature_buttons.items() if b.isChecked()] == ["x1", "sin_x2"]
    assert changed == []


def test_sliders_and_features_emit_the_new_recipe(data):
    changed = record(data.dataset_changed)
    data.noise.setValue(30)
    assert changed[-1] == ({"name": "xor", "noise": 0.3, "train_share": 0.5, "n": 500}, ["x1", "x2"])
    data.feature_buttons["x1x2"].setChecked(True)
    assert changed[-1][1] == ["x1", "x2", "x1x2"]
    data.feature_buttons["x1"].setChecked(False)
    data.feature_buttons["x2"].setChecked(False)
    data.feature_buttons["x1x2"].setChecked(False)        # the last one cannot be switched off
    assert changed[-1][1] == ["x1x2"] and data.feature_buttons["x1x2"].isChecked()


def test_picking_a_dataset_keeps_noise_for_the_same_kind(data):
    changed = record(data.dataset_changed)
    data.gallery.setCurrentRow([data.gallery.item(i).data(Qt.UserRole)
                                for i in range(data.gallery.count())].index("circle"))
    assert changed[-1] == ({"name": "circle", "noise": 0.1}, ["x1", "x2"])
    data.gallery.setCurrentRow([data.gallery.item(i).data(Qt.UserRole)
                                for i in range(data.gallery.count())].index("stroke_digits"))
    recipe, features = changed[-1]
    assert recipe == {"name": "stroke_digits"} and features == []
    assert data._images_box.isVisibleTo(data) and not data._features_box.isVisibleTo(data)


def test_image_options_go_into_the_recipe(data):
    data.set_dataset({"name": "stroke_digits", "n": 200}, [])
    changed = record(data.dataset_changed)
    data.shift.setChecked(True)
    data.reconstruct.setChecked(True)
    data.scale.setCurrentIndex(data.scale.findData("standardize"))
    recipe = changed[-1][0]
    assert recipe["shift"] == 2 and recipe["reconstruct"] is True and recipe["scale"] == "standardize"
    assert recipe["n"] == 200


def test_regenerate_draws_a_new_seed(data):
    changed = record(data.dataset_changed)
    data.regenerate.click()
    data.regenerate.click()
    seeds = [args[0]["seed"] for args in changed]
    assert len(seeds) == 2 and seeds[0] != seeds[1]


def test_batch_size_goes_out_as_a_live_settings_change(data):
    changed = record(data.settings_changed)
    data.set_settings(TrainingSettings(batch_size=32, seed=5))
    assert data.batch.currentText() == "32" and changed == []
    data.batch.setCurrentIndex(data.batch.findData("full"))
    settings, needs_reset = changed[-1]
    assert settings.batch_size == "full" and settings.seed == 5 and needs_reset is False


def test_painting_adds_and_removes_points(data):
    changed = record(data.dataset_changed)
    data.paint_point(1.0, 1.0, 1)
    assert changed == []                                  # painting is off
    data.paint.setChecked(True)
    data.paint_class.setCurrentIndex(1)
    data.paint_point(1.0, 2.0, 1)
    data.paint_class.setCurrentIndex(0)
    data.paint_point(-3.0, 0.5, 1)
    assert changed[-1][0]["painted"] == [[1.0, 2.0, 1], [-3.0, 0.5, 0]]
    data.paint_point(-2.5, 0.0, 2)                        # right click: the nearest goes
    assert changed[-1][0]["painted"] == [[1.0, 2.0, 1]]
    data.clear_painted.click()
    assert "painted" not in changed[-1][0]


def test_load_csv_success_and_failure(data, tmp_path, monkeypatch, qtbot):
    good = tmp_path / "points.csv"
    good.write_text("x1,x2,label\n" + "\n".join(f"{i % 5},{i % 3},{i % 2}" for i in range(20)))
    bad = tmp_path / "bad.csv"
    bad.write_text("x1,x2,label\n1,2\n")
    chosen = iter([str(good), str(bad)])
    monkeypatch.setattr(data_panel_module.QFileDialog, "getOpenFileName",
                        lambda *a, **k: (next(chosen), ""))
    warnings = []
    monkeypatch.setattr(data_panel_module.QMessageBox, "warning",
                        lambda parent, title, text: warnings.append(text))
    changed = record(data.dataset_changed)
    data.load_csv.click()                                 # read off the UI thread
    qtbot.waitUntil(lambda: data.own_load is None, timeout=20_000)
    assert changed[-1] == ({"name": "csv", "path": str(good)}, ["x1", "x2"]) and warnings == []
    data.load_csv.click()
    qtbot.waitUntil(lambda: data.own_load is None, timeout=20_000)
    assert len(changed) == 1 and len(warnings) == 1 and "bad.csv" in warnings[0]


def test_load_image_folder_reports_errors(data, tmp_path, monkeypatch, qtbot):
    monkeypatch.setattr(data_panel_module.QFileDialog, "getExistingDirectory",
                        lambda *a, **k: str(tmp_path))
    warnings = []
    monkeypatch.setattr(data_panel_module.QMessageBox, "warning",
                        lambda parent, title, text: warnings.append(text))
    changed = record(data.dataset_changed)
    data.load_folder.click()
    qtbot.waitUntil(lambda: data.own_load is None, timeout=20_000)
    assert changed == [] and "subfolder" in warnings[0]


def test_gallery_tooltips_describe_the_datasets(data):
    tips = {data.gallery.item(i).data(Qt.UserRole): data.gallery.item(i).toolTip()
            for i in range(data.gallery.count())}
    assert "spiral" in tips["spiral"].lower() and "download" in tips["mnist"].lower()
    assert not data.gallery.item(0).icon().isNull()


def test_scrolling_the_panel_does_not_change_the_data(qtbot):
    """A mouse wheel over a spin box or slider the user has not clicked scrolls the panel; it
    does not change the number of samples (each change would rebuild the project)."""
    from PySide6.QtCore import QPoint, QPointF
    from PySide6.QtGui import QWheelEvent
    from PySide6.QtWidgets import QApplication, QScrollArea
    data = DataPanel()
    data.set_dataset({"name": "spiral", "n": 500}, ["x1", "x2"])
    area = QScrollArea()
    area.setWidget(data)
    area.setWidgetResizable(True)
    area.resize(260, 300)
    qtbot.addWidget(area)
    area.show()
    emitted = record(data.dataset_changed)

    def wheel(widget):
        centre = QPointF(widget.rect().center())
        event = QWheelEvent(centre, QPointF(widget.mapToGlobal(centre.toPoint())), QPoint(0, 0),
                            QPoint(0, -120), Qt.NoButton, Qt.NoModifier, Qt.NoScrollPhase, False)
        QApplication.sendEvent(widget, event)

    for widget in (data.samples, data.noise, data.batch):
        widget.clearFocus()
        wheel(widget)
    assert data.samples.value() == 500 and data.noise.value() == 0 and emitted == []
    assert area.verticalScrollBar().value() > 0          # the panel scrolled instead
    data.samples.setFocus()                               # once clicked, the wheel edits it
    qtbot.waitUntil(data.samples.hasFocus)
    wheel(data.samples)
    assert data.samples.value() != 500 and emitted
