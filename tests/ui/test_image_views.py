"""The image and convolution views (issue 5), fed with Snapshots of a real small CNN trained on
real MNIST digits. Each view is also rendered to a PNG under /tmp/playground_views for review."""
from __future__ import annotations

import gzip
import os
from pathlib import Path

import numpy as np
import pytest

from playground.engine import Network, TrainData, Trainer, TrainingSettings, optimizer_config

PNG_DIR = Path(os.environ.get("PLAYGROUND_VIEW_PNGS", "/tmp/playground_views"))

#: every layer type the views draw: conv (padding 2, and stride 2), max pooling, a transposed
#: convolution with stride 2, and unpooling through pool1's argmax positions
SPEC = {"input_shape": [1, 28, 28], "layers": [
    {"id": "conv1", "type": "conv2d", "filters": 6, "kernel_size": 5, "padding": 2,
     "activation": "relu"},
    {"id": "pool1", "type": "maxpool2d", "size": 2},
    {"id": "conv2", "type": "conv2d", "filters": 6, "kernel_size": 3, "stride": 2, "padding": 1,
     "activation": "relu"},
    {"id": "deconv1", "type": "conv_transpose2d", "filters": 6, "kernel_size": 2, "stride": 2,
     "activation": "tanh"},
    {"id": "unpool1", "type": "maxunpool2d", "pool": "pool1"},
    {"id": "avgpool1", "type": "avgpool2d", "size": 4},
    {"type": "flatten"},
    {"id": "dense1", "type": "dense", "units": 10, "activation": "softmax"}]}


def load_mnist(n: int) -> tuple[np.ndarray, np.ndarray]:
    """The first n real MNIST test digits, (n, 1, 28, 28) float32 in [0, 1], and labels."""
    from tests.conftest import MNIST_DIR
    if not (MNIST_DIR / "t10k-images-idx3-ubyte.gz").exists():
        pytest.skip("the real MNIST test set is missing")
    with gzip.open(MNIST_DIR / "t10k-images-idx3-ubyte.gz") as f:
        images = np.frombuffer(f.read(), np.uint8, offset=16)[:n * 784]
    with gzip.open(MNIST_DIR / "t10k-labels-idx1-ubyte.gz") as f:
        labels = np.frombuffer(f.read(), np.uint8, offset=8)[:n]
    return (images.reshape(n, 1, 28, 28) / np.float32(255)).astype(np.float32), labels.astype(np.int64)


@pytest.fixture(scope="module")
def trained():
    """A Trainer after 80 steps on 300 digits (test: 100 others), 6 probe images."""
    x, y = load_mnist(400)
    net = Network.from_spec(SPEC, seed=0)
    settings = TrainingSettings(optimizer=optimizer_config("adam", lr=0.005), batch_size=20, seed=0)
    trainer = Trainer(net, settings, TrainData(x[:300], y[:300], x[300:], y[300:],
                                               "classification", 10), probe_inputs=x[300:306])
    trainer.run(80)
    return trainer


@pytest.fixture(scope="module")
def snapshot(trained):
    return trained.snapshot()


def save_png(widget, name: str) -> Path:
    PNG_DIR.mkdir(parents=True, exist_ok=True)
    path = PNG_DIR / f"{name}.png"
    assert widget.grab().save(str(path))
    return path


def make_view(qtbot, cls, size=(900, 600)):
    view = cls()
    qtbot.addWidget(view)
    view.resize(*size)
    view.show()
    return view


# -- feature maps ---------------------------------------------------------------------------------
def test_feature_maps_show_every_channel_of_the_chosen_layer(qtbot, trained, snapshot):
    from playground.ui.image_views import FeatureMapsView
    view = make_view(qtbot, FeatureMapsView)
    view.set_network(trained.net)
    view.select_layer("conv1")
    view.set_probe(2)
    view.show_snapshot(snapshot)
    maps = snapshot.probe_activations["conv1"][2]
    assert len(view.grid.cells) == 6
    for cell, m in zip(view.grid.cells, maps):
        np.testing.assert_array_equal(cell.image, m)
    # per map: each map's own symmetric scale; per layer: one scale for all
    assert [lv[1] for lv in view.levels] == pytest.approx([np.abs(m).max() for m in maps])
    view.set_scale("per layer")
    assert {lv for lv in view.levels} == {(-np.abs(maps).max(), np.abs(maps).max())}
    view.set_scale("global")
    top = max(np.abs(a[2]).max() for a in snapshot.probe_activations.values() if a.ndim == 4)
    assert view.levels[0] == pytest.approx((-top, top))
    qtbot.mouseClick(view.strip, __import__("PySide6.QtCore").QtCore.Qt.MouseButton.LeftButton,
                     pos=view.strip.image_rect(4).center().toPoint())
    assert view.probe == 4
    np.testing.assert_array_equal(view.grid.cells[0].image, snapshot.probe_activations["conv1"][4][0])
    view.grid.cell_clicked.emit(3)
    assert view.enlarged == 3 and view.enlarged_grid.isVisible()
    save_png(view, "feature_maps")


def test_feature_maps_follow_a_new_structure(qtbot, trained, snapshot):
    from playground.ui.image_views import FeatureMapsView
    view = make_view(qtbot, FeatureMapsView)
    view.set_network(SPEC)
    ids = [view.layer_combo.itemData(i) for i in range(view.layer_combo.count())]
    assert ids == ["conv1", "pool1", "conv2", "deconv1", "unpool1", "avgpool1"]
    view.select_layer("dense1")  # not an image layer: the choice stays
    assert view.layer_id == "conv1"
    view.select_layer("unpool1")
    view.show_snapshot(snapshot)
    assert len(view.grid.cells) == 6 and view.grid.cells[0].image.shape == (28, 28)
    view.set_network({"input_shape": [1, 8, 8], "layers": [{"type": "conv2d", "filters": 20,
                                                               "kernel_size": 9}]})
    assert "larger than" in view.message.text()
    assert view.grid.cells == []


# -- filters --------------------------------------------------------------------------------------
def test_filters_show_kernels_and_gradients_on_a_symmetric_scale(qtbot, trained, snapshot):
    from playground.ui.image_views import FiltersView
    view = make_view(qtbot, FiltersView, (1000, 650))
    view.set_network(trained.net)
    assert [view.layer_combo.itemData(i) for i in range(view.layer_combo.count())] == [
        "conv1", "conv2", "deconv1"]
    view.select_layer("conv2")
    view.show_snapshot(snapshot)
    weight, grad = snapshot.weights["conv2.weight"], snapshot.gradients["conv2.weight"]
    assert len(view.weight_grid.cells) == 6 * 6  # rows: filters, columns: input channels
    np.testing.assert_array_equal(view.weight_grid.cells[1 * 6 + 4].image, weight[1, 4])
    np.testing.assert_array_equal(view.gradient_grid.cells[1 * 6 + 4].image, grad[1, 4])
    lo, hi = view.weight_levels
    assert lo == -hi and hi >= np.abs(weight).max()
    glo, ghi = view.gradient_levels
    assert glo == -ghi and ghi >= np.abs(grad).max()
    assert "(3×3×6 + 1)×6 = 330 parameters" in view.message.text()
    save_png(view, "filters")
    # the weight scale stays put when the weights shrink: a colour keeps its value
    smaller = type(snapshot)(weights={k: v / 10 for k, v in snapshot.weights.items()},
                             gradients=snapshot.gradients, probe_inputs=snapshot.probe_inputs)
    view.show_snapshot(smaller)
    assert view.weight_levels == (lo, hi)
    # a transposed convolution's kernels (in, out, kh, kw) are shown with filters as rows
    view.select_layer("deconv1")
    view.show_snapshot(snapshot)
    np.testing.assert_array_equal(view.weight_grid.cells[2 * 6 + 5].image,
                                  snapshot.weights["deconv1.weight"][5, 2])


# -- pooling and unpooling ------------------------------------------------------------------------
def test_unpooling_puts_values_exactly_at_the_engines_argmax(qtbot, trained, snapshot):
    from playground.ui.image_views import PoolingView
    view = make_view(qtbot, PoolingView, (1100, 420))
    view.set_network(trained.net)
    view.select_layer("unpool1")
    view.set_probe(1)
    view.channel_spin.setValue(3)
    view.show_snapshot(snapshot)
    argmax = snapshot.pool_argmax["pool1"][1, 3]
    values = snapshot.probe_activations["deconv1"][1, 3]  # what reaches unpool1
    unpooled = view.unpooled
    np.testing.assert_array_equal(unpooled, snapshot.probe_activations["unpool1"][1, 3])
    flat = unpooled.reshape(-1)
    np.testing.assert_array_equal(flat[argmax.reshape(-1)], values.reshape(-1))
    others = np.ones(flat.size, bool)
    others[argmax.reshape(-1)] = False
    assert np.all(flat[others] == 0) and np.count_nonzero(flat) > 0
    # every argmax lies inside its own 2x2 window and holds that window's maximum
    source = snapshot.probe_activations["conv1"][1, 3]
    rows, cols = np.divmod(argmax, 28)
    oh, ow = np.indices(argmax.shape)
    assert np.all(rows // 2 == oh) and np.all(cols // 2 == ow)
    np.testing.assert_array_equal(source[rows, cols], snapshot.probe_activations["pool1"][1, 3])
    # zoomed: 8x8 of the input, the 4x4 pooled outputs of those windows, numbers written
    top, left, h, w = view.region
    assert (h, w) == (8, 8) and top % 2 == 0 and left % 2 == 0
    titles = [c.title for c in view.grid.cells]
    assert len(titles) == 4 and "input of pool1" in titles[0] and "unpool1" in titles[3]
    np.testing.assert_array_equal(view.grid.cells[1].image,
                                  snapshot.probe_activations["pool1"][1, 3][top // 2:top // 2 + 4,
                                                                            left // 2:left // 2 + 4])
    assert all(c.numbers for c in view.grid.cells)
    save_png(view, "pooling_unpool")
    view.zoom_check.setChecked(False)
    assert view.grid.cells[0].image.shape == (28, 28) and not view.grid.cells[0].numbers


def test_pooling_view_on_max_and_average_pools(qtbot, trained, snapshot):
    from playground.ui.image_views import PoolingView
    view = make_view(qtbot, PoolingView, (900, 420))
    view.set_network(trained.net)
    view.select_layer("avgpool1")
    view.show_snapshot(snapshot)
    assert len(view.grid.cells) == 2 and view.unpooled is None
    view.top_spin.setValue(4)
    view.left_spin.setValue(9)
    assert view.region[:2] == (4, 8)  # snapped to the stride so windows stay whole
    source = snapshot.probe_activations["unpool1"][0, 0][4:12, 8:16]
    expected = source.reshape(2, 4, 2, 4).mean(axis=(1, 3))
    np.testing.assert_allclose(view.grid.cells[1].image, expected, rtol=1e-5, atol=1e-7)
    view.select_layer("pool1")  # a maxpool used by unpool1 also shows the unpooling
    assert len(view.grid.cells) == 4


# -- convolution mechanics ------------------------------------------------------------------------
def _number_after(text: str, marker: str) -> float:
    """The number written right after ``marker`` (the views write minus as U+2212)."""
    tail = text.split(marker, 1)[1].strip().split()[0]
    return float(tail.replace("−", "-"))


def test_the_written_out_sum_equals_the_engines_output(qtbot, trained, snapshot):
    from playground.ui.image_views import ConvMechanicsView
    view = make_view(qtbot, ConvMechanicsView, (1100, 620))
    view.set_network(trained.net)
    view.set_probe(3)
    view.show_snapshot(snapshot)
    panel = view.sliding
    assert "floor((28 + 2·2 − 5)/1) + 1 = 28" in panel.text.text()
    x = snapshot.probe_inputs[3, 0]
    w, b = snapshot.weights["conv1.weight"], snapshot.weights["conv1.bias"]
    for f, position in ((0, 14 * 28 + 14), (4, 9 * 28 + 17), (5, 0)):
        panel.filter_spin.setValue(f)
        panel.slider.setValue(position)
        row, col = divmod(position, 28)
        engine = float(snapshot.probe_activations["conv1"][3, f, row, col])
        # the sum the student reads, parsed back, is z; relu(z) is the engine's output
        z = _number_after(panel.sum_text, "= ")
        window = np.pad(x, 2)[row:row + 5, col:col + 5]
        assert z == pytest.approx(float(np.sum(w[f, 0] * window) + b[f]), rel=1e-5, abs=1e-6)
        assert max(z, 0.0) == pytest.approx(engine, rel=1e-5, abs=1e-6)
        assert panel.computed_value == pytest.approx(engine, rel=1e-5, abs=1e-6)
        assert "✓ equals the engine's output" in panel.text.text()
    panel.filter_spin.setValue(5)
    panel.slider.setValue(int(np.argmax(snapshot.probe_activations["conv1"][3, 5])))
    save_png(view, "conv_mechanics")
    # stride 2 over 6 channels: 54 terms, and the engine agrees
    view.select_layer("conv2")
    assert "floor((14 + 2·1 − 3)/2) + 1 = 7" in panel.text.text()
    assert "(54 terms)" in panel.sum_text
    assert panel.computed_value == pytest.approx(panel.engine_value, rel=1e-5, abs=1e-6)


def test_transposed_convolution_rebuilds_the_engines_output(qtbot, trained, snapshot):
    from playground.ui.image_views import ConvMechanicsView
    view = make_view(qtbot, ConvMechanicsView, (1100, 560))
    view.set_network(trained.net)
    view.select_layer("deconv1")
    view.show_snapshot(snapshot)
    panel = view.sliding
    assert "2·(7 − 1) + 2 − 2·0 = 14" in panel.text.text()
    assert panel.rebuild_error < 1e-5
    spread = panel.grid.cells[2].image  # one input value times the kernel, at (i·s, j·s)
    i, j = divmod(panel.slider.value(), 7)
    c, f = panel.channel_spin.value(), panel.filter_spin.value()
    x = snapshot.probe_activations["conv2"][0, c, i, j]
    np.testing.assert_allclose(spread[2 * i:2 * i + 2, 2 * j:2 * j + 2],
                               x * snapshot.weights["deconv1.weight"][c, f], rtol=1e-6)
    assert np.count_nonzero(spread) <= 4
    save_png(view, "conv_transposed")


def test_cross_correlation_against_convolution_with_the_notes_kernels(qtbot, trained, snapshot):
    from playground.ui.image_views import ConvMechanicsView
    view = make_view(qtbot, ConvMechanicsView, (1100, 420))
    view.set_network(trained.net)
    view.show_snapshot(snapshot)
    view.tabs.setCurrentIndex(1)
    panel = view.correlation
    image = snapshot.probe_inputs[0, 0].astype(np.float64)
    panel.kernel_combo.setCurrentText("Shift pixel")
    # cross-correlation with [[0,0,0],[1,0,0],[0,0,0]] reads the left neighbour: moves right;
    # the flipped kernel reads the right neighbour: moves left
    np.testing.assert_allclose(panel.outputs["cross-correlation"][:, 1:], image[:, :-1])
    np.testing.assert_allclose(panel.outputs["convolution"][:, :-1], image[:, 1:])
    assert "they differ" in panel.text.text()
    panel.kernel_combo.setCurrentText("Blur")
    np.testing.assert_allclose(panel.outputs["cross-correlation"], panel.outputs["convolution"])
    assert "the same picture" in panel.text.text()
    # a conv2d layer of the engine computes the cross-correlation
    panel.kernel_combo.setCurrentText("Edge detection (vertical)")
    net = Network.from_spec({"input_shape": [1, 28, 28], "layers": [
        {"type": "conv2d", "filters": 1, "kernel_size": 3, "padding": 1}]}, dtype="float64")
    net.set_weights({"conv1.weight": panel.grid.cells[0].image[None, None],
                     "conv1.bias": np.zeros(1)})
    engine = net.forward(snapshot.probe_inputs[:1])[0, 0]
    np.testing.assert_allclose(panel.outputs["cross-correlation"], engine, atol=1e-6)
    save_png(view, "cross_correlation")


# -- predictions ----------------------------------------------------------------------------------
def test_predictions_put_mistakes_first_and_the_confusion_matrix_counts_every_image(
        qtbot, trained):
    from playground.ui.image_views import PredictionsView
    view = make_view(qtbot, PredictionsView, (1100, 560))
    x, y = trained.x_test, trained.y_test
    probabilities = trained.predict(x)
    names = [str(k) for k in range(10)]
    view.show_predictions(x, y, probabilities, names)
    predicted = probabilities.argmax(axis=1)
    n_wrong = int(np.sum(predicted != y))
    assert 0 < n_wrong < len(y)
    matrix = view.confusion.matrix
    assert matrix.sum() == len(y) == 100
    assert np.trace(matrix) == len(y) - n_wrong
    np.testing.assert_array_equal(matrix.sum(axis=1), np.bincount(y, minlength=10))
    for k in range(10):
        assert matrix[k, k] == np.sum((y == k) & (predicted == k))
    np.testing.assert_allclose(view.confusion.per_class_accuracy,
                               [trained.evaluate()[f"test_accuracy_class_{k}"] for k in range(10)])
    shown = view.order[:len(view.grid.cells)]
    wrong_first = predicted[shown] != y[shown]
    assert wrong_first[:min(n_wrong, len(shown))].all()
    first = view.grid.cells[0]
    i = shown[0]
    assert first.caption == f"{predicted[i]} {100 * probabilities[i, predicted[i]]:.0f}%"
    assert first.title == f"true {y[i]}" and first.bar == pytest.approx(probabilities[i].max())
    np.testing.assert_array_equal(first.image, x[i, 0])
    save_png(view, "predictions")
    view.set_network(trained.net)
    assert view.grid.cells == [] and view.confusion.matrix.size == 0


# -- autoencoder ----------------------------------------------------------------------------------
def test_autoencoder_view_compares_with_pca(qtbot):
    from playground.ui.image_views import AutoencoderView
    x, y = load_mnist(300)
    x = np.ascontiguousarray(x[:, :, ::2, ::2])  # 14x14 digits keep the training short
    spec = {"input_shape": [1, 14, 14], "layers": [
        {"type": "flatten"}, {"id": "code", "type": "dense", "units": 2},
        {"type": "dense", "units": 196}, {"type": "reshape", "shape": [1, 14, 14]}]}
    net = Network.from_spec(spec, seed=0)
    trainer = Trainer(net, TrainingSettings(loss="mse", optimizer=optimizer_config("adam", lr=0.01),
                                            batch_size=30), TrainData(x, x, task="regression"))
    for _ in range(30):
        trainer.run_epoch()
    recon = trainer.predict(x)
    codes = net.activations()["code"].copy()
    view = make_view(qtbot, AutoencoderView, (900, 700))
    view.show_autoencoder(x, y, recon, codes)
    flat = x.reshape(300, -1).astype(np.float64)
    u, s, vt = np.linalg.svd(flat - flat.mean(axis=0), full_matrices=False)
    svd_recon = (u[:, :2] * s[:2]) @ vt[:2] + flat.mean(axis=0)
    np.testing.assert_allclose(view.pca_reconstructions.reshape(300, -1), svd_recon, atol=1e-9)
    assert view.pca_mse == pytest.approx(np.mean((svd_recon - flat) ** 2))
    assert view.autoencoder_mse == pytest.approx(float(np.mean((recon - x) ** 2)), rel=1e-6)
    assert view.pca_mse <= view.autoencoder_mse < 1.1 * view.pca_mse  # linear AE ~ PCA
    assert f"autoencoder {view.autoencoder_mse:.5f}" in view.errors.text()
    assert len(view.grid.cells) == 30 and view.grid.row_labels[2] == "PCA (2)"
    np.testing.assert_allclose(view.grid.cells[10].image, recon[0, 0])
    assert sum(len(item.data) for item in view.code_plot.items) == 300
    assert len(view.pca_plot.items) == 10
    np.testing.assert_allclose(view.pca_plot.items[3].getData()[0],
                               view.pca.transform(x)[y == 3, 0])
    save_png(view, "autoencoder")


# -- animation and themes -------------------------------------------------------------------------
def test_play_slides_the_window_and_stops_when_hidden(qtbot, trained, snapshot):
    from playground.ui.image_views import ConvMechanicsView
    view = make_view(qtbot, ConvMechanicsView)
    view.set_network(trained.net)
    view.show_snapshot(snapshot)
    panel = view.sliding
    start = panel.slider.value()
    panel.play_button.setChecked(True)
    qtbot.waitUntil(lambda: panel.slider.value() != start, timeout=3000)
    assert panel.computed_value == pytest.approx(panel.engine_value, rel=1e-5, abs=1e-6)
    view.hide()
    assert not panel.timer.isActive() and not panel.play_button.isChecked()


@pytest.fixture
def no_app_style_sheet(qapp):
    """The widget's own palette is what this test sets: an application style sheet left by an
    earlier test (the window's theme) would decide the text colour instead."""
    sheet = qapp.styleSheet()
    qapp.setStyleSheet("")
    yield
    qapp.setStyleSheet(sheet)


def test_views_follow_a_dark_palette(qtbot, trained, snapshot, no_app_style_sheet):
    from PySide6.QtGui import QColor, QPalette
    from playground.ui.image_views import FeatureMapsView, PoolingView
    dark = QPalette()
    for role, colour in ((QPalette.ColorRole.Window, QColor(35, 35, 38)),
                         (QPalette.ColorRole.WindowText, QColor(230, 230, 230)),
                         (QPalette.ColorRole.Base, QColor(25, 25, 28)),
                         (QPalette.ColorRole.Text, QColor(230, 230, 230)),
                         (QPalette.ColorRole.Button, QColor(50, 50, 55)),
                         (QPalette.ColorRole.ButtonText, QColor(230, 230, 230))):
        dark.setColor(role, colour)
    for cls, layer, name in ((FeatureMapsView, "conv2", "feature_maps_dark"),
                             (PoolingView, "pool1", "pooling_dark")):
        view = make_view(qtbot, cls, (1000, 460))
        view.setPalette(dark)
        view.setAutoFillBackground(True)
        view.set_network(trained.net)
        view.select_layer(layer)
        view.show_snapshot(snapshot)
        image = view.grab().toImage()
        assert QColor(image.pixel(image.width() - 3, image.height() - 3)).lightness() < 60
        grid = view.grid
        title = grid.image_rect(0).adjusted(0, -12, 0, 0)  # text is drawn in the light colour
        assert grid.palette().color(grid.foregroundRole()).lightness() > 200 and title.height() > 0
        save_png(view, name)


def test_pca_baseline_is_fitted_on_training_images_and_judged_on_test_images(qtbot):
    """Fitted on the test images, k >= n components would rebuild them exactly: a baseline that
    learns from the training images, as the autoencoder did, is the honest comparison."""
    from playground.engine.pca import fit_pca
    from playground.ui.image_views import AutoencoderView
    rng = np.random.default_rng(0)
    train, test = rng.random((300, 1, 6, 6)), rng.random((20, 1, 6, 6))
    view = AutoencoderView()
    qtbot.addWidget(view)
    codes = rng.random((20, 24))                      # a code wider than the 20 test images
    view.show_autoencoder(test, np.zeros(20), test * 0.5, codes, fit_x=train)
    expected = fit_pca(train.reshape(300, -1), 24).reconstruct(test.reshape(20, -1))
    assert view.pca.n_components == 24
    assert view.pca_mse == pytest.approx(float(np.mean((expected - test.reshape(20, -1)) ** 2)))
    assert view.pca_mse > 0.01                        # not the exact rebuild of a fit on x itself
    assert "fitted on 300 training images" in view.errors.text()
