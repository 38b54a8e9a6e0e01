"""The generated sets: determinism, balance, shapes, ranges, and noise and train share honoured."""
from __future__ import annotations

import numpy as np
import pytest

from playground.data import (DatasetError, default_recipe, list_datasets, make_dataset)
from playground.data.synthetic import FUNCTION_SETS, POINT_SETS

GENERATED_2D = list(POINT_SETS)
IMAGE_SETS = ["shapes", "stroke_digits", "orientations"]


def _all(ds):
    return np.concatenate([ds.x_train, ds.x_test]), np.concatenate([ds.y_train, ds.y_test])


@pytest.mark.parametrize("name", GENERATED_2D + list(FUNCTION_SETS))
def test_points_are_seeded_and_deterministic(name):
    a = make_dataset({"name": name, "seed": 3, "noise": 0.2})
    b = make_dataset({"name": name, "seed": 3, "noise": 0.2})
    c = make_dataset({"name": name, "seed": 4, "noise": 0.2})
    np.testing.assert_array_equal(a.x_train, b.x_train)
    np.testing.assert_array_equal(a.y_test, b.y_test)
    assert not np.array_equal(a.x_train, c.x_train)


@pytest.mark.parametrize("name", GENERATED_2D)
def test_points_shapes_and_ranges(name):
    ds = make_dataset({"name": name, "n": 400, "noise": 0.5})
    x, y = _all(ds)
    assert x.shape == (400, 2) and x.dtype == np.float32 and np.abs(x).max() <= 6
    if ds.task == "classification":
        assert y.dtype == np.int64 and set(np.unique(y)) == set(range(ds.n_classes))
    elif ds.task == "multilabel":
        assert y.shape == (400, 3) and set(np.unique(y)) == {0.0, 1.0}
    else:
        assert y.shape == (400, 1) and y.dtype == np.float32 and np.abs(y).max() <= 1


@pytest.mark.parametrize("name,k", [("circle", 2), ("gauss", 2), ("spiral", 2), ("moons", 2), ("spiral3", 3)])
def test_classes_are_balanced(name, k):
    _, y = _all(make_dataset({"name": name, "n": 600}))
    assert np.bincount(y).tolist() == [600 // k] * k


@pytest.mark.parametrize("name", ["xor", "linear"])
def test_classes_by_region_are_roughly_balanced(name):
    for seed in range(5):
        _, y = _all(make_dataset({"name": name, "n": 600, "seed": seed}))
        assert y.mean() == pytest.approx(0.5, abs=0.2)


def test_blobs_have_k_equal_classes():
    _, y = _all(make_dataset({"name": "blobs", "k": 5, "n": 500}))
    assert np.bincount(y).tolist() == [100] * 5


def test_train_share_is_honoured():
    for share in (0.1, 0.5, 0.9):
        ds = make_dataset({"name": "spiral", "n": 500, "train_share": share})
        assert (ds.n_train, ds.n_test) == (int(500 * share), 500 - int(500 * share))


def _clean_fraction(ds, rule):
    x, y = _all(ds)
    return float(np.mean(rule(x) == y))


@pytest.mark.parametrize("name,rule", [
    ("circle", lambda x: (np.hypot(x[:, 0], x[:, 1]) < 2.5).astype(int)),
    ("xor", lambda x: (x[:, 0] * x[:, 1] >= 0).astype(int)),
    ("gauss", lambda x: (x[:, 0] + x[:, 1] > 0).astype(int)),
])
def test_noise_flips_labels_as_in_playground(name, rule):
    clean = _clean_fraction(make_dataset({"name": name, "noise": 0.0, "n": 1000}), rule)
    noisy = _clean_fraction(make_dataset({"name": name, "noise": 0.5, "n": 1000}), rule)
    assert clean >= 0.99 and noisy < 0.95


def test_plane_target_is_x1_plus_x2_over_12_without_noise():
    x, y = _all(make_dataset({"name": "plane", "noise": 0.0}))
    np.testing.assert_allclose(y[:, 0], (x[:, 0] + x[:, 1]) / 12, atol=1e-6)


def test_spiral_follows_playgrounds_formula():
    x, y = _all(make_dataset({"name": "spiral", "noise": 0.0, "n": 200}))
    r = np.hypot(x[:, 0], x[:, 1])
    assert r.max() < 5 and r.min() == 0                # r = i / n * 5
    spiral3 = make_dataset({"name": "spiral3", "n": 300})
    assert spiral3.n_classes == 3 and np.bincount(_all(spiral3)[1]).tolist() == [100] * 3


def test_linear_set_keeps_its_margin():
    ds = make_dataset({"name": "linear", "margin": 1.0, "n": 500, "seed": 5})
    x, y = _all(ds)
    # a separating line exists with nothing within the margin: fit it by least squares on +-1
    a = np.c_[x, np.ones(len(x))]
    w = np.linalg.lstsq(a, 2.0 * y - 1, rcond=None)[0]
    assert np.all((a @ w > 0) == (y == 1))


def test_multilabel_points_carry_several_labels():
    _, y = _all(make_dataset({"name": "multilabel", "n": 2000}))
    per_point = y.sum(axis=1)
    assert {0, 1, 2, 3} <= set(per_point.astype(int).tolist())
    assert 0.15 < y.mean(axis=0).min() and y.mean(axis=0).max() < 0.85


@pytest.mark.parametrize("name", list(FUNCTION_SETS))
def test_1d_functions(name):
    ds = make_dataset({"name": name, "n": 300})
    x, y = _all(ds)
    assert ds.kind == "1d" and x.shape == (300, 1) and y.shape == (300, 1)
    assert np.abs(x).max() <= 6 and np.abs(y).max() <= 1.0 + 1e-6
    nx, ny = _all(make_dataset({"name": name, "n": 300, "noise": 0.3}))
    a, b = np.argsort(x[:, 0]), np.argsort(nx[:, 0])
    np.testing.assert_array_equal(x[a], nx[b])       # same seed, same x: only the noise differs
    assert 0.25 < float(np.std(ny[b] - y[a])) < 0.35


@pytest.mark.parametrize("name", IMAGE_SETS)
def test_image_sets_have_every_class_and_unit_range(name):
    ds = make_dataset({"name": name, "n": 2000, "seed": 1})
    x, y = _all(ds)
    assert x.shape == (2000, 1, 28, 28) and x.dtype == np.float32
    assert x.min() >= 0 and x.max() <= 1
    counts = np.bincount(y, minlength=ds.n_classes)
    assert counts.min() == counts.max() == 2000 // ds.n_classes
    # every class looks different on average: no two class-mean images are the same
    means = np.stack([x[y == k].mean(axis=0).ravel() for k in range(ds.n_classes)])
    gaps = np.linalg.norm(means[:, None] - means[None], axis=2) + np.eye(len(means)) * 99
    assert gaps.min() > 0.5
    again = make_dataset({"name": name, "n": 2000, "seed": 1})
    np.testing.assert_array_equal(ds.x_train, again.x_train)


def test_coloured_shapes_and_standardisation():
    ds = make_dataset({"name": "shapes", "color": "rgb", "n": 500, "scale": "standardize"})
    assert ds.input_shape == (3, 32, 32)
    np.testing.assert_allclose(ds.x_train.mean(axis=(0, 2, 3)), 0, atol=1e-4)
    np.testing.assert_allclose(ds.x_train.std(axis=(0, 2, 3)), 1, atol=1e-3)
    thumbs = ds.preview(4)
    assert thumbs.shape == (4, 32, 32, 3) and 0 <= thumbs.min() and thumbs.max() <= 1


def test_augment_shifts_and_flips_only_when_asked():
    plain = make_dataset({"name": "stroke_digits", "n": 100})
    rng = np.random.default_rng(0)
    assert plain.augment(plain.x_train, rng) is plain.x_train
    ds = make_dataset({"name": "stroke_digits", "n": 100, "shift": 3, "flip": True})
    out = ds.augment(ds.x_train[:50], rng)
    assert out.shape == (50, 1, 28, 28) and not np.array_equal(out, ds.x_train[:50])
    # each output is the input moved and maybe mirrored: the ink is kept unless it left the frame
    assert np.all(out.sum(axis=(1, 2, 3)) <= ds.x_train[:50].sum(axis=(1, 2, 3)) + 1e-3)
    assert ds.x_train[:50] is not out


def test_shift_moves_by_whole_pixels():
    from playground.data.augment import random_shift
    x = np.zeros((200, 1, 5, 5), np.float32)
    x[:, 0, 2, 2] = 1
    out = random_shift(x, 1, np.random.default_rng(0))
    rows, cols = np.nonzero(out[:, 0].sum(axis=0))
    assert set(rows) == {1, 2, 3} and set(cols) == {1, 2, 3} and np.all(out.sum(axis=(1, 2, 3)) == 1)


@pytest.mark.parametrize("recipe,message", [
    ({"name": "nope"}, "no dataset called 'nope'"),
    ({"name": "spiral", "noise": 0.9}, "'noise' must be between 0 and 0.5"),
    ({"name": "spiral", "train_share": 1.0}, "'train_share' must be between"),
    ({"name": "spiral", "nosie": 0.1}, "has no setting 'nosie'"),
    ({"name": "spiral", "seed": "x"}, "'seed' must be a whole number"),
    ({"name": "shapes", "scale": "big"}, "'scale' must be one of"),
    ({"name": "shapes", "flip": 1}, "'flip' must be true or false"),
    ({"name": "csv"}, "'path' must be a file or folder path"),
    ("spiral", "must be an object"),
])
def test_bad_recipes_raise_dataset_error(recipe, message):
    with pytest.raises(DatasetError, match=message):
        make_dataset(recipe)


def test_every_listed_dataset_has_a_default_recipe_that_round_trips():
    import json
    names = [info.name for info in list_datasets()]
    assert len(names) == len(set(names))
    for info in list_datasets():
        recipe = default_recipe(info.name)
        assert recipe["name"] == info.name and json.loads(json.dumps(recipe)) == recipe
        if info.needs_download or info.name in ("csv", "image_folder"):
            continue
        ds = make_dataset({**recipe, "n": 100})
        assert (ds.kind, ds.task) == (info.kind, info.task)
        rebuilt = make_dataset(json.loads(json.dumps(ds.recipe)))
        np.testing.assert_array_equal(rebuilt.x_test, ds.x_test)
        assert ds.preview().ndim in (3, 4)
