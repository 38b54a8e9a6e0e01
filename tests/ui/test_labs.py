"""The Labs window as a student uses it: the race steps, plays, restarts from a click, takes
added racers and shows the selected racer's internals; the EMA demo and the activation explorer
follow their controls; the main window's Labs menu and --example optimizer_race open it."""
from __future__ import annotations

from ui_threads import app_threads
import types

import numpy as np
import pytest
from PySide6.QtCore import QPointF, Qt
from PySide6.QtGui import QImage

from playground.engine import activations
from playground.labs import activation_curves as ac
from playground.labs.ema import ema
from playground.ui import app as app_module
from playground.ui.labs.internals_text import num, vec
from playground.ui.labs.window import LabsWindow


@pytest.fixture
def labs(qtbot):
    app_module.application()
    w = LabsWindow()
    qtbot.addWidget(w)
    w.resize(1280, 800)
    w.show()
    yield w
    w.close()
    assert not w.race.timer.isActive()


def test_step_moves_every_racer_once_and_the_table_says_so(labs):
    race = labs.race
    labs.race.step_button.click()
    assert [r.steps for r in race.model.racers] == [1] * 5
    assert [race.table.item(i, 2).text() for i in range(5)] == ["1"] * 5
    sgd = race.model.racers[0]
    assert race.table.item(0, 3).text() == num(sgd.loss)
    # the path drawn is the racer's path
    xs, ys = race.plot.paths[0].getData()
    np.testing.assert_allclose(np.column_stack([xs, ys]), np.array(sgd.path))


def test_play_steps_until_paused(labs, qtbot):
    race = labs.race
    race.speed.setCurrentIndex(race.speed.count() - 1)
    race.play.click()
    qtbot.waitUntil(lambda: race.model.steps >= 30, timeout=10_000)
    race.play.click()
    assert not race.timer.isActive() and race.play.text() == "Play"
    steps = race.model.steps
    qtbot.wait(100)
    assert race.model.steps == steps


def test_a_click_on_the_surface_restarts_everyone_there(labs, qtbot):
    race = labs.race
    race.advance(10)
    vb = race.plot.getViewBox()
    scene = vb.mapViewToScene(QPointF(0.5, -0.25))
    view_pos = race.plot.mapFromScene(scene)
    qtbot.mouseClick(race.plot.viewport(), Qt.LeftButton, pos=view_pos)
    assert race.model.steps == 0
    for racer in race.model.racers:
        np.testing.assert_allclose(racer.path[0], (0.5, -0.25), atol=0.02)
    np.testing.assert_allclose(race.plot.start.getData()[0], [race.model.start[0]])


def test_added_copies_race_with_their_own_rate_and_colour(labs):
    race = labs.race
    race.add_kind.setCurrentIndex(3)          # Adam
    race.add_lr.setValue(0.01)
    race._on_add()
    assert race.table.rowCount() == 6
    assert race.table.item(5, 1).text() == "Adam lr 0.01"
    assert len({e.color for e in race.model.entries}) == 6
    race.advance(50)
    fast, slow = race.model.racers[3], race.model.racers[5]      # Adam lr 0.1 and lr 0.01
    assert np.linalg.norm(fast.path[-1] - fast.path[0]) > 3 * np.linalg.norm(slow.path[-1] - slow.path[0])
    race.table.selectRow(5)
    race._on_remove()
    assert race.table.rowCount() == 5 and len(race.plot.paths) == 5


def test_internals_show_the_adam_state_in_numbers(labs):
    race = labs.race
    race.table.selectRow(3)
    race.advance(7)
    racer = race.model.racers[3]
    state = racer.optimizer.state()["xy"]
    b1, b2 = racer.config["betas"]
    text = race.internals.toPlainText()
    assert vec(state["exp_avg"] / (1 - b1 ** 7)) in text
    assert vec(state["exp_avg_sq"] / (1 - b2 ** 7)) in text
    assert num(1 / (1 - b2 ** 7)) in text
    assert vec(racer.path[-2] - racer.path[-1]) in text        # the effective step is the step


def test_momentum_velocity_is_an_arrow_along_the_next_step(labs):
    race = labs.race
    race.table.selectRow(1)
    race.advance(20)
    racer = race.model.racers[1]
    xs, ys = race.plot.arrow_line.getData()
    assert (xs[0], ys[0]) == tuple(racer.path[-1])
    drawn = np.array([xs[1] - xs[0], ys[1] - ys[0]])
    v = racer.internals[-1]["velocity"]
    cos = drawn @ -v / (np.linalg.norm(drawn) * np.linalg.norm(v))
    assert cos == pytest.approx(1.0)
    race.table.selectRow(0)                    # SGD has no velocity: no arrow
    assert len(race.plot.arrow_line.getData()[0] or []) == 0


def test_the_condition_number_slider_changes_the_bowl(labs):
    race = labs.race
    race.surface_combo.setCurrentIndex(list(race.surface_combo.itemData(i) for i in
                                            range(race.surface_combo.count())).index("bowl"))
    assert race.param.isVisible()
    race.advance(5)
    race.param.setValue(100)
    assert race.model.surface.params["condition"] == 100.0
    assert race.model.steps == 0
    assert "100" in race.param_label.text()


def test_ema_demo_follows_beta_and_bias_correction(labs):
    tab = labs.ema
    tab.beta.setValue(80)
    np.testing.assert_allclose(tab.line.getData()[1], ema(tab.series, 0.8, True))
    tab.correct.setChecked(False)
    np.testing.assert_allclose(tab.line.getData()[1], ema(tab.series, 0.8, False))
    low, high = tab.band.getRegion()
    assert high - low == pytest.approx(5.0)                    # 1 / (1 - 0.8) values
    assert "last 5 values" in tab.reading.text()


def test_activation_explorer_lists_the_engine_and_follows_alpha(labs):
    tab = labs.activations
    assert [tab.names.item(i).data(Qt.UserRole) for i in range(tab.names.count())] == \
        list(activations.NAMES)
    tab.names.setCurrentRow(list(activations.NAMES).index("leaky_relu"))
    assert tab.alpha.isVisibleTo(tab) and not tab.other1.isVisibleTo(tab)
    tab.alpha.setValue(30)
    x, f = tab.f.getData()
    np.testing.assert_allclose(f[x < 0], 0.3 * x[x < 0])
    tab.names.setCurrentRow(list(activations.NAMES).index("softmax"))
    tab.other1.setValue(20)
    x, f = tab.f.getData()
    np.testing.assert_allclose(f, ac.curves("softmax", x, others=(2.0, 0.0))[0])


@pytest.fixture
def main_window(make_main_window):
    return make_main_window()


def test_the_labs_menu_opens_one_labs_window(main_window):
    assert main_window.actions_["labs"] in main_window.menus["labs"].actions()
    main_window.actions_["labs"].trigger()
    labs = main_window._labs_window
    assert labs.isVisible() and labs.tabs.currentWidget() is labs.race
    main_window.actions_["labs"].trigger()
    assert main_window._labs_window is labs
    labs.close()


def test_example_optimizer_race_opens_the_race(qapp, tmp_path, monkeypatch):
    monkeypatch.setenv("PLAYGROUND_DATA_DIR", str(tmp_path / "data"))
    before = app_threads()
    path = tmp_path / "race.png"
    code = app_module.run(types.SimpleNamespace(screenshot=str(path), example="optimizer_race",
                                                train_steps=200, self_test=False, project=None))
    assert code == 0
    image = QImage(str(path))
    assert (image.width(), image.height()) == (1280, 800)
    # the racers' colours are on the surface: SGD's red and Adam's blue
    colors = {(image.pixelColor(x, y).red(), image.pixelColor(x, y).green(),
               image.pixelColor(x, y).blue()) for x in range(60, 800, 2) for y in range(30, 500, 2)}
    near = lambda rgb: any(sum(abs(a - b) for a, b in zip(c, rgb)) < 40 for c in colors)  # noqa: E731
    assert near((0xe5, 0x39, 0x35)) and near((0x1e, 0x6f, 0xd9))
    assert app_threads() == before
