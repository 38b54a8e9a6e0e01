"""Reading PNG/PGM/PPM without Qt, resizing, and a folder of images with one subfolder per class."""
from __future__ import annotations

import numpy as np
import pytest
from _png_encoder import encode_png

from playground.data import DatasetError, make_dataset
from playground.data.imagefiles import UnreadableImage, decode_png, decode_pnm, read_image, resize

RNG = np.random.default_rng(0)


@pytest.mark.parametrize("ctype,channels", [(0, 1), (2, 3), (4, 2), (6, 4)])
def test_png_colour_types_and_every_filter_decode_exactly(ctype, channels):
    samples = RNG.integers(0, 256, (7, 9, channels))
    pixels = decode_png(encode_png(samples, ctype))
    expected = samples / 255.0
    if channels in (2, 4):                            # alpha composited onto black
        expected = expected[..., :-1] * expected[..., -1:]
    np.testing.assert_allclose(pixels, expected, atol=1e-6)


def test_png_palette_with_transparency_and_low_bit_depths():
    palette = [[255, 0, 0], [0, 255, 0], [0, 0, 255], [10, 20, 30]]
    index = RNG.integers(0, 4, (5, 11, 1))
    pixels = decode_png(encode_png(index, 3, depth=2, palette=palette, trns=[255, 0]))
    expected = np.array(palette, float)[index[..., 0]] / 255
    expected[index[..., 0] == 1] = 0                  # entry 1 is fully transparent
    np.testing.assert_allclose(pixels, expected, atol=1e-6)
    bits = RNG.integers(0, 2, (4, 13, 1))
    np.testing.assert_allclose(decode_png(encode_png(bits, 0, depth=1))[..., 0], bits[..., 0])


def test_png_16_bit_keeps_the_high_byte():
    samples = RNG.integers(0, 65536, (3, 4, 3))
    np.testing.assert_allclose(decode_png(encode_png(samples, 2, depth=16)), (samples >> 8) / 255, atol=1e-6)


def test_broken_pngs_are_unreadable_with_a_reason():
    good = encode_png(RNG.integers(0, 256, (4, 4, 1)), 0)
    with pytest.raises(UnreadableImage, match="interlaced"):
        decode_png(encode_png(RNG.integers(0, 256, (4, 4, 1)), 0, interlace=1))
    with pytest.raises(UnreadableImage, match="truncated"):
        decode_png(good[:-20])
    damaged = bytearray(good)
    damaged[40] ^= 0xFF
    with pytest.raises(UnreadableImage, match="damaged"):
        decode_png(bytes(damaged))


def test_pgm_and_ppm_plain_and_binary():
    gray = np.array([[0, 128], [255, 64]], np.uint8)
    p5 = b"P5\n# a comment\n2 2\n255\n" + gray.tobytes()
    np.testing.assert_allclose(decode_pnm(p5)[..., 0], gray / 255, atol=1e-6)
    p3 = b"P3 2 1 15  15 0 0   0 15 15"
    np.testing.assert_allclose(decode_pnm(p3), [[[1, 0, 0], [0, 1, 1]]])
    with pytest.raises(UnreadableImage, match="truncated"):
        decode_pnm(b"P6 4 4 255\n" + bytes(10))


def test_resize_keeps_the_mean_when_shrinking_and_interpolates_when_enlarging():
    img = RNG.random((56, 40, 1)).astype(np.float32)
    small = resize(img, 28, 20)
    assert small.shape == (28, 20, 1)
    np.testing.assert_allclose(small[0, 0, 0], img[:2, :2, 0].mean(), rtol=1e-5)
    ramp = np.arange(4, dtype=np.float32).reshape(1, 4, 1).repeat(2, axis=0)
    big = resize(ramp, 2, 8)[0, :, 0]
    assert np.all(np.diff(big) >= 0) and big[0] == 0 and big[-1] == 3


def _write_class(folder, name, images):
    (folder / name).mkdir(parents=True)
    for i, img in enumerate(images):
        (folder / name / f"{i}.png").write_bytes(encode_png(img, 0 if img.shape[2] == 1 else 2))


def test_an_image_folder_becomes_a_dataset(tmp_path):
    dark = [np.full((40, 30, 1), 20) for _ in range(6)]
    bright = [np.full((20, 20, 3), 230) for _ in range(4)]
    _write_class(tmp_path, "dark", dark)
    _write_class(tmp_path, "bright", bright)
    (tmp_path / "bright" / "notes.txt").write_text("not an image")
    (tmp_path / "dark" / "photo.jpg").write_bytes(b"\xff\xd8\xff\xe0 jpeg")
    (tmp_path / "dark" / "cut.png").write_bytes(encode_png(dark[0], 0)[:30])
    ds = make_dataset({"name": "image_folder", "path": str(tmp_path), "size": 16, "train_share": 0.5})
    assert ds.class_names == ["bright", "dark"] and ds.input_shape == (1, 16, 16)
    assert ds.n_train + ds.n_test == 10
    x = np.concatenate([ds.x_train, ds.x_test])
    y = np.concatenate([ds.y_train, ds.y_test])
    np.testing.assert_allclose(x[y == 1].mean(axis=(1, 2, 3)), 20 / 255, atol=1e-5)
    np.testing.assert_allclose(x[y == 0].mean(axis=(1, 2, 3)), 230 / 255, atol=1e-5)
    assert "3 file(s) could not be read" in " ".join(ds.notes)
    rgb = make_dataset({"name": "image_folder", "path": str(tmp_path), "size": 8, "color": "rgb"})
    assert rgb.input_shape == (3, 8, 8)


def test_broken_image_folders_give_clear_errors(tmp_path):
    with pytest.raises(DatasetError, match="nowhere does not exist"):
        make_dataset({"name": "image_folder", "path": str(tmp_path / "nowhere")})
    _write_class(tmp_path, "only", [np.zeros((4, 4, 1))] * 2)
    with pytest.raises(DatasetError, match="at least two"):
        make_dataset({"name": "image_folder", "path": str(tmp_path)})
    (tmp_path / "empty").mkdir()
    (tmp_path / "empty" / "x.txt").write_text("hello")
    with pytest.raises(DatasetError, match="no readable images in empty"):
        make_dataset({"name": "image_folder", "path": str(tmp_path)})


def test_read_image_refuses_other_formats(tmp_path):
    path = tmp_path / "a.gif"
    path.write_bytes(b"GIF89a....")
    with pytest.raises(UnreadableImage, match="not a PNG, PGM or PPM"):
        read_image(path)
