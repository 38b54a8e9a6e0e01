"""The live view on 2-D data: neuron thumbnails, weight lines and heatmaps from a real Snapshot."""
from __future__ import annotations

import numpy as np
import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QPalette, QUndoStack
from PySide6.QtTest import QTest

from playground.engine import Network, TrainData, Trainer, TrainingSettings, optimizer_config
from playground.project.document import NetworkDocument
from playground.ui.canvas import EditorController
from playground.ui.canvas.live import WeightsItem, neuron_formula

R = 24
MLP = {"input_shape": [2],
       "layers": [{"type": "dense", "units": 6, "activation": "tanh"},
                  {"type": "dense", "units": 4, "activation": "relu"},
                  {"type": "dense", "units": 1, "activation": "sigmoid"}]}


def squares(points: np.ndarray) -> np.ndarray:
    """Features X1, X2, X1² of 2-D points (as the data panel's feature choice would make)."""
    return np.concatenate([points, points[:, :1] ** 2], 1)


def trained_snapshot(spec: dict, steps: int = 200, expand=None):
    """A snapshot of a real network trained a little on XOR-like quadrants; ``expand`` turns the
    2-D points into the network's input features."""
    expand = expand or (lambda points: points)
    rng = np.random.default_rng(0)
    x = expand(rng.uniform(-5, 5, (200, 2)))
    y = (x[:, 0] * x[:, 1] > 0).astype(int)
    axis = np.linspace(-6, 6, R)
    gx, gy = np.meshgrid(axis, axis[::-1])
    grid = expand(np.stack([gx.ravel(), gy.ravel()], 1))
    net = Network.from_spec(spec, seed=3)
    trainer = Trainer(net, TrainingSettings(optimizer=optimizer_config("adam", lr=0.03)),
                      TrainData(x, y, x, y, "classification", 2), grid=grid, grid_resolution=R)
    trainer.run(steps)
    return trainer.snapshot()


@pytest.fixture
def editor(qtbot):
    controller = EditorController(NetworkDocument(MLP, input_labels=["X1", "X2"]), QUndoStack())
    qtbot.addWidget(controller.view)
    controller.view.resize(720, 760)
    controller.view.show()
    qtbot.waitExposed(controller.view)
    return controller


def thumb_pixels(controller, layer_id: str, unit: int) -> np.ndarray:
    """The RGB pixels of one neuron thumbnail as drawn on screen."""
    block = controller.scene.blocks[layer_id]
    return screen_pixels(controller, block.mapRectToScene(block.thumb_rect(unit)))


def feature_pixels(controller, index: int) -> np.ndarray:
    """The RGB pixels of the input block's map of feature ``index`` as drawn on screen."""
    block = controller.scene.input_block
    return screen_pixels(controller, block.mapRectToScene(block.feature_rect(index)))


def screen_pixels(controller, scene_rect) -> np.ndarray:
    """The viewport's RGB pixels inside ``scene_rect``, less a 3-pixel border (the frame)."""
    rect = scene_rect.adjusted(3, 3, -3, -3)
    box = controller.view.mapFromScene(rect).boundingRect()
    image = controller.view.viewport().grab(box).toImage()
    return np.array([[image.pixelColor(x, y).getRgb()[:3] for x in range(image.width())]
                     for y in range(image.height())], float)


def test_show_snapshot_draws_neuron_thumbnails(editor):
    snap = trained_snapshot(editor.document.spec())
    editor.show_snapshot(snap)
    scene = editor.scene
    assert [scene.blocks[i].live_kind for i in ("dense1", "dense2", "dense3")] == ["thumbs"] * 3
    pixels = thumb_pixels(editor, "dense1", 0)
    background = np.array(editor.view.palette().color(QPalette.ColorRole.Base).getRgb()[:3])
    assert np.abs(pixels - background).sum(axis=2).max() > 60    # not blank
    assert pixels.std(axis=(0, 1)).max() > 20                     # a map, not a flat fill
    orange = (pixels[..., 0] > pixels[..., 2] + 60).any()
    blue = (pixels[..., 2] > pixels[..., 0] + 60).any()
    assert orange and blue   # a tanh unit over the whole plane takes both signs


def test_weight_lines_join_consecutive_small_dense_layers(editor):
    editor.show_snapshot(trained_snapshot(editor.document.spec()))
    weights = editor.scene.weights
    assert set(weights) == {"dense1", "dense2", "dense3"}   # from the input chips, too
    assert weights["dense1"].source is editor.scene.input_block
    assert weights["dense2"].weight.shape == (4, 6)
    assert not editor.scene.links[1].show_line   # the lines replace the plain arrow


def test_new_frames_reuse_items_and_images(editor):
    spec = editor.document.spec()
    editor.show_snapshot(trained_snapshot(spec, 50))
    items = set(map(id, editor.scene.items()))
    image = editor.scene.blocks["dense1"].live_buffer.image
    before = thumb_pixels(editor, "dense1", 2)
    editor.show_snapshot(trained_snapshot(spec, 400))
    assert set(map(id, editor.scene.items())) == items
    assert editor.scene.blocks["dense1"].live_buffer.image is image
    assert np.abs(thumb_pixels(editor, "dense1", 2) - before).max() > 0   # it did redraw


def test_hovering_a_neuron_shows_its_map_and_formula(editor):
    snap = trained_snapshot(editor.document.spec())
    editor.show_snapshot(snap)
    block = editor.scene.blocks["dense1"]
    centre = editor.view.mapFromScene(block.mapToScene(block.thumb_rect(1).center()))
    QTest.mouseMove(editor.view.viewport(), centre)
    popup = editor.scene.popup
    assert popup.isVisible() and popup.unit == 1
    w = snap.weights["dense1.weight"][1]
    b = snap.weights["dense1.bias"][1]
    assert popup.formula.startswith("dense1[2] = tanh(")
    assert f"{abs(w[0]):.2f}·X1" in popup.formula and f"{abs(b):.2f})" in popup.formula
    QTest.mouseMove(editor.view.viewport(), centre + type(centre)(0, -200))
    assert not popup.isVisible()


def test_formula_text():
    text = neuron_formula("h2", "tanh", np.array([0.83, -1.2]), 0.05, ["x1", "x2"])
    assert text == "h2 = tanh(0.83·x1 − 1.20·x2 + 0.05)"
    assert neuron_formula("y", "identity", np.array([-0.5]), None, ["a"]) == "y = −0.50·a"


def test_wide_layers_show_a_weight_heatmap(qtbot):
    spec = {"input_shape": [2], "layers": [{"type": "dense", "units": 32, "activation": "tanh"},
                                           {"type": "dense", "units": 1, "activation": "sigmoid"}]}
    controller = EditorController(NetworkDocument(spec), QUndoStack())
    qtbot.addWidget(controller.view)
    controller.view.show()
    controller.show_snapshot(trained_snapshot(spec, 20))
    assert controller.scene.blocks["dense1"].live_kind == "heatmap"
    assert controller.scene.blocks["dense2"].live_kind == "thumbs"
    assert not [i for i in controller.scene.items() if isinstance(i, WeightsItem)]
    pixels = controller.scene.blocks["dense1"].live_buffer.pixels
    assert pixels[..., :3].std() > 10


def test_input_block_shows_a_map_per_feature(qtbot):
    spec = {"input_shape": [3], "layers": [{"type": "dense", "units": 4, "activation": "tanh"},
                                           {"type": "dense", "units": 1, "activation": "sigmoid"}]}
    controller = EditorController(NetworkDocument(spec, input_labels=["X1", "X2", "X1²"]),
                                  QUndoStack())
    qtbot.addWidget(controller.view)
    controller.view.resize(720, 760)
    controller.view.show()
    qtbot.waitExposed(controller.view)
    controller.show_snapshot(trained_snapshot(spec, 50, expand=squares))
    assert controller.scene.input_block.live_kind == "inputs"
    x1, x2, x1_squared = (feature_pixels(controller, k) for k in range(3))
    background = np.array(controller.view.palette().color(QPalette.ColorRole.Base).getRgb()[:3])
    for pixels in (x1, x2, x1_squared):
        assert np.abs(pixels - background).sum(axis=2).max() > 60     # not blank

    def blue(pixels):   # positive values: more blue than red
        return pixels[..., 2] - pixels[..., 0]
    # X1 grows to the right: orange on the left, blue on the right
    assert blue(x1[:, :4]).mean() < -60 and blue(x1[:, -4:]).mean() > 60
    # X2 grows upwards (row 0 is the top of the plane)
    assert blue(x2[:4]).mean() > 60 and blue(x2[-4:]).mean() < -60
    # X1² is 0 (white) down the middle and large at both sides
    middle = x1_squared[:, x1_squared.shape[1] // 2]
    assert middle.min() > 200 and blue(x1_squared[:, :3]).mean() > 60
    assert controller.scene.weights["dense1"].source is controller.scene.input_block


def test_weight_lines_take_the_colour_of_their_sign(editor):
    snap = trained_snapshot(editor.document.spec())
    editor.show_snapshot(snap)
    weight = snap.weights["dense3.weight"][0]        # 4 lines into the single output neuron
    image = editor.view.viewport().grab().toImage()
    for i in np.argsort(-np.abs(weight))[:2]:        # the two strongest
        start = editor.scene.blocks["dense2"].node_anchor(int(i), top=False)
        end = editor.scene.blocks["dense3"].node_anchor(0, top=True)
        point = editor.view.mapFromScene((start + end) / 2)
        r, _, b, _ = image.pixelColor(point).getRgb()
        assert (b - r > 40) if weight[i] > 0 else (r - b > 40)


def test_a_hidden_canvas_draws_when_it_is_shown(qtbot):
    controller = EditorController(NetworkDocument(MLP, input_labels=["X1", "X2"]), QUndoStack())
    qtbot.addWidget(controller.view)
    controller.show_snapshot(trained_snapshot(MLP, 20))
    blocks = controller.scene.blocks
    assert blocks["dense1"].live_kind is None and not controller.scene.weights  # no work hidden
    controller.view.show()
    qtbot.waitExposed(controller.view)
    assert blocks["dense1"].live_kind == "thumbs" and set(controller.scene.weights) == {
        "dense1", "dense2", "dense3"}
    controller.view.hide()
    controller.show_snapshot(trained_snapshot(MLP, 20))
    controller.clear_live()               # a reset while hidden: nothing stale comes back
    controller.view.show()
    assert blocks["dense1"].live_kind is None


def test_clear_live_and_edits_drop_the_live_view(editor):
    spec = editor.document.spec()
    editor.show_snapshot(trained_snapshot(spec, 20))
    editor.clear_live()
    assert not editor.scene.weights and all(b.live_kind is None
                                            for b in editor.scene.blocks.values())
    editor.show_snapshot(trained_snapshot(spec, 20))
    editor.document.set_field("dense2", "units", 3)   # the old weights no longer fit
    assert not editor.scene.weights
    # a stale snapshot (dense2 had 4 units) draws no thumbnails for the changed layer
    editor.show_snapshot(trained_snapshot(spec, 20))
    assert editor.scene.blocks["dense2"].live_kind == "heatmap"


def test_render_light_and_dark(editor, tmp_path):
    editor.show_snapshot(trained_snapshot(editor.document.spec()))
    editor.scene.select_layer("dense2")
    light = editor.view.grab()
    assert light.save(str(tmp_path / "canvas_light.png"))
    dark = QPalette()
    for role, colour in ((QPalette.ColorRole.Base, "#1e1f22"), (QPalette.ColorRole.Window, "#2b2d30"),
                         (QPalette.ColorRole.Text, "#dfe1e5"), (QPalette.ColorRole.WindowText,
                                                               "#dfe1e5")):
        dark.setColor(role, QColor(colour))
    editor.view.setPalette(dark)
    image = editor.view.grab().toImage()
    assert image.save(str(tmp_path / "canvas_dark.png"))
    # the block text follows the palette: some pixels are light on the dark base
    block = editor.scene.blocks["dense2"]
    box = editor.view.mapFromScene(block.mapRectToScene(block.boundingRect())).boundingRect()
    lightness = [image.pixelColor(x, y).lightness()
                 for x in range(box.left() + 10, box.right() - 10, 2)
                 for y in range(box.top() + 5, box.top() + 60, 2)]
    assert max(lightness) > 180 and np.median(lightness) < 90


CONV = {"input_shape": [1, 28, 28],
        "layers": [{"type": "conv2d", "filters": 12, "kernel_size": 5, "padding": 2,
                    "activation": "relu"},
                   {"type": "maxpool2d", "size": 2},
                   {"type": "flatten"},
                   {"type": "dense", "units": 10, "activation": "softmax"}]}


def test_conv_blocks_show_feature_maps_of_the_probe_image(qtbot):
    from playground.data import make_dataset
    data = make_dataset({"name": "stroke_digits", "n": 200, "seed": 0})
    net = Network.from_spec(CONV, seed=0)
    trainer = Trainer(net, TrainingSettings(optimizer=optimizer_config("adam", lr=0.01)),
                      TrainData(data.x_train, data.y_train, data.x_test, data.y_test,
                                "classification", data.n_classes),
                      probe_inputs=data.x_test[:4])
    trainer.run(3)
    snapshot = trainer.snapshot()
    controller = EditorController(NetworkDocument(CONV), QUndoStack())
    qtbot.addWidget(controller.view)
    controller.view.resize(720, 900)
    controller.view.show()
    qtbot.waitExposed(controller.view)
    controller.show_snapshot(snapshot)
    conv_id, pool_id = controller.document.layer_ids()[:2]
    conv = controller.scene.blocks[conv_id]
    assert (conv.live_kind, conv.n_units, conv.extra) == ("channels", 8, 4)   # 8 maps and "+4"
    thumbs = [screen_pixels(controller, conv.mapRectToScene(conv.thumb_rect(i))) for i in range(8)]
    assert all(np.ptp(t) > 0 for t in thumbs)          # pictures, not flat squares
    assert max(np.ptp(t) for t in thumbs) > 100        # the layer's strongest map in full colour
    first = thumbs[0]
    assert controller.scene.blocks[pool_id].live_kind == "channels"
    probe = screen_pixels(controller, controller.scene.input_block.mapRectToScene(
        controller.scene.input_block.thumb_rect(0)))
    assert np.ptp(probe) > 100 and np.allclose(probe[..., 0], probe[..., 2])   # grey digit
    controller.set_probe(1)    # another image: other maps
    assert not np.array_equal(first, screen_pixels(controller, conv.mapRectToScene(
        conv.thumb_rect(0))))


def test_clicking_a_small_thumbnail_pins_its_large_map(qtbot):
    """A 16-unit layer's thumbnails are under 32 px: a click keeps the neuron's 150 px map shown
    after the mouse leaves, and a second click lets it go."""
    spec = {"input_shape": [2], "layers": [{"type": "dense", "units": 16, "activation": "tanh"},
                                           {"type": "dense", "units": 1, "activation": "sigmoid"}]}
    controller = EditorController(NetworkDocument(spec), QUndoStack())
    qtbot.addWidget(controller.view)
    controller.view.resize(900, 700)
    controller.view.show()
    controller.show_snapshot(trained_snapshot(spec, 20))
    block = controller.scene.blocks["dense1"]
    assert block.live_kind == "thumbs" and block.thumb_rect(0).width() < 32
    viewport = controller.view.viewport()
    centre = controller.view.mapFromScene(block.mapToScene(block.thumb_rect(5).center()))
    away = centre + type(centre)(0, -250)
    popup = controller.scene.popup
    QTest.mouseMove(viewport, centre)
    QTest.mouseClick(viewport, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, centre)
    QTest.mouseMove(viewport, away)
    assert popup.isVisible() and popup.unit == 5 and "pinned" in popup.title
    QTest.mouseMove(viewport, centre)
    QTest.mouseClick(viewport, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, centre)
    QTest.mouseMove(viewport, away)
    assert not popup.isVisible()
