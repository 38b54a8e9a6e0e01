"""PCA (notes 4.1.2): checked against the covariance eigen-decomposition and numpy's SVD, on real
MNIST digits, and against a linear autoencoder trained by the engine."""
from __future__ import annotations

import gzip

import numpy as np
import pytest

from playground.engine import Network, TrainData, Trainer, TrainingSettings, optimizer_config
from playground.engine.pca import fit_pca


def load_mnist(mnist_dir, n: int) -> tuple[np.ndarray, np.ndarray]:
    """The first n test digits as float (n, 28, 28) in [0, 1] and their labels (IDX format)."""
    with gzip.open(mnist_dir / "t10k-images-idx3-ubyte.gz") as f:
        images = np.frombuffer(f.read(), np.uint8, offset=16)[:n * 784]
    with gzip.open(mnist_dir / "t10k-labels-idx1-ubyte.gz") as f:
        labels = np.frombuffer(f.read(), np.uint8, offset=8)[:n]
    return images.reshape(n, 28, 28).astype(np.float64) / 255.0, labels.astype(np.int64)


@pytest.fixture(scope="module")
def digits(request):
    from tests.conftest import MNIST_DIR
    if not (MNIST_DIR / "t10k-images-idx3-ubyte.gz").exists():
        pytest.skip("the real MNIST test set is missing")
    return load_mnist(MNIST_DIR, 400)


def test_components_are_the_covariance_eigenvectors(digits):
    x = digits[0]
    flat = x.reshape(len(x), -1)
    pca = fit_pca(x, 5)
    cov = np.cov(flat, rowvar=False)
    eigval, eigvec = np.linalg.eigh(cov)
    eigval, eigvec = eigval[::-1], eigvec[:, ::-1]
    np.testing.assert_allclose(pca.explained_variance, eigval[:5], rtol=1e-8)
    np.testing.assert_allclose(pca.explained_variance_ratio, eigval[:5] / eigval.sum(), rtol=1e-8)
    # same directions up to sign, and orthonormal
    np.testing.assert_allclose(np.abs(np.sum(pca.components * eigvec[:, :5].T, axis=1)), 1, atol=1e-8)
    np.testing.assert_allclose(pca.components @ pca.components.T, np.eye(5), atol=1e-10)
    np.testing.assert_allclose(pca.mean, flat.mean(axis=0))


def test_reconstruction_equals_the_truncated_svd(digits):
    x = digits[0]
    flat = x.reshape(len(x), -1)
    k = 8
    u, s, vt = np.linalg.svd(flat - flat.mean(axis=0), full_matrices=False)
    expected = (u[:, :k] * s[:k]) @ vt[:k] + flat.mean(axis=0)
    pca = fit_pca(x, k)
    recon = pca.reconstruct(x)
    assert recon.shape == x.shape
    np.testing.assert_allclose(recon.reshape(len(x), -1), expected, atol=1e-10)
    # the error is the variance left in the discarded directions (Eckart-Young)
    mse = np.mean((recon - x) ** 2)
    np.testing.assert_allclose(mse, np.sum(s[k:] ** 2) / flat.size, rtol=1e-8)
    codes = pca.transform(x)
    assert codes.shape == (len(x), k)
    np.testing.assert_allclose(codes.var(axis=0, ddof=1), pca.explained_variance, rtol=1e-8)


def test_more_components_never_reconstruct_worse(digits):
    x = digits[0][:100]
    errors = [np.mean((fit_pca(x, k).reconstruct(x) - x) ** 2) for k in (1, 2, 4, 16, 64)]
    assert all(a > b for a, b in zip(errors, errors[1:]))


def test_bad_requests_are_explained():
    x = np.random.default_rng(0).normal(size=(5, 3))
    with pytest.raises(ValueError, match="at most 3 components"):
        fit_pca(x, 4)
    with pytest.raises(ValueError, match="at least 1"):
        fit_pca(x, 0)
    with pytest.raises(ValueError, match="at least 2 examples"):
        fit_pca(x[:1], 1)
    with pytest.raises(ValueError, match="fitted on examples of 3 values"):
        fit_pca(x, 2).transform(np.zeros((2, 4)))


def test_linear_autoencoder_approaches_pca(digits):
    """A 2-unit linear autoencoder trained with MSE ends near PCA's error, never below it."""
    x = digits[0][:300, ::2, ::2].reshape(300, -1).astype(np.float32)  # 14x14 digits: fast
    spec = {"input_shape": [196], "layers": [
        {"type": "dense", "units": 2, "activation": "identity"},
        {"type": "dense", "units": 196, "activation": "identity"}]}
    net = Network.from_spec(spec, seed=1)
    settings = TrainingSettings(loss="mse", optimizer=optimizer_config("adam", lr=0.01),
                                batch_size=30, seed=1)
    trainer = Trainer(net, settings, TrainData(x, x, task="regression"))
    pca_mse = float(np.mean((fit_pca(x, 2).reconstruct(x) - x) ** 2))
    first = float(np.mean((trainer.predict(x) - x) ** 2))
    for _ in range(60):
        trainer.run_epoch()
    ae_mse = float(np.mean((trainer.predict(x) - x) ** 2))
    assert ae_mse >= pca_mse * (1 - 1e-4)  # PCA is the best linear reconstruction
    assert ae_mse < pca_mse * 1.03 < first
