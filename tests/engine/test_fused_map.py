"""The decision map's blocked, threaded forward equals the network's own forward."""
import numba
import numpy as np
import pytest

from playground.engine import Network
from playground.engine import fused_map
from playground.engine.fused import FusedMLP

SPEC = {"input_shape": [2], "layers": [
    {"type": "dense", "units": 8, "activation": "tanh"},
    {"type": "dense", "units": 8, "activation": "tanh"},
    {"type": "dense", "units": 2, "activation": "softmax"}]}


@pytest.mark.parametrize("n_points", [0, 1, fused_map.BLOCK - 1, fused_map.BLOCK + 1,
                                      2 * fused_map.MIN_PER_THREAD + 77])
@pytest.mark.parametrize("threads", [1, 2])
def test_every_point_and_every_layer_like_the_network(n_points, threads):
    net = Network.from_spec(SPEC, seed=3)
    x = np.random.default_rng(0).uniform(-3, 3, (n_points, 2)).astype(np.float32)
    fused = FusedMLP(net, 10)
    previous = numba.get_num_threads()
    numba.set_num_threads(min(threads, numba.config.NUMBA_NUM_THREADS))
    try:
        out = fused.predict(x)
        acts = fused.predict_all(x)
    finally:
        numba.set_num_threads(previous)
    expect = net.predict(x)
    assert out.shape == (n_points, 2)
    np.testing.assert_allclose(out, expect, rtol=1e-5, atol=1e-6)
    np.testing.assert_array_equal(acts[:2], x.T)
    np.testing.assert_allclose(acts[-2:].T, expect, rtol=1e-5, atol=1e-6)
    p = net.parameters()
    hidden = np.tanh(x @ p["dense1.weight"].T + p["dense1.bias"])
    np.testing.assert_allclose(acts[2:10].T, hidden, rtol=1e-5, atol=1e-6)


def test_shares_cover_the_points_once_in_whole_blocks():
    numba_threads = numba.get_num_threads()
    for n in (0, 5, fused_map.MIN_PER_THREAD * 2, 65536, 65536 + 3):
        parts = fused_map.shares(n)
        assert parts[0][0] == 0 and parts[-1][1] == n
        assert all(a[1] == b[0] for a, b in zip(parts, parts[1:]))
        assert all(start % fused_map.BLOCK == 0 for start, _ in parts)
        assert len(parts) <= max(1, numba_threads)


def test_the_apps_trainer_draws_its_maps_on_its_own_thread(monkeypatch):
    """In the window the UI thread has the other core: a map split across two threads waited
    for it. The app's (paced) trainer keeps its maps on the training thread, same numbers."""
    from playground.engine import TrainData, Trainer, TrainingSettings
    from playground.ui.bridge import paced
    rng = np.random.default_rng(2)
    x = rng.uniform(-1, 1, (40, 2)).astype(np.float32)
    grid = rng.uniform(-1, 1, (2 * fused_map.MIN_PER_THREAD + 5, 2)).astype(np.float32)
    trainer = Trainer(Network.from_spec(SPEC, seed=3), TrainingSettings(),
                      TrainData(x, (x[:, 0] > 0).astype(np.int64)), grid=grid, grid_resolution=None)
    assert trainer.fast_path
    both = trainer._fused.predict_all(grid).copy()
    paced(trainer)
    assert trainer.map_threads == 1
    monkeypatch.setattr(fused_map, "_pool", lambda n: pytest.fail("the map used a second thread"))
    np.testing.assert_array_equal(trainer._fused.predict_all(grid), both)
    trainer.fast_path = True                  # a rebuilt fast path keeps the setting
    np.testing.assert_array_equal(trainer._fused.predict_all(grid), both)
