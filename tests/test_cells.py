"""CellNumbers draws exactly what one `ax.text` per cell draws, in either render path."""

from __future__ import annotations

import io

import numpy as np
import pytest
from PIL import Image

from bot.figures import theme
from bot.figures.cells import CellNumbers

M = np.array([[0.53, -1.2, 3e-5], [12.0, -0.0071, 1.0]])  # (2, 3)
COLORS = [["#ffffff", "#111111", "#ffffff"], ["#111111", "#ffffff", "#111111"]]


def _figure(one_artist: bool | None) -> bytes:
    """The heat map with its numbers as one artist, as Texts, or (None) without numbers."""
    fig = theme.new_figure((4.0, 3.0))
    ax = fig.subplots()
    ax.imshow(M, cmap=theme.CMAP)
    cells = [(j, i, f"{v:.2g}", COLORS[i][j]) for (i, j), v in np.ndenumerate(M)]
    if one_artist is None:
        pass
    elif one_artist:
        ax.add_artist(CellNumbers(ax, cells, 7.5))
    else:
        for x, y, s, color in cells:
            ax.text(x, y, s, ha="center", va="center", fontsize=7.5, color=color)
    return theme.png_bytes(fig)


@pytest.mark.parametrize("classic", [False, True])
def test_one_artist_draws_the_pixels_of_one_text_per_cell(classic, monkeypatch):
    monkeypatch.setattr(theme, "CLASSIC", classic)
    texts, artist, bare = (
        np.asarray(Image.open(io.BytesIO(_figure(one))).convert("RGB"))
        for one in (False, True, None)
    )
    assert np.array_equal(texts, artist)
    assert not np.array_equal(bare, artist)  # the numbers were drawn


def test_each_cell_reports_its_own_box():
    fig = theme.new_figure((4.0, 3.0))
    ax = fig.subplots()
    ax.imshow(M)
    cells = CellNumbers(ax, [(j, i, f"{v:.2g}", "#ffffff") for (i, j), v in np.ndenumerate(M)], 7)
    ax.add_artist(cells)
    fig.canvas.draw()
    boxes = cells.extents(fig.canvas.get_renderer())
    assert [s for s, _ in boxes] == ["0.53", "-1.2", "3e-05", "12", "-0.0071", "1"]
    centres = [((b.x0 + b.x1) / 2, (b.y0 + b.y1) / 2) for _, b in boxes]
    assert centres[0][0] < centres[1][0] < centres[2][0]  # left to right along a row
    assert centres[0][1] > centres[3][1]  # row 0 is on top (imshow's origin)
