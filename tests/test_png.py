"""bot.figures.png writes PNGs that Pillow reads back pixel for pixel, with their dpi."""

from __future__ import annotations

import io

import numpy as np
import pytest
from PIL import Image

from bot.figures.png import opaque, rgb_of, rgb_png


@pytest.mark.parametrize("shape", [(1, 1), (3, 7), (450, 800)])
def test_pillow_reads_back_every_pixel_and_the_dpi(shape):
    rgb = np.random.default_rng(sum(shape)).integers(0, 256, size=(*shape, 3), dtype=np.uint8)
    image = Image.open(io.BytesIO(rgb_png(rgb, 100)))
    image.load()  # checks every chunk's CRC and the compressed stream
    assert image.mode == "RGB" and image.size == (shape[1], shape[0])
    assert np.array_equal(np.asarray(image), rgb)
    assert image.info["dpi"] == pytest.approx((100, 100), abs=1e-3)


def test_a_strided_view_is_written_as_its_own_pixels():
    """RGBA's first three channels (what render passes) are not contiguous."""
    rgba = np.random.default_rng(1).integers(0, 256, size=(5, 4, 4), dtype=np.uint8)
    image = Image.open(io.BytesIO(rgb_png(rgba[..., :3], 72)))
    assert np.array_equal(np.asarray(image), rgba[..., :3])


@pytest.mark.parametrize("shape", [(1, 1), (3, 7), (450, 800)])
def test_rgb_of_is_the_first_three_channels_and_opaque_reads_every_alpha(shape):
    rng = np.random.default_rng(len(shape) + shape[0])
    rgba = rng.integers(0, 256, size=(*shape, 4), dtype=np.uint8)
    assert np.array_equal(rgb_of(rgba), rgba[..., :3])
    rgba[..., 3] = 255
    assert opaque(rgba)
    for value in (0, 254):  # one pixel anywhere short of full alpha
        i, j = rng.integers(shape[0]), rng.integers(shape[1])
        rgba[i, j, 3] = value
        assert not opaque(rgba)
        rgba[i, j, 3] = 255
    rgba[-1, -1, :3] = 0  # colour bytes never count as alpha
    assert opaque(rgba)
