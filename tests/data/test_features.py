"""Playground's input features and the decision-map grid; the data layer stays Qt-free."""
from __future__ import annotations

import subprocess
import sys

import numpy as np
import pytest

from playground.data import FEATURES, DatasetError, expand, feature_label, grid


def test_expand_computes_every_feature_in_the_order_asked():
    pts = np.array([[1.0, 2.0], [-0.5, 3.0]], np.float32)
    out = expand(pts, list(FEATURES))
    a, b = pts[:, 0], pts[:, 1]
    expected = np.stack([a, b, a * a, b * b, a * b, np.sin(a), np.sin(b)], axis=1)
    assert out.dtype == np.float32 and out.shape == (2, 7)
    np.testing.assert_allclose(out, expected, rtol=1e-6)
    np.testing.assert_allclose(expand(pts, ["sin_x2", "x1"]), np.stack([np.sin(b), a], axis=1), rtol=1e-6)


def test_labels_and_errors():
    assert [feature_label(f) for f in FEATURES] == ["X1", "X2", "X1²", "X2²", "X1X2", "sin(X1)", "sin(X2)"]
    with pytest.raises(DatasetError, match="unknown input feature 'x3'"):
        expand(np.zeros((1, 2)), ["x3"])
    with pytest.raises(DatasetError, match="at least one"):
        expand(np.zeros((1, 2)), [])
    with pytest.raises(DatasetError, match=r"shape \(N, 2\)"):
        expand(np.zeros((4, 3)), ["x1"])


def test_grid_is_row_major_top_row_is_high_x2():
    g = grid(6.0, 4).reshape(4, 4, 2)
    assert g.dtype == np.float32
    np.testing.assert_allclose(g[0, 0], [-4.5, 4.5])       # top-left pixel centre
    np.testing.assert_allclose(g[3, 3], [4.5, -4.5])       # bottom-right
    assert np.all(np.diff(g[..., 0], axis=1) > 0) and np.all(np.diff(g[..., 1], axis=0) < 0)


def test_the_data_layer_imports_without_qt():
    code = ("import sys\n"
            "class Block:\n"
            "    def find_spec(self, name, path=None, target=None):\n"
            "        if name.split('.')[0] in ('PySide6', 'pyqtgraph'):\n"
            "            raise ImportError('Qt is blocked: ' + name)\n"
            "sys.meta_path.insert(0, Block())\n"
            "import playground.data, playground.data.catalog, playground.data.user\n"
            "from playground.data import make_dataset\n"
            "make_dataset({'name': 'spiral'})\n")
    subprocess.run([sys.executable, "-c", code], check=True)
