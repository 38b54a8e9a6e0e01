"""Principal component analysis by numpy's SVD: the linear baseline for autoencoders (notes 4.1.2).

PCA finds an orthonormal basis of the k directions in which the centred data varies most. With the
centred data X - mean = U S V^T (rows are examples), the components are the first k rows of V^T,
a code is z = (x - mean) V_k and the reconstruction x' = z V_k^T + mean. No other reconstruction
through a k-dimensional linear map has a smaller mean squared error (Eckart-Young), which is why a
linear autoencoder with MSE loss can at best learn the same subspace.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np


@dataclass
class PCA:
    """A fitted PCA: ``mean`` (D,), ``components`` (k, D) orthonormal rows, ``explained_variance``
    (k,) the variance along each component, ``explained_variance_ratio`` (k,) its share of the
    total variance. ``transform`` maps examples (N, ...) to codes (N, k); ``inverse_transform``
    maps codes back to examples of the original shape."""

    mean: np.ndarray
    components: np.ndarray
    explained_variance: np.ndarray
    explained_variance_ratio: np.ndarray
    sample_shape: tuple[int, ...]

    @property
    def n_components(self) -> int:
        return int(self.components.shape[0])

    def transform(self, x: np.ndarray) -> np.ndarray:
        flat = _flatten(x, self.mean.size)
        return (flat - self.mean) @ self.components.T

    def inverse_transform(self, codes: np.ndarray) -> np.ndarray:
        codes = np.asarray(codes, np.float64).reshape(-1, self.n_components)
        flat = codes @ self.components + self.mean
        return flat.reshape((len(codes), *self.sample_shape))

    def reconstruct(self, x: np.ndarray) -> np.ndarray:
        """x projected onto the components' subspace: inverse_transform(transform(x))."""
        return self.inverse_transform(self.transform(x))


def _flatten(x: np.ndarray, size: int | None = None) -> np.ndarray:
    x = np.asarray(x, np.float64)
    if x.ndim == 0 or len(x) == 0:
        raise ValueError("PCA needs at least one example")
    flat = x.reshape(len(x), -1)
    if size is not None and flat.shape[1] != size:
        raise ValueError(f"these examples have {flat.shape[1]} values each, but the PCA was fitted "
                         f"on examples of {size} values")
    return flat


def fit_pca(x: np.ndarray, k: int) -> PCA:
    """Fit a k-component PCA to examples ``x`` (N, ...) (each example is flattened)."""
    flat = _flatten(x)
    n, d = flat.shape
    if isinstance(k, bool) or not isinstance(k, (int, np.integer)) or k < 1:
        raise ValueError(f"the number of components must be a whole number of at least 1, not {k!r}")
    if n < 2:
        raise ValueError("PCA needs at least 2 examples to measure how they vary")
    if k > min(n, d):
        raise ValueError(f"PCA can find at most {min(n, d)} components in {n} examples of "
                         f"{d} values, not {k}")
    mean = flat.mean(axis=0)
    _, s, vt = np.linalg.svd(flat - mean, full_matrices=False)
    components = vt[:k].copy()
    # an eigenvector's sign is arbitrary: make each component's largest entry positive so the
    # same data always gives the same picture
    signs = np.sign(components[np.arange(k), np.abs(components).argmax(axis=1)])
    components *= np.where(signs == 0, 1.0, signs)[:, None]
    variance = s ** 2 / (n - 1)
    total = variance.sum()
    ratio = variance[:k] / total if total > 0 else np.zeros(k)
    return PCA(mean=mean, components=components, explained_variance=variance[:k].copy(),
               explained_variance_ratio=ratio, sample_shape=tuple(np.shape(x)[1:]))
