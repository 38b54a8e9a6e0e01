"""Image import is bounded: a small file cannot demand gigabytes, a huge side is refused, and such
files are reported as unreadable like any other (counted in the folder's note)."""
from __future__ import annotations

import struct
import tracemalloc
import zlib

import numpy as np
import pytest
from _png_encoder import _chunk, encode_png

from playground.data import make_dataset
from playground.data.imagefiles import PNG_SIGNATURE, UnreadableImage, decode_png, read_image


def _png(width, height, idat: bytes, ctype=0) -> bytes:
    header = struct.pack(">IIBBBBB", width, height, 8, ctype, 0, 0, 0)
    return PNG_SIGNATURE + _chunk(b"IHDR", header) + _chunk(b"IDAT", idat) + _chunk(b"IEND", b"")


def test_a_png_whose_data_inflates_far_past_its_header_inflates_only_what_the_header_allows():
    # 8 x 8 gray needs 8 x 9 bytes; this IDAT inflates to 200 MB of zeros (about 200 kB on disk)
    bomb = _png(8, 8, zlib.compress(bytes(200 * 1024 * 1024), 9))
    assert len(bomb) < 300_000
    decode_png(_png(8, 8, zlib.compress(bytes(72))))      # compile the row filter first
    tracemalloc.start()
    pixels = decode_png(bomb)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert pixels.shape == (8, 8, 1) and not pixels.any()
    assert peak < 5 * 1024 * 1024, f"decoding took {peak / 1e6:.0f} MB"


@pytest.mark.parametrize("width,height", [(50_000_000, 1), (1, 50_000_000), (4097, 2)])
def test_a_side_over_the_limit_is_unreadable_before_decoding(width, height):
    with pytest.raises(UnreadableImage, match=r"images up to 4096x4096 are read"):
        decode_png(_png(width, height, zlib.compress(b"\0" * 100)))


def test_a_huge_pnm_is_unreadable():
    with pytest.raises(UnreadableImage, match="4096x4096"):
        from playground.data.imagefiles import decode_pnm
        decode_pnm(b"P5 50000000 1 255\n" + bytes(100))


def test_a_device_named_like_an_image_is_unreadable(tmp_path):
    link = tmp_path / "zero.png"
    link.symlink_to("/dev/zero")
    with pytest.raises(UnreadableImage, match="is a device"):
        read_image(link)


def test_such_files_are_counted_with_the_other_unreadable_ones(tmp_path):
    for cls in ("a", "b"):
        (tmp_path / cls).mkdir()
        for i in range(3):
            (tmp_path / cls / f"{i}.png").write_bytes(encode_png(np.full((6, 6, 1), 40 * i), 0))
    (tmp_path / "a" / "wide.png").write_bytes(_png(50_000_000, 1, zlib.compress(bytes(1000))))
    (tmp_path / "b" / "bomb.png").write_bytes(_png(4096, 4096, zlib.compress(bytes(10), 9)))
    (tmp_path / "b" / "zero.png").symlink_to("/dev/zero")
    ds = make_dataset({"name": "image_folder", "path": str(tmp_path), "size": 8})
    assert ds.n_train + ds.n_test == 6
    note = " ".join(ds.notes)
    assert "3 file(s) could not be read and were skipped" in note
